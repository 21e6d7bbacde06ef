"""Red-flag detection: typo-tolerant, negation-, hypothesis- and chronicity-aware phrase rules.

The detector knows no medical words: the vocabulary (symptom groups, cue lists and the rules that
combine them) is content, loaded from ``redflags.yaml`` by :mod:`chatbot.content`.

How a message is read
---------------------
- It is cut into *sentences* (``. ! ?`` and line breaks), each sentence into *clauses* (other
  punctuation and the ``clause_breaks`` words, such as "and"), and clauses are grouped into
  *segments* that end at a ``contrast`` word (such as "but") or at the end of the sentence.
  Words listed in ``spellings`` are first replaced by their standard form ("cant" -> "can not").
- Every phrase is a sequence of words; a word of ``typo_min_length`` letters or more also matches
  words at least ``typo_min_ratio`` similar (rapidfuzz ``fuzz.ratio``) that start like a slip of the
  finger (the same first letter, a key next to it, the first letter left out or one typed before it);
  shorter words, and the message words listed in ``not_typos``, match exactly.
  A phrase starting with ``^`` only matches at the start of a clause.
- A group hit is *negated* when a negation cue starts at most ``negation_window`` words before it in
  the same clause; *hypothetical* when a hypothetical cue appears earlier in its segment (or in its
  clause); *hearsay* when a hearsay cue ("I read", "I heard") appears earlier in its clause (only
  there: "I read the leaflet, clear fluid is leaking" reports a sign); *chronic* when a chronic cue
  appears in its segment and its clause has no hit of the chronic cue list's ``unless`` group. Cue
  words inside a group hit ("not" in "can not lift") and cue hits inside one of the cue list's
  ``except`` phrases ("not sure") are no cues.
- A rule fires when each of its ``signs`` groups has a valid hit in one sentence, each within
  ``within`` words of the first sign, each of its ``needs`` groups has a non-negated hit
  anywhere in the message (an onset, the chronic cue list's ``unless`` group, only outside a chronic cue's
  clause: "it started 18 months ago" is no sudden onset), none of its ``unless`` groups has one in that
  sentence, and none of its ``unless_said`` groups has one anywhere in the message. A context group the
  caller says is known counts as present for both (Bot._alarm passes the ``unless_said`` groups the topic
  just answered says).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from rapidfuzz import fuzz, process

from .text import normalise

__all__ = ["Alarm", "CueList", "Phrase", "RedFlags", "Rule", "calming", "detect", "parse_phrase"]

#: How many warning signs a message must deny to be calming: one may be a slip ("never ignore a droop").
MIN_DENIED = 2

_SENTENCE = re.compile(r"[.!?\n\r]+")
_CLAUSE = re.compile(r"[,;:()\[\]{}]+|\s[-\u2013\u2014]+\s")


@dataclass(frozen=True)
class Phrase:
    """A sequence of normalised words; ``anchored`` phrases only match at the start of a clause."""

    words: tuple[str, ...]
    anchored: bool = False

    def __str__(self) -> str:
        return ("^" if self.anchored else "") + " ".join(self.words)


def parse_phrase(text: str) -> Phrase:
    """Turn vocabulary text into a Phrase: normalised words, a leading ``^`` anchors it.

    Examples
    --------
    >>> parse_phrase("^Can't")
    Phrase(words=('can', 'not'), anchored=True)
    """
    stripped = text.strip()
    anchored = stripped.startswith("^")
    return Phrase(tuple(normalise(stripped[1:] if anchored else stripped).split()), anchored)


@dataclass(frozen=True)
class CueList:
    """Cue phrases, the look-alike phrases that are no cue, and the group that overrides them."""

    phrases: tuple[Phrase, ...]
    exceptions: tuple[Phrase, ...] = ()
    unless: str | None = None


@dataclass(frozen=True)
class Rule:
    """Fires when all ``signs`` occur close together, every ``needs`` occurs, and no ``unless`` in the sentence."""

    name: str
    signs: tuple[str, ...]
    needs: tuple[str, ...] = ()
    within: int | None = None
    unless: tuple[str, ...] = ()
    #: Groups that stop the rule wherever they occur in the message (not negated), not only in its sentence.
    unless_said: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedFlags:
    """The red-flag vocabulary of a knowledge base; immutable."""

    response: str
    groups: Mapping[str, tuple[Phrase, ...]]
    rules: tuple[Rule, ...]
    negation: CueList = field(default_factory=lambda: CueList(()))
    hypothetical: CueList = field(default_factory=lambda: CueList(()))
    hearsay: CueList = field(default_factory=lambda: CueList(()))
    chronic: CueList = field(default_factory=lambda: CueList(()))
    clause_breaks: tuple[str, ...] = ()
    contrast: tuple[str, ...] = ()
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: Words spelt right that look like a red-flag word ("brushes" like "bruises"): never read as its typo.
    not_typos: frozenset[str] = frozenset()
    #: Phrases in which no word is a sign ("fallen asleep": "fallen" is no drooping face there).
    not_signs: tuple[Phrase, ...] = ()
    #: A group the conversation has already said, by the topic just answered: group -> those topics' intent ids.
    context: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    #: The answer for a question about urgent care from a message that denies warning signs ("no droop, no weakness,
    #: should I go to A&E?"; see calming), instead of the urgent-care one. None: the urgent-care answer.
    calm_response: str | None = None
    negation_window: int = 4
    typo_min_length: int = 5
    typo_min_ratio: float = 85.0
    _long_words: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    _by_first_word: Mapping[str, tuple[tuple[str, Phrase], ...]] = field(
        default_factory=lambda: MappingProxyType({}), init=False, repr=False, compare=False
    )
    _group_words: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), init=False, repr=False, compare=False
    )
    _group_phrases: Mapping[str, Mapping[str, tuple[tuple[str, Phrase], ...]]] = field(
        default_factory=lambda: MappingProxyType({}), init=False, repr=False, compare=False
    )
    _rule_groups: tuple[frozenset[str], ...] = field(default=(), init=False, repr=False, compare=False)
    _sign_groups: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    _needs: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    #: Each message word's typo matches, kept once computed (words of everyday questions recur).
    _typos: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", MappingProxyType(dict(self.groups)))
        object.__setattr__(self, "spellings", MappingProxyType(dict(self.spellings)))
        object.__setattr__(self, "context", MappingProxyType(dict(self.context)))
        # Every phrase list under one key ("group:NAME", "negation", "negation:except", ...), indexed by
        # its first word, so that a message is read in one pass whatever the size of the vocabulary.
        index: dict[str, list[tuple[str, Phrase]]] = {}
        words: set[str] = set()
        for key, phrases in self._lists():
            for phrase in phrases:
                index.setdefault(phrase.words[0], []).append((key, phrase))
                words.update(w for w in phrase.words if len(w) >= self.typo_min_length)
        object.__setattr__(self, "_long_words", tuple(sorted(words)))
        object.__setattr__(self, "_by_first_word", MappingProxyType({w: tuple(v) for w, v in index.items()}))
        # What a message must contain for a rule to have a chance: a phrase of each group it uses (one-word phrases:
        # word -> groups; longer ones: first word -> second word -> (group, phrase), as a common first word such as
        # "can" or "i" starts dozens of phrases).
        single: dict[str, set[str]] = {}
        starts: dict[str, dict[str, list[tuple[str, Phrase]]]] = {}
        for name, phrases in self.groups.items():
            for phrase in phrases:
                if len(phrase.words) == 1:
                    single.setdefault(phrase.words[0], set()).add(name)
                else:
                    starts.setdefault(phrase.words[0], {}).setdefault(phrase.words[1], []).append((name, phrase))
        object.__setattr__(self, "_group_words", MappingProxyType({w: frozenset(g) for w, g in single.items()}))
        object.__setattr__(self, "_group_phrases", MappingProxyType(
            {w: {second: tuple(g) for second, g in by_second.items()} for w, by_second in starts.items()}))
        object.__setattr__(self, "_rule_groups", tuple(frozenset((*r.signs, *r.needs)) for r in self.rules))
        object.__setattr__(self, "_sign_groups", frozenset(g for r in self.rules for g in r.signs))
        object.__setattr__(self, "_needs", frozenset(g for r in self.rules for g in r.needs))

    def _lists(self) -> Iterator[tuple[str, tuple[Phrase, ...]]]:
        for name, phrases in self.groups.items():
            yield f"group:{name}", phrases
        for name in ("negation", "hypothetical", "hearsay", "chronic"):
            cues: CueList = getattr(self, name)
            yield name, cues.phrases
            yield f"{name}:except", cues.exceptions
        yield "not_signs", self.not_signs


@dataclass(frozen=True)
class Alarm:
    """A rule that fired, and the words of the message that made it fire."""

    rule: str
    evidence: tuple[str, ...]
    #: The content's context groups present when it fired ("botox", "anticonvulsant"): what the patient had said.
    context: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"red flag {self.rule!r} (matched {', '.join(repr(e) for e in self.evidence)})"


# Internal values are named tuples: cheaper to make than frozen dataclasses, and as immutable.
class _Hit(NamedTuple):
    start: int
    end: int
    clause: int
    text: str


class _Sentence(NamedTuple):
    words: tuple[str, ...]
    clause_of: tuple[int, ...]      # clause index of each word
    clause_start: frozenset[int]    # word positions that begin a clause
    segment_of: tuple[int, ...]     # segment index of each clause


def _sentences(text: str, flags: RedFlags) -> Iterator[_Sentence]:
    breaks, contrast = set(flags.clause_breaks), set(flags.contrast)
    for raw in _SENTENCE.split(text):
        words: list[str] = []
        clause_of: list[int] = []
        starts: set[int] = set()
        segment_of: list[int] = []
        clause, segment, open_clause = -1, 0, False
        for chunk in _CLAUSE.split(raw):
            open_clause = False
            for word in _spelt(flags, chunk):
                if word in breaks or word in contrast:
                    if word in contrast:
                        segment += 1
                    open_clause = False
                    continue
                if not open_clause:
                    clause += 1
                    segment_of.append(segment)
                    starts.add(len(words))
                    open_clause = True
                words.append(word)
                clause_of.append(clause)
        if words:
            yield _Sentence(tuple(words), tuple(clause_of), frozenset(starts), tuple(segment_of))


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
#: The letters next to each letter on a QWERTY keyboard (same row, and the rows above and below).
_NEIGHBOURS = {
    letter: frozenset(
        other
        for r in range(max(0, row - 1), min(len(_KEYBOARD), row + 2))
        for other in _KEYBOARD[r][max(0, col - 1) : col + 2]
    )
    for row, keys in enumerate(_KEYBOARD)
    for col, letter in enumerate(keys)
}


def _may_start(typed: str, meant: str) -> bool:
    """Whether ``typed`` can be a typo of ``meant`` at its start.

    It can when it has the same first letter, a key next to it, the first letter left out, or a letter
    typed before it. "painted" is not a typo of "fainted": p and f are far apart.
    """
    first = meant[:1]
    return (
        typed[:1] == first
        or typed[:1] in _NEIGHBOURS.get(first, ())
        or typed[:1] == meant[1:2]
        or typed[1:2] == first
    )


#: The typo cache stops growing at this many words (a flood of made-up words must not fill memory).
MAX_CACHED_TYPOS = 50_000


def _similar(words: Iterable[str], flags: RedFlags) -> dict[str, frozenset[str]]:
    """Map each word of the message to the vocabulary words it may be a misspelling of."""
    cache = flags._typos
    found: dict[str, frozenset[str]] = {}
    unknown: list[str] = []
    for word in words:
        if word in flags.not_typos:
            found[word] = frozenset()
            continue
        known = cache.get(word)
        if known is None:
            unknown.append(word)
        else:
            found[word] = known
    if not unknown:
        return found
    vocabulary = flags._long_words
    if not vocabulary:
        fresh = dict.fromkeys(unknown, frozenset[str]())
    elif flags.typo_min_ratio <= 0:
        fresh = dict.fromkeys(unknown, frozenset(vocabulary))
    else:
        # One call scores every word against the whole vocabulary; scores under the cutoff come back as 0.
        scores = process.cdist(unknown, vocabulary, scorer=fuzz.ratio, score_cutoff=flags.typo_min_ratio)
        fresh = {
            word: frozenset(
                vocabulary[j] for j in row.nonzero()[0].tolist() if _may_start(word, vocabulary[j])
            )
            for word, row in zip(unknown, scores, strict=True)
        }
    if len(cache) < MAX_CACHED_TYPOS:
        cache.update(fresh)  # the same words give the same matches: a race only repeats the work
    found.update(fresh)
    return found


def _find_all(sentence: _Sentence, flags: RedFlags, similar: dict[str, frozenset[str]]) -> dict[str, list[_Hit]]:
    """Find the hits of every phrase list in one sentence, keyed like RedFlags._lists."""
    hits: dict[str, list[_Hit]] = {}
    words, clause_of = sentence.words, sentence.clause_of
    for i, word in enumerate(words):
        for first in (word, *similar[word]):
            for key, phrase in flags._by_first_word.get(first, ()):
                n = len(phrase.words)
                if i + n > len(words) or clause_of[i + n - 1] != clause_of[i]:
                    continue
                if phrase.anchored and i not in sentence.clause_start:
                    continue
                if all(w == words[i + j] or w in similar[words[i + j]] for j, w in enumerate(phrase.words[1:], 1)):
                    found = hits.setdefault(key, [])
                    hit = _Hit(i, i + n, clause_of[i], " ".join(words[i : i + n]))
                    if hit not in found:
                        found.append(hit)
    return hits


def _inside(hit: _Hit, others: list[_Hit]) -> bool:
    """Tell whether a hit is part of a longer one of ``others`` ("fallen" of "fallen asleep", not "falling asleep")."""
    return any(o.start <= hit.start and hit.end <= o.end and hit.end - hit.start < o.end - o.start for o in others)


def _overlaps(hit: _Hit, others: list[_Hit]) -> bool:
    return any(hit.start < o.end and o.start < hit.end for o in others)


def _cues(name: str, hits: dict[str, list[_Hit]], group_hits: list[_Hit]) -> list[_Hit]:
    """A cue list's hits, without those inside one of its exceptions or inside a group hit."""
    exceptions = hits.get(f"{name}:except", [])
    return [h for h in hits.get(name, []) if not _overlaps(h, exceptions) and not _overlaps(h, group_hits)]


