"""The interactive chat on a terminal: the only module that imports prompt_toolkit.

Each UI concern is a small factory (completer, toolbar, key bindings, style, history), and the
loop itself (:class:`Repl`) only reads a line, asks the conversation and writes fragments, so tests
drive it with a fake prompt function.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import get_app_or_none
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import (
    CompleteEvent,
    Completer,
    Completion,
    FuzzyCompleter,
    WordCompleter,
    merge_completers,
)
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.styles import Style
from rapidfuzz import fuzz

from .bot import Bot
from .content import KnowledgeBase
from .render import READ_WIDTH, Fragments, render, to_plain, wrap
from .reply import Reply

__all__ = [
    "COMMANDS",
    "Repl",
    "colour_enabled",
    "make_completer",
    "make_history",
    "make_key_bindings",
    "make_session",
    "make_style",
    "make_toolbar",
    "run_repl",
]

URGENT_INTENT = "emergency_red_flags"
URGENT_FALLBACK = (
    "If this is happening now, call your local emergency number (911 / 999 / 112) now. "
    "Sudden face drooping, arm or leg weakness, slurred speech, vision loss or the worst headache "
    "of your life can be a stroke: do not wait."
)
GOODBYE = "Take care. For advice about your own situation, please talk to a neurologist."

#: command -> what it does; the order is the order of /help.
COMMANDS: Mapping[str, str] = {
    "/help": "show this list of commands",
    "/topics": "list every topic I can answer, grouped",
    "/urgent": "when to get emergency help",
    "/reset": "start over (forget the last question and its options)",
    "/clear": "clear the screen",
    "/quit": "leave (also /exit or Ctrl-D)",
}
LEAVE = ("/quit", "/exit", "quit", "exit")


class Conversing(Protocol):
    """What the loop needs from a conversation: ask, and forget."""

    def ask(self, text: str) -> Reply:
        """Answer one line, resolving numbers and option words against what was last offered."""

    def reset(self) -> None:
        """Forget the conversation so far."""


def colour_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Return False when NO_COLOR is set (non-empty) or the terminal is dumb."""
    env = os.environ if environ is None else environ
    return not env.get("NO_COLOR") and env.get("TERM", "") not in ("dumb", "unknown")


# --- the UI factories ---------------------------------------------------------------------------


class TopicCompleter(Completer):
    """Suggest whole lines (topic titles, earlier questions) sharing the telling words of what was typed.

    Word order does not matter, the word being typed matches as a prefix, and small typos are
    forgiven ("mvd risk", "botx"). Words found in many lines ("what", "spasm") count for little,
    so a rare word decides. Commands and one-character input (a "did you mean" number) get nothing.
    """

    def __init__(self, lines: Callable[[], Iterable[str]], meta: str, *, cutoff: float = 80, limit: int = 8) -> None:
        self.lines = lines
        self.meta = meta
        self.cutoff = cutoff
        self.limit = limit

    def _similar(self, word: str, words: list[str]) -> bool:
        return any(w.startswith(word) or fuzz.ratio(word, w) >= self.cutoff for w in words)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        """Yield the best matching lines, best first."""
        typed = document.text_before_cursor
        if len(typed.strip()) < 2 or typed.lstrip().startswith("/"):
            return
        typed_words = re.findall(r"\w+", typed.lower())
        wanted = [w for w in typed_words if len(w) >= 3] or typed_words
        lines = list(dict.fromkeys(line for line in self.lines() if line.strip().lower() != typed.strip().lower()))
        if not wanted or not lines:
            return
        line_words = [re.findall(r"\w+", line.lower()) for line in lines]
        hits = [[self._similar(w, words) for w in wanted] for words in line_words]
        # Inverse document frequency: a word that matches few lines tells them apart.
        weights = [math.log((len(lines) + 1) / (1 + sum(row[i] for row in hits))) + 0.1 for i in range(len(wanted))]
        total = sum(weights)
        # Ties go to the line sharing more of the short words too ("what is ..."), then the shorter.
        scored = sorted(
            (
                -sum(w for w, hit in zip(weights, row, strict=True) if hit),
                -sum(w in words for w in typed_words),
                len(lines[n]),
                n,
            )
            for n, (row, words) in enumerate(zip(hits, line_words, strict=True))
        )
        for negative_score, _, _, n in scored[: self.limit]:
            score = -negative_score
            if score * 2 < total:
                break
            yield Completion(lines[n], start_position=-len(typed), display_meta=self.meta)


class _CommandCompleter(Completer):
    """Complete /commands (fuzzily) only when the line starts with a slash."""

    def __init__(self) -> None:
        words = WordCompleter(list(COMMANDS), meta_dict=dict(COMMANDS), WORD=True)
        self._inner = FuzzyCompleter(words, WORD=True)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        """Yield matching commands with what they do."""
        if document.text_before_cursor.startswith("/"):
            yield from self._inner.get_completions(document, complete_event)


