"""Readable reports: the evaluation text, and the explanation printed by ask --explain."""

from __future__ import annotations

from test_evaluate import _outcomes

from chatbot import Reply, Thresholds
from chatbot.evaluate import Outcome, score
from chatbot.matcher import Candidate
from chatbot.report import evaluation_text, explain_text


def test_evaluation_text_puts_targets_beside_the_figures() -> None:
    text = evaluation_text(score(_outcomes(), ["botox", "sleep", "surgery"]))
    assert "  top answer right (top-1)                  28.6%   >= 90%  MISSED\n" in text
    assert "  wrong confident answer                    14.3%   <= 3%  MISSED\n" in text
    assert "  first option right (no clarify step)      42.9%\n" in text
    assert "  confident answer                          33.3%   <= 5%  MISSED\n" in text
    assert ("\n  intent   support  answered  right  precision  recall     F1\n"
            "  botox          3         2      2       1.00    0.67   0.80\n") in text
    assert "\nMisses (7)\n  [botox] q3\n      -> answer: surgery (confidence 0.70)\n" in text
    assert "  [surgery] q4\n      -> clarify: sleep, surgery (confidence 0.60, right topic offered)\n" in text


def test_evaluation_text_without_out_of_scope_questions_shows_no_rates() -> None:
    text = evaluation_text(score([Outcome("q", "botox", "answer", "botox", (), 1.0)], ["botox"]))
    assert "Out of scope (0)\n\nPer intent" in text
    assert "Misses (0)\n  none\n" in text


def test_explain_text_lists_the_candidates() -> None:
    reply = Reply("q", "fallback", None, 0.0, "Sorry.", reason="best topic botox scored 0.40, below 0.55")
    candidates = [Candidate("botox", 0.4, "what is botox"), Candidate("sleep", 0.125, "spasm at night")]
    assert explain_text(reply, candidates, Thresholds(min_confidence=0.55, min_margin=0.08)) == (
        "Why fallback: best topic botox scored 0.40, below 0.55\n"
        "Candidates (min_confidence 0.55, min_margin 0.08):\n"
        "  1. botox  0.40  'what is botox'\n"
        "  2. sleep  0.12  'spasm at night'\n"
    )
    empty = explain_text(reply, [], Thresholds(min_confidence=0.55, min_margin=0.08))
    assert empty.endswith("min_margin 0.08):\n  none\n")
