"""Pure text normalisation: str -> str, the same for patterns and questions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

__all__ = ["MAX_QUERY_CHARS", "Lexicon", "clean_query", "normalise", "question_parts", "stem"]

#: Only this many characters of a question are matched; a patient's question is far shorter.
MAX_QUERY_CHARS = 1000

_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "n't": " not",
    "'re": " are",
    "'ve": " have",
    "'ll": " will",
    "'d": " would",
    "'m": " am",
    "it's": "it is",
    "that's": "that is",
    "what's": "what is",
    "where's": "where is",
    "how's": "how is",
    "who's": "who is",
    "she's": "she is",
    "he's": "he is",
    "there's": "there is",
    "here's": "here is",
    "let's": "let us",
}
#: Texting spellings ("wat", "ppl", "b4", "abt", "w" for with), and contractions typed without their apostrophe, spelt
#: out ("wot causes it", "whats hfs", "it doesnt work"); not "u", "r", "shud" or "cud", which the content's patterns use
#: as typed.
_TEXTING = {
    "wat": "what", "wot": "what", "wut": "what", "whut": "what", "wats": "what is", "whats": "what is",
    "hows": "how is", "whos": "who is", "wheres": "where is", "hes": "he is", "shes": "she is", "theyre": "they are",
    "ppl": "people", "shld": "should", "wud": "would", "wld": "would", "cld": "could",
    "wht": "what", "tysm": "thank you so much", "tyvm": "thank you very much",
    "b4": "before", "abt": "about", "bc": "because", "coz": "because", "cuz": "because", "bcoz": "because",
    "pls": "please", "plz": "please", "w": "with", "thru": "through", "tmrw": "tomorrow",
    "n": "and", "drs": "doctors", "tks": "thanks", "idk": "i do not know", "dunno": "do not know",
    "doesnt": "does not", "dont": "do not", "didnt": "did not", "isnt": "is not", "wont": "will not",
    "cant": "can not", "arent": "are not", "wasnt": "was not", "havent": "have not", "hasnt": "has not",
    "shouldnt": "should not", "wouldnt": "would not", "couldnt": "could not",
}
_CONTRACTION_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_CONTRACTIONS, key=len, reverse=True))
)
#: "w/o" is "without" (the slash would leave "w", read as "with", and "o").
_WITHOUT = re.compile(r"\bw/o\b")
#: Odd apostrophes, and the Latin letters that NFKD does not split into a plain letter and an accent, spelt as
#: keyboards without them spell them ("miłego" as "milego", "Søren" as "Soren"; casefold makes "ß" "ss" itself).
_FOLDED = str.maketrans({
    "\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "\u0131": "i", "ħ": "h", "Ħ": "H",
    "ŧ": "t", "Ŧ": "T", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
})
#: Any other "'s" is a possessive or an "is" ("my mum's face", "how long's the op"): the word alone says enough.
_APOSTROPHE_S = re.compile(r"(?<=\w)'s\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
#: The same for ASCII text, as a translation table (faster than the regular expression).
_ASCII_NOT_WORD = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum() or chr(c).isupper()})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


#: Punctuation spoken to a voice dictation app and typed out as words ("what are the symptoms full stop").
_SPOKEN_PUNCTUATION = {"question mark": "?", "full stop": ".", "comma": ",", "exclamation mark": "!",
                       "exclamation point": "!"}
_SPOKEN = re.compile(r"\s*\b(" + "|".join(_SPOKEN_PUNCTUATION) + r")\b", re.IGNORECASE)
#: "period" dictated at the end ("what side effects should I watch for period"); not "during my period".
_SPOKEN_PERIOD = re.compile(r"(?<!\bmy)(?<!\bher)(?<!\bthe)(?<!\ba)(?<!\bthis)(?<!\bthat)(?<!\beach)(?<!\bper)"
                            r"(?<!\bwaiting)(?<!\brecovery)(?<!\btrial)\s+period\s*$", re.IGNORECASE)
#: The wake word of a voice assistant a question was dictated to ("alexa what are the symptoms", "hey siri, ...").
_WAKE_WORD = re.compile(r"^(?:(?:hey|ok|okay)\s+(?:google|siri|alexa)|alexa|siri)\b[\s,.:!]*", re.IGNORECASE)


def clean_query(text: str) -> str:
    """Make raw input safe to echo and bounded to match: no escapes, no controls, no surrogates.

    Punctuation dictated as words is written as punctuation: "is it the same as blepharospasm question mark" asks
    (and so is "period" at the end); a voice assistant's wake word opening it ("alexa", "hey siri") is left out.

    Examples
    --------
    >>> clean_query("hi\\x1b[31m there\\x00")
    'hi there'
    >>> clean_query("hello comma what is hfs question mark")
    'hello, what is hfs?'
    >>> clean_query("alexa what side effects should I watch for period")
    'what side effects should I watch for.'
    """
    text = text[: MAX_QUERY_CHARS * 4]
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = _ESCAPE.sub("", text)
    text = _CONTROL.sub(" ", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    text = _SPOKEN.sub(lambda m: _SPOKEN_PUNCTUATION[m.group(1).lower()], text)
    text = _WAKE_WORD.sub("", _SPOKEN_PERIOD.sub(".", text.strip()))
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def normalise(text: str) -> str:
    """Fold case, accents, apostrophes, contractions and punctuation into plain words.

    Examples
    --------
    >>> normalise("What's Hémifacial  SPASM?!")
    'what is hemifacial spasm'
    >>> normalise("I can't sleep")
    'i can not sleep'
    >>> normalise("wat r the treatments")
    'what r the treatments'
    """
    if text.isascii():  # the common case: no accents to strip, casefold is lower, "`" the only odd apostrophe
        text = text.lower()
        if "`" in text:
            text = text.replace("`", "'")
        if "'" in text or "cannot" in text:  # every contraction has one or the other
            text = _APOSTROPHE_S.sub("", _CONTRACTION_RE.sub(_expand, text))
        if "w/o" in text:
            text = _WITHOUT.sub("without", text)
        return _spelt_out(text.translate(_ASCII_NOT_WORD).split())
    return _normalise_unicode(text)


def _spelt_out(words: list[str]) -> str:
    """Join words, with texting spellings spelt out ("wat" -> "what")."""
    if _TEXTING.keys().isdisjoint(words):
        return " ".join(words)
    return " ".join(_TEXTING.get(w, w) for w in words)


def _normalise_unicode(text: str) -> str:
    """Normalise any text (normalise's general case; for ASCII text it gives the same result)."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLDED))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _WITHOUT.sub("without", _APOSTROPHE_S.sub("", _CONTRACTION_RE.sub(_expand, text)))
    return _spelt_out(_NOT_WORD.sub(" ", text).split())


def _expand(match: re.Match[str]) -> str:
    return _CONTRACTIONS[match.group(0)]


class Lexicon:
    """Maps brand names, abbreviations, lay words and spelling variants to canonical terms.

    Examples
    --------
    >>> lex = Lexicon({"carbamazepine": ("tegretol",), "twitch": ("eye jumping", "jumping eye")})
    >>> lex.apply("is tegretol good for eye jumping")
    'is carbamazepine good for twitch'
    """

    def __init__(self, terms: Mapping[str, Iterable[str]] | None = None) -> None:
        mapping: dict[str, str] = {}
        for canonical, variants in (terms or {}).items():
            term = normalise(canonical)
            for variant in variants:
                key = normalise(variant)
                if key and key != term:
                    mapping[key] = term
        self._mapping = mapping
        # Variants by their first word, longest first: at each word the longest variant that starts there wins.
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key in sorted(mapping, key=len, reverse=True):
            key_words = tuple(key.split())
            by_first.setdefault(key_words[0], []).append((key_words, mapping[key]))
        self._by_first = by_first

    def apply(self, words: str) -> str:
        """Replace every known variant in normalised ``words`` by its canonical term."""
        tokens = words.split()
        if self._by_first.keys().isdisjoint(tokens):  # most messages have no variant: a set check, no loop
            return words
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for variant, term in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(variant)]) == variant:
                    out.append(term)
                    i += len(variant)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return " ".join(out)

    @property
    def mapping(self) -> Mapping[str, str]:
        """Each normalised variant and the normalised canonical term it stands for."""
        return MappingProxyType(self._mapping)

    def __len__(self) -> int:
        return len(self._mapping)


