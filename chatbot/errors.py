"""The error hierarchy: one root, and content problems that carry FILE:LINE."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ContentError", "HfsChatError", "Problem"]


class HfsChatError(Exception):
    """Root of every error hfs-chat raises on purpose.

    Examples
    --------
    >>> from chatbot import Bot
    >>> try:
    ...     Bot.load("no/such/folder")
    ... except HfsChatError as error:
    ...     print(type(error).__name__)
    ContentError
    """


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful) in the content, located as FILE:LINE."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class ContentError(HfsChatError):
    """The content cannot be loaded; ``problems`` lists every reason.

    Examples
    --------
    >>> error = ContentError([Problem("intents/botox.yaml", 3, "unknown key 'titel'")])
    >>> print(error)
    intents/botox.yaml:3: unknown key 'titel'
    >>> error.problems[0].line
    3
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
