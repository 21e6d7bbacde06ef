"""Evaluation on a labelled set: the figures, per-intent scores, confusions, misses, and the file checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeContent

from chatbot import Bot, Reply
from chatbot.evaluate import (
    EMERGENCY_INTENT,
    LabelledSet,
    LabelledSetError,
    Outcome,
    evaluate,
    load_labelled,
    outcome_of_reply,
    score,
)

TINY = {
    "botox": ["what is botox", "botox injections", "how does botox work"],
    "surgery": ["microvascular decompression surgery", "brain operation for the spasm", "mvd operation risks"],
    "sleep": ["does the twitch stop when i sleep", "spasm at night", "twitching during sleep"],
}


def _outcomes() -> list[Outcome]:
    """Ten hand-made outcomes whose figures are counted by hand below."""
    return [
        Outcome("q1", "botox", "answer", "botox", (), 0.9),               # right
        Outcome("q2", "botox", "answer", "botox", (), 0.8),               # right
        Outcome("q3", "botox", "answer", "surgery", (), 0.7),             # wrong confident
        Outcome("q4", "surgery", "clarify", None, ("sleep", "surgery"), 0.6),  # offered, first option wrong
        Outcome("q5", "surgery", "clarify", None, ("surgery", "botox"), 0.6),  # offered, first option right
        Outcome("q6", "sleep", "clarify", None, ("botox", "surgery"), 0.5),    # clarify without the topic
        Outcome("q7", "sleep", "fallback", None),                         # in-scope fallback
        Outcome("q8", None, "fallback", None),                            # out of scope, right
        Outcome("q9", None, "answer", "sleep", (), 0.65),                 # out of scope, confident
        Outcome("q10", None, "clarify", None, ("botox", "sleep"), 0.5),   # out of scope, did you mean
    ]


def test_summary_figures_are_counted_by_hand() -> None:
    result = score(_outcomes(), ["botox", "sleep", "surgery"])
    f = result.figures
    assert f["top1_accuracy"] == pytest.approx(2 / 7)
    assert f["right_or_offered"] == pytest.approx(4 / 7)
    assert f["first_option_accuracy"] == pytest.approx(3 / 7)
    assert f["wrong_confident"] == pytest.approx(1 / 7)
    assert f["clarify"] == pytest.approx(3 / 7)
    assert f["fallback"] == pytest.approx(1 / 7)
    assert f["oos_fallback"] == pytest.approx(1 / 3)
    assert f["oos_confident"] == pytest.approx(1 / 3)
    assert f["oos_clarify"] == pytest.approx(1 / 3)


def test_per_intent_precision_recall_f1() -> None:
    scores = {s.intent: s for s in score(_outcomes(), ["botox", "sleep", "surgery"]).intents}
    botox, surgery, sleep = scores["botox"], scores["surgery"], scores["sleep"]
    assert (botox.support, botox.answered, botox.right) == (3, 2, 2)
    assert (botox.precision, botox.recall) == (1.0, pytest.approx(2 / 3))
    assert botox.f1 == pytest.approx(0.8)
    assert (surgery.support, surgery.answered, surgery.right, surgery.precision) == (2, 1, 0, 0.0)
    assert surgery.f1 == 0.0
    assert (sleep.support, sleep.answered, sleep.right) == (2, 1, 0)  # the out-of-scope answer counts against it


def test_confusions_count_the_topic_shown_first() -> None:
    confusions = score(_outcomes(), ["botox", "sleep", "surgery"]).confusions
    assert set(confusions) == {
        ("botox", "surgery", 1), ("surgery", "sleep", 1), ("sleep", "botox", 1),
        ("(out of scope)", "sleep", 1), ("(out of scope)", "botox", 1),
    }


def test_misses_list_everything_not_handled_right() -> None:
    misses = score(_outcomes(), ["botox", "sleep", "surgery"]).misses
    assert [m.question for m in misses] == ["q3", "q4", "q5", "q6", "q7", "q9", "q10"]
    by_question = {m.question: m for m in misses}
    assert by_question["q3"].happened == "answer: surgery"
    assert by_question["q4"].offered and not by_question["q6"].offered
    assert by_question["q6"].happened == "clarify: botox, surgery"


def test_emergency_reply_counts_as_the_red_flag_intent() -> None:
    reply = Reply("my face is drooping", "emergency", None, 1.0, "Call an ambulance.")
    outcome = outcome_of_reply("my face is drooping", EMERGENCY_INTENT, reply)
    assert (outcome.intent, outcome.right, outcome.confident) == (EMERGENCY_INTENT, True, True)
    elsewhere = outcome_of_reply("q", "botox", reply)
    assert not elsewhere.right and elsewhere.first == EMERGENCY_INTENT


def test_evaluate_asks_the_bot(make_content: MakeContent) -> None:
    """Patterns asked verbatim are answered; strings sharing nothing with any pattern fall back."""
    bot = Bot.load(make_content(TINY))
    labelled = LabelledSet(
        (("what is botox", "botox"), ("spasm at night", "sleep"), ("mvd operation risks", "surgery")),
        ("qqqq xxxx zzzz",),
        "tiny.yaml",
    )
    result = evaluate(bot, labelled)
    assert result.figures["top1_accuracy"] == 1.0
    assert result.figures["oos_fallback"] == 1.0
    assert result.misses == ()
    assert result.thresholds == bot.thresholds.to_dict()
    assert result.to_dict()["counts"]["right"] == 3


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labelled.yaml"
    path.write_text(text)
    return path


def test_load_labelled_reads_the_format(tmp_path: Path, make_content: MakeContent) -> None:
    kb = Bot.load(make_content(TINY)).kb
    path = _write(tmp_path, "in_scope:\n  botox: [what is botox, botox?]\n  sleep: [at night]\nout_of_scope: [hi]\n")
    labelled = load_labelled(path, kb)
    assert labelled.in_scope == (("what is botox", "botox"), ("botox?", "botox"), ("at night", "sleep"))
    assert labelled.out_of_scope == ("hi",)
    assert labelled.items()[-1] == ("hi", None)


@pytest.mark.parametrize(("text", "messages"), [
    ("in_scope:\n  botox: [a]\n", ["1: missing key 'out_of_scope'"]),
    ("- a\n- b\n", ["1: must be a mapping with keys 'in_scope' and 'out_of_scope', not a list"]),
    ("in_scope: [a]\nout_of_scope: []\n", ["1: 'in_scope' must be a mapping of intent -> questions, not a list"]),
    ("in_scope:\n  botox: a\nout_of_scope: []\n", ["2: in_scope.botox must be a list of questions, not text"]),
    ("in_scope:\n  botx: [a]\nout_of_scope: []\n",
     ["2: intent 'botx' is not an intent of the content (did you mean 'botox'?)"]),
    ("in_scope:\n  botox: [a, 3]\nout_of_scope: [b]\nextra: 1\n",
     ["2: in_scope.botox item 2 is a number; it must be text",
      "4: unknown key 'extra' (known: in_scope, out_of_scope)"]),
    ("in_scope: {}\nout_of_scope: []\n", ["1: no questions found"]),
])
def test_load_labelled_reports_every_problem(
    tmp_path: Path, make_content: MakeContent, text: str, messages: list[str]
) -> None:
    kb = Bot.load(make_content(TINY)).kb
    path = _write(tmp_path, text)
    with pytest.raises(LabelledSetError) as info:
        load_labelled(path, kb)
    assert [str(p) for p in info.value.problems] == [f"{path}:{m}" for m in messages]


def test_load_labelled_bad_yaml_has_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "in_scope:\n  botox: [a\n")
    with pytest.raises(LabelledSetError) as info:
        load_labelled(path)
    assert str(info.value).startswith(f"{path}:3: YAML syntax error: ")


def test_load_labelled_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LabelledSetError) as info:
        load_labelled(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}:1: file not found"


def test_a_set_without_out_of_scope_questions_meets_no_out_of_scope_target(make_content: MakeContent) -> None:
    bot = Bot.load(make_content(TINY))
    data = evaluate(bot, LabelledSet((("what is botox", "botox"),), ())).to_dict()
    assert data["targets"]["oos_fallback"]["met"] is None
    assert data["targets"]["oos_confident"]["met"] is None
    assert data["targets"]["top1_accuracy"]["met"] is not None
