"""Score a bot on a labelled question set: accuracy, fallbacks, per-intent figures, confusions, misses."""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bot import Bot
from .content import KnowledgeBase
from .errors import HfsChatError, Problem
from .matcher import Candidate
from .policy import Decision
from .reply import Kind, Reply
from .yamlfile import read_yaml

__all__ = [
    "EMERGENCY_INTENT",
    "OUT_OF_SCOPE",
    "TARGETS",
    "Evaluation",
    "IntentScore",
    "LabelledSet",
    "LabelledSetError",
    "Miss",
    "Outcome",
    "Tally",
    "evaluate",
    "load_labelled",
    "meets",
    "outcome_of_decision",
    "outcome_of_reply",
    "ranked",
    "score",
]

#: An emergency reply counts as this intent: the red-flag topic.
EMERGENCY_INTENT = "emergency_red_flags"

#: The quality targets of the project, on questions the matcher has never seen: (figure, ">=" or "<=", value).
TARGETS: dict[str, tuple[str, float]] = {
    "top1_accuracy": (">=", 0.90),
    "right_or_offered": (">=", 0.95),
    "wrong_confident": ("<=", 0.03),
    "oos_fallback": (">=", 0.90),
    "oos_confident": ("<=", 0.05),
}


class LabelledSetError(HfsChatError):
    """A labelled question file cannot be used; ``problems`` lists every reason as FILE:LINE."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class LabelledSet:
    """Questions with their right intent (in scope) and questions the bot must not answer."""

    in_scope: tuple[tuple[str, str], ...]
    out_of_scope: tuple[str, ...]
    name: str = ""

    def items(self) -> list[tuple[str, str | None]]:
        """Return every (question, label) pair; the label of an out-of-scope question is None."""
        return [*self.in_scope, *((q, None) for q in self.out_of_scope)]

    @classmethod
    def joined(cls, sets: Sequence[LabelledSet]) -> LabelledSet:
        """Return one set holding the questions of all ``sets``, in order, named after them all."""
        return cls(
            tuple(pair for s in sets for pair in s.in_scope),
            tuple(q for s in sets for q in s.out_of_scope),
            " + ".join(s.name for s in sets),
        )


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def _questions(value: Any, where: str, doc: Any, key: tuple[Any, ...], problems: list[Problem]) -> list[str]:
    if not isinstance(value, list):
        problems.append(Problem(doc.path, doc.line(*key), f"{where} must be a list of questions, not {_kind(value)}"))
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            what = "empty" if isinstance(item, str) else _kind(item)
            problems.append(Problem(doc.path, doc.line(*key, i), f"{where} item {i + 1} is {what}; it must be text"))
        else:
            out.append(item.strip())
    return out


def load_labelled(path: Path | str, kb: KnowledgeBase | None = None) -> LabelledSet:
    """Read ``{in_scope: {intent: [questions]}, out_of_scope: [questions]}``; raise LabelledSetError if unusable.

    With ``kb``, every intent must be one of its intents.
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise LabelledSetError([Problem(shown, 1, "file not found" if not path.exists() else "not a file")])
    doc = read_yaml(path, shown)
    if isinstance(doc, Problem):
        raise LabelledSetError([doc])
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict):
        raise LabelledSetError([Problem(shown, 1, f"must be a mapping with keys 'in_scope' and 'out_of_scope', "
                                                  f"not {_kind(data)}")])
    for key in data:
        if key not in ("in_scope", "out_of_scope"):
            problems.append(Problem(shown, doc.line(key), f"unknown key {key!r} (known: in_scope, out_of_scope)"))
    for key in ("in_scope", "out_of_scope"):
        if key not in data:
            problems.append(Problem(shown, 1, f"missing key {key!r}"))
    in_scope: list[tuple[str, str]] = []
    section = data.get("in_scope", {})
    if not isinstance(section, dict):
        problems.append(Problem(shown, doc.line("in_scope"),
                                f"'in_scope' must be a mapping of intent -> questions, not {_kind(section)}"))
        section = {}
    known = {i.id for i in kb.intents} if kb is not None else None
    for intent, questions in section.items():
        if not isinstance(intent, str):
            problems.append(Problem(shown, doc.line("in_scope", intent), f"intent {intent!r} must be text"))
            continue
        if known is not None and intent not in known:
            close = difflib.get_close_matches(intent, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(shown, doc.line("in_scope", intent),
                                    f"intent {intent!r} is not an intent of the content{hint}"))
            continue
        where = f"in_scope.{intent}"
        in_scope += [(q, intent) for q in _questions(questions, where, doc, ("in_scope", intent), problems)]
    out_of_scope = _questions(data.get("out_of_scope", []), "out_of_scope", doc, ("out_of_scope",), problems)
    if not problems and not in_scope and not out_of_scope:
        problems.append(Problem(shown, 1, "no questions found"))
    if problems:
        raise LabelledSetError(sorted(problems))
    return LabelledSet(tuple(in_scope), tuple(out_of_scope), path.name)