def stem(word: str) -> str:
    """Strip the commonest English endings, so "twitching" and "twitches" meet "twitch".

    Examples
    --------
    >>> [stem(w) for w in ("spasms", "twitching", "twitches", "injected", "therapies", "botox", "loss", "aches")]
    ['spasm', 'twitch', 'twitch', 'inject', 'therapy', 'botox', 'loss', 'ache']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("es") and (word[-3] in "sxz" or word[-4:-2] in ("ch", "sh")):
        word = word[:-1] if word.endswith("aches") else word[:-2]  # "twitches", "rashes"; "headaches"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # "stopp(ing)" -> "stop"
    return word


_SOUNDS = (("tion", "shun"), ("sion", "shun"), ("ture", "cher"), ("ph", "f"), ("ck", "k"), ("sh", "s"), ("x", "ks"),
           ("z", "s"), ("q", "k"))
_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"(?<=.)g(?=[eiy])")
_DOUBLED = re.compile(r"(.)\1+")


def sound_key(word: str) -> str:
    """Return how a word sounds, roughly: its first letter, then its consonants, spelt one way and not doubled.

    Examples
    --------
    >>> [sound_key(w) for w in ("fayshul", "facial", "spazum", "spasm", "seerius", "serious", "botocks", "botox")]
    ['fsl', 'fsl', 'spsm', 'spsm', 'srs', 'srs', 'btks', 'btks']
    >>> [sound_key(w) for w in ("opshun", "option", "akupuncher", "acupuncture")]
    ['opsn', 'opsn', 'akpnkr', 'akpnkr']
    """
    for written, said in _SOUNDS:
        word = word.replace(written, said)
    word = _SOFT_G.sub("j", _SOFT_C.sub("s", word).replace("c", "k"))
    key = word[:1] + "".join(ch for ch in word[1:] if ch not in "aeiouyhw")
    return _DOUBLED.sub(r"\1", key)


#: Words with which a message refers back to what came before it: the topic of a conversation ("is there a waiting
#: list for it"), or the sentences before a question ("Is that a known thing after Bell's palsy?").
REFERS_BACK = frozenset("it this that these those them they".split())


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


#: A message of one sentence this long, run on with commas, is read clause by clause for its question.
LONG_SENTENCE_WORDS = 22


def _sentences(text: str) -> list[str]:
    """Split a message into its sentences (those with a letter or digit)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if any(c.isalnum() for c in s)]


