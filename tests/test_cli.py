"""The command line, driven through main([...]): ask, batch, validate and the JSON contract."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import MakeContent

from chatbot.cli import main

REPLY_KEYS = {"query", "kind", "intent", "confidence", "reply", "options", "sources"}


def test_ask_prints_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what", "is", "hemifacial", "spasm?"]) == 0
    out = capsys.readouterr().out
    assert "neurologist" in out
    assert "Sources:" in out


def test_ask_json_is_the_reply_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "what is hemifacial spasm?"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert REPLY_KEYS <= set(obj)
    assert obj["kind"] == "answer"
    assert obj["intent"] == "hfs_definition"
    assert 0 <= obj["confidence"] <= 1
    assert obj["sources"] and obj["options"] == []


def test_fallback_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "how do I bake sourdough bread"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert (obj["kind"], obj["intent"]) == ("fallback", None)
    assert "neurologist" in obj["reply"]


def _batch(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: list[str]) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    assert main(["batch"]) == 0
    captured = capsys.readouterr()
    return [json.loads(line) for line in captured.out.splitlines()]


def test_batch_one_reply_per_line_in_order(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    replies = _batch(monkeypatch, capsys, [
        "what is botox",
        json.dumps({"text": "what is hemifacial spasm", "session": "s-1"}),
        json.dumps({"text": "hello", "session": 42}),
        json.dumps({"text": 3}),
        json.dumps({"session": "x"}),
        "{not json",
        "[1, 2]",
        "",
    ])
    assert len(replies) == 8
    assert all(REPLY_KEYS <= set(r) for r in replies)
    assert replies[0]["intent"] == "botox" and "session" not in replies[0]
    assert (replies[1]["intent"], replies[1]["session"]) == ("hfs_definition", "s-1")
    assert replies[2]["session"] == 42
    assert replies[3]["kind"] == "fallback" and replies[3]["error"] == "the request needs a string field 'text'"
    assert replies[4]["session"] == "x" and "error" in replies[4]
    assert replies[5]["query"] == "{not json"
    assert replies[6]["query"] == "[1, 2]"
    assert replies[7]["kind"] == "fallback"


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict"]) == 0
    assert "content OK" in capsys.readouterr().err


def test_validate_reports_and_fails(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content({"a": ["x"]}, files={"intents/b.yaml": "id: b\ntitle: B\npatterns: [y]\npatterns: [z]\n"})
    assert main(["validate", "--content", str(root)]) == 1
    out = capsys.readouterr().out
    assert out == f"{root}/intents/b.yaml:4: duplicate key 'patterns' (first on line 3)\n"


def test_strict_fails_on_warnings(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content({"a": ["same words"], "b": ["Same words!"]})
    assert main(["validate", "--content", str(root)]) == 0
    assert main(["validate", "--strict", "--content", str(root)]) == 1
    assert "warning: pattern 'Same words!' is also in intent 'a'" in capsys.readouterr().out


def test_every_command_refuses_broken_content(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content({"a": ["x"]}, files={"responses/a.yaml": "id: a\n"})
    for argv in (["ask", "hi"], ["batch"], ["chat"]):
        assert main([*argv, "--content", str(root)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"{root}/responses/a.yaml:1: missing key 'reviewed'\n")


def test_top_level_content_reaches_every_command(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    """"hfs-chat --content DIR COMMAND" and "hfs-chat COMMAND --content DIR" mean the same."""
    root = make_content({"parking": ["where can i park", "is there parking"], "hours": ["when are you open"]})
    assert main(["--content", str(root), "ask", "--json", "is there parking"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "parking"
    broken = make_content(files={"intents/x.yaml": "id: x\n"})
    assert main(["--content", str(broken), "validate"]) == 1


def test_custom_content(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content({"parking": ["where can i park", "is there parking"], "hours": ["when are you open"]})
    assert main(["ask", "--json", "--content", str(root), "where do I park?"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "parking"


def test_chat_without_a_terminal_answers_each_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("what is botox\n\nwhat is hemifacial spasm\n"))
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.count("Sources:") == 2
    assert "you>" not in out


def test_serve_without_the_server_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Without starlette/uvicorn installed, ``serve`` exits 1 with the extra to install, before loading content."""
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name in ("starlette", "uvicorn") else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert main(["serve", "--content", "no/such/folder"]) == 1
    err = capsys.readouterr().err
    assert err == ("hfs-chat: the server needs starlette and uvicorn: install hfs-chat[server] "
                   "(pip install 'hfs-chat[server]')\n")


