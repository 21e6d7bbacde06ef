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
