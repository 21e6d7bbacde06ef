"""The YAML layer reads data only, and locates every problem as FILE:LINE."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.errors import Problem
from chatbot.yamlfile import MAX_FILE_BYTES, Document, read_yaml


def _read(tmp_path: Path, raw: str | bytes) -> Document | Problem:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw.encode() if isinstance(raw, str) else raw)
    return read_yaml(path, "x.yaml")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", "x.yaml:3: duplicate key 'a' (first on line 1)"),
        ("a:\n  - !!python/object/apply:os.system [echo hi]\n",
         "x.yaml:2: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: "
         "content is data, not code"),
        ("a: !!python/name:os.system\n",
         "x.yaml:1: the tag 'tag:yaml.org,2002:python/name:os.system' is not allowed: content is data, not code"),
        ("a: &x [1, 2]\nb: *x\n", "x.yaml:1: anchors and aliases (&, *) are not allowed"),
        ("a: [1\nb: 2\n", "x.yaml:2: YAML syntax error: did not find expected ',' or ']'"),
        (b"a: 1\nb: \xff\n", "x.yaml:2: not valid UTF-8 (byte 0xff)"),
    ],
)
def test_problems_are_located(tmp_path: Path, raw: str | bytes, message: str) -> None:
    assert str(_read(tmp_path, raw)) == message


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    """Nested aliases would expand exponentially; they are refused before any expansion."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    result = _read(tmp_path, "\n".join(lines) + "\n")
    assert str(result) == "x.yaml:1: anchors and aliases (&, *) are not allowed"


def test_oversized_file(tmp_path: Path) -> None:
    result = _read(tmp_path, "a: " + "x" * MAX_FILE_BYTES + "\n")
    assert str(result) == f"x.yaml:1: file is too large ({MAX_FILE_BYTES + 4} bytes; the limit is {MAX_FILE_BYTES})"


def test_values_and_lines(tmp_path: Path) -> None:
    doc = _read(tmp_path, "id: x\npatterns:\n  - one\n  - two\n")
    assert isinstance(doc, Document)
    assert doc.data == {"id": "x", "patterns": ["one", "two"]}
    assert doc.line("patterns", 1) == 4
    assert doc.line("missing") == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "x.yaml:1: nested more than 32 levels deep"),
        ("".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n",
         "x.yaml:33: nested more than 32 levels deep"),
        ("a: !!binary aGVsbG8=\n",
         "x.yaml:1: the tag 'tag:yaml.org,2002:binary' is not allowed: content is data, not code"),
        ("a: !!python/object/new:os.system [ls]\n",
         "x.yaml:1: the tag 'tag:yaml.org,2002:python/object/new:os.system' is not allowed: content is data, not code"),
        ("a: !!set {x, y}\n", "x.yaml:1: the tag 'tag:yaml.org,2002:set' is not allowed: content is data, not code"),
        ("a: !local thing\n", "x.yaml:1: the tag '!local' is not allowed: content is data, not code"),
        ("a: {x: 1}\nb:\n  <<: {y: 2}\n",
         "x.yaml:3: the tag 'tag:yaml.org,2002:merge' is not allowed: content is data, not code"),
        ("a: b\nc: d\x00e\n", "x.yaml:2: the character U+0000 is not allowed in YAML"),
        ("a: 2026-02-31\n", "x.yaml:1: bad value: day is out of range for month"),
        ("a: 1\n---\nb: 2\n", "x.yaml:2: YAML syntax error: but found another document"),
        ("a: b\n".encode("utf-16"), "x.yaml:1: not valid UTF-8 (byte 0xff)"),
    ],
)
def test_hostile_files_are_refused_with_their_line(tmp_path: Path, raw: str | bytes, message: str) -> None:
    """Deep nesting (which would crash the C composer), odd tags, controls, huge numbers: a message, never a crash."""
    assert str(_read(tmp_path, raw)) == message


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    doc = _read(tmp_path, "a: " + "[" * 31 + "]" * 31 + "\n")
    assert isinstance(doc, Document)


def test_a_huge_number_is_a_message_not_a_crash(tmp_path: Path) -> None:
    """Python limits int conversion to 4300 digits (since 3.10.7/3.11); the value is refused, located."""
    result = _read(tmp_path, "a: 1\nb: " + "9" * 5000 + "\n")
    assert isinstance(result, Document) or str(result).startswith("x.yaml:2: bad value: ")