#: Words that open a question typed without "?" ("what should i know about it, my doctor suggested it").
_QUESTION_OPENERS = frozenset("""
    what whats how why when where which who whom whose is are am was were do does did can could should would
    will shall may might has have any
""".split())


#: Wanting to know, which asks inside a sentence: "my mum wants to know how long it lasts".
_KNOWING = r"(?:wants?|like|need) to know|wondering"
#: Words that ask inside a sentence typed without "?" ("he asked me if there is a cure", "i wonder whether"; not
#: "if i'm honest").
_QUESTION_CUES = re.compile(rf"\b(?:if(?! i am honest)|whether|wonder|{_KNOWING}|tell me|explain)\b")


def opens_like_a_question(words: str) -> bool:
    """Tell whether normalised ``words`` open like a question ("how long should i...", "can you...").

    Examples
    --------
    >>> opens_like_a_question("how do i ask for a pay rise"), opens_like_a_question("neighbour will feed him")
    (True, False)
    """
    return words.partition(" ")[0] in _QUESTION_OPENERS


#: A question asked inside a sentence typed without "?" ("csf leak what is that", "and a leak, how often does that
#: happen"); not "when" or "where" as a conjunction ("it drips when he bends over").
_ASKING = re.compile(
    r"\b(?:(?:what|which|who|why) (?:exactly )?(?:is|are|was|were|does|do|did|can|could|should|would|will|about)"
    r"|how (?:often|long|much|many|soon|is|are|does|do|did|can|could|should|would|will)"
    r"|(?:when|where) (?:is|are|does|do|can|could|should|would|will))\b"
)


