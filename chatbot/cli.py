"""The command line: argparse subcommands around the Bot; the only place that sets exit codes."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from . import __version__
from .bot import Bot
from .content import check_content
from .errors import ContentError, HfsChatError
from .render import render_plain
from .reply import Reply

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hfs-chat",
        description="An offline FAQ chatbot about hemifacial spasm (information, not medical advice).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--content", metavar="DIR", default=None,
        help="a folder holding intents/ and responses/ (default: the bundled content)",
    )
    parser.add_argument("--content", metavar="DIR", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("chat", parents=[content], help="start the chat (the default)")
    ask = sub.add_parser("ask", parents=[content], help="answer one question and exit")
    ask.add_argument("question", nargs="+", help="the question, in your own words")
    ask.add_argument("--json", action="store_true", help="print the reply object as JSON")
    sub.add_parser(
        "batch", parents=[content],
        help="answer JSON-lines requests from stdin, one reply object per line on stdout",
    )
    validate = sub.add_parser("validate", parents=[content], help="check the content and report every problem")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    return parser


def _print_problems(problems: Iterable[Any], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def _json_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _request(line: str) -> tuple[str | None, Any, str | None]:
    """Parse one batch line into (text, session, error)."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except ValueError:
            return stripped, None, None  # not JSON after all: treat the line as the question itself
        if not isinstance(obj, dict):
            return stripped, None, None
        session = obj.get("session")
        text = obj.get("text")
        if not isinstance(text, str):
            return None, session, "the request needs a string field 'text'"
        return text, session, None
    return line.rstrip("\r\n"), None, None


def _batch(bot: Bot, stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        text, session, error = _request(line)
        if text is None:
            obj = Reply("", "fallback", None, 0.0, f"Bad request: {error}.").to_dict()
            obj["error"] = error
        else:
            obj = bot.reply(text).to_dict()
        if session is not None:
            obj["session"] = session
        stdout.write(_json_line(obj) + "\n")
        stdout.flush()
    return 0


def _validate(content: str | None, strict: bool) -> int:
    kb, problems = check_content(content)
    _print_problems(problems, sys.stdout)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if kb is None or (strict and warnings):
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    print(f"content OK: {len(kb.intents)} intents, {sum(len(i.patterns) for i in kb.intents)} patterns"
          + (f", {warnings} warning(s)" if warnings else ""), file=sys.stderr)
    return 0


def _chat(bot: Bot) -> int:
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .repl import run_repl  # prompt_toolkit is imported only for a real terminal

        return run_repl(bot)
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(render_plain(bot.reply(line), width) + "\n")
            sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hfs-chat command line; return the exit status."""
    args = _parser().parse_args(argv)
    command = args.command or "chat"
    try:
        if command == "validate":
            return _validate(args.content, args.strict)
        bot = Bot.load(args.content)
        if command == "ask":
            reply = bot.reply(" ".join(args.question))
            if args.json:
                print(_json_line(reply.to_dict()))
            else:
                width = min(shutil.get_terminal_size((80, 24)).columns, 100)
                sys.stdout.write(render_plain(reply, width))
            return 0
        if command == "batch":
            return _batch(bot, sys.stdin, sys.stdout)
        return _chat(bot)
    except ContentError as exc:
        _print_problems(exc.problems, sys.stderr)
        print("hfs-chat: the content has errors; run 'hfs-chat validate' for the full list", file=sys.stderr)
        return 1
    except HfsChatError as exc:
        print(f"hfs-chat: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): quietly stop, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
