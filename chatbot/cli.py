"""The command line: argparse subcommands around the Bot; the only place that sets exit codes."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .bot import Bot
from .content import check_content
from .conversation import Conversation, SessionStore
from .errors import ContentError, HfsChatError
from .render import render_plain
from .reply import Reply

if TYPE_CHECKING:  # evaluate is imported where used: answering does not need it
    from .evaluate import LabelledSet

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hfs-chat",
        description="An offline FAQ chatbot about hemifacial spasm (information, not medical advice).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(  # SUPPRESS: "hfs-chat --content DIR chat" keeps the top-level value
        "--content", metavar="DIR", default=argparse.SUPPRESS,
        help="a folder holding intents/ and responses/ (default: the bundled content)",
    )
    parser.add_argument("--content", metavar="DIR", default=None, help=argparse.SUPPRESS)
    history_help = "keep the chat's question history in FILE (owner-only); by default it stays in memory"
    parser.add_argument("--history", metavar="FILE", default=None, help=history_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chat = sub.add_parser("chat", parents=[content], help="start the chat (the default)")
    chat.add_argument("--history", metavar="FILE", default=argparse.SUPPRESS, help=history_help)
    ask = sub.add_parser("ask", parents=[content], help="answer one question and exit")
    ask.add_argument("question", nargs="+", help="the question, in your own words")
    ask.add_argument("--json", action="store_true", help="print the reply object as JSON")
    ask.add_argument(
        "--explain", action="store_true",
        help="also print why: the reason for the decision and the top topics with their scores "
             "(with --json: an 'explain' key)",
    )
    evaluate_ = sub.add_parser(
        "eval", parents=[content],
        help="score the bot on a labelled question file: accuracy, fallbacks, per-intent figures, misses",
    )
    evaluate_.add_argument("file", metavar="FILE", help="YAML: {in_scope: {intent: [questions]}, out_of_scope: [...]}")
    evaluate_.add_argument("--json", action="store_true", help="print the evaluation as one JSON object")
    calibrate = sub.add_parser(
        "calibrate", parents=[content],
        help="choose min_confidence and min_margin on a labelled file and write them to the content's settings.yaml",
        description="Sweep min_confidence 0.00-0.99 x min_margin 0.00-0.30 (step 0.01) on a labelled file and "
                    "write the best pair into settings.yaml of the content folder. Default objective: maximise "
                    "right - 3 x wrong - 0.5 x clarify - 1 x missed, where right = in-scope questions answered "
                    "with their topic, wrong = confident answers with a wrong topic (in scope or out of scope), "
                    "clarify = a 'did you mean' listing the right topic or given to an out-of-scope question, "
                    "missed = in-scope questions given the fallback or a 'did you mean' without their topic.",
    )
    calibrate.add_argument(
        "file", metavar="FILE", nargs="+",
        help="YAML: {in_scope: {intent: [questions]}, out_of_scope: [...]}; several files are swept as one",
    )
    calibrate.add_argument(
        "--min-oos-recall", metavar="R", type=float, default=None,
        help="instead: maximise in-scope first-option accuracy among thresholds that send at least R "
             "(0 to 1) of the out-of-scope questions to the fallback",
    )
    calibrate.add_argument("--dry-run", action="store_true", help="print the sweep but do not write settings.yaml")
    sub.add_parser(
        "batch", parents=[content],
        help="answer JSON-lines requests from stdin, one reply object per line on stdout",
    )
    validate = sub.add_parser("validate", parents=[content], help="check the content and report every problem")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    serve = sub.add_parser(
        "serve", parents=[content],
        help="run the HTTP server (Rasa-compatible REST channel); needs hfs-chat[server]",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--port", type=_port, default=5005, help="port to listen on (default: 5005)")
    serve.add_argument(
        "--cors", metavar="ORIGIN", action="append", default=[],
        help="allow web pages from ORIGIN (e.g. https://clinic.example) to call the server; repeatable",
    )
    return parser


def _print_problems(problems: Iterable[Any], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def _json_line(obj: dict[str, Any]) -> str:
    """One JSON line; C1 controls and lone surrogates (say, in an echoed session) are written as escapes."""
    # Outside strings JSON is ASCII, so these characters can only be inside strings, where \uXXXX is equal.
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False))


def _request(line: str) -> tuple[str | None, Any, str | None]:
    """Parse one batch line into (text, session, error)."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            return stripped, None, None  # not JSON after all: treat the line as the question itself
        if not isinstance(obj, dict):
            return stripped, None, None
        session = obj.get("session")
        text = obj.get("text")
        if not isinstance(text, str):
            return None, session, "the request needs a string field 'text'"
        return text, session, None
    return line.rstrip("\r\n"), None, None


def _session_key(session: Any) -> str:
    """Key a request's session by its JSON form, so that "1" and 1 are different sessions."""
    return json.dumps(session, sort_keys=True, ensure_ascii=False)


def _batch(bot: Bot, stdin: TextIO, stdout: TextIO) -> int:
    sessions = SessionStore(bot)  # requests with the same "session" share one conversation
    for line in _lines(stdin):
        text, session, error = _request(line)
        if text is None:
            obj = Reply("", "fallback", None, 0.0, f"Bad request: {error}.").to_dict()
            obj["error"] = error
        elif session is None:
            obj = bot.reply(text).to_dict()
        else:
            obj = sessions.ask(_session_key(session), text).to_dict()
        if session is not None:
            obj["session"] = session
        stdout.write(_json_line(obj) + "\n")
        stdout.flush()
    return 0