class _Reading(NamedTuple):
    """Per sentence: each group's non-negated hits, which of them are valid signs, and how many denials it has."""

    present: Mapping[str, tuple[_Hit, ...]]
    signs: Mapping[str, tuple[_Hit, ...]]
    denials: int
    #: Whether every hit of the chronic cue list's ``unless`` group (the onset) shares its clause with a chronic cue:
    #: "it started about 18 months ago" tells of no sudden onset.
    past_onset: bool


def _read(sentence: _Sentence, flags: RedFlags, similar: dict[str, frozenset[str]]) -> _Reading:
    found = _find_all(sentence, flags, similar)
    blocked = found.get("not_signs", [])
    group_hits = {name: sorted(kept, key=lambda h: h.start) for name in flags.groups
                  if (kept := [h for h in found.get(f"group:{name}", ()) if not _inside(h, blocked)])}
    every_hit = [h for hits in group_hits.values() for h in hits]
    negations = _cues("negation", found, every_hit)
    hypotheses = _cues("hypothetical", found, every_hit)
    hearsay = _cues("hearsay", found, every_hit)
    chronic = _cues("chronic", found, every_hit)

    def cancels(cue: _Hit, hit: _Hit) -> bool:
        return cue.clause == hit.clause and cue.end <= hit.start and hit.start - cue.start <= flags.negation_window

    def negated(hit: _Hit) -> bool:
        return any(cancels(n, hit) for n in negations)

    present = {name: tuple(h for h in hits if not negated(h)) for name, hits in group_hits.items()}
    segment = sentence.segment_of
    override = {h.clause for h in present.get(flags.chronic.unless or "", ())}

    def supposed(hit: _Hit) -> bool:
        seg = segment[hit.clause]
        return (any(segment[q.clause] == seg and q.clause <= hit.clause for q in hypotheses)
                or any(q.clause == hit.clause and q.start < hit.start for q in hearsay))

    def valid_sign(hit: _Hit) -> bool:
        return not supposed(hit) and (
            hit.clause in override or all(segment[c.clause] != segment[hit.clause] for c in chronic))

    signs = {name: tuple(h for h in hits if valid_sign(h)) for name, hits in present.items()}
    # A denial is a sign a negation cue cancels where it is told, not supposed: "no droop, no weakness" and "no weakness
    # or drooping" have two (a word of two groups is one), "never ignore a droop" one, "what signs should i never
    # ignore with facial twitching?" none.
    sign_hits = [h for name, hits in group_hits.items() if name in flags._sign_groups for h in hits]
    denials = len({h.start for h in sign_hits if negated(h) and not supposed(h)})
    chronic_clauses = {c.clause for c in chronic}
    onset = present.get(flags.chronic.unless or "", ())
    return _Reading(present, signs, denials, bool(onset) and all(h.clause in chronic_clauses for h in onset))


