"""Calibration: the sweep agrees with the bot, the objective is the stated one, settings.yaml is written safely."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from conftest import MakeContent
from test_evaluate import TINY

from chatbot import Bot, HfsChatError, Thresholds, load_content
from chatbot.calibrate import CONFIDENCES, MARGINS, sweep, utility, write_settings
from chatbot.evaluate import LabelledSet, Tally, evaluate

LABELLED = LabelledSet(
    (
        ("what is botox", "botox"), ("botox shots", "botox"), ("how do botox injections work", "botox"),
        ("spasm at night", "sleep"), ("does it stop in my sleep", "sleep"), ("twitch while sleeping", "sleep"),
        ("mvd operation", "surgery"), ("risks of the brain operation", "surgery"), ("decompression", "surgery"),
        ("what is it", "botox"),
    ),
    ("how do i bake bread", "the weather at night", "botox stock price", "qqqq xxxx"),
    "tiny.yaml",
)


def test_utility_is_the_documented_formula() -> None:
    tally = Tally(in_scope=17, right=10, wrong=1, offered=2, clarify_missed=1, fallback=3,
                  out_of_scope=5, oos_fallback=2, oos_confident=1, oos_clarify=2)
    # right - 3 x (1 + 1) - 0.5 x (2 + 2) - 1 x (3 + 1)
    assert utility(tally) == 10 - 6 - 2 - 4


def test_every_swept_point_matches_the_bot_at_those_thresholds(make_content: MakeContent) -> None:
    """The sweep ranks each question once; at any grid point its counts must equal a real evaluation."""
    bot = Bot.load(make_content(TINY))
    result = sweep(bot, LABELLED)
    assert result.reproduced == result.questions == 14
    points = {(p.min_confidence, p.min_margin): p for p in result.points}
    assert len(points) == len(CONFIDENCES) * len(MARGINS) == 100 * 31
    for key in [(0.0, 0.0), (0.2, 0.0), (0.45, 0.1), (0.6, 0.05), (0.8, 0.3), (0.95, 0.0)]:
        thresholds = dataclasses.replace(bot.thresholds, min_confidence=key[0], min_margin=key[1])
        assert points[key].tally == evaluate(Bot(bot.kb, thresholds), LABELLED).tally, key
    assert result.current.tally == evaluate(bot, LABELLED).tally


def test_default_objective_picks_a_best_point(make_content: MakeContent) -> None:
    bot = Bot.load(make_content(TINY))
    result = sweep(bot, LABELLED)
    assert result.chosen is not None and result.thresholds is not None
    assert result.chosen.score == max(p.score for p in result.points)
    assert result.thresholds.max_options == bot.thresholds.max_options
    assert (result.thresholds.min_confidence, result.thresholds.min_margin) == (
        result.chosen.min_confidence, result.chosen.min_margin)


def test_min_oos_recall_constrains_then_maximises_first_option(make_content: MakeContent) -> None:
    bot = Bot.load(make_content(TINY))
    result = sweep(bot, LABELLED, min_oos_recall=1.0)
    assert result.chosen is not None
    feasible = [p for p in result.points if p.tally.oos_fallback == p.tally.out_of_scope]
    assert result.chosen in feasible
    assert result.chosen.tally.first_right == max(p.tally.first_right for p in feasible)


@pytest.mark.parametrize(("kwargs", "labelled", "message"), [
    ({"min_oos_recall": 1.5}, LABELLED, "--min-oos-recall must be from 0 to 1, not 1.5"),
    ({"min_oos_recall": 0.5}, LabelledSet(LABELLED.in_scope, ()),
     "--min-oos-recall needs out-of-scope questions in the labelled file"),
    ({}, LabelledSet((), LABELLED.out_of_scope), "calibrate needs in-scope questions in the labelled file"),
])
def test_sweep_refuses_what_it_cannot_do(
    make_content: MakeContent, kwargs: dict[str, float], labelled: LabelledSet, message: str
) -> None:
    with pytest.raises(HfsChatError) as info:
        sweep(Bot.load(make_content(TINY)), labelled, **kwargs)
    assert str(info.value) == message


def test_write_settings_keeps_other_keys_and_the_loader_reads_it(tmp_path: Path, make_content: MakeContent) -> None:
    root = make_content(TINY, files={"settings.yaml": "# old comment\nthresholds:\n  min_confidence: 0.5\n"})
    path = write_settings(root, Thresholds(0.61, 0.07, 4), ["written by a test", "second line"])
    text = path.read_text()
    assert text.startswith("# written by a test\n# second line\nthresholds:\n")
    assert load_content(root).thresholds == Thresholds(0.61, 0.07, 4)

    other = tmp_path / "other"
    other.mkdir()
    (other / "settings.yaml").write_text("lexicon: {tegretol: carbamazepine}\nthresholds: {min_margin: 0.1}\n")
    write_settings(other, Thresholds(0.7, 0.02), ["x"])
    assert yaml.safe_load((other / "settings.yaml").read_text()) == {
        "lexicon": {"tegretol": "carbamazepine"},
        "thresholds": {"min_confidence": 0.7, "min_margin": 0.02, "max_options": 3},
    }
    assert [p.name for p in other.iterdir()] == ["settings.yaml"]  # no temporary file left behind


def test_write_settings_never_overwrites_a_broken_file(tmp_path: Path) -> None:
    broken = "thresholds: [\n"
    (tmp_path / "settings.yaml").write_text(broken)
    with pytest.raises(HfsChatError) as info:
        write_settings(tmp_path, Thresholds(), ["x"])
    assert str(info.value).startswith(f"{tmp_path / 'settings.yaml'}:2: YAML syntax error")
    assert str(info.value).endswith("; not overwriting it")
    assert (tmp_path / "settings.yaml").read_text() == broken


def test_red_flags_are_fixed_whatever_the_thresholds(bot: Bot) -> None:
    labelled = LabelledSet((("what is botox", "botox"),), ("my face suddenly droops and i cannot speak",))
    result = sweep(bot, labelled)
    assert result.emergencies == 1
    assert {p.tally.oos_confident for p in result.points} == {1}


def test_write_settings_into_a_folder_it_cannot_write_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(HfsChatError) as info:
        write_settings(missing, Thresholds(), ["x"])
    assert str(info.value).startswith(f"cannot write {missing / 'settings.yaml'}: ")
