"""Decide what to do with ranked candidates: answer, clarify or fall back."""

from __future__ import annotations

from dataclasses import dataclass

from .matcher import Candidate
from .reply import Kind
from .thresholds import Thresholds

__all__ = ["Decision", "decide"]

#: A long message whose words, all told, favour our topics at least this much (Candidate.story_evidence) is a
#: story about our subject: when its best topic falls short of min_confidence (the story spreads the message's
#: weight over words of its own) but scores at least SUGGEST_FLOOR, its topics within SUGGEST_SPREAD of the best
#: are offered ("did you mean") instead of the fallback.
STORY_SUGGEST_EVIDENCE = 15.0
SUGGEST_FLOOR = 0.2
SUGGEST_SPREAD = 0.1


@dataclass(frozen=True)
class Decision:
    """The chosen kind of reply, the intent(s) behind it, and the reason in words."""

    kind: Kind
    candidates: tuple[Candidate, ...]
    reason: str


def decide(candidates: list[Candidate], thresholds: Thresholds) -> Decision:
    """Apply the minimum confidence and the minimum top-two margin (a story about our subject gets options)."""
    if not candidates:
        return Decision("fallback", (), "no topic shares anything with the question")
    top = candidates[0]
    lowered = ""
    if top.unanswered:
        lowered = f" (lowered: the question asks about {top.unanswered!r}, which no answer covers)"
    elif top.subject:
        lowered = f" (lowered: the question names {top.subject!r} and nothing of our subject)"
    elif top.offtopic:
        lowered = f" (lowered: the question resembles the off-topic example {top.offtopic!r})"
    if top.score < thresholds.min_confidence:
        story = top.story_evidence >= STORY_SUGGEST_EVIDENCE and not (top.subject or top.unanswered)
        if story and top.score >= SUGGEST_FLOOR:
            options = tuple(c for c in candidates if c.score >= top.score - SUGGEST_SPREAD)[: thresholds.max_options]
            return Decision(
                "clarify", options,
                f"best topic {top.intent} scored {top.score:.2f}, below min_confidence "
                f"{thresholds.min_confidence:.2f}, but the message is a story about our subject "
                f"(evidence {top.story_evidence:.1f} >= {STORY_SUGGEST_EVIDENCE:.0f}): its closest topics are offered",
            )
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