def _fires(rule: Rule, reading: _Reading) -> tuple[_Hit, ...] | None:
    """Return the hits that make ``rule`` fire in one sentence, or None."""
    if any(reading.present.get(name) for name in rule.unless):
        return None
    first, *others = rule.signs
    for anchor in reading.signs.get(first, ()):
        chosen = [anchor]
        for name in others:
            near = [
                h for h in reading.signs.get(name, ())
                if rule.within is None or (h.start - anchor.end <= rule.within and anchor.start - h.end <= rule.within)
            ]
            if not near:
                break
            chosen.append(near[0])
        else:
            return tuple(chosen)
    return None


def _possible_groups(words: list[str], flags: RedFlags, similar: dict[str, frozenset[str]]) -> set[str]:
    """Return the groups with a phrase on consecutive words of the message (clauses and anchors aside)."""
    found: set[str] = set()
    size = len(words)
    for i, word in enumerate(words):
        for first in (word, *similar[word]):
            found.update(flags._group_words.get(first, ()))
            by_second = flags._group_phrases.get(first)
            if by_second is None or i + 1 == size:
                continue
            for second in (words[i + 1], *similar[words[i + 1]]):
                for name, phrase in by_second.get(second, ()):
                    wanted = phrase.words
                    if name in found or i + len(wanted) > size:
                        continue
                    j = 2  # a plain loop: this runs for every phrase of a common pair of words ("can i")
                    while j < len(wanted) and (wanted[j] == words[i + j] or wanted[j] in similar[words[i + j]]):
                        j += 1
                    if j == len(wanted):
                        found.add(name)
    return found


