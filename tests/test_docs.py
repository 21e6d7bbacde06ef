"""The documentation stays true: docstring examples and the code of docs/embedding.md run as tests."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path

import pytest

import chatbot

ROOT = Path(__file__).resolve().parent.parent
#: Modules that need an optional extra: their examples run only when it is installed.
OPTIONAL = {"chatbot.server": ("starlette", "uvicorn")}
#: Modules that do something when imported.
NOT_IMPORTABLE = {"chatbot.__main__"}
MODULES = sorted(
    {"chatbot"} | {m.name for m in pkgutil.iter_modules(chatbot.__path__, "chatbot.")} - NOT_IMPORTABLE
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    for requirement in OPTIONAL.get(name, ()):
        pytest.importorskip(requirement)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (see the output above)"


def test_every_module_is_covered() -> None:
    """A new module cannot slip past the docstring examples test unnoticed."""
    files = {p.stem for p in (ROOT / "chatbot").glob("*.py")} - {"__init__", "__main__"}
    assert {f"chatbot.{stem}" for stem in files} <= set(MODULES)


def python_blocks(path: Path) -> list[str]:
    """Return the ```python code blocks of a Markdown file, in order."""
    return re.findall(r"^```python\n(.*?)^```$", path.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)


def test_embedding_guide_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The blocks of docs/embedding.md run in order as one program, as a reader would paste them."""
    blocks = python_blocks(ROOT / "docs" / "embedding.md")
    assert len(blocks) >= 6
    namespace: dict[str, object] = {"__name__": "embedding_guide"}
    for number, block in enumerate(blocks, 1):
        code = compile(block, f"docs/embedding.md (python block {number})", "exec")
        exec(code, namespace)
    out = capsys.readouterr().out
    assert chatbot.Bot.load().reply("what is hemifacial spasm?").text in out


def test_embedding_guide_shows_every_reply_kind() -> None:
    text = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    for kind in ("answer", "clarify", "fallback", "emergency"):
        assert f'reply.kind == "{kind}"' in text or f"`{kind}`" in text, kind
