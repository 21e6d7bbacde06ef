"""The reply value every front end renders, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["ConversationState", "Kind", "Option", "Reply"]

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
class ConversationState:
    """Where a conversation stands: an immutable value, passed to Bot.reply and returned in Reply.state.

    ``last_intent``: the topic last answered, for follow-ups such as "what about the risks?".
    ``pending``: the options of an unanswered "did you mean", pickable by number or words.
    ``suggestions``: the follow-up topics last offered with an answer, pickable by number.
    ``last_aspect``: what the last answered question asked about the topic (a follow-up aspect such as
    "risks"), for "what about surgery?" after "what are the risks of botox?".
    ``alarmed``: whether the last reply was the urgent-care one, for "it's stopped now, do I still need to go?".
    ``alarm_context``: what the patient said before the last urgent-care reply that red flags need ("botox",
    "anticonvulsant"), kept until a topic is answered: "also bruises on my legs" after a Dilantin rash.
    ``named``: what the patient's messages named that red flags need, kept until a topic is answered: "now ive got
    mouth ulcers and a sore throat" after "tegretol is making me dizzy", which got no answer.
    """

    last_intent: str | None = None
    pending: tuple[Option, ...] = ()
    suggestions: tuple[Option, ...] = ()
    last_aspect: str | None = None
    alarmed: bool = False
    alarm_context: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()


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
    #: The conversation state after this reply (never part of the JSON reply object).
    state: ConversationState = ConversationState()

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
