"""Turn a Reply into styled text fragments for a terminal, or into plain text for a pipe.

A fragment is a ``(style, text)`` pair, the same shape as prompt-toolkit's ``FormattedText``,
so the REPL can print it in colour while this module never imports a UI library.
"""

from __future__ import annotations

import re
import textwrap

from .reply import Option, Reply

__all__ = ["READ_WIDTH", "Fragments", "render", "render_plain", "to_plain", "wrap"]

Fragments = list[tuple[str, str]]

#: Lines longer than this are hard to read; wide terminals still wrap here.
READ_WIDTH = 100
MIN_WIDTH = 20
URGENT_BANNER = " URGENT: this could be a medical emergency "
_NUMBERED = re.compile(r"^(\s*)(\d+)\. (.*)$")


def wrap(text: str, width: int) -> str:
    """Wrap each paragraph and list item of ``text`` to ``width`` columns.

    Examples
    --------
    >>> print(wrap("- one two three four five six", 20))
    - one two three four
      five six
    """
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
            stripped, width=max(MIN_WIDTH, width), initial_indent=indent,
            subsequent_indent=indent + " " * len(bullet), break_on_hyphens=False,
        ))
    return "\n".join(out)


def _numbered(label: str, options: tuple[Option, ...], width: int) -> Fragments:
    """Render ``label 1. title`` with later items aligned under the first."""
    frags: Fragments = [("class:label", label)]
    pad = " " * len(label)
    for n, option in enumerate(options, 1):
        number = f"{n}. "
        body = textwrap.fill(
            option.title, width=max(MIN_WIDTH, width - len(label) - len(number)), break_on_hyphens=False,
        ).replace("\n", "\n" + pad + " " * len(number))
        frags += [("", pad if n > 1 else ""), ("class:number", number), ("class:option", body), ("", "\n")]
    return frags


def _body(reply: Reply, width: int) -> Fragments:
    """The reply text, wrapped; numbered "did you mean" lines get the option style."""
    style = "class:urgent.text" if reply.kind == "emergency" else "class:text"
    frags: Fragments = []
    for line in wrap(reply.text, width).splitlines():
        match = _NUMBERED.match(line)
        if reply.kind == "clarify" and match:
            indent, number, rest = match.groups()
            frags += [("", indent), ("class:number", f"{number}. "), ("class:option", rest)]
        elif line.startswith(" ") and frags and frags[-1][0] == "class:option":
            frags.append(("class:option", line))  # the wrapped tail of an option
        else:
            frags.append((style, line))
        frags.append(("", "\n"))
    return frags


def render(reply: Reply, width: int = 80, *, urgent: bool = False, colour: bool = False) -> Fragments:
    """Render a reply for reading: banner if urgent, title, wrapped text, sources, related topics.

    ``urgent`` adds the emergency banner to any reply (emergency replies always get it);
    ``colour`` draws the banner as a solid bar instead of a row of ``!`` for plain text.

    Examples
    --------
    >>> from chatbot import Bot
    >>> frags = render(Bot.load().reply("what is botox"), 80)
    >>> frags[0]
    ('class:title', 'How do Botox injections help hemifacial spasm?')
    """
    width = max(MIN_WIDTH, min(width, READ_WIDTH))
    frags: Fragments = []
    if urgent or reply.kind == "emergency":
        banner = URGENT_BANNER.center(width, " " if colour else "!")
        frags += [("class:urgent.banner", banner), ("", "\n")]
    if reply.title and reply.kind in ("answer", "emergency"):
        frags += [("class:title", wrap(reply.title, width)), ("", "\n")]
    frags += _body(reply, width)
    if reply.sources:
        meta = "Sources: " + "; ".join(reply.sources)
        if reply.reviewed:
            meta += f". Reviewed {reply.reviewed}."
        frags += [("class:meta", wrap(meta, width)), ("", "\n")]
    if reply.suggestions and reply.kind in ("answer", "emergency"):
        frags += _numbered("Related: ", reply.suggestions, width)
    return frags


def to_plain(fragments: Fragments) -> str:
    """Join fragments into plain text, dropping their styles."""
    return "".join(text for _, text in fragments)


def render_plain(reply: Reply, width: int = 80) -> str:
    """Render a reply as plain text, with no escape codes: for pipes, NO_COLOR and dumb terminals."""
    return to_plain(render(reply, width))