def test_chat_pipe_picks_a_related_topic_by_number_and_survives_bad_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chatbot import Bot

    related = Bot.load().answer("botox").suggestions[0].title
    raw = io.BytesIO(b"what is botox\n1\nwhat \xff\xfe is mvd\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "\n" + related + "\n" in out  # "1" picked the first related topic
    assert out.count("Sources:") == 3 and "\x1b" not in out


def test_history_option_is_accepted_before_and_after_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["--history", str(tmp_path / "h")], ["chat", "--history", str(tmp_path / "h")]):
        monkeypatch.setattr(sys, "stdin", io.StringIO("what is botox\n"))
        assert main(argv) == 0
        assert "Sources:" in capsys.readouterr().out
    assert not (tmp_path / "h").exists()  # without a terminal there is no history to keep


# --- eval, calibrate and ask --explain -------------------------------------------------------

QUALITY_CONTENT = {
    "botox": ["what is botox", "botox injections", "how does botox work"],
    "sleep": ["does the twitch stop when i sleep", "spasm at night", "twitching during sleep"],
}
QUALITY_SET = """\
in_scope:
  botox: [what is botox, botox injections]
  sleep: [spasm at night]
out_of_scope: [qqqq xxxx zzzz]
"""


def _quality(make_content: MakeContent, text: str = QUALITY_SET) -> tuple[Path, Path]:
    root = make_content(QUALITY_CONTENT)
    labelled = root.parent / "labelled.yaml"
    labelled.write_text(text)
    return root, labelled


