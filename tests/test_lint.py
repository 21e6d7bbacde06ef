"""validate warns about patterns the matcher cannot tell apart, and follow-up phrasings never read as written."""

from __future__ import annotations

from conftest import MakeContent

from chatbot import load_content
from chatbot.cli import main
from chatbot.lint import near_identical_patterns, unread_phrasings


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


def test_an_off_topic_example_that_reads_as_a_pattern_is_found(make_content: MakeContent) -> None:
    offtopic = "examples:\n  - recovery after knee surgery\n  - The Botox for wrinkles!\n"
    root = make_content({"a": ["botox for the wrinkles", "other words"]}, {"offtopic.yaml": offtopic})
    assert [str(p) for p in near_identical_patterns(load_content(root))] == [
        f"{root}/offtopic.yaml:3: warning: off-topic example 'The Botox for wrinkles!' reads almost as "
        "'botox for the wrinkles' of intent 'a' (similarity 100): the matcher cannot tell them apart"
    ]


def test_a_follow_up_phrasing_never_read_as_its_aspect_is_found(make_content: MakeContent) -> None:
    """ "and after" is all filler: typed as it stands, it is no follow-up, so it does nothing."""
    followups = "recovery:\n  - how long to recover\n  - and after\n"
    root = make_content({"mvd": ["what is mvd"]}, {"followups.yaml": followups})
    (root / "intents" / "mvd.yaml").write_text("id: mvd\ntitle: MVD?\npatterns: [what is mvd]\nfollowups:\n"
                                                "  recovery: mvd\n")
    assert [str(p) for p in unread_phrasings(load_content(root))] == [
        f"{root}/followups.yaml:3: warning: follow-up phrasing 'and after' of 'recovery' is read as no follow-up"
    ]
