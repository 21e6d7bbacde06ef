"""hfs-chat: an offline FAQ chatbot about hemifacial spasm."""

from __future__ import annotations

from .bot import Bot
from .content import Intent, KnowledgeBase, Response, bundled_content, load_content
from .conversation import Conversation, SessionStore
from .errors import ContentError, HfsChatError, Problem
from .matcher import Candidate
from .reply import ConversationState, Option, Reply
from .thresholds import Thresholds

__version__ = "0.1.0"

__all__ = [
    "Bot",
    "Candidate",
    "ContentError",
    "Conversation",
    "ConversationState",
    "HfsChatError",
    "Intent",
    "KnowledgeBase",
    "Option",
    "Problem",
    "Reply",
    "Response",
    "SessionStore",
    "Thresholds",
    "__version__",
    "bundled_content",
    "load_content",
]