# --- what happened to one question ---------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the bot did with one labelled question; ``label`` None means out of scope."""

    question: str
    label: str | None
    kind: Kind
    intent: str | None
    options: tuple[str, ...] = ()
    confidence: float = 0.0

    @property
    def confident(self) -> bool:
        """Whether the bot gave an answer (or the emergency text) rather than asking or falling back."""
        return self.kind in ("answer", "emergency")

    @property
    def first(self) -> str | None:
        """The topic a front end without a "did you mean" step would show: a clarify shows its first option."""
        if self.kind == "clarify":
            return self.options[0] if self.options else None
        return self.intent if self.confident else None

    @property
    def right(self) -> bool:
        """Whether an in-scope question got the right answer."""
        return self.label is not None and self.confident and self.intent == self.label

    @property
    def offered(self) -> bool:
        """Whether an in-scope question got a "did you mean" listing its topic."""
        return self.label is not None and self.kind == "clarify" and self.label in self.options

    def happened(self) -> str:
        """Describe the outcome in a few words."""
        if self.kind == "fallback":
            return "fallback"
        if self.kind == "clarify":
            return "clarify: " + ", ".join(self.options)
        return f"{self.kind}: {self.intent}"


def outcome_of_reply(question: str, label: str | None, reply: Reply) -> Outcome:
    """Turn a bot reply into an outcome; an emergency reply counts as the red-flag intent."""
    if reply.kind == "emergency":
        return Outcome(question, label, "emergency", EMERGENCY_INTENT, (), reply.confidence)
    options = tuple(o.intent for o in reply.options) if reply.kind == "clarify" else ()
    intent = reply.intent if reply.kind == "answer" else None
    return Outcome(question, label, reply.kind, intent, options, reply.confidence)


def outcome_of_decision(question: str, label: str | None, decision: Decision) -> Outcome:
    """Turn a policy decision into an outcome, the way the bot renders it."""
    if decision.kind == "emergency":
        return Outcome(question, label, "emergency", EMERGENCY_INTENT, (), 1.0)
    if decision.kind == "answer":
        top = decision.candidates[0]
        return Outcome(question, label, "answer", top.intent, (), top.score)
    if decision.kind == "clarify":
        c = decision.candidates
        return Outcome(question, label, "clarify", None, tuple(x.intent for x in c), c[0].score if c else 0.0)
    return Outcome(question, label, "fallback", None)


def ranked(bot: Bot, text: str) -> list[Candidate]:
    """Return the ranked candidates of a question, exactly as the bot ranks them before deciding."""
    return bot.candidates(text)


# --- the figures ---------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass
class Tally:
    """Counts of outcomes; every summary figure is a ratio of two of them."""

    in_scope: int = 0
    right: int = 0
    wrong: int = 0
    offered: int = 0
    clarify_missed: int = 0
    fallback: int = 0
    first_right: int = 0
    out_of_scope: int = 0
    oos_fallback: int = 0
    oos_confident: int = 0
    oos_clarify: int = 0

    def add(self, outcome: Outcome, times: int = 1) -> None:
        """Count one outcome (``times`` times)."""
        if outcome.label is None:
            self.out_of_scope += times
            self.oos_fallback += times * (outcome.kind == "fallback")
            self.oos_confident += times * outcome.confident
            self.oos_clarify += times * (outcome.kind == "clarify")
            return
        self.in_scope += times
        self.first_right += times * (outcome.first == outcome.label)
        if outcome.kind == "fallback":
            self.fallback += times
        elif outcome.kind == "clarify":
            if outcome.offered:
                self.offered += times
            else:
                self.clarify_missed += times
        elif outcome.right:
            self.right += times
        else:
            self.wrong += times

    def figures(self) -> dict[str, float]:
        """Return the summary rates, each in [0, 1]."""
        n, m = self.in_scope, self.out_of_scope
        return {
            "top1_accuracy": _rate(self.right, n),
            "right_or_offered": _rate(self.right + self.offered, n),
            "first_option_accuracy": _rate(self.first_right, n),
            "wrong_confident": _rate(self.wrong, n),
            "clarify": _rate(self.offered + self.clarify_missed, n),
            "fallback": _rate(self.fallback, n),
            "oos_fallback": _rate(self.oos_fallback, m),
            "oos_confident": _rate(self.oos_confident, m),
            "oos_clarify": _rate(self.oos_clarify, m),
        }