def asks(text: str) -> bool:
    """Tell whether a message asks anything: a "?", a sentence that opens like a question, or one that asks inside.

    Examples
    --------
    >>> asks("csf leak what is that"), asks("he has clear fluid dripping from his nose since yesterday")
    (True, False)
    """
    return "?" in text or any(
        opens_like_a_question(words := normalise(s)) or _QUESTION_CUES.search(words) or _ASKING.search(words)
        for s in _sentences(text)
    )


#: A question asked within a sentence: "she wants to know how long it lasts", "i wonder what causes it".
_ASKING_WITHIN = re.compile(rf"{_ASKING.pattern}|\b(?:{_KNOWING}|i wonder)\b")


def asks_within(text: str) -> bool:
    """Tell whether a message asks with a "?" or within a sentence ("my mum wants to know how long it lasts").

    Examples
    --------
    >>> asks_within("my mum wants to know how long it lasts"), asks_within("will ask the neuro")
    (True, False)
    """
    return "?" in text or any(_ASKING_WITHIN.search(normalise(s)) for s in _sentences(text))


#: Words that name a person, of whom a message may report something ("he has", "my mum's face").
_PERSON = frozenset("i im ive he she we they my his her their our me him us".split())


def reports(text: str) -> bool:
    """Tell whether a message reports something of someone: it names a person and asks nothing.

    Examples
    --------
    >>> reports("he has clear fluid dripping from his nose"), reports("massage for a stiff neck")
    (True, False)
    >>> reports("is clear fluid from my nose normal?")
    False
    """
    return not _PERSON.isdisjoint(normalise(text).split()) and not asks(text)


#: Where a message's clauses end: a sentence's end or a comma, semicolon or dash.
_CLAUSE_END = re.compile(r"[.!?;,]+|\s-\s")


def split_clauses(text: str) -> list[str]:
    """Split a message into its clauses: its sentences cut at commas, semicolons and dashes (those with a word)."""
    return [c.strip() for c in _CLAUSE_END.split(text) if any(ch.isalnum() for ch in c)]


#: Someone having something, in normalised words: "i have got a rash", "my mum has bruises", "she also has a headache";
#: or, tersely texted, how long on a pill or since when ("on it 10 days now rash", "fluid from nose since yday").
_TELLS = re.compile(
    r"\b(?:i|ive|we|weve|he|she|they|theyve|(?:my|his|her|our) \w+(?: \w+)?) "
    r"(?:(?:have|has|had|is|are|now|also|just|suddenly|really|keeps?) )*"
    r"(?:got|has|have|had|developed|noticed|getting|woke up with|came out in|come out in)\b"
    r"|\b(?:and|now|also) (?:has|has got|have got|developed)\b"  # "my mum's been on it a month and has bruises"
    r"|^(?:(?:and|also|now|but) )*there (?:is|are|was)\b"  # "also there's clear water coming out of that ear"
    r"|\b(?:started|been on|had|on|taking) (?:it|them)\b"  # "started it last wk, now red rash spreading all over"
    r"|\b(?:days?|wks?|weeks?|months?) in\b"  # "3 wks in now rash + fever"
    r"|\bsince (?:yday|yesterday|today|this morning|last night|the (?:op|operation|surgery))\b"  # "... since yday"
    r"|^(?:(?:and|but|also) )*(?:now|getting|having|got)\b"  # tersely, what is new: "now blistery rash, mouth sores"
    r"|\bday \d+\b|\bnow$"  # ... or when: "fever n stiff neck now day 6", "fever and stiff neck now"
)