def _spelt(flags: RedFlags, text: str) -> list[str]:
    """Return a message's normalised words, each dialect spelling as the words it stands for ("cannae": "can not")."""
    return [w for v in normalise(text).split() for w in flags.spellings.get(v, (v,))]


def named_context(flags: RedFlags, text: str) -> frozenset[str]:
    """Return the context groups (redflags.yaml's ``context``) a message names: "im on tegretol" names anticonvulsant.

    Examples
    --------
    >>> flags = RedFlags(
    ...     response="help", rules=(), groups={"botox": (parse_phrase("botox"),)},
    ...     context={"botox": frozenset({"botox"})},
    ... )
    >>> sorted(named_context(flags, "had my Botox last week")), sorted(named_context(flags, "what is hfs"))
    (['botox'], [])
    """
    words = _spelt(flags, text)
    return frozenset(_possible_groups(words, flags, _similar(set(words), flags)) & flags.context.keys())


def detect(
    flags: RedFlags, text: str, topic: str | None = None, known: Iterable[str] = (),
) -> Alarm | None:
    """Return the first red-flag rule the message sets off, or None.

    ``topic`` is the intent just answered in the conversation: a rule's need that the content's ``context`` lists
    for that topic counts as present. So does a context group, or a group some rule needs, in ``known`` (Bot._alarm
    passes what the conversation said, for what a message tells of someone).

    Examples
    --------
    >>> flags = RedFlags(
    ...     response="help", rules=(Rule("limb", ("limb", "weak")),),
    ...     groups={"limb": (parse_phrase("arm"),), "weak": (parse_phrase("weak"),)},
    ...     negation=CueList((parse_phrase("no"),)),
    ... )
    >>> str(detect(flags, "my arm is weak"))
    "red flag 'limb' (matched 'arm', 'weak')"
    >>> detect(flags, "no weak arm") is None
    True
    """
    # The message's words, read whole: cutting it into sentences and clauses (at punctuation, which
    # normalise() turns into spaces, and at clause-break words) first gives the same words in the same
    # order, with a phrase's hit on consecutive ones, so the check below can come first.
    words = _spelt(flags, text)
    similar = _similar(set(words), flags)
    said = frozenset(g for g, ids in flags.context.items() if topic in ids) if topic else frozenset()
    said |= (flags.context.keys() | flags._needs) & set(known)
    possible = _possible_groups(words, flags, similar) | said
    if not any(groups <= possible for groups in flags._rule_groups):
        return None  # a rule fires only on hits of all its groups
    readings = _readings(flags, text, similar)
    present = {name for r in readings for name, hits in r.present.items() if hits} | said
    # An onset told only beside a chronic cue is no need met: "it started about 18 months ago" is no sudden one.
    needed = {name for r in readings for name, hits in r.present.items()
              if hits and not (r.past_onset and name == flags.chronic.unless)} | said
    for rule in flags.rules:
        if not all(need in needed for need in rule.needs) or not present.isdisjoint(rule.unless_said):
            continue
        for reading in readings:
            hits = _fires(rule, reading)
            if hits is not None:
                return Alarm(rule.name, tuple(h.text for h in hits), frozenset(flags.context.keys() & present))
    return None


