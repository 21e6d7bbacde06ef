"""Decide what to do with ranked candidates: answer, clarify or fall back."""

from __future__ import annotations

from dataclasses import dataclass

from .matcher import Candidate
from .reply import Kind
from .thresholds import Thresholds

__all__ = ["Decision", "decide"]


@dataclass(frozen=True)
class Decision:
    """The chosen kind of reply, the intent(s) behind it, and the reason in words."""

    kind: Kind
    candidates: tuple[Candidate, ...]
    reason: str


def decide(candidates: list[Candidate], thresholds: Thresholds) -> Decision:
    """Apply the minimum confidence and the minimum top-two margin."""
    if not candidates:
        return Decision("fallback", (), "no topic shares anything with the question")
    top = candidates[0]
    lowered = ""
    if top.subject:
        lowered = f" (lowered: the question names {top.subject!r} and nothing of our subject)"
    elif top.offtopic:
        lowered = f" (lowered: the question resembles the off-topic example {top.offtopic!r})"
    if top.score < thresholds.min_confidence:
        return Decision(
            "fallback", (),
            f"best topic {top.intent} scored {top.score:.2f}{lowered}, "
            f"below min_confidence {thresholds.min_confidence:.2f}",
        )
    close = [c for c in candidates[1:] if top.score - c.score < thresholds.min_margin]
    if close:
        options = (top, *close)[: thresholds.max_options]
        return Decision(
            "clarify", options,
            f"{top.intent} ({top.score:.2f}) leads {close[0].intent} ({close[0].score:.2f}) "
            f"by less than min_margin {thresholds.min_margin:.2f}",
        )
    runner = f"; runner-up {candidates[1].intent} ({candidates[1].score:.2f})" if len(candidates) > 1 else ""
    return Decision(
        "answer", (top,),
        f"{top.intent} scored {top.score:.2f} (pattern {top.pattern!r}){lowered}{runner}",
    )
