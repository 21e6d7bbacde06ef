"""The reply value every front end renders, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Kind", "Option", "Reply"]

Kind = Literal["answer", "clarify", "fallback", "emergency"]


@dataclass(frozen=True)
class Option:
    """A topic offered to the user: in a "did you mean" or as a follow-up suggestion."""

    intent: str
    title: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{"intent", "title", "confidence"}``."""
        return {"intent": self.intent, "title": self.title, "confidence": round(self.confidence, 4)}


@dataclass(frozen=True)
class Reply:
    """What the bot says to one input, and why.

    Examples
    --------
    >>> from chatbot import Bot
    >>> reply = Bot.load().reply("what is hemifacial spasm")
    >>> reply.kind, reply.intent
    ('answer', 'hfs_definition')
    """

    query: str
    kind: Kind
    intent: str | None
    confidence: float
    text: str
    options: tuple[Option, ...] = ()
    sources: tuple[str, ...] = ()
    title: str | None = None
    reviewed: str | None = None
    suggestions: tuple[Option, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the JSON reply object of the CLI and batch interfaces."""
        return {
            "query": self.query,
            "kind": self.kind,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "reply": self.text,
            "options": [o.to_dict() for o in self.options],
            "sources": list(self.sources),
            "title": self.title,
            "reviewed": self.reviewed,
            "suggestions": [o.to_dict() for o in self.suggestions],
        }
