"""Shared fixtures: a bundled bot, and small content folders written on demand."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from chatbot import Bot

MakeContent = Callable[..., Path]

INTENT = """\
id: {id}
title: {title}
patterns:
{patterns}
"""
RESPONSE = """\
id: {id}
text: {text}
sources: [A]
reviewed: 2026-11-21
"""


@pytest.fixture(scope="session")
def bot() -> Bot:
    """The bundled content, loaded once."""
    return Bot.load()


@pytest.fixture
def make_content(tmp_path: Path) -> MakeContent:
    """Write a content folder: ``intents`` maps id -> patterns; ``files`` overrides raw files."""

    def make(intents: dict[str, list[str]] | None = None, files: dict[str, str] | None = None) -> Path:
        root = tmp_path / "content"
        (root / "intents").mkdir(parents=True, exist_ok=True)
        (root / "responses").mkdir(parents=True, exist_ok=True)
        for intent_id, patterns in (intents or {}).items():
            lines = "\n".join(f"  - {p}" for p in patterns)
            (root / "intents" / f"{intent_id}.yaml").write_text(
                INTENT.format(id=intent_id, title=f"About {intent_id}?", patterns=lines)
            )
            (root / "responses" / f"{intent_id}.yaml").write_text(
                RESPONSE.format(id=intent_id, text=f"The answer about {intent_id}.")
            )
        for name, text in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text)) if isinstance(text, str) else path.write_bytes(text)
        return root

    return make