@dataclass(frozen=True)
class IntentScore:
    """Precision, recall and F1 of one intent, counting confident answers only."""

    intent: str
    support: int
    answered: int
    right: int

    @property
    def precision(self) -> float:
        """Of the answers given as this intent, the share that were right."""
        return _rate(self.right, self.answered)

    @property
    def recall(self) -> float:
        """Of the questions labelled this intent, the share answered with it."""
        return _rate(self.right, self.support)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Miss:
    """A question the bot did not handle right: in scope and not answered right, or out of scope and not a fallback."""

    question: str
    label: str | None
    happened: str
    confidence: float
    offered: bool = False


@dataclass(frozen=True)
class Evaluation:
    """All the figures of one labelled set."""

    tally: Tally
    intents: tuple[IntentScore, ...]
    confusions: tuple[tuple[str, str, int], ...]
    misses: tuple[Miss, ...]
    name: str = ""
    thresholds: Mapping[str, float | int] = field(default_factory=dict)

    @property
    def figures(self) -> dict[str, float]:
        """The summary rates (see Tally.figures)."""
        return self.tally.figures()

    def _asked(self, figure: str) -> bool:
        """Whether the set had the questions a figure is about (a rate of nothing meets no target)."""
        return bool(self.tally.out_of_scope if figure.startswith("oos_") else self.tally.in_scope)

    def to_dict(self) -> dict[str, Any]:
        """Return the evaluation as plain JSON-ready data."""
        t = self.tally
        return {
            "file": self.name,
            "thresholds": dict(self.thresholds),
            "counts": {"in_scope": t.in_scope, "out_of_scope": t.out_of_scope, "right": t.right,
                       "wrong": t.wrong, "offered": t.offered, "clarify_missed": t.clarify_missed,
                       "fallback": t.fallback, "first_right": t.first_right, "oos_fallback": t.oos_fallback,
                       "oos_confident": t.oos_confident, "oos_clarify": t.oos_clarify},
            "figures": {k: round(v, 4) for k, v in self.figures.items()},
            "targets": {k: {"op": op, "value": v, "met": meets(k, self.figures[k]) if self._asked(k) else None}
                        for k, (op, v) in TARGETS.items()},
            "intents": [{"intent": s.intent, "support": s.support, "answered": s.answered, "right": s.right,
                         "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
                        for s in self.intents],
            "confusions": [{"label": a, "predicted": b, "count": n} for a, b, n in self.confusions],
            "misses": [{"question": m.question, "label": m.label, "happened": m.happened,
                        "confidence": round(m.confidence, 4), "offered": m.offered} for m in self.misses],
        }


def meets(figure: str, value: float) -> bool | None:
    """Whether a figure meets its target (None when it has none)."""
    if figure not in TARGETS:
        return None
    op, target = TARGETS[figure]
    return value >= target - 1e-9 if op == ">=" else value <= target + 1e-9


OUT_OF_SCOPE = "(out of scope)"


def score(outcomes: Iterable[Outcome], intents: Iterable[str], *, top: int = 20) -> Evaluation:
    """Compute every figure from outcomes; ``intents`` lists the intents to report (sorted)."""
    tally = Tally()
    answered: Counter[str] = Counter()
    right: Counter[str] = Counter()
    support: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    misses: list[Miss] = []
    for o in outcomes:
        tally.add(o)
        if o.label is not None:
            support[o.label] += 1
        if o.confident and o.intent is not None:
            answered[o.intent] += 1
            right[o.intent] += o.intent == o.label
        first = o.first
        if first is not None and first != o.label:
            pairs[(o.label or OUT_OF_SCOPE, first)] += 1
        if (o.label is not None and not o.right) or (o.label is None and o.kind != "fallback"):
            misses.append(Miss(o.question, o.label, o.happened(), o.confidence, o.offered))
    names = sorted(set(intents) | set(support))
    scores = tuple(IntentScore(i, support[i], answered[i], right[i]) for i in names)
    confusions = tuple((a, b, n) for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    return Evaluation(tally, scores, confusions, tuple(misses))


def evaluate(bot: Bot, labelled: LabelledSet, *, top: int = 20) -> Evaluation:
    """Ask the bot every labelled question and score its replies."""
    outcomes = [outcome_of_reply(q, label, bot.reply(q)) for q, label in labelled.items()]
    result = score(outcomes, (i.id for i in bot.kb.intents), top=top)
    misses = tuple(_nearest(bot, m) if m.happened == "fallback" else m for m in result.misses)
    return Evaluation(result.tally, result.intents, result.confusions, misses, labelled.name,
                      bot.thresholds.to_dict())


def _nearest(bot: Bot, miss: Miss) -> Miss:
    """Say which topic came nearest to a question that got the fallback, and its confidence."""
    candidates = ranked(bot, miss.question)
    if not candidates:
        return miss
    top = candidates[0]
    return dataclasses.replace(miss, happened=f"fallback, nearest {top.intent}", confidence=top.score)
