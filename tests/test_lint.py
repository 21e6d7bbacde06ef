"""validate warns about patterns of two intents that the matcher reads as (almost) the same."""

from __future__ import annotations

from conftest import MakeContent

from chatbot import load_content
from chatbot.cli import main
from chatbot.lint import near_identical_patterns


def test_near_identical_patterns_are_found(make_content: MakeContent) -> None:
    """Case, punctuation and plurals are invisible to the matcher, so these two cannot be told apart."""
    root = make_content({"a": ["side effects of the pills", "other words"], "b": ["Side-effects of the pill?"]})
    assert [str(p) for p in near_identical_patterns(load_content(root))] == [
        f"{root}/intents/b.yaml:4: warning: pattern 'Side-effects of the pill?' reads almost as "
        "'side effects of the pills' of intent 'a' (similarity 100): the matcher cannot tell them apart"
    ]


def test_distinct_patterns_pass(make_content: MakeContent) -> None:
    root = make_content({"a": ["side effects of the pills"], "b": ["risks of the operation"]})
    assert near_identical_patterns(load_content(root)) == []


def test_validate_strict_fails_on_them(make_content: MakeContent, capsys: object) -> None:
    root = make_content({"a": ["what is botox"], "b": ["botox what is"]})
    assert main(["validate", "--content", str(root)]) == 0
    assert main(["validate", "--strict", "--content", str(root)]) == 1
