"""Choose the decision thresholds on a labelled set: rank every question once, then sweep a grid."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .bot import Bot
from .errors import HfsChatError, Problem
from .evaluate import LabelledSet, Outcome, Tally, outcome_of_decision, outcome_of_reply, ranked
from .matcher import Candidate
from .policy import decide
from .thresholds import Thresholds
from .yamlfile import read_yaml

__all__ = [
    "CONFIDENCES",
    "MARGINS",
    "OBJECTIVE",
    "Point",
    "Sweep",
    "sweep",
    "utility",
    "write_settings",
]

#: The grid swept: min_confidence 0.00 to 0.99 and min_margin 0.00 to 0.30, both in steps of 0.01.
CONFIDENCES: tuple[float, ...] = tuple(round(0.01 * i, 2) for i in range(100))
MARGINS: tuple[float, ...] = tuple(round(0.01 * i, 2) for i in range(31))

#: The default objective, in words (see ``utility``).
OBJECTIVE = "score = right - 3 x wrong - 0.5 x clarify - 1 x missed"


def utility(t: Tally) -> float:
    """The default objective for medical content: a wrong confident answer costs three right ones.

    ``right``: in-scope questions answered with their topic (+1 each).
    ``wrong``: confident answers with a wrong topic, to in-scope or out-of-scope questions (-3 each).
    ``clarify``: a "did you mean" listing the right topic, or any "did you mean" to an out-of-scope
    question (-0.5 each: one more step for the user).
    ``missed``: in-scope questions that got the fallback, or a "did you mean" without their topic (-1 each).
    An out-of-scope question that gets the fallback counts 0: that is the right reply.
    """
    wrong = t.wrong + t.oos_confident
    clarify = t.offered + t.oos_clarify
    missed = t.fallback + t.clarify_missed
    return t.right - 3 * wrong - 0.5 * clarify - missed


@dataclass(frozen=True)
class Point:
    """One pair of thresholds and the outcomes they give on the labelled set."""

    min_confidence: float
    min_margin: float
    tally: Tally

    @property
    def score(self) -> float:
        """The default objective at this point (see ``utility``)."""
        return utility(self.tally)


@dataclass(frozen=True)
class Sweep:
    """The result of a calibration: every grid point, the chosen one, and how it was chosen."""

    points: tuple[Point, ...]
    ranking: tuple[Point, ...]
    chosen: Point | None
    current: Point
    thresholds: Thresholds | None
    objective: str
    min_oos_recall: float | None
    questions: int
    reproduced: int
    emergencies: int

    def best(self, n: int) -> tuple[Point, ...]:
        """The ``n`` best points by the objective, best first."""
        return self.ranking[:n]


@dataclass(frozen=True)
class _Question:
    text: str
    label: str | None
    fixed: Outcome | None
    candidates: tuple[Candidate, ...]


def _prepare(bot: Bot, labelled: LabelledSet) -> tuple[list[_Question], int, int]:
    """Rank every question once; emergency replies and empty questions are fixed, whatever the thresholds."""
    questions: list[_Question] = []
    reproduced = emergencies = 0
    for text, label in labelled.items():
        reply = outcome_of_reply(text, label, bot.reply(text))
        if reply.kind == "emergency":
            emergencies += 1
            reproduced += 1
            questions.append(_Question(text, label, reply, ()))
            continue
        candidates = tuple(ranked(bot, text))
        if not candidates:
            reproduced += reply.kind == "fallback"
            questions.append(_Question(text, label, reply, ()))
            continue
        again = outcome_of_decision(text, label, decide(list(candidates), bot.thresholds))
        reproduced += (again.kind, again.intent, again.options) == (reply.kind, reply.intent, reply.options)
        questions.append(_Question(text, label, None, candidates))
    return questions, reproduced, emergencies


def _key(o: Outcome) -> tuple[Any, ...]:
    """What Tally.add looks at, so equal keys count the same."""
    return (o.label is None, o.kind, o.confident, o.right, o.offered, o.first == o.label)


def _tallies(questions: Sequence[_Question], grid: Sequence[Thresholds]) -> list[Tally]:
    """Count the outcomes at every grid point, calling the bot's own decision rule at each."""
    key_ids: dict[tuple[Any, ...], int] = {}
    examples: list[Outcome] = []
    counts: list[list[int]] = [[] for _ in grid]
    fixed: list[int] = []

    def key_id(outcome: Outcome) -> int:
        key = _key(outcome)
        if key not in key_ids:
            key_ids[key] = len(examples)
            examples.append(outcome)
            fixed.append(0)
            for row in counts:
                row.append(0)
        return key_ids[key]

    for q in questions:
        if q.fixed is not None:
            fixed[key_id(q.fixed)] += 1
            continue
        # The decision's candidates are the question's own Candidate objects: their ids name them cheaply.
        seen: dict[tuple[Any, ...], int] = {}
        candidates = list(q.candidates)
        for row, thresholds in zip(counts, grid, strict=True):
            decision = decide(candidates, thresholds)
            signature = (decision.kind, *map(id, decision.candidates))
            known = seen.get(signature)
            if known is None:
                known = seen[signature] = key_id(outcome_of_decision(q.text, q.label, decision))
            row[known] += 1
    tallies = []
    for row in counts:
        tally = Tally()
        for index, example in enumerate(examples):
            if row[index] + fixed[index]:
                tally.add(example, row[index] + fixed[index])
        tallies.append(tally)
    return tallies