def _validate(content: str | None, strict: bool) -> int:
    kb, problems = check_content(content)
    if kb is not None:
        from .lint import near_identical_patterns, unread_phrasings  # build a matcher: only validate needs them

        problems = sorted([*problems, *near_identical_patterns(kb), *unread_phrasings(kb)])
    _print_problems(problems, sys.stdout)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if kb is None or (strict and warnings):
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    print(f"content OK: {len(kb.intents)} intents, {sum(len(i.patterns) for i in kb.intents)} patterns"
          + (f", {warnings} warning(s)" if warnings else ""), file=sys.stderr)
    return 0


def _labelled(bot: Bot, path: str) -> LabelledSet | None:
    from .evaluate import LabelledSetError, load_labelled

    try:
        return load_labelled(path, bot.kb)
    except LabelledSetError as exc:
        _print_problems(exc.problems, sys.stderr)
        print(f"hfs-chat: {path} is not a usable labelled question file", file=sys.stderr)
        return None


def _eval(bot: Bot, path: str, as_json: bool) -> int:
    from .evaluate import evaluate
    from .report import evaluation_text

    labelled = _labelled(bot, path)
    if labelled is None:
        return 1
    result = evaluate(bot, labelled)
    sys.stdout.write(_json_line(result.to_dict()) + "\n" if as_json else evaluation_text(result))
    return 0


def _calibrate(bot: Bot, paths: Sequence[str], min_oos_recall: float | None, dry_run: bool) -> int:
    from .calibrate import sweep, write_settings
    from .evaluate import LabelledSet
    from .report import settings_header, sweep_text

    sets = [_labelled(bot, path) for path in paths]  # every file's problems are reported
    if any(s is None for s in sets):
        return 1
    labelled = LabelledSet.joined([s for s in sets if s is not None])
    result = sweep(bot, labelled, min_oos_recall=min_oos_recall)
    sys.stdout.write(sweep_text(result, labelled.name))
    if result.chosen is None or result.thresholds is None:
        best = max(p.tally.figures()["oos_fallback"] for p in result.points)
        print(f"hfs-chat: no thresholds on the grid send {min_oos_recall:g} of the out-of-scope questions to the "
              f"fallback (best: {best:.3f}); settings.yaml is unchanged", file=sys.stderr)
        return 1
    chosen = f"min_confidence {result.chosen.min_confidence:.2f}, min_margin {result.chosen.min_margin:.2f}"
    if dry_run:
        print(f"dry run: settings.yaml not written (it would get {chosen})")
        return 0
    written = write_settings(bot.kb.root, result.thresholds, settings_header(result, result.chosen, labelled.name))
    print(f"wrote {written}: {chosen}")
    return 0


def _lines(stream: TextIO) -> Iterable[str]:
    """Yield the lines of ``stream``; bytes that are not UTF-8 become U+FFFD instead of an error."""
    raw = getattr(stream, "buffer", None)
    if raw is None:
        yield from stream
        return
    for line in raw:
        yield line.decode("utf-8", errors="replace")


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number from 0 to 65535: {value!r}")
    return int(value)


def _serve(args: argparse.Namespace) -> int:
    import importlib.util

    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        print(f"hfs-chat: the server needs {' and '.join(missing)}: install hfs-chat[server] "
              "(pip install 'hfs-chat[server]')", file=sys.stderr)
        return 1
    bot = Bot.load(args.content)
    from .server import is_loopback, serve  # starlette and uvicorn are imported only here

    if not is_loopback(args.host):
        print(f"hfs-chat: warning: listening on {args.host}: anyone who can reach this machine can use the chat "
              "(there is no authentication)", file=sys.stderr)
    serve(bot, host=args.host, port=args.port, cors_origins=args.cors)
    return 0


def _chat(bot: Bot, history: str | None = None) -> int:
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .repl import run_repl  # prompt_toolkit is imported only for a real terminal

        return run_repl(bot, history)
    # Scripts and pipes: one plain answer per line, no prompt, no colour; numbers still pick options.
    conversation = Conversation(bot)
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    for line in _lines(sys.stdin):
        if line.strip():
            sys.stdout.write(render_plain(conversation.ask(line), width) + "\n")
            sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the hfs-chat command line; return the exit status."""
    args = _parser().parse_args(argv)
    command = args.command or "chat"
    try:
        if command == "validate":
            return _validate(args.content, args.strict)
        if command == "serve":
            return _serve(args)
        bot = Bot.load(args.content)
        if command == "ask":
            question = " ".join(args.question)
            reply = bot.reply(question)
            if args.json:
                obj = reply.to_dict()
                if args.explain:
                    from .evaluate import ranked
                    from .report import explain_dict

                    obj["explain"] = explain_dict(reply, ranked(bot, question), bot.thresholds)
                print(_json_line(obj))
            else:
                width = min(shutil.get_terminal_size((80, 24)).columns, 100)
                sys.stdout.write(render_plain(reply, width))
                if args.explain:
                    from .evaluate import ranked
                    from .report import explain_text

                    sys.stdout.write("\n" + explain_text(reply, ranked(bot, question), bot.thresholds))
            return 0
        if command == "eval":
            return _eval(bot, args.file, args.json)
        if command == "calibrate":
            return _calibrate(bot, args.file, args.min_oos_recall, args.dry_run)
        if command == "batch":
            return _batch(bot, sys.stdin, sys.stdout)
        return _chat(bot, args.history)
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
