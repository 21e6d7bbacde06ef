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


def test_a_value_its_tag_cannot_take_is_a_message(tmp_path: Path) -> None:
    """The bool constructor raises KeyError for a word it does not know; that is bad content, not a crash."""
    assert str(_read(tmp_path, "a: 1\nb: !!bool maybe\n")) == "x.yaml:2: bad value: 'maybe' is not a bool"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # Problems in the stream itself (syntax, anchors, nesting) anywhere come before a bad value earlier on.
        ("a: !!set {x}\nb: [1\n", "x.yaml:3: YAML syntax error: did not find expected ',' or ']'"),
        ("a: 2026-02-31\nb: &x 1\n", "x.yaml:2: anchors and aliases (&, *) are not allowed"),
        ("a: a\na: b\nb: " + "[" * 40 + "]" * 40 + "\n", "x.yaml:3: nested more than 32 levels deep"),
        # Then a second document, then the first bad value.
        ("a: !x 1\n---\nb: 2\n", "x.yaml:2: YAML syntax error: but found another document"),
        ("a: !x 1\nb: !y 2\n", "x.yaml:1: the tag '!x' is not allowed: content is data, not code"),
        ("? [a]\n: 1\n", "x.yaml:1: a key must be a plain value"),
        ("? {a: 1, a: 2}\n: 1\n", "x.yaml:1: duplicate key 'a' (first on line 1)"),
    ],
)
def test_the_first_problem_is_reported(tmp_path: Path, raw: str, message: str) -> None:
    assert str(_read(tmp_path, raw)) == message


SAMPLES = [
    "id: x\npatterns:\n  - one\n  - 'two'\n  - \"three\"\nn: 1\nf: 1.5\nb: yes\nz: ~\nd: 2026-01-02\n",
    "- [a, {b: c}]\n- ? k\n  : v\n- |\n  block\n- !!str 5\n- !!int '7'\n- ''\n- !! x\n",
    "a: !!bool maybe\n", "a: 2026-02-31\n", "a: !!map x\n", "a: &x 1\n", "a: *x\n", "a: {x: 1}\nb:\n  <<: {y: 2}\n",
    "a: [1\n", "a: 1\n---\nb: 2\n", "a: " + "[" * 40 + "]" * 40 + "\n", "a: b\nc: d\x00e\n", "", "---\n",
    "a: 1\na: 2\n",
]


@pytest.mark.parametrize("raw", SAMPLES)
def test_the_pure_python_parser_reads_like_the_c_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str,
) -> None:
    """Without libyaml, PyYAML's own parser gives the same values, lines and problems."""
    import yaml

    from chatbot import yamlfile

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    first = _read(tmp_path, raw)
    monkeypatch.setattr(yamlfile, "_BaseLoader", yaml.SafeLoader)
    second = _read(tmp_path, raw)
    if isinstance(first, Document):
        assert isinstance(second, Document)
        assert (first.data, first.lines) == (second.data, second.lines)
    elif "syntax error" in str(first):
        assert str(first).split(": ")[:2] == str(second).split(": ")[:2]  # libyaml words its errors differently
    else:
        assert str(first) == str(second)


def test_a_part_keeps_the_lines_of_its_file(tmp_path: Path) -> None:
    doc = _read(tmp_path, "id: x\nrules:\n  - name: a\n    signs: [b, c]\n")
    assert isinstance(doc, Document)
    rule = doc.part("rules", 0)
    assert rule.data == {"name": "a", "signs": ["b", "c"]}
    assert (rule.line("signs", 1), rule.line("name"), rule.line("missing"), rule.line()) == (4, 3, 3, 3)
    assert doc.part("rules").line(5) == 2  # no item 5: the line of the list
