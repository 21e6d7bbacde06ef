"""Line-aware, data-only YAML reading: values plus the line of every key and item."""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

from .errors import Problem

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "Document", "read_yaml"]

#: Content files are small; anything larger is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000
#: Content nests a few levels; the limit keeps hostile files small in memory and in any recursive reader.
MAX_DEPTH = 32

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Only the plain data tags: anything else (for instance !!python/object) is code, not content.
_STR = "tag:yaml.org,2002:str"
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
    #: Where ``data`` sits in the file (for a part of it): keys are looked up under this path.
    at: Key = ()

    def line(self, *key: Hashable) -> int:
        """Return the line of ``key`` (or of its nearest known parent)."""
        k: Key = (*self.at, *key)
        top = len(self.at)
        while len(k) > top and k not in self.lines:
            k = k[:-1]
        return self.lines.get(k, 1)

    def part(self, *key: Hashable) -> Document:
        """Return the value at ``key`` as a document of its own, whose keys are relative to it."""
        value = self.data
        for k in key:
            value = value[k]
        return Document(self.path, value, self.lines, (*self.at, *key))


class _Reject(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Invalid(_Reject):
    """A problem with a value (tag, key, constructor): reported after the problems of the stream itself."""


_ANCHORS = "anchors and aliases (&, *) are not allowed"
_NODE_START = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Collection:
    """A mapping or sequence being built from the event stream, and where its entries' lines go."""

    __slots__ = ("is_map", "key", "key_line", "line", "lines", "path", "value", "wants_key")

    def __init__(self, is_map: bool, path: Key, lines: dict[Key, int], line: int) -> None:
        self.is_map = self.wants_key = is_map
        self.value: Any = {} if is_map else []
        self.path = path
        self.lines = lines
        self.line = line
        self.key: Any = None
        self.key_line = 0


def _construct(loader: Any, event: Any, tag: str, line: int) -> Any:
    """Return the value of a scalar with an allowed tag other than str, as the safe loader builds it."""
    if tag not in _ALLOWED_TAGS:
        raise _Invalid(line, f"the tag {tag!r} is not allowed: content is data, not code")
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise _Invalid(line, f"bad value: {getattr(exc, 'problem', None) or exc}") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
        raise _Invalid(line, f"bad value: {exc}") from None
    except Exception:  # e.g. the bool constructor's KeyError for "!!bool maybe"
        raise _Invalid(line, f"bad value: {event.value!r} is not a {tag.rsplit(':', 1)[-1]}") from None


def _scan(get_event: Any, depth: int) -> Any:
    """Check the rest of the stream for anchors, aliases and nesting; return the mark of another document."""
    another = None
    while True:
        event = get_event()
        kind = event.__class__
        if kind in _NODE_START:
            if event.anchor:
                raise _Reject(event.start_mark.line + 1, _ANCHORS)
            if kind is not yaml.ScalarEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Reject(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
        elif kind in _COLLECTION_END:
            depth -= 1
        elif kind is yaml.AliasEvent:
            raise _Reject(event.start_mark.line + 1, _ANCHORS)
        elif kind is yaml.DocumentStartEvent:
            another = another or event.start_mark
        elif kind is yaml.StreamEndEvent:
            return another


def _parse(text: str) -> tuple[Any, dict[Key, int]]:
    loader = _BaseLoader(text)
    try:
        return _build(loader)
    finally:
        loader.dispose()


def _build(loader: Any) -> tuple[Any, dict[Key, int]]:
    """Build the data and its lines in one pass over the parser's events.

    Not the composer: it recurses once per level, so deep nesting would exhaust the C stack; here the
    depth is bounded instead. Anchors and aliases are refused outright: content never needs them, and
    they are the road to "billion laughs" expansions. Problems come in the order of a scan of the whole
    stream followed by composing and converting it: syntax errors, anchors and nesting anywhere in the
    file first, then a second document, then the first problem with a value (tag, key, constructor).
    """
    get_event = loader.get_event
    resolvers = loader.yaml_implicit_resolvers
    always_resolve = None in resolvers or bool(loader.yaml_path_resolvers)
    depth = documents = 0
    first_document: Any = None
    lines: dict[Key, int] = {}
    data: Any = None
    top: _Collection | None = None  # the innermost open collection
    stack: list[_Collection | None] = []
    try:
        while True:
            event = get_event()
            kind = event.__class__
            if kind in _NODE_START:
                line = event.start_mark.line + 1
                if event.anchor:
                    raise _Reject(line, _ANCHORS)
                # Where this node's line goes: the lines inside a key are not kept (a key is a plain value).
                path: Key
                if top is None:
                    path, where = (), lines
                elif top.wants_key:
                    path, where = (*top.path, "<key>"), {}
                else:
                    path, where = (*top.path, top.key if top.is_map else len(top.value)), top.lines
                where[path] = line
                tag = event.tag
                if kind is yaml.ScalarEvent:
                    if tag is None or tag == "!":
                        value = event.value
                        if always_resolve or (event.implicit[0] and value[:1] in resolvers):
                            tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
                        else:  # what resolve() returns when no implicit resolver applies
                            tag = _STR
                    # The str constructor returns the text as it is: no node needed.
                    value = event.value if tag == _STR else _construct(loader, event, tag, line)
                else:
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _Reject(line, f"nested more than {MAX_DEPTH} levels deep")
                    is_map = kind is yaml.MappingStartEvent
                    if tag is None or tag == "!":
                        tag = loader.resolve(yaml.MappingNode if is_map else yaml.SequenceNode, None, event.implicit)
                    if tag not in _ALLOWED_TAGS:
                        raise _Invalid(line, f"the tag {tag!r} is not allowed: content is data, not code")
                    stack.append(top)
                    top = _Collection(is_map, path, where, line)
                    continue
            elif kind in _COLLECTION_END:
                assert top is not None
                depth -= 1
                value, line = top.value, top.line
                top = stack.pop()
            elif kind is yaml.AliasEvent:
                raise _Reject(event.start_mark.line + 1, _ANCHORS)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 1:
                    first_document = event.start_mark
                    continue
                _scan(get_event, 0)
                raise ComposerError("expected a single document in the stream", first_document,
                                    "but found another document", event.start_mark)
            elif kind is yaml.StreamEndEvent:
                return data, lines
            else:
                continue
            # A finished value goes into the open collection (or is the document).
            if top is None:
                data = value
            elif top.wants_key:
                if not isinstance(value, Hashable) or isinstance(value, (list, dict)):
                    raise _Invalid(line, "a key must be a plain value")
                if value in top.value:
                    raise _Invalid(line, f"duplicate key {value!r} (first on line {top.lines[(*top.path, value)]})")
                top.lines[(*top.path, value)] = line
                top.key, top.key_line, top.wants_key = value, line, False
            elif top.is_map:
                top.value[top.key] = value
                top.lines[(*top.path, top.key)] = top.key_line
                top.wants_key = True
            else:
                top.value.append(value)
    except _Invalid:
        another = _scan(get_event, depth)  # the problem is in the first document: a second one comes first
        if another is not None:
            raise ComposerError("expected a single document in the stream", first_document,
                                "but found another document", another) from None
        raise


def read_yaml(path: Path | str, shown: str) -> Document | Problem:
    """Read one YAML file as data, or return the first problem found, as ``shown:LINE``."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                return Problem(shown, 1, f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
            raw = file.read(size + 1)
            if len(raw) > size:  # it grew, or is a special file that says 0 bytes and may never end
                raw += file.read(MAX_FILE_BYTES + 1 - len(raw))
            if len(raw) > MAX_FILE_BYTES:
                return Problem(shown, 1, f"file is too large (over {MAX_FILE_BYTES} bytes)")
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
        problem = exc.problem or exc.context
        if problem and "maximum nesting depth" in problem:  # PyYAML >= 6.0.4 stops deep nesting itself
            return Problem(shown, line, f"nested more than {MAX_DEPTH} levels deep")
        return Problem(shown, line, f"YAML syntax error: {problem}")
    except yaml.YAMLError as exc:
        return Problem(shown, 1, f"YAML error: {exc}")
    return Document(shown, data, lines)