def make_completer(kb: KnowledgeBase, history: History) -> Completer:
    """Commands, then topic titles, then this session's earlier questions."""
    titles = [intent.title for intent in kb.intents]
    return merge_completers(
        [
            _CommandCompleter(),
            TopicCompleter(lambda: titles, "topic"),
            TopicCompleter(lambda: list(history.get_strings())[::-1], "asked before"),
        ],
        deduplicate=True,
    )


def make_toolbar() -> Callable[[], FormattedText]:
    """A bottom toolbar with the key hints, shortened to fit narrow windows."""
    wide = [("Enter", "ask"), ("Tab", "suggestions"), ("Up", "earlier questions"),
            ("Ctrl-C", "clear line"), ("Ctrl-D", "leave"), ("F1", "help")]
    narrow = [("Enter", "ask"), ("Tab", "suggest"), ("Ctrl-C", "clear"), ("Ctrl-D", "leave"), ("F1", "help")]

    def toolbar() -> FormattedText:
        app = get_app_or_none()
        columns = app.output.get_size().columns if app else 80
        frags: list[tuple[str, str]] = []
        for key, what in wide if columns >= 100 else narrow:
            frags += [("class:bottom-toolbar.key", f" {key} "), ("class:bottom-toolbar", f"{what}  ")]
        return FormattedText(frags)

    return toolbar


def make_key_bindings() -> KeyBindings:
    """F1 shows the commands; Ctrl-C and Ctrl-D keep prompt-toolkit's meaning (clear, leave)."""
    bindings = KeyBindings()

    @bindings.add("f1")
    def _help(event: KeyPressEvent) -> None:
        event.current_buffer.text = "/help"
        event.current_buffer.validate_and_handle()

    return bindings


def make_style() -> Style:
    """The colours; quiet by default, loud only for emergencies."""
    return Style.from_dict({
        "prompt": "bold ansicyan",
        "title": "bold",
        "text": "",
        "meta": "ansibrightblack italic",
        "label": "ansibrightblack",
        "number": "bold ansicyan",
        "option": "",
        "welcome": "bold",
        "hint": "ansibrightblack",
        "command": "ansicyan",
        "group": "bold underline",
        "urgent.banner": "bold ansiwhite bg:ansired",
        "urgent.text": "bold",
        "urgent.line": "bold ansired",
        "error": "ansired",
        "bottom-toolbar": "noreverse bg:ansibrightblack ansiblack",
        "bottom-toolbar.key": "noreverse bold bg:ansiwhite ansiblack",
    })


def make_history(path: str | os.PathLike[str] | None) -> tuple[History, str | None]:
    """Return the history and, when a file was asked for, a sentence saying where it is kept.

    No path: memory only, nothing is written. A path: a FileHistory, the file created (or
    tightened) to owner-only permissions; if it cannot be used, memory only and the reason.
    """
    if path is None:
        return InMemoryHistory(), None
    file = Path(path).expanduser()
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        if file.stat().st_mode & 0o077:
            file.chmod(0o600)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return InMemoryHistory(), f"Cannot keep history in {file} ({reason}); it stays in memory only."
    return FileHistory(str(file)), f"Your questions are saved in {file} (readable only by you)."


# --- the loop -----------------------------------------------------------------------------------


def welcome(history_note: str | None = None) -> Fragments:
    """The first screen: what this is, how to ask, how to get help, how to leave."""
    frags: Fragments = [
        ("class:welcome", "hfs-chat: answers about hemifacial spasm"), ("", "\n"),
        ("", "Automated information, not a doctor: it cannot advise on your own situation."), ("", "\n"),
        ("", "Ask in your own words, for example: what is botox?"), ("", "\n"),
        ("class:command", "/help"), ("", " lists commands, "), ("class:command", "/topics"), ("", " all topics; "),
        ("class:command", "/quit"), ("", " or Ctrl-D leaves."), ("", "\n"),
        ("class:urgent.line", "Sudden weakness, drooping face, slurred speech or vision loss? Type "),
        ("class:command", "/urgent"), ("class:urgent.line", "."), ("", "\n"),
    ]
    if history_note:
        frags += [("class:hint", history_note), ("", "\n")]
    return frags


