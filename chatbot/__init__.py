"""hfs-chat: an offline FAQ chatbot about hemifacial spasm."""

from __future__ import annotations

from .bot import Bot
from .content import Intent, KnowledgeBase, Response, bundled_content, load_content
from .errors import ContentError, HfsChatError, Problem
from .reply import Option, Reply
from .thresholds import Thresholds

__version__ = "0.1.0"

__all__ = [
    "Bot",
    "ContentError",
    "HfsChatError",
    "Intent",
    "KnowledgeBase",
    "Option",
    "Problem",
    "Reply",
    "Response",
    "Thresholds",
    "__version__",
    "bundled_content",
    "load_content",
]
