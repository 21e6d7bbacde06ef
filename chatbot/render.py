"""Turn a Reply into plain text for a terminal or a pipe."""

from __future__ import annotations

import textwrap

from .reply import Reply

__all__ = ["render_plain", "wrap"]


def wrap(text: str, width: int) -> str:
    """Wrap each paragraph and list item of ``text`` to ``width`` columns."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if not stripped:
            out.append("")
            continue
        indent = line[: len(line) - len(stripped)]
        bullet = ""
        for mark in ("- ", "* ", "\u2022 "):
            if stripped.startswith(mark):
                bullet = mark
        if stripped[:1].isdigit() and ". " in stripped[:4]:
            bullet = stripped[: stripped.index(". ") + 2]
        out.append(textwrap.fill(
            stripped, width=max(20, width), initial_indent=indent,
            subsequent_indent=indent + " " * len(bullet), break_on_hyphens=False,
        ))
    return "\n".join(out)


def render_plain(reply: Reply, width: int = 80) -> str:
    """Render a reply as plain text: title, wrapped answer, then sources and review date."""
    parts: list[str] = []
    if reply.kind == "answer" and reply.title:
        parts.append(reply.title)
    parts.append(wrap(reply.text, width))
    if reply.sources:
        meta = "Sources: " + "; ".join(reply.sources)
        if reply.reviewed:
            meta += f". Reviewed {reply.reviewed}."
        parts.append(wrap(meta, width))
    return "\n".join(parts) + "\n"