def test_eval_prints_the_report(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root, labelled = _quality(make_content)
    assert main(["eval", str(labelled), "--content", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Evaluation of labelled.yaml: 3 in-scope and 1 out-of-scope questions\n")
    assert "  top answer right (top-1)                 100.0%   >= 90%  ok\n" in out
    assert "  fallback (out-of-scope recall)           100.0%   >= 90%  ok\n" in out
    assert "\n  intent  support  answered  right  precision  recall     F1\n" in out
    assert "\n  botox         2         2      2       1.00    1.00   1.00\n" in out
    assert out.endswith("Misses (0)\n  none\n")


def test_eval_json(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root, labelled = _quality(make_content)
    assert main(["eval", "--json", str(labelled), "--content", str(root)]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert set(obj) == {"file", "thresholds", "counts", "figures", "targets", "intents", "confusions", "misses"}
    assert obj["figures"]["top1_accuracy"] == 1.0 and obj["figures"]["oos_fallback"] == 1.0
    assert (obj["counts"]["in_scope"], obj["counts"]["out_of_scope"]) == (3, 1)
    assert obj["targets"]["wrong_confident"] == {"op": "<=", "value": 0.03, "met": True}


def test_eval_bad_file_is_a_clear_message(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root, labelled = _quality(make_content, "in_scope:\n  botox: [what is botox]\n  slep: [at night]\n")
    assert main(["eval", str(labelled), "--content", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"{labelled}:1: missing key 'out_of_scope'\n"
        f"{labelled}:3: intent 'slep' is not an intent of the content (did you mean 'sleep'?)\n"
        f"hfs-chat: {labelled} is not a usable labelled question file\n"
    )


def test_calibrate_writes_settings_that_the_other_commands_use(
    make_content: MakeContent, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chatbot import Bot, load_content

    root, labelled = _quality(make_content)
    assert main(["calibrate", str(labelled), "--content", str(root)]) == 0
    out = capsys.readouterr().out
    assert "objective: score = right - 3 x wrong - 0.5 x clarify - 1 x missed\n" in out
    chosen = out.splitlines()[-1]
    assert chosen.startswith(f"wrote {root / 'settings.yaml'}: min_confidence ")
    settings = (root / "settings.yaml").read_text()
    assert settings.startswith("# Decision thresholds written by `hfs-chat calibrate` on labelled.yaml\n")
    thresholds = load_content(root).thresholds
    assert chosen.endswith(f"min_confidence {thresholds.min_confidence:.2f}, min_margin {thresholds.min_margin:.2f}")

    assert main(["ask", "--json", "--explain", "--content", str(root), "botox injections"]) == 0
    assert json.loads(capsys.readouterr().out)["explain"]["thresholds"] == thresholds.to_dict()
    monkeypatch.setattr(sys, "stdin", io.StringIO("spasm at night\nqqqq\n"))
    assert main(["batch", "--content", str(root)]) == 0
    bot = Bot(load_content(root), thresholds)
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == [bot.reply(q).to_dict() for q in ("spasm at night", "qqqq")]


def test_calibrate_sweeps_several_files_as_one(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root, labelled = _quality(make_content)
    second = labelled.with_name("more.yaml")
    second.write_text("in_scope:\n  sleep: [twitching at night]\nout_of_scope: [the weather, a recipe]\n")
    assert main(["calibrate", "--dry-run", str(labelled), str(second), "--content", str(root)]) == 0
    out = capsys.readouterr().out
    assert "labelled.yaml + more.yaml" in out
    assert "4 in scope, 3 out of scope" in out
    broken = labelled.with_name("broken.yaml")
    broken.write_text("in_scope: {}\n")
    assert main(["calibrate", "--dry-run", str(broken), str(labelled), "/nowhere.yaml", "--content", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"hfs-chat: {broken} is not a usable labelled question file" in err
    assert "hfs-chat: /nowhere.yaml is not a usable labelled question file" in err


def test_calibrate_dry_run_writes_nothing(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root, labelled = _quality(make_content)
    assert main(["calibrate", "--dry-run", "--min-oos-recall", "1", str(labelled), "--content", str(root)]) == 0
    out = capsys.readouterr().out
    assert "objective: highest first-option accuracy with out-of-scope fallback >= 1\n" in out
    assert out.splitlines()[-1].startswith("dry run: settings.yaml not written (it would get min_confidence ")
    assert not (root / "settings.yaml").exists()


def test_calibrate_unreachable_recall_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A red flag gets the emergency reply whatever the thresholds, so no threshold sends it to the fallback."""
    labelled = tmp_path / "labelled.yaml"
    labelled.write_text("in_scope:\n  botox: [what is botox]\n"
                        "out_of_scope: [my face suddenly droops and i cannot speak]\n")
    before = bundled_settings().read_text()
    assert main(["calibrate", "--dry-run", "--min-oos-recall", "1", str(labelled)]) == 1  # the bundled content
    captured = capsys.readouterr()
    assert "1 emergency replies count as fixed" in captured.out
    assert "chosen: none (no thresholds meet the condition)\n" in captured.out
    assert captured.err == ("hfs-chat: no thresholds on the grid send 1 of the out-of-scope questions to the "
                            "fallback (best: 0.000); settings.yaml is unchanged\n")
    assert bundled_settings().read_text() == before


def bundled_settings() -> Path:
    from chatbot import bundled_content

    return bundled_content() / "settings.yaml"


def test_calibrate_bad_recall_is_a_clear_message(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    root, labelled = _quality(make_content)
    assert main(["calibrate", "--min-oos-recall", "2", str(labelled), "--content", str(root)]) == 1
    assert capsys.readouterr().err == "hfs-chat: --min-oos-recall must be from 0 to 1, not 2.0\n"


def test_ask_explain(make_content: MakeContent, capsys: pytest.CaptureFixture[str]) -> None:
    from chatbot import Bot
    from chatbot.evaluate import ranked

    root, _ = _quality(make_content)
    bot = Bot.load(root)
    reply, candidates = bot.reply("what is botox"), ranked(bot, "what is botox")
    assert reply.kind == "answer" and reply.reason and candidates[0].intent == "botox"
    assert main(["ask", "--explain", "--content", str(root), "what is botox"]) == 0
    out = capsys.readouterr().out
    limits = f"min_confidence {bot.thresholds.min_confidence:.2f}, min_margin {bot.thresholds.min_margin:.2f}"
    assert f"\n\nWhy answer: {reply.reason}\nCandidates ({limits}):\n" in out
    assert f"\n  1. botox  {candidates[0].score:.2f}  'what is botox'\n" in out
    assert main(["ask", "--json", "--content", str(root), "what is botox"]) == 0
    assert "explain" not in json.loads(capsys.readouterr().out)
    assert main(["ask", "--json", "--explain", "--content", str(root), "what is botox"]) == 0
    explain = json.loads(capsys.readouterr().out)["explain"]
    assert explain["reason"] == reply.reason
    assert explain["candidates"] == [
        {"intent": c.intent, "score": round(c.score, 4), "pattern": c.pattern} for c in candidates
    ]


# --- hostile input through every front end, red flags everywhere, and nothing written --------------

HOSTILE_LINES = [
    b"what is botox",
    b"",
    b"   \t ",
    b"\xff\xfe not UTF-8 \xc3",
    b"\x1b[2J\x1b]0;title\x07what is mvd\x1b[0m",
    "\u202eright to left \u0645\u0627 \u0647\u0648 \U0001f600".encode(),
    b'{"text": "hi", "session": "\\ud800\\u009b31m"}',
    b'{"text": "\\udcff\\u001b[31m what is botox"}',
    b'{"text": null}',
    b'{"text": ["a list"], "session": 7}',
    b"{}",
    b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b"x" * 1_000_000,
]


def _stdin(monkeypatch: pytest.MonkeyPatch, lines: list[bytes]) -> None:
    """A strict UTF-8 stdin, like a real pipe, holding exactly these bytes."""
    raw = io.BytesIO(b"".join(line + b"\n" for line in lines))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))


def _no_raw_controls(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x9b\x07\x00"), repr(text[:200])


def test_batch_answers_every_hostile_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, HOSTILE_LINES)
    assert main(["batch"]) == 0
    out = capsys.readouterr().out
    _no_raw_controls(out)
    replies = [json.loads(line) for line in out.splitlines()]
    assert len(replies) == len(HOSTILE_LINES)
    assert all(REPLY_KEYS <= set(r) and 0 <= r["confidence"] <= 1 for r in replies)
    assert replies[0]["intent"] == "botox"
    assert [r["kind"] for r in replies[1:3]] == ["fallback", "fallback"]
    assert replies[3]["query"] == "\ufffd\ufffd not UTF-8 \ufffd"
    assert replies[4]["query"] == "what is mvd"
    assert replies[6]["session"] == "\ud800\x9b31m"  # echoed as JSON escapes, read back unchanged
    assert replies[7]["query"] == "? what is botox"
    assert [r.get("error") for r in replies[8:11]] == ["the request needs a string field 'text'"] * 3
    assert replies[9]["session"] == 7
    assert replies[11]["kind"] == "fallback"  # too deep to be a request: the line is the question
    assert len(replies[12]["query"]) <= 1000


def test_chat_without_a_terminal_survives_hostile_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, HOSTILE_LINES)
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    _no_raw_controls(out)
    assert out.count("Sources:") >= 2  # botox and mvd were answered


def test_ask_never_echoes_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "\x1b[31mwhat is botox\x1b[0m\x07"]) == 0
    _no_raw_controls(capsys.readouterr().out)
    assert main(["ask", "--json", "\x1b]0;x\x07what\udcff is botox\x9b"]) == 0  # \udcff: undecodable argv byte
    out = capsys.readouterr().out
    _no_raw_controls(out)
    assert json.loads(out)["query"] == "what? is botox"


def test_red_flags_come_first_in_every_front_end(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chatbot import Bot

    urgent = " ".join(Bot.load().kb.responses["emergency_red_flags"].text.split()[:12])
    question = "I have had HFS for years but today my arm went weak"
    assert main(["ask", question]) == 0
    assert urgent in " ".join(capsys.readouterr().out.split())  # the text is wrapped to the terminal
    assert main(["ask", "--json", question]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert (obj["kind"], obj["intent"], obj["confidence"]) == ("emergency", "emergency_red_flags", 1.0)
    _stdin(monkeypatch, [question.encode(), json.dumps({"text": "slured speach", "session": "s"}).encode()])
    assert main(["batch"]) == 0
    assert [json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()] == ["emergency"] * 2
    _stdin(monkeypatch, [b"what is botox", question.encode()])
    assert main(["chat"]) == 0
    assert urgent in " ".join(capsys.readouterr().out.split())


def test_a_default_session_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What patients type is health data: by default nothing is written, not even a history file."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)
    secret = "my name is Jane Doe and my arm went numb suddenly"
    assert main(["ask", secret]) == 0
    assert main(["ask", "--json", secret]) == 0
    _stdin(monkeypatch, [secret.encode(), b"what is botox"])
    assert main(["batch"]) == 0
    _stdin(monkeypatch, [secret.encode(), b"what is botox", b"/quit"])
    assert main(["chat"]) == 0
    _stdin(monkeypatch, [secret.encode()])
    assert main([]) == 0
    capsys.readouterr()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["home", "work"]