def told_part(text: str) -> str:
    """Return what a message tells of someone having something, leaving out the parts that ask ("" if none).

    A message that asks may tell first: "ive got a red rash on my chest, is that from it?" tells of the rash; "i have
    a question, what is a csf leak?" tells of no leak.

    Examples
    --------
    >>> told_part("ive got a red rash on my chest, is that from it?")
    'ive got a red rash on my chest'
    >>> told_part("i have a question, what is a csf leak?"), told_part("can it cause a rash?")
    ('i have a question', '')
    >>> told_part("my mum has loads of bruises she can't explain")
    "my mum has loads of bruises she can't explain"
    >>> told_part("3 wks in now rash + fever"), told_part("clear fluid dripping from nose since yday")
    ('3 wks in now rash + fever', 'clear fluid dripping from nose since yday')
    >>> told_part("now blistery rash, mouth sores"), told_part("getting worse + vomiting")
    ('now blistery rash, mouth sores', 'getting worse + vomiting')
    >>> told_part("fever n stiff neck now day 6"), told_part("a stiff neck now")
    ('fever n stiff neck now day 6', 'a stiff neck now')
    """
    parts = [(p, normalise(p)) for p in split_clauses(text)]
    kept = [(p, w) for p, w in parts if not opens_like_a_question(w) and not _ASKING.search(w)]
    told = ", ".join(p for p, _ in kept)
    return told if _TELLS.search(" ".join(w for _, w in kept)) is not None else ""


def _asked(sentences: list[str]) -> int:
    """Return the index of the sentence that asks: the last with "?", else the last opening like one, else the last
    that asks inside ("he asked if there is a cure"), else the last."""
    asked = [n for n, s in enumerate(sentences) if s.rstrip().endswith("?")]
    if not asked:
        asked = [n for n, s in enumerate(sentences) if opens_like_a_question(normalise(s))]
    if not asked:
        asked = [n for n, s in enumerate(sentences) if _QUESTION_CUES.search(normalise(s))]
    return (asked or [len(sentences) - 1])[-1]


#: Words with which a message says its own story is not its question ("I have HFS, but that's not why I'm
#: writing."), read in normalised text: what comes after them is the message.
_CHANGE_OF_SUBJECT = re.compile(
    r"\b(?:off topic|(?:that|this) is not (?:why i am (?:here|writing|asking)|my question|the (?:issue|problem|question"
    r"|point)|about (?:that|it|my \w+))|(?:that|this) is a (?:separate|different) (?:story|issue|question|matter|thing)"
    r"|never mind (?:that|it|the \w+)|nothing to do with (?:that|it|my \w+)|(?:not related|unrelated) to my \w+"
    r"|(?:a|completely) different (?:question|topic)|change of subject|not what i am asking"
    r"|what i (?:meant|wanted|want|mean) to (?:ask|say)(?: is| was)?|my (?:real|actual) question (?:is|was)"
    r"|^(?:(?:ok|okay|right|fine|well) )?forget (?:about )?(?:the )?(?:money|costs?|prices?|insurance|that))\b"
)


#: A message that corrects what the patient asked before ("no sorry, I meant the pills", "sorry, I meant surgery"), read
#: in normalised text: what comes after it is what they meant ("i meant to ask ..." is a change of subject instead).
_CORRECTION = re.compile(
    r"^(?:(?:no|nope|oops|sorry|sry|oh|ah|well)\s+)*i (?:meant|mean|was asking about|was talking about) (?!to\b)"
)


#: What a correction says it did not mean, at its end: "i meant the pills not the jabs".
_NOT_THAT = re.compile(r" (?:not|rather than|instead of) (?:the |a |an )?\w+(?: \w+)?$")


