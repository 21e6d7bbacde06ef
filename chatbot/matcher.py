"""Rank the intents for a normalised question: best pattern score per intent."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .content import KnowledgeBase
from .text import normalise

__all__ = ["Candidate", "Matcher"]


@dataclass(frozen=True)
class Candidate:
    """One intent's score for a question, with the pattern that scored it."""

    intent: str
    score: float
    pattern: str


class Matcher:
    """Scores questions against every pattern of a knowledge base; immutable after build."""

    def __init__(self, kb: KnowledgeBase) -> None:
        pairs = [(normalise(p), i.id) for i in kb.intents for p in i.patterns]
        self._patterns: tuple[str, ...] = tuple(p for p, _ in pairs)
        self._owners: tuple[str, ...] = tuple(o for _, o in pairs)

    def rank(self, query: str, *, limit: int = 5) -> list[Candidate]:
        """Return the best intents for a normalised query, best first."""
        if not query:
            return []
        best: dict[str, Candidate] = {}
        hits = process.extract(query, self._patterns, scorer=fuzz.token_sort_ratio, limit=50)
        for pattern, score, index in hits:
            intent = self._owners[index]
            if intent not in best or score / 100 > best[intent].score:
                best[intent] = Candidate(intent, score / 100, pattern)
        return sorted(best.values(), key=lambda c: (-c.score, c.intent))[:limit]
