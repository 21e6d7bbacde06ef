"""Line-aware, data-only YAML reading: values plus the line of every key and item."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "Document", "read_yaml"]

#: Content files are small; anything larger is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000
#: Content nests a few levels; deeper nesting would exhaust the stack of the recursive composer.
MAX_DEPTH = 32

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Only the plain data tags: anything else (for instance !!python/object) is code, not content.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its value and the 1-based line of each key path."""

    path: str
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, *key: Hashable) -> int:
        """Return the line of ``key`` (or of its nearest known parent)."""
        k: Key = tuple(key)
        while k and k not in self.lines:
            k = k[:-1]
        return self.lines.get(k, 1)


class _Reject(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _convert(node: yaml.Node, loader: Any, key: Key, lines: dict[Key, int]) -> Any:
    line = node.start_mark.line + 1
    lines[key] = line
    if node.tag not in _ALLOWED_TAGS:
        raise _Reject(line, f"the tag {node.tag!r} is not allowed: content is data, not code")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            k = _convert(key_node, loader, (*key, "<key>"), {})
            if not isinstance(k, Hashable) or isinstance(k, (list, dict)):
                raise _Reject(key_node.start_mark.line + 1, "a key must be a plain value")
            if k in result:
                raise _Reject(
                    key_node.start_mark.line + 1,
                    f"duplicate key {k!r} (first on line {lines[(*key, k)]})",
                )
            lines[(*key, k)] = key_node.start_mark.line + 1
            result[k] = _convert(value_node, loader, (*key, k), lines)
            lines[(*key, k)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*key, i), lines) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise _Reject(line, f"bad value: {getattr(exc, 'problem', None) or exc}") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
        raise _Reject(line, f"bad value: {exc}") from None


def _parse(text: str) -> tuple[Any, dict[Key, int]]:
    # Anchors and aliases are refused outright: content never needs them, and they are the
    # road to "billion laughs" expansions. The event stream is flat, so it is also where the
    # nesting depth is bounded, before the (recursive) composer sees the document.
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Reject(mark.line + 1, "anchors and aliases (&, *) are not allowed")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Reject(mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Key, int] = {}
        data = None if node is None else _convert(node, loader, (), lines)
        return data, lines
    finally:
        loader.dispose()


def read_yaml(path: Path, shown: str) -> Document | Problem:
    """Read one YAML file as data, or return the first problem found, as ``shown:LINE``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Problem(shown, 1, f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(shown, 1, f"cannot read the file: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(shown, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
    try:
        data, lines = _parse(text)
    except _Reject as exc:
        return Problem(shown, exc.line, exc.message)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return Problem(shown, line, f"the character U+{exc.character:04X} is not allowed in YAML")
    except yaml.MarkedYAMLError as exc:
        mark: Any = exc.problem_mark or exc.context_mark
        line = 1 if mark is None else mark.line + 1
        return Problem(shown, line, f"YAML syntax error: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        return Problem(shown, 1, f"YAML error: {exc}")
    return Document(shown, data, lines)
