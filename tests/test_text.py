"""Text normalisation: the ASCII fast path reads like the general one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.text import _normalise_unicode, normalise

#: Characters that steer normalisation: apostrophes, contraction letters, digits, punctuation, controls.
_ASCII = st.text(alphabet=st.sampled_from("abcdeilmnorstvwxyzACNT019 '`-_.,!?\t\n\x00\x7f"), max_size=40)


@given(_ASCII)
def test_ascii_text_reads_as_the_general_path_reads_it(text: str) -> None:
    assert normalise(text) == _normalise_unicode(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_any_ascii_text_reads_as_the_general_path_reads_it(text: str) -> None:
    assert normalise(text) == _normalise_unicode(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's Hémifacial  SPASM?!", "what is hemifacial spasm"),
        ("I CANNOT sleep", "i can not sleep"),
        ("it`s `won't` they\u2019re", "it is will not they are"),
        ("tic-douloureux_2x", "tic douloureux 2x"),
        ("Straße ﬁne", "strasse fine"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected
