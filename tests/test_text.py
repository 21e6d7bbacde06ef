"""Text normalisation: the ASCII fast path reads like the general one."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.content import load_content
from chatbot.text import Lexicon, _normalise_unicode, normalise, question_parts, stem

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
        # Latin letters NFKD does not split are spelt as keyboards without them spell them.
        ("Dziękuję, miłego dnia", "dziekuje milego dnia"),
        ("Søren, Łódź, æble, œdème, I\u015f\u0131k, đau", "soren lodz aeble oedeme isik dau"),
        # Negations typed without their apostrophe read as with it.
        ("it doesnt work and i cant sleep", "it does not work and i can not sleep"),
        # So do "whats", "hows", "whos" and "wheres".
        ("ok. whats hfs, hows it treated", "ok what is hfs how is it treated"),
        # Any other "'s" is a possessive or an "is": the word alone is kept.
        ("how long's the op? my mum's face, bell's palsy", "how long the op my mum face bell palsy"),
        # And "hes", "shes" and "theyre": "hes 70" is "he is 70", as "he's 70" is.
        ("hes 70 and shes 66, theyre both twitching", "he is 70 and she is 66 they are both twitching"),
        # Texting shorthand: "b4", "abt", "w" for with, "pls".
        ("how long b4 shes back to normal", "how long before she is back to normal"),
        ("wat abt blood tests w it pls", "what about blood tests with it please"),
        # "wud", "cld", "wht" and "tysm".
        ("how wud they know, wht cld it be, tysm", "how would they know what could it be thank you so much"),
        # "n" for and, "drs" for doctors, "tks" for thanks.
        ("how do drs tell n is it serious, tks", "how do doctors tell and is it serious thanks"),
        # "w/o" is without, not "w" (with) and "o".
        ("can i get an MRI w/o a referral, w/ my gp", "can i get an mri without a referral with my gp"),
        ("Café W/O sugar", "cafe without sugar"),
        # "idk" and "dunno" are not knowing.
        ("idk what to ask, dunno", "i do not know what to ask do not know"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def _reference_apply(mapping: Mapping[str, str], words: str) -> str:
    """The lexicon as one regular expression: longest variant first, whole words only."""
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
    return pattern.sub(lambda m: mapping[m.group(0)], words)


BUNDLED = Lexicon(load_content().lexicon)
LEXICON_WORDS = sorted({w for key in BUNDLED.mapping for w in key.split()} | {"the", "my", "eye", "x"})


@given(st.lists(st.sampled_from(LEXICON_WORDS), max_size=10))
def test_the_lexicon_replaces_as_a_longest_match_regular_expression_would(words: list[str]) -> None:
    text = " ".join(words)
    assert BUNDLED.apply(text) == _reference_apply(BUNDLED.mapping, text)


def test_the_lexicon_prefers_the_longest_variant_and_whole_words() -> None:
    lexicon = Lexicon({"botox": ["botulinum", "botulinum toxin"], "twitch": ["eye jumping", "jumping"]})
    assert lexicon.apply("botulinum toxin for eye jumping") == "botox for twitch"
    assert lexicon.apply("botulinums jumping") == "botulinums twitch"
    assert lexicon.apply("nothing to do") == "nothing to do"
    assert Lexicon().apply("eye jumping") == "eye jumping"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm 41 and work nights. Is stress a trigger? My wife thinks so.", "Is stress a trigger?"),
        ("Had it two years. Does it ever go away?  ", "Does it ever go away?"),
        ("My neurologist suggested Botox. I am not sure", "I am not sure"),
        # Without "?", the last sentence that opens like a question asks, not the one after it.
        ("what should i know about tegretol, my doctor suggested it. i am 62 with kidney problems",
         "what should i know about tegretol, my doctor suggested it."),
        ("I am 62. how long does botox last. my wife asked. she worries", "how long does botox last."),
        ("what is hfs? is it serious?", "is it serious?"),
        ("what is botox", ""),
        ("Botox... ?", ""),
        ("", ""),
    ],
)
def test_the_first_part_is_the_sentence_that_asks(text: str, expected: str) -> None:
    assert (question_parts(text) or ("",))[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm 41. He is torn between surgery and Botox. How do they compare?",
         ("How do they compare?", "He is torn between surgery and Botox. How do they compare?")),
        ("How long does it last? I'm 58. My doctor offers Botox.", ("How long does it last?",)),
        ("I'm 58. My doctor offers Botox. I am not sure", ("I am not sure", "My doctor offers Botox. I am not sure")),
        ("Had it two years. Does it ever go away?", ("Does it ever go away?",)),
        ("Botox or the op? I'm 56. How do people decide?",
         ("How do people decide?", "I'm 56. How do people decide?", "Botox or the op?")),
        ("what is botox", ()),
        ("", ()),
    ],
)
def test_question_parts_are_the_question_and_the_sentence_it_leans_on(text: str, expected: tuple[str, ...]) -> None:
    assert question_parts(text) == expected


def test_a_long_run_on_sentence_is_read_clause_by_clause() -> None:
    """A story typed as one sentence with commas asks in its last clause that asks; a short one stays whole."""
    story = ("my neighbour is 76, he has had this twitching on his face for about 3 yrs, he says its a hemi something "
             "spasm, is that serious")
    assert question_parts(story)[0] == "is that serious"
    assert question_parts("my dad is 80 and his face twitches, is that serious") == ()


@pytest.mark.parametrize(("plural", "singular"), [
    ("twitches", "twitch"), ("rashes", "rash"), ("itches", "itch"), ("headaches", "headache"), ("aches", "ache"),
    ("boxes", "box"), ("spasms", "spasm"),
])
def test_a_plural_meets_its_singular(plural: str, singular: str) -> None:
    assert stem(plural) == stem(singular)


def test_without_a_question_mark_the_sentence_that_asks_inside_is_the_question() -> None:
    parts = question_parts("My dad is 80. He asked me if there is any cure. I didn't know what to say.")
    assert parts[0] == "He asked me if there is any cure."
    # A sentence that opens like a question still comes first.
    assert question_parts("I wonder about it. What is the cure. I am 80.")[0] == "What is the cure."


@pytest.mark.parametrize(("text", "expected"), [
    ("I have HFS, but that's not why I'm writing. My knee hurts. What helps?", "My knee hurts. What helps?"),
    ("Face spasm here. Off topic, but my car insurance went up. Worth switching?",
     "but my car insurance went up. Worth switching?"),
    ("My tooth hurts. I have HFS too but that's not the issue. Is that normal?", "My tooth hurts. Is that normal?"),
    ("I've had HFS for years. Is this new twitch unrelated to my HFS?", None),
    ("what is botox", None),
    ("I have HFS but never mind that", None),
    # Saying what one meant to ask, or what the real question is, sets aside what came before.
    ("sorry wrong chat, what I meant to ask is does the twitch happen in sleep", "does the twitch happen in sleep."),
    ("I have had HFS for five years. My real question is about my knee. Should I see a physio?",
     "about my knee. Should I see a physio?"),
])
def test_a_story_the_message_says_is_not_its_question_is_set_aside(text: str, expected: str | None) -> None:
    from chatbot.text import after_change_of_subject

    assert after_change_of_subject(text) == (text if expected is None else expected)