def _valid_text(text: str) -> str:
    """Turn undecodable terminal bytes (surrogate escapes) into U+FFFD, so they can be printed back."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


class Repl:
    """The read-ask-show loop; ``prompt`` reads one line (raising EOFError to leave), ``write`` shows fragments."""

    def __init__(
        self,
        conversation: Conversing,
        bot: Bot,
        *,
        prompt: Callable[[], str],
        write: Callable[[Fragments], None],
        width: Callable[[], int] = lambda: 80,
        colour: bool = False,
        clear: Callable[[], None] = lambda: None,
        history_note: str | None = None,
    ) -> None:
        self.conversation = conversation
        self.bot = bot
        self.prompt = prompt
        self.write = write
        self.width = width
        self.colour = colour
        self.clear = clear
        self.history_note = history_note

    def run(self) -> int:
        """Chat until the user leaves; return the exit status (0)."""
        self.write(welcome(self.history_note))
        while True:
            try:
                text = self.prompt()
            except KeyboardInterrupt:
                continue  # Ctrl-C clears the line, never ends the session
            except EOFError:
                break
            text = _valid_text(text)
            line = text.strip()
            if not line:
                continue
            if line.lower() in LEAVE:
                break
            if line.startswith("/"):
                self.command(line)
            else:
                self.show(self.conversation.ask(text))
        self.write([("", "\n"), ("class:welcome", wrap(GOODBYE, min(self.width(), READ_WIDTH))), ("", "\n")])
        return 0

    def show(self, reply: Reply, *, urgent: bool = False) -> None:
        """Write one reply, with a blank line before it."""
        urgent = urgent or reply.intent == URGENT_INTENT
        self.write([("", "\n"), *render(reply, self.width(), urgent=urgent, colour=self.colour)])

    def command(self, line: str) -> None:
        """Run one /command (case-insensitive); an unknown one gets a hint, not an error."""
        name = line.split()[0].lower()
        if name == "/help":
            self.write(self.help())
        elif name == "/topics":
            self.write(self.topics())
        elif name == "/urgent":
            if URGENT_INTENT in self.bot.kb.responses:
                self.show(self.bot.answer(URGENT_INTENT, query=line), urgent=True)
            else:
                self.show(Reply(line, "emergency", None, 1.0, URGENT_FALLBACK))
        elif name == "/reset":
            self.conversation.reset()
            self.write([("class:hint", "Starting over. Ask a new question."), ("", "\n")])
        elif name == "/clear":
            self.clear()
        else:
            self.write([("class:error", f"Unknown command {name}. "), ("", "Type /help to see the commands."),
                        ("", "\n")])

    def help(self) -> Fragments:
        """The commands, one per line."""
        frags: Fragments = [("", "\n"), ("class:title", "Commands"), ("", "\n")]
        width = min(self.width(), READ_WIDTH)
        for name, what in COMMANDS.items():
            body = wrap(what, width - 11).replace("\n", "\n" + " " * 11)
            frags += [("class:command", f"  {name:<9}"), ("", body), ("", "\n")]
        tips = ("Ask anything about hemifacial spasm in your own words. When I offer numbered topics, "
                "type the number (or its words) to read it. Tab shows suggestions as you type.")
        frags += [("class:hint", wrap(tips, width)), ("", "\n")]
        return frags

    def topics(self) -> Fragments:
        """Every topic title, grouped by intent group (groups in alphabetical order)."""
        groups: dict[str, list[str]] = {}
        for intent in self.bot.kb.intents:
            groups.setdefault(intent.group, []).append(intent.title)
        frags: Fragments = [("", "\n")]
        for group, titles in sorted(groups.items()):
            frags += [("class:group", group), ("", "\n")]
            for title in titles:
                body = wrap(title, min(self.width(), READ_WIDTH) - 4).replace("\n", "\n    ")
                frags += [("", "  - "), ("class:option", body), ("", "\n")]
        frags += [("class:hint", "Type a topic's question, or your own words, to read it."), ("", "\n")]
        return frags


def make_session(kb: KnowledgeBase, history: History, **kwargs: Any) -> PromptSession[str]:
    """The prompt: completion while typing, grey suggestions from history, toolbar, keys, style."""
    return PromptSession(
        history=history,
        completer=make_completer(kb, history),
        complete_while_typing=True,
        auto_suggest=AutoSuggestFromHistory(),
        bottom_toolbar=make_toolbar(),
        key_bindings=make_key_bindings(),
        style=make_style(),
        reserve_space_for_menu=6,
        **kwargs,
    )


def run_repl(bot: Bot, history_file: str | os.PathLike[str] | None = None, **session_kwargs: Any) -> int:
    """Chat on a terminal until the user leaves; return the exit status.

    ``session_kwargs`` go to the PromptSession (tests pass ``input`` and ``output``).
    """
    from .conversation import Conversation

    history, note = make_history(history_file)
    session = make_session(bot.kb, history, **session_kwargs)
    colour = colour_enabled()
    style = make_style()

    def write(fragments: Fragments) -> None:
        if colour:
            print_formatted_text(FormattedText(fragments), style=style, end="", output=session.output)
        else:  # NO_COLOR or a dumb terminal: not a single escape code
            sys.stdout.write(to_plain(fragments))
            sys.stdout.flush()

    def width() -> int:
        return session.output.get_size().columns - 1

    def clear() -> None:
        if colour_enabled({"TERM": os.environ.get("TERM", "")}):  # a dumb terminal cannot clear
            session.output.erase_screen()
            session.output.cursor_goto(0, 0)
            session.output.flush()

    repl = Repl(
        Conversation(bot), bot,
        prompt=lambda: session.prompt([("class:prompt", "you> ")] if colour else "you> "),
        write=write, width=width, colour=colour, clear=clear, history_note=note,
    )
    return repl.run()