def _readings(flags: RedFlags, text: str, similar: dict[str, frozenset[str]]) -> list[_Reading]:
    """Read each sentence of a message (``similar``: its words' typo matches, completed here if need be)."""
    sentences = list(_sentences(text, flags))
    unseen = {w for s in sentences for w in s.words}.difference(similar)
    if unseen:  # never from detect, by its reasoning (tests/test_safety.py checks it); a wrong guess must not crash
        similar.update(_similar(unseen, flags))
    return [_read(sentence, flags, similar) for sentence in sentences]


def calming(flags: RedFlags, text: str) -> bool:
    """Tell whether a message denies MIN_DENIED warning signs or more ("no droop, no weakness, just a twitch").

    Examples
    --------
    >>> flags = RedFlags(
    ...     response="help", rules=(Rule("droop", ("droop",)), Rule("speech", ("slur",))),
    ...     groups={"droop": (parse_phrase("droop"),), "slur": (parse_phrase("slurred"),)},
    ...     negation=CueList((parse_phrase("no"),)),
    ... )
    >>> calming(flags, "no droop, no slurred speech. A&E?"), calming(flags, "no droop or slurred speech. A&E?")
    (True, True)
    >>> calming(flags, "no droop, should I go to A&E?"), calming(flags, "when should I go to A&E?")
    (False, False)
    """
    return sum(r.denials for r in _readings(flags, text, {})) >= MIN_DENIED
