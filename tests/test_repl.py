"""The terminal chat: the loop through a fake prompt, once through a real prompt-toolkit pipe, and its factories."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from chatbot import Bot
from chatbot.conversation import Conversation
from chatbot.render import URGENT_BANNER, Fragments, to_plain
from chatbot.repl import (
    COMMANDS,
    GOODBYE,
    URGENT_INTENT,
    Repl,
    TopicCompleter,
    colour_enabled,
    make_completer,
    make_history,
    run_repl,
)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user's real home untouched: nothing the REPL does may write there."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home


class FakeSession:
    """Stands in for a PromptSession: returns the scripted lines, then Ctrl-D (EOFError)."""

    def __init__(self, *lines: str | type[BaseException]) -> None:
        self.lines: Iterator[str | type[BaseException]] = iter(lines)
        self.prompts = 0

    def prompt(self) -> str:
        self.prompts += 1
        line = next(self.lines, EOFError)
        if isinstance(line, str):
            return line
        raise line()


def chat(bot: Bot, *lines: str | type[BaseException], width: int = 80) -> tuple[int, list[str], FakeSession]:
    """Run the loop on scripted input; return the status, each write as plain text, and the session."""
    session = FakeSession(*lines)
    written: list[str] = []

    def write(fragments: Fragments) -> None:
        written.append(to_plain(fragments))

    status = Repl(Conversation(bot), bot, prompt=session.prompt, write=write, width=lambda: width).run()
    return status, written, session


def test_welcome_then_answer_then_goodbye(bot: Bot) -> None:
    status, written, _ = chat(bot, "what is botox")
    assert status == 0
    welcome = written[0]
    for needed in ("not a doctor", "/help", "/quit", "Ctrl-D", "/urgent"):
        assert needed in welcome
    assert max(map(len, welcome.splitlines())) <= 80
    assert written[1].strip().splitlines()[0] == bot.kb.intent("botox").title
    assert GOODBYE in written[-1]


def test_ctrl_c_clears_the_line_and_the_chat_goes_on(bot: Bot) -> None:
    status, written, session = chat(bot, KeyboardInterrupt, KeyboardInterrupt, "what is botox")
    assert status == 0 and session.prompts == 4  # two Ctrl-C, one question, then Ctrl-D
    assert any(bot.kb.intent("botox").title in w for w in written)


@pytest.mark.parametrize("leave", ["/quit", "/exit", "/QUIT", "quit", " exit "])
def test_quit_leaves_kindly_without_reading_more(bot: Bot, leave: str) -> None:
    status, written, session = chat(bot, leave, "what is botox")
    assert status == 0 and session.prompts == 1
    assert GOODBYE in written[-1] and len(written) == 2


def test_blank_lines_are_ignored(bot: Bot) -> None:
    _, written, session = chat(bot, "", "   ")
    assert session.prompts == 3 and len(written) == 2  # welcome and goodbye only


def test_help_lists_every_command(bot: Bot) -> None:
    _, written, _ = chat(bot, "/help")
    for name, what in COMMANDS.items():
        assert f"{name}" in written[1] and what in written[1]


def test_topics_lists_every_title_under_its_group(bot: Bot) -> None:
    _, written, _ = chat(bot, "/topics")
    lines = written[1].splitlines()
    groups = sorted({i.group for i in bot.kb.intents})
    assert [line for line in lines if line in groups] == groups  # each group once, in order
    for intent in bot.kb.intents:
        title_line = lines.index(f"  - {intent.title}")
        heading = max(i for i, line in enumerate(lines[:title_line]) if line in groups)
        assert lines[heading] == intent.group


def test_urgent_shows_the_red_flag_answer_with_the_banner(bot: Bot) -> None:
    _, written, _ = chat(bot, "/urgent")
    lines = written[1].strip("\n").splitlines()
    assert "URGENT" in lines[0] and lines[0].strip("! ") == URGENT_BANNER.strip()
    assert lines[1] == bot.kb.intent(URGENT_INTENT).title
    assert bot.kb.responses[URGENT_INTENT].text.splitlines()[0][:40] in written[1]


def test_unknown_command_gets_a_hint(bot: Bot) -> None:
    _, written, _ = chat(bot, "/frobnicate")
    assert written[1] == "Unknown command /frobnicate. Type /help to see the commands.\n"


def test_a_related_topic_is_picked_by_its_number(bot: Bot) -> None:
    first = bot.answer("botox")
    assert len(first.suggestions) >= 2
    _, written, _ = chat(bot, "what is botox", "2")
    assert "Related: 1. " in written[1]
    assert written[2].strip().splitlines()[0] == first.suggestions[1].title


def test_did_you_mean_is_numbered_and_picked_by_number(bot: Bot) -> None:
    conversation = Conversation(bot)
    asked = next(
        (q for q in ("side effects", "cure", "surgery", "pills", "treatment") if conversation.ask(q).kind == "clarify"),
        None,
    )
    if asked is None:
        pytest.skip("no probe question is ambiguous for the current matcher")
    options = bot.reply(asked).options
    _, written, _ = chat(bot, asked, str(len(options)))
    assert "1. " + options[0].title in written[1]
    assert written[2].strip().splitlines()[0] == options[-1].title


def test_reset_forgets_the_offered_numbers(bot: Bot) -> None:
    _, written, _ = chat(bot, "what is botox", "/reset", "2")
    assert "Starting over" in written[2]
    assert bot.answer("botox").suggestions[1].title not in written[3]


def test_undecodable_terminal_bytes_are_shown_as_replacement_characters(bot: Bot) -> None:
    _, written, _ = chat(bot, "/x\udcff", "what is bo\udcfftox \ud800")
    for block in written:
        block.encode("utf-8")  # printable: no surrogate reaches the terminal
    assert written[1] == "Unknown command /x\ufffd. Type /help to see the commands.\n"
    assert len(written) == 4  # the question got a reply, then goodbye


def test_every_line_fits_a_narrow_window(bot: Bot) -> None:
    _, written, _ = chat(bot, "what is botox", "/help", "/topics", "/urgent", width=60)
    for block in written[1:]:
        for line in block.splitlines():
            assert len(line) <= 60 or " " not in line.strip(), line


# --- through a real prompt-toolkit session --------------------------------------------------------


def test_real_prompt_session_through_a_pipe(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], private_home: Path,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    with create_pipe_input() as pipe:
        pipe.send_text("what is botox\r")
        pipe.send_text("half a question\x03")  # Ctrl-C: the line is dropped, the chat goes on
        pipe.send_text("\x1bOP")  # F1: help
        pipe.send_text("1\r")  # the first related topic
        pipe.send_text("\x04")  # Ctrl-D: leave
        status = run_repl(bot, input=pipe, output=DummyOutput())
    out = capsys.readouterr().out
    assert status == 0
    assert "\x1b" not in out  # NO_COLOR: not a single escape code
    assert bot.kb.intent("botox").title in out
    assert "Commands" in out and "/topics" in out
    assert "\n" + bot.answer("botox").suggestions[0].title + "\n" in out
    assert "half a question" not in out
    assert out.rstrip().endswith(GOODBYE)
    assert list(private_home.iterdir()) == [] and sorted(p.name for p in Path.cwd().iterdir()) == ["home"]


# --- the factories ------------------------------------------------------------------------------


def test_colour_follows_no_color_and_dumb_terminals() -> None:
    assert colour_enabled({"TERM": "xterm-256color"})
    assert not colour_enabled({"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert colour_enabled({"TERM": "xterm", "NO_COLOR": ""})  # no-color.org: set and not empty
    assert not colour_enabled({"TERM": "dumb"})


def test_history_is_in_memory_by_default() -> None:
    history, note = make_history(None)
    assert isinstance(history, InMemoryHistory) and note is None


def test_history_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "chat-history"
    history, note = make_history(path)
    assert isinstance(history, FileHistory)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert note is not None and str(path) in note
    history.append_string("is botox safe")
    assert "is botox safe" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_history_file_is_tightened_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "old-history"
    path.write_text("\n# 2026-01-01 10:00:00\n+what is mvd\n")
    path.chmod(0o644)
    history, _ = make_history(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(history.load_history_strings()) == ["what is mvd"]


def test_an_unusable_history_file_falls_back_to_memory(tmp_path: Path) -> None:
    history, note = make_history(tmp_path / "no-such-folder" / "history")
    assert isinstance(history, InMemoryHistory)
    assert note is not None and "memory only" in note


def test_history_file_is_named_in_the_welcome(
    bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    path = tmp_path / "h"
    with create_pipe_input() as pipe:
        pipe.send_text("what is botox\r\x04")
        assert run_repl(bot, path, input=pipe, output=DummyOutput()) == 0
    assert f"saved in {path}" in capsys.readouterr().out
    assert "what is botox" in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def _completions(completer: object, text: str) -> list[str]:
    get = completer.get_completions  # type: ignore[attr-defined]
    return [c.text for c in get(Document(text), CompleteEvent(text_inserted=True))]


def test_titles_complete_fuzzily_in_any_word_order(bot: Bot) -> None:
    completer = make_completer(bot.kb, InMemoryHistory())
    for intent in bot.kb.intents:
        title = intent.title
        assert _completions(completer, title[: max(3, len(title) // 2)])[:3].count(title) == 1, title
        words = [w.strip("?,()") for w in title.split()]
        backwards = " ".join(reversed(words))
        if len(words) > 1:
            assert title in _completions(completer, backwards), (title, backwards)
    typo = "botx injectons"
    assert _completions(completer, typo)[0] == bot.kb.intent("botox").title


def test_commands_complete_and_numbers_do_not(bot: Bot) -> None:
    completer = make_completer(bot.kb, InMemoryHistory())
    assert _completions(completer, "/to") == ["/topics"]
    assert set(_completions(completer, "/")) == set(COMMANDS)
    assert _completions(completer, "2") == []


def test_earlier_questions_complete_from_the_session_history(bot: Bot) -> None:
    history = InMemoryHistory()
    completer = make_completer(bot.kb, history)
    assert "how long does botox last" not in _completions(completer, "long last")
    history.append_string("how long does botox last")
    assert _completions(completer, "long last")[0] == "how long does botox last"


def test_topic_completer_ranks_the_telling_word_first() -> None:
    lines = ["What is A?", "What is B?", "What about carrots?"]
    completer = TopicCompleter(lambda: lines, "topic")
    assert _completions(completer, "what about carots") == ["What about carrots?"]