def _order_default(p: Point) -> tuple[float, ...]:
    t = p.tally
    return (-p.score, t.wrong + t.oos_confident, -t.oos_fallback, -t.right)


def _order_recall(p: Point) -> tuple[float, ...]:
    # The margin does not change first-option accuracy; among equals, take the best balance for a user.
    t = p.tally
    return (-t.first_right, -t.oos_fallback, -p.score)


def _plateau_middle(points: list[Point], order: Callable[[Point], tuple[float, ...]]) -> Point:
    """Among the points tied for best, take the middle one: it sits furthest from where results change."""
    best = order(points[0])
    ties = sorted((p for p in points if order(p) == best), key=lambda p: (p.min_confidence, p.min_margin))
    return ties[len(ties) // 2]


def sweep(
    bot: Bot,
    labelled: LabelledSet,
    *,
    min_oos_recall: float | None = None,
    confidences: Sequence[float] = CONFIDENCES,
    margins: Sequence[float] = MARGINS,
) -> Sweep:
    """Sweep min_confidence x min_margin and choose the best pair.

    By default the pair with the highest ``utility`` wins. With ``min_oos_recall``, the pair with the
    highest in-scope first-option accuracy among those sending at least that share of the out-of-scope
    questions to the fallback (ties: higher out-of-scope recall, then the default objective). Ties left
    are broken by taking the middle of the tied points.
    """
    if not labelled.in_scope:
        raise HfsChatError("calibrate needs in-scope questions in the labelled file")
    if min_oos_recall is not None:
        if not 0 <= min_oos_recall <= 1:
            raise HfsChatError(f"--min-oos-recall must be from 0 to 1, not {min_oos_recall}")
        if not labelled.out_of_scope:
            raise HfsChatError("--min-oos-recall needs out-of-scope questions in the labelled file")
    questions, reproduced, emergencies = _prepare(bot, labelled)
    pairs = [(c, m) for c in confidences for m in margins]
    grid = [dataclasses.replace(bot.thresholds, min_confidence=c, min_margin=m) for c, m in pairs]
    tallies = _tallies(questions, [*grid, bot.thresholds])
    points = tuple(Point(c, m, t) for (c, m), t in zip(pairs, tallies[:-1], strict=True))
    current = Point(bot.thresholds.min_confidence, bot.thresholds.min_margin, tallies[-1])
    if min_oos_recall is None:
        order, objective = _order_default, OBJECTIVE
        feasible = list(points)
    else:
        order = _order_recall
        objective = f"highest first-option accuracy with out-of-scope fallback >= {min_oos_recall:g}"
        feasible = [p for p in points if p.tally.figures()["oos_fallback"] >= min_oos_recall - 1e-9]
    ranking = sorted(feasible, key=lambda p: (*order(p), p.min_confidence, p.min_margin))
    chosen = _plateau_middle(ranking, order) if ranking else None
    thresholds = None
    if chosen is not None:
        thresholds = dataclasses.replace(
            bot.thresholds, min_confidence=chosen.min_confidence, min_margin=chosen.min_margin
        )
    return Sweep(points, tuple(ranking), chosen, current, thresholds, objective, min_oos_recall,
                 len(questions), reproduced, emergencies)


def write_settings(root: Path | str, thresholds: Thresholds, header: Sequence[str]) -> Path:
    """Write ``thresholds`` into ROOT/settings.yaml, keeping its other keys; return the path.

    The file is replaced atomically, so an interrupted write leaves the old one intact.
    """
    path = Path(root) / "settings.yaml"
    data: dict[str, Any] = {}
    if path.exists():
        doc = read_yaml(path, str(path))
        if isinstance(doc, Problem):
            raise HfsChatError(f"{doc}; not overwriting it")
        if doc.data is not None and not isinstance(doc.data, dict):
            raise HfsChatError(f"{path}:1: settings.yaml is not a mapping; not overwriting it")
        data = dict(doc.data or {})
    data["thresholds"] = thresholds.to_dict()
    text = "".join(f"# {line}\n" for line in header)
    text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".yaml", dir=path.parent)
    except OSError as exc:
        raise HfsChatError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise HfsChatError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path