def corrected(words: str) -> str:
    """Return what a correction says the patient meant, as a question; normalised ``words`` themselves otherwise.

    A question after the correction is that question; a name alone asks about it as "what about ..." does, so it
    may carry on the aspect asked before.

    Examples
    --------
    >>> corrected("no sorry i meant the pills"), corrected("no i meant how successful it is")
    ('what about the pills', 'how successful it is')
    >>> corrected("sorry i meant the pills not the jabs")
    'what about the pills'
    >>> corrected("i meant to ask about botox"), corrected("what is botox")
    ('i meant to ask about botox', 'what is botox')
    """
    found = _CORRECTION.match(words)
    rest = _NOT_THAT.sub("", words[found.end() :]) if found is not None else ""
    if not rest:
        return words
    return rest if opens_like_a_question(rest) else f"what about {rest}"


def after_change_of_subject(text: str, words: str | None = None) -> str:
    """Return a message without the story it says is not its question; the message itself otherwise.

    The words set aside are the clause before the marker ("I have HFS, but that's not why I'm writing") or,
    when the marker opens its sentence ("Off topic, but ..."), the sentences before it. ``words`` is the
    message normalised, when the caller has it.

    Examples
    --------
    >>> after_change_of_subject("My knee hurts. I have HFS, but that's not the issue. What helps?")
    'My knee hurts. What helps?'
    >>> after_change_of_subject("HFS patient here. Off topic, but my car insurance went up. Is it worth switching?")
    'but my car insurance went up. Is it worth switching?'
    >>> after_change_of_subject("what is botox")
    'what is botox'
    """
    if _CHANGE_OF_SUBJECT.search(normalise(text) if words is None else words) is None:
        return text  # no marker anywhere (normalising the sentences one by one finds none either)
    sentences = _sentences(text)
    for n in range(len(sentences) - 1, -1, -1):
        words = normalise(sentences[n])
        found = next(reversed([*_CHANGE_OF_SUBJECT.finditer(words)]), None)
        if found is None or sentences[n].rstrip().endswith("?"):
            continue  # no marker, or a question about it ("is this twitch unrelated to my hfs?")
        rest = words[found.end() :].strip()
        opens = not words[: found.start()].strip()
        kept = ([] if opens else sentences[:n]) + ([f"{rest}."] if rest else []) + sentences[n + 1 :]
        return " ".join(kept) if kept else text
    return text


def question_parts(text: str) -> tuple[str, ...]:
    """Return the parts of a message of several sentences that may ask its question on their own (() for one).

    First the sentence that asks (the last ending in "?"; without one, the last that opens like a question,
    "what should i know about it, my doctor suggested it. i am 62"; or else the last); where a sentence comes before
    it and is not the whole rest of the message, that sentence and the question together: a short question
    often leans on the one before it ("He is torn between the operation and Botox. How do the two
    compare?"); then every other sentence that asks ("Botox or the op? I'm 56. How do people decide?").
    A message of one long sentence run on with commas (LONG_SENTENCE_WORDS) is read so, clause by clause.

    Examples
    --------
    >>> question_parts("I'm 58. My doctor offers Botox. How long does it last?")
    ('How long does it last?', 'My doctor offers Botox. How long does it last?')
    >>> question_parts("I'm 58. How long does Botox last?")
    ('How long does Botox last?',)
    >>> question_parts("Is it serious? I'm 58. Will it spread?")
    ('Will it spread?', "I'm 58. Will it spread?", 'Is it serious?')
    >>> question_parts("what should i know about tegretol. i am 62 with kidney problems")
    ('what should i know about tegretol.',)
    >>> question_parts("what is botox")
    ()
    """
    sentences = _sentences(text)
    if len(sentences) == 1 and len(sentences[0].split()) >= LONG_SENTENCE_WORDS:
        # Its clauses, without their punctuation: the "?" at its end does not pick the last ("..., which is better
        # for someone like me, a teacher who talks all day?" asks in the clause that opens like a question).
        sentences = split_clauses(sentences[0])
    if len(sentences) < 2:
        return ()
    n = _asked(sentences)
    parts = [sentences[n]]
    if n > 0 and len(sentences) > 2:
        parts.append(f"{sentences[n - 1]} {sentences[n]}")
    parts.extend(s for s in sentences[:n] if s.rstrip().endswith("?") and s not in parts)
    return tuple(parts)
