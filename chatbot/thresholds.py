"""The decision thresholds, in one place, with defaults embedders can override."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["Thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """When to answer, ask "did you mean", or fall back.

    ``min_confidence``: below it, the best topic is not trusted (fallback).
    ``min_margin``: an answer needs this lead over the runner-up; otherwise the close
    topics are offered ("did you mean").
    ``max_options``: how many topics a "did you mean" offers at most.

    Examples
    --------
    >>> Thresholds(min_confidence=0.7).min_margin
    0.05
    """

    min_confidence: float = 0.40
    min_margin: float = 0.05
    max_options: int = 3

    def __post_init__(self) -> None:
        for name in ("min_confidence", "min_margin"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ValueError(f"threshold {name!r} must be a number from 0 to 1, not {value!r}")
        options = self.max_options
        if isinstance(options, bool) or not isinstance(options, int) or not 2 <= options <= 9:
            raise ValueError(f"threshold 'max_options' must be a whole number from 2 to 9, not {self.max_options!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Thresholds:
        """Build thresholds from a mapping such as the ``thresholds`` of settings.yaml."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown threshold {unknown[0]!r} (known: {', '.join(sorted(known))})")
        return cls(**dict(data))

    def to_dict(self) -> dict[str, float | int]:
        """Return the thresholds as a plain mapping (as written to settings.yaml)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
