"""Rank the intents for a question: IDF-weighted word overlap, typo-tolerant, index-accelerated."""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .content import KnowledgeBase
from .text import REFERS_BACK, Lexicon, normalise, opens_like_a_question, sound_key, stem

__all__ = ["Candidate", "Matcher"]

#: Weight of a pair of neighbouring words relative to a single word.
BIGRAM_WEIGHT = 0.6
#: Share of the word score taken by the intent's closest pattern; the rest is the whole intent's profile.
BEST_PATTERN_SHARE = 0.5
#: Share of the final score taken by character-level similarity (rapidfuzz) to the closest pattern.
CHARACTER_SHARE = 0.4
#: Weight of an everyday filler word that the content does not use (a content word scores up to ~log N).
FILLER_IDF = 0.1
#: Weight of a question word the content never uses, relative to the rarest content word: without
#: off-topic examples, a word nobody wrote is the best sign that a question is about something else.
UNKNOWN_WEIGHT = 2.0
#: The same, when the content has off-topic examples: they model "something else" directly, so a word
#: nobody wrote is more often a patient's own context ("I'm a teacher") than another subject.
UNKNOWN_WEIGHT_WITH_OFFTOPIC = 0.75
#: How many intents, ranked by word score, are rescored at the character level.
SHORTLIST = 6
#: A word of the content's dictionary is re-spelt only into an inflection of itself: the same first
#: MIN_INFLECTED_STEM letters or more, then one of these endings on either side ("driver" / "drives",
#: "electrical" / "electric", "overgrow" / "overgrowth").
MIN_INFLECTED_STEM = 4
INFLECTIONS = frozenset(("", "s", "es", "e", "d", "ed", "ing", "r", "er", "ers", "y", "ly", "t", "al", "th"))
#: A word of at least MIN_SOUNDED letters that no slip explains, and that the content's dictionary does not know, may
#: be spelt as it sounds: a content word with the same sound key (text.sound_key) of at least MIN_SOUND_KEY letters.
MIN_SOUNDED = 5
MIN_SOUND_KEY = 3
#: First letters a dyslexic writer may mirror ("dotox", "bifference"): a word may start with either.
MIRRORED = {"b": "d", "d": "b", "p": "q", "q": "p"}
#: In a base of many intents (PRESELECT_FROM or more), only the patterns of the PRESELECT intents whose
#: profiles score best are scored: there, those patterns are a small share of all.
PRESELECT = 32
PRESELECT_FROM = 8 * PRESELECT
#: Words used by more than this share of the intents take no part in preselecting them.
COARSE_SHARE = 0.1
#: "like a" or "like an", or "like" before a word no content uses, opens a simile: of its next SIMILE_WORDS words
#: (the article aside), those no content uses are imagery, not a subject ("like a rubber band", "like dough").
SIMILE_ARTICLES = frozenset(("a", "an"))
SIMILE_WORDS = 3
#: After these, "like" is the verb ("i would like hotels near the clinic", "do you like cats"), not a simile; as stems,
#: which is how Matcher._without_imagery reads them ("does" is "doe"; "i'd" is already "i would", "id" as typed).
LIKE_AS_A_VERB = frozenset(stem(w) for w in "i we you they he she would id do does did not to really also".split())

#: The lead the best intent needs over the off-topic examples before its score is lowered.
OFFTOPIC_MARGIN = 0.15
#: How steeply scores fall per point the best intent lacks of that lead.
OFFTOPIC_PENALTY = 3.0
#: How many off-topic examples, ranked by word score, are compared at the character level.
OFFTOPIC_SHORTLIST = 10
#: How much each unit of the question's words' log-odds of being about our topics lowers that lead.
DOMAIN_WEIGHT = 0.02
#: How many leading intents are compared on the words that tell them apart.
CONTRAST_TOP = 5
#: How far an intent falls behind the leader in the question's words that separate the leading intents
#: (as a share of all its weight) lowers its score: neighbours such as "MVD risks" and "MVD procedure"
#: share most words, and the one word only one of them has ("dangerous") should decide between them.
CONTRAST_WEIGHT = 0.15
#: The shortfall against the off-topic examples of a question that names another subject (offtopic.yaml's
#: other_subjects: "epilepsy", "knee") and not our condition, symptom or operation (an everyday word of ours such
#: as "face" beside it does not count): at least this, whatever its words resemble.
SUBJECT_SHORTFALL = 0.1
#: Words that ask how another subject meets ours ("could that be connected", "can MS cause it", "can it come after
#: bells palsy").
RELATION = frozenset("cause causes caused causing connected connection link linked related behind blame reason after"
                     .split())
#: "from" asks so too, a few words after "it", "mine" or "this" ("could it be from the bells palsy", "could mine be
#: from my bells palsy"), not in a story ("numb for years from my MS") nor in telling the two apart ("how is it
#: different from bells palsy").
FROM_IT_WORDS = 3
FROM_IT = frozenset("it mine this".split())
TELLING_APART = frozenset("different differ differs difference apart tell distinguish".split())
#: In the whole of a message of several sentences, the weight of a word the content never uses, as a share
#: of its usual weight: in a patient's story such words are mostly their own context (age, work, family).
STORY_UNKNOWN_SCALE = 0.4
#: A message of several sentences that neither names our condition nor describes it (our symptom beside one
#: of our subjects, "my face spasm") and whose words, all told, are less
#: than this (in natural-log odds) in favour of our topics against the off-topic examples falls
#: STORY_EVIDENCE_SHORTFALL short of them: a long story about calf twitches after running or a parent's
#: Parkinson's shares a few of our words, not enough of them.
STORY_MIN_EVIDENCE = 2.0
STORY_EVIDENCE_SHORTFALL = 0.05
#: The shortfall of a question that names what no answer covers (offtopic.yaml's unanswered: "cost",
#: "pregnancy"), whatever else it names: enough that no topic is answered.
UNANSWERED_SHORTFALL = 1.0
#: A long message's question sentence that names nothing of ours and alone falls this far or more short of our
#: topics keeps its whole shortfall, when it opens like a question and has ALIEN_MIN_WORDS or more.
ALIEN_QUESTION = 0.15
ALIEN_MIN_WORDS = 5
#: How Matcher._mentions names our condition (offtopic.yaml's our_condition): ours, and more than our words.
CONDITION = ""
#: How Matcher._mentions names our symptom (offtopic.yaml's our_symptom): ours, and in a question sentence beside
#: another subject, what the question asks about ("can MS cause this kind of spasm?").
SYMPTOM = "\0symptom"
#: In a conversation about our subject, a short message whose words lean at least this much (natural-log odds)
#: towards our topics, and that names no other subject, is not lowered for resembling an off-topic example:
#: after "what is mvd recovery like", "when can i drive" is about the operation, not "can i drive with epilepsy".
#: A little below even odds: after Botox, "my eye is a bit dry as well" leans off-topic only through "dry".
CONTEXT_MIN_EVIDENCE = -0.8

#: A word this long may be two slips from what no answer covers ("pregnacy" one, "insurrence" two): Matcher._typed.
LONG_SLIPPED = 8
#: ... and a word shorter than this is read exactly as typed: "bula" (a leaflet, in Portuguese) is no "bupa".
SHORT_SLIPPED = 5

#: The shortest word Matcher._joined makes of two ("bo tox" -> "botox"): shorter ones join by chance ("in" "to").
MIN_JOINED = 5
#: A word typed without its spaces ("whatmakes itworse") is split into at most MAX_RUN_PARTS words the content knows,
#: when it is at least MIN_RUN_LETTERS long and no spelling fix explains it; a part of three letters or fewer must be
#: a common word of the content (used MIN_SHORT_PART_USES times or more: "it", "my", not "bo" or "co").
MIN_RUN_LETTERS = 6
MAX_RUN_PARTS = 3
MIN_SHORT_PART_USES = 15


@dataclass(frozen=True)
class Candidate:
    """One intent's score for a question, with the pattern that scored it."""

    intent: str
    score: float
    pattern: str
    #: The off-topic example the question resembles, when that lowered the score ("" otherwise).
    offtopic: str = ""
    #: The other subject the question names (and nothing of ours), when that lowered the score ("" otherwise).
    subject: str = ""
    #: What the question asks that no answer covers (offtopic.yaml's unanswered), when that lowered the score.
    unanswered: str = ""
    #: How much a long message's words, all told, favour our topics over the off-topic examples (summed log-odds;
    #: 0.0 for a message of one sentence): a story of many words of ours is about our subject, even when its
    #: question is too vague for any one topic.
    story_evidence: float = 0.0
    #: Another subject a long message names anywhere, even beside ours ("" otherwise): "my dad has HFS and now
    #: glaucoma. what is it?" may ask about either.
    story_other: str = ""


@dataclass(frozen=True)
class _Ranking:
    """Intents scored before any off-topic penalty, best first, and the cause of that penalty."""

    candidates: list[Candidate]
    #: How far the best topic falls short of its lead over the off-topic examples (penalised when > 0).
    lacking: float
    #: The off-topic example closest to the question by words.
    example: str
    #: The other subject the question names, when it names none of our condition, symptom or operation ("" otherwise).
    subject: str = ""
    #: The other subject the question names, when it does not name our condition itself ("" otherwise):
    #: our everyday words beside it ("cataract surgery on my eye") do not make it ours.
    named: str = ""
    #: How much the question's words favour our topics over the off-topic examples (summed log-odds).
    evidence: float = 0.0
    #: Whether the question names our condition itself (offtopic.yaml's our_condition).
    condition: bool = False
    #: What the question names that no answer covers (offtopic.yaml's unanswered; "" for nothing).
    unanswered: str = ""
    #: Whether the question names our symptom itself (offtopic.yaml's our_symptom: "spasm", "twitch").
    symptom: bool = False
    #: Whether the question names anything of ours: our condition, our symptom or one of our_subjects.
    ours: bool = False
    #: Whether the question describes our condition without its name: our symptom beside one of our_subjects ("my
    #: face spasm", "twitch in her eye"), or our own operation (offtopic.yaml's our_treatment: "his MVD").
    described: bool = False
    #: The other subject the question names, whatever else it names ("" for none).
    other: str = ""

    @property
    def best(self) -> float:
        """The best topic's score."""
        return self.candidates[0].score if self.candidates else 0.0


_NOTHING = _Ranking([], -math.inf, "")
#: A subject's prepared words and its name (None: ours; SYMPTOM: our symptom; CONDITION: our condition).
_Phrase = tuple[tuple[str, ...], "str | None"]


def inflection(word: str, other: str) -> bool:
    """Tell whether two words differ only in an inflectional ending after at least four shared letters.

    Examples
    --------
    >>> inflection("appreciated", "appreciate"), inflection("driver", "drives"), inflection("cancel", "cancer")
    (True, True, False)
    """
    shared = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= MIN_INFLECTED_STEM and word[shared:] in INFLECTIONS and other[shared:] in INFLECTIONS


def _terms(stems: list[str]) -> dict[str, float]:
    """Count the words and neighbouring pairs of a stemmed text."""
    counts: dict[str, float] = defaultdict(float)
    for s in stems:
        counts[s] += 1.0
    for a, b in itertools.pairwise(stems):
        counts[f"{a} {b}"] += BIGRAM_WEIGHT
    return counts


@dataclass(frozen=True)
class _Postings:
    """An inverted index in compressed form: term ``t`` has rows[offsets[t]:offsets[t + 1]] and weights."""

    offsets: np.ndarray
    rows: np.ndarray
    weights: np.ndarray

    @classmethod
    def build(cls, keys: np.ndarray, rows: np.ndarray, weights: np.ndarray, size: int) -> _Postings:
        """Group (key, row, weight) entries by key, keeping their order within a key."""
        order = np.argsort(keys, kind="stable")
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=size), out=offsets[1:])
        return cls(offsets, rows[order], weights[order])

    def accumulate(self, terms: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
        """Sum ``weight * posting weight`` per row over the query's terms (a sparse dot product)."""
        starts = self.offsets[terms]
        lengths = self.offsets[terms + 1] - starts
        ends = np.cumsum(lengths)
        # The positions of every term's postings, term after term, without a Python loop.
        at = np.arange(int(ends[-1])) + np.repeat(starts - (ends - lengths), lengths)
        return np.bincount(self.rows[at], weights=self.weights[at] * np.repeat(weights, lengths), minlength=size)

    def dot(self, keys: np.ndarray, terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """For each key, the sum of its weight times the question's over the terms both have (``terms`` sorted)."""
        first = self.offsets[keys]
        lengths = self.offsets[keys + 1] - first
        stops = np.cumsum(lengths)
        if not len(keys) or not stops[-1]:
            return np.zeros(len(keys))
        at = np.arange(int(stops[-1])) + np.repeat(first - (stops - lengths), lengths)
        theirs = self.rows[at]
        where = np.minimum(np.searchsorted(terms, theirs), len(terms) - 1)
        products = np.where(terms[where] == theirs, self.weights[at] * weights[where], 0.0)
        return np.bincount(np.repeat(np.arange(len(keys)), lengths), weights=products, minlength=len(keys))


def _norms(groups: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Return the Euclidean norm of each group's weights (1 for an empty group)."""
    norms = np.sqrt(np.bincount(groups, weights=weights * weights, minlength=size))
    norms[norms == 0] = 1.0
    return norms


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Return the indices of the ``count`` largest values (never negative), largest first, ties by index."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(values) <= 2048:  # a short array sorts faster than it partitions
        return np.argsort(-values, kind="stable")[:count]
    # Most values are usually zero: select among the others, then take zeros by index if too few.
    nonzero = np.flatnonzero(values)
    if len(nonzero) < count:
        zeros = np.flatnonzero(values == 0)[: count - len(nonzero)]
        return np.concatenate((nonzero[np.argsort(-values[nonzero], kind="stable")], zeros))
    found = values[nonzero]
    if count < len(found):
        # Partial selection is linear; only the values above the count-th largest, and as many of those
        # equal to it as are needed (first by index), are sorted.
        kth = np.partition(found, len(found) - count)[len(found) - count]
        above = np.flatnonzero(found > kth)
        keep = np.sort(np.concatenate((above, np.flatnonzero(found == kth)[: count - len(above)])))
        nonzero, found = nonzero[keep], found[keep]
    return nonzero[np.argsort(-found, kind="stable")][:count]


class Matcher:
    """Scores questions against the patterns (and titles) of a knowledge base; immutable after build.

    A word's weight is its inverse intent frequency: a word every intent uses says nothing, a word only
    one intent uses says a lot. Unknown words of a question count against every intent, so a question
    about something else scores low everywhere. Only patterns that share a word with the question are
    scored (an inverted index), and only the best few intents are compared character by character.
    Off-topic examples (offtopic.yaml) are scored like one more intent that is never returned: when
    the best intent does not beat them by OFFTOPIC_MARGIN, every score drops. Among the leading intents,
    the words only some of them use decide between them (see _contrast).
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self._lexicon = Lexicon(kb.lexicon)
        self._intents = tuple(i.id for i in kb.intents)
        surfaces: set[str] = set()
        frequency: Counter[str] = Counter()
        term_ids: dict[str, int] = {}
        entry_terms: list[int] = []
        entry_rows: list[int] = []
        entry_counts: list[float] = []
        owners: list[int] = []
        texts: list[str] = []
        sorted_words: list[str] = []
        stem_of: dict[str, str] = {}
        self._filler = frozenset(stem(w) for w in kb.filler)
        # Each group's texts, as written and as normalise() reads them (the loader has normalised patterns).
        groups: list[list[tuple[str, str]]] = []
        for intent in kb.intents:
            read = (normalise(intent.title), *kb.normalised_patterns(intent.id))
            groups.append(list(zip((intent.title, *intent.patterns), read, strict=True)))
        # Off-topic examples form one more group after the intents: "something else", which no reply names.
        self._offtopic = len(groups) if kb.offtopic else None
        if kb.offtopic:
            groups.append([(example, normalise(example)) for example in kb.offtopic])
        for n, group in enumerate(groups):
            for pattern, normalised in group:
                words = self._lexicon.apply(normalised).split()
                stems = [stem_of.get(w) or stem_of.setdefault(w, stem(w)) for w in words]
                surfaces.update(words)
                frequency.update(words)
                row = len(texts)
                for term, count in _terms(stems).items():
                    entry_terms.append(term_ids.setdefault(term, len(term_ids)))
                    entry_rows.append(row)
                    entry_counts.append(count)
                owners.append(n)
                texts.append(pattern)
                # token_sort_ratio(a, b) is ratio(sorted words of a, sorted words of b): sort once here.
                sorted_words.append(" ".join(sorted(stems)))
        self._texts = tuple(texts)
        self._sorted = tuple(sorted_words)
        self._term_ids = term_ids
        n_intents = max(1, len(groups))
        n_terms = len(term_ids)
        terms = np.asarray(entry_terms, dtype=np.int64)
        rows = np.asarray(entry_rows, dtype=np.int64)
        owner_of = np.asarray(owners, dtype=np.int64)
        entry_owners = owner_of[rows] if len(rows) else rows

        # A term's weight: log((intents + 1) / (intents using it + 0.5)).
        # (return_index: plain np.unique imports numpy.ma, ~10 ms of every start.)
        used = np.unique(terms * n_intents + entry_owners, return_index=True)[0]
        df = np.bincount(used // n_intents, minlength=n_terms)
        self._idf = np.log((n_intents + 1) / (df + 0.5))
        self._idf_list: list[float] = self._idf.tolist()  # per-question lookups are faster in a list
        unknown = UNKNOWN_WEIGHT if self._offtopic is None else UNKNOWN_WEIGHT_WITH_OFFTOPIC
        self._unknown_idf = unknown * math.log((n_intents + 1) / 0.5)

        # Each pattern a unit vector of weighted terms; each intent's profile the unit sum of its patterns'.
        weights = np.asarray(entry_counts, dtype=np.float64) * self._idf[terms]
        weights /= _norms(rows, weights, len(texts))[rows]
        pairs, entry_pair = np.unique(entry_owners * n_terms + terms, return_inverse=True)
        profile_weights = np.bincount(entry_pair.ravel(), weights=weights, minlength=len(pairs))
        pair_owners, pair_terms = pairs // n_terms, pairs % n_terms
        # Sorted (intent * terms + term) keys: which intent uses which term, for _contrast.
        self._pairs, self._n_terms = pairs, n_terms
        profile_weights = profile_weights / _norms(pair_owners, profile_weights, len(groups))[pair_owners]
        # Naive Bayes log-odds of each word, our topics' patterns against the off-topic examples: how much
        # a word (say "spasm", in every topic, so weightless above) says a question is about our topics.
        self._domain = np.zeros(n_terms)
        # A word nobody wrote, by the same count (absent from both sides): about log(examples / patterns),
        # negative, since the off-topic examples are fewer and cover an open range of subjects.
        self._unknown_odds = 0.0
        if self._offtopic is not None:
            single = np.asarray([" " not in t for t in term_ids])
            off_rows = owner_of == self._offtopic
            entry_off = off_rows[rows]
            ours = np.bincount(terms[~entry_off], minlength=n_terms)
            theirs = np.bincount(terms[entry_off], minlength=n_terms)
            n_ours, n_theirs = int((~off_rows).sum()), int(off_rows.sum())
            odds = np.log((ours + 1) / (n_ours + 2)) - np.log((theirs + 1) / (n_theirs + 2))
            self._domain = np.where(single, odds, 0.0)
            self._unknown_odds = math.log((n_theirs + 2) / (n_ours + 2))
        self._preselect = PRESELECT
        if len(groups) < PRESELECT_FROM:
            # One inverted index, term -> (rows, weights), over the patterns (rows 0..P-1) and the intents'
            # profiles (rows P..P+G-1): one pass scores both.
            self._postings = _Postings.build(
                np.concatenate((terms, pair_terms)), np.concatenate((rows, pair_owners + len(texts))),
                np.concatenate((weights, profile_weights)), n_terms,
            )
            self._forward: _Postings | None = None
        else:
            # A large base: the profiles' inverted index, and pattern -> (terms, weights) to score only the
            # patterns of the intents whose profiles score best.
            self._postings = _Postings.build(pair_terms, pair_owners, profile_weights, n_terms)
            self._forward = _Postings.build(rows, terms, weights, len(texts))
            self._profile_forward = _Postings.build(pair_owners, pair_terms, profile_weights, len(groups))
            # Words in more than COARSE_SHARE of the intents do not take part in choosing the intents.
            self._coarse = self._idf >= math.log((n_intents + 1) / (COARSE_SHARE * n_intents + 0.5))
        # Patterns are stored intent by intent: intent i owns rows starts[i] .. starts[i + 1] - 1.
        counts = np.bincount(owner_of, minlength=len(groups))
        self._sizes = tuple(int(c) for c in counts)
        self._starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        self._start_list = tuple(int(s) for s in self._starts)
        # Each group's run of sorted words, sliced once here rather than for every shortlisted intent of every question.
        self._runs = tuple(self._sorted[s : s + n] for s, n in zip(self._start_list, self._sizes, strict=True))
        self._size_array = counts.astype(np.int64)

        # Lexicon variants are words the content knows too ("jumpng" -> "jumping" -> "twitch"), and as
        # common as their canonical term ("pills" as "medicine").
        # A word of a longer variant ("threatening" of "life threatening") is known, if rare by itself.
        for variant, term in self._lexicon.mapping.items():
            if " " not in variant:
                surfaces.add(variant)
                frequency[variant] = max(frequency[variant], min(frequency[w] for w in term.split()))
            else:
                surfaces.update(variant.split())
        # The subjects' words are known too: "epilepsey" means "epilepsy", not a content word.
        for subject in (*kb.other_subjects, *kb.our_subjects, *kb.our_symptom, *kb.our_treatment, *kb.our_condition,
                        *kb.unanswered, *kb.other_places):
            surfaces.update(self._lexicon.apply(normalise(subject)).split())
        self._frequency = frequency
        self._stems = frozenset(stem(w) for w in surfaces)
        self._surfaces = frozenset(surfaces)
        by_initial: dict[str, list[str]] = defaultdict(list)
        by_sound: dict[str, list[str]] = defaultdict(list)
        for word in sorted(surfaces):
            if len(word) >= 3 and word.isalpha():
                by_initial[word[0]].append(word)
                if len(word) >= MIN_SOUNDED:
                    by_sound[sound_key(word)].append(word)
        self._by_initial = {k: tuple(v) for k, v in by_initial.items()}
        self._by_sound = {k: tuple(v) for k, v in by_sound.items()}
        self._dictionary = kb.dictionary
        self._correct_cached = lru_cache(maxsize=8192)(self._correct)
        self._stem_cached = lru_cache(maxsize=8192)(stem)
        self._unknown_cached = lru_cache(maxsize=8192)(self._unknown)
        self._terms_cached = lru_cache(maxsize=4096)(self._terms_of)
        self._run_cached = lru_cache(maxsize=8192)(self._run_apart)
        self._typed_cached = lru_cache(maxsize=8192)(self._typed_word)
        # Subjects by their first stem, longest first; ours (named None, our condition CONDITION) first among
        # equals: a subject that reads as one of ours ("palpitation" as "twitch", by the lexicon) is ours.
        subjects: dict[str, list[_Phrase]] = defaultdict(list)
        named = [(s, s) for s in kb.other_subjects] + [(s, None) for s in (*kb.our_subjects, *kb.our_treatment)]
        named += [(s, SYMPTOM) for s in kb.our_symptom] + [(c, CONDITION) for c in kb.our_condition]
        for subject, name in named:
            phrase = tuple(self.prepare(normalise(subject)))
            if phrase:
                subjects[phrase[0]].append((phrase, name))
        # Other subjects an answer speaks of (Bell's palsy, MS): a question about how one meets the spasm may be ours.
        # Read as written, without the typo corrector ("Cochrane" is not "Crohn"); " | " keeps answers apart.
        def plain(text: str) -> str:
            return " ".join(self._stem_cached(w) for w in self._lexicon.apply(normalise(text)).split())

        said = f" {' | '.join(plain(r.text) for r in kb.responses.values())} "
        self._covered = frozenset(s for s in kb.other_subjects if (p := plain(s)) and f" {p} " in said)
        self._gaps = self._phrases(kb.unanswered)
        self._treatments = self._phrases(kb.our_treatment)
        self._places = self._phrases(kb.other_places)
        mine = (None, SYMPTOM, CONDITION)
        self._subjects = {k: sorted(v, key=lambda p: (-len(p[0]), p[1] not in mine)) for k, v in subjects.items()}

    def _phrases(self, subjects: Sequence[str]) -> dict[str, list[_Phrase]]:
        """Index subjects by their first prepared stem, longest first, each named after itself (for _mentions)."""
        found: dict[str, list[_Phrase]] = defaultdict(list)
        for subject in subjects:
            phrase = tuple(self.prepare(normalise(subject)))
            if phrase:
                found[phrase[0]].append((phrase, subject))
        return {k: sorted(v, key=lambda p: -len(p[0])) for k, v in found.items()}

    def _correct(self, word: str) -> str:
        """Return the content word a misspelt ``word`` most likely means, or ``word`` itself."""
        # A word the content uses, or an everyday word the lexicon lists as filler ("would", "tried"), is
        # meant as typed: "correcting" it would turn it into a content word ("wound", "tired").
        if len(word) < 4 or not word.isalpha() or (root := stem(word)) in self._stems or root in self._filler:
            return word
        # Typos rarely hit the first letter, but for a mirrored one; keeping it avoids "correcting" unrelated words.
        choices = self._by_initial.get(word[0], ()) + self._by_initial.get(MIRRORED.get(word[0], ""), ())
        # One slip (a letter missing, extra, wrong or two swapped) in a word of 4-7 letters, two in a longer one;
        # of the closest content words, the one the content uses most ("cuases": causes, not cases).
        slips = 1 if len(word) < 8 else 2
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=slips, limit=None)
        if not found and self._dictionary and len(word) >= MIN_SOUNDED and word not in self._dictionary:
            # Spelt as it sounds ("seerius", "fayshul", "spazum"): a content word that sounds the same. Only with a
            # dictionary: without one, an everyday word ("source") cannot be told from a misspelling.
            key = sound_key(word)
            same = [w for w in self._by_sound.get(key, ()) if w[0] == word[0]] if len(key) >= MIN_SOUND_KEY else []
            found = process.extract(word, same, scorer=OSA.distance, limit=None)
        if not found:
            return word
        fewest = min(edits for _, edits, _ in found)
        # Of the closest, one that sounds as the word does ("hert": hurt, not her), then the one the content uses most.
        key = sound_key(word)
        meant = max((w for w, edits, _ in found if edits == fewest),
                    key=lambda w: (sound_key(w) == key, self._frequency[w], w))
        # A word of the language is meant as typed ("cancel" is not "cancer", "shave" not "save"), unless the
        # content word is an inflection of it ("appreciated": "appreciate", "driver": "drives").
        if word in self._dictionary and not inflection(word, meant):
            return word
        return meant

    def _unknown(self, term: str) -> tuple[bool, float]:
        """Tell whether a term the content never uses is filler, and weigh it: filler weighs next to nothing."""
        filler = all(w in self._filler for w in term.split())
        return filler, FILLER_IDF if filler else self._unknown_idf

    def _mentions(self, stems: list[str], subjects: Mapping[str, list[_Phrase]] | None = None) -> list[str | None]:
        """Return the subjects prepared ``stems`` name, in order: another by its name, ours None, our condition "".

        With ``subjects`` (Matcher._gaps), the phrases of those instead.
        """
        found: list[str | None] = []
        i = 0
        while i < len(stems):
            for phrase, name in (self._subjects if subjects is None else subjects).get(stems[i], ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    found.append(name)
                    i += len(phrase) - 1  # the words of "essential tremor" or "lip filler" are that subject's
                    break
            i += 1
        return found

    def _joined(self, words: str) -> str:
        """Join two words a dictation or a slip split when together they are a word the content knows ("bo tox").

        Only when one of the two is unknown to the content: "eye lid" reads the same either way.
        """
        tokens = words.split()
        if len(tokens) < 2:
            return words
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens):
                first, second = tokens[i], tokens[i + 1]
                whole = first + second
                if (len(whole) >= MIN_JOINED and whole in self._surfaces and whole.isalpha()
                        and (first not in self._surfaces or second not in self._surfaces)):
                    out.append(whole)
                    i += 2
                    continue
            out.append(tokens[i])
            i += 1
        return " ".join(out)

    def _run_apart(self, word: str) -> tuple[str, ...]:
        """Split a word typed without its spaces into the words the content knows ("whatmakes" -> "what", "makes").

        Only an unknown word (not the content's, nor the dictionary's, nor filler) of MIN_RUN_LETTERS or more, into the
        fewest parts (MAX_RUN_PARTS at most); itself otherwise.
        """
        root = stem(word)
        if (len(word) < MIN_RUN_LETTERS or not word.isalpha() or root in self._stems or root in self._filler
                or word in self._dictionary):
            return (word,)

        def known(part: str) -> bool:
            return part in self._surfaces and (len(part) > 3 or self._frequency[part] >= MIN_SHORT_PART_USES)

        def parts(rest: str, most: int) -> tuple[str, ...] | None:
            if known(rest):
                return (rest,)
            best: tuple[str, ...] | None = None
            for cut in range(2, len(rest) - 1) if most > 1 else ():
                head = rest[:cut]
                tail = parts(rest[cut:], most - 1) if known(head) else None
                if tail is not None and (best is None or len(tail) + 1 < len(best)):
                    best = (head, *tail)
            return best

        return parts(word, MAX_RUN_PARTS) or (word,)

    def prepare(self, words: str) -> list[str]:
        """Turn normalised words into the stems the index knows: lexicon, spelling, endings.

        Examples
        --------
        >>> from chatbot import Bot
        >>> Bot.load()._matcher.prepare("tegretol side affects my eye keeps jumpng")
        ['carbamazepine', 'side', 'effect', 'my', 'eye', 'keep', 'twitch']
        """
        return self._prepared(*self._read(words))

    def _read(self, words: str) -> tuple[str, str]:
        """Return normalised ``words`` with split words joined (Matcher._joined), and those through the lexicon."""
        joined = self._joined(words)
        return joined, self._lexicon.apply(joined)

    def _prepared(self, joined: str, applied: str) -> list[str]:
        """Prepare words Matcher._read has joined (``joined``) and put through the lexicon (``applied``)."""
        mapped = applied.split()
        corrected = [part for w in mapped for part in self._run_cached(self._correct_cached(w))]
        # A second pass: a corrected word, or a canonical term with its neighbour, may form a variant
        # ("eye jumpng" -> "twitch", "phenitoin sodium" -> "phenytoin"); text the first left alone is settled.
        if corrected != mapped or applied != joined:
            corrected = self._lexicon.apply(" ".join(corrected)).split()
        return [self._stem_cached(w) for w in corrected]

    def _typed(self, applied: str) -> list[str]:
        """Prepare words Matcher._read has put through the lexicon as typed, but for slips of the finger.

        What no answer covers is read so: "pregant" is "pregnant", but a guess beyond one slip ("pregunta", "kitna"
        as it sounds) or an ending taken off ("scary" as "scar") asks about no pregnancy, kitten or scar.
        """
        # _rank reads every question so: one cached reading per word, not the corrector's and stemmer's per use.
        return [part for word in applied.split() for part in self._typed_cached(word)]

    def _typed_word(self, word: str) -> tuple[str, ...]:
        """Return the stems one word stands for as typed (see _typed)."""
        meant = self._correct_cached(word)
        if meant == word and len(run := self._run_cached(word)) > 1:
            return tuple(self._stem_cached(part) for part in run)  # "doesitcost" asks about cost
        slips = OSA.distance(word, meant) if meant != word else 0
        allowed = 0 if len(word) < SHORT_SLIPPED else 2 if len(word) >= LONG_SLIPPED else 1
        if slips > allowed or (meant != word and word.startswith(meant)):
            meant = word
        return (self._stem_cached(meant),)

    def prepare_text(self, text: str) -> list[str]:
        """Normalise raw ``text`` and prepare it as the matcher reads it."""
        return self.prepare(normalise(text))

    def rank(
        self, words: str, *, limit: int = 5, focus: str | Sequence[str] = (), ours: bool = False,
    ) -> list[Candidate]:
        """Return the best intents for normalised ``words``, best first, scores in [0, 1].

        ``ours`` says the message continues a conversation about our subject: then resembling an off-topic
        example does not lower a message whose words lean our way (CONTEXT_MIN_EVIDENCE) and that names
        no other subject.

        ``focus`` is the normalised part, or parts, of a message of several sentences that ask its question
        (see text.question_parts): each intent then scores the best of the whole message and the mean of
        the whole and each part, so a patient's story before the question neither hides it nor counts
        fully against it. In the whole of such a message, a word the content never uses weighs
        STORY_UNKNOWN_SCALE of its usual weight: there it is mostly the patient's own context ("I'm a
        teacher"). How far the message falls short of our topics is the whole's shortfall or, if less, its
        mean with a part's: the story often names the condition ("my face has twitched for years") and
        the question only the topic, but a question alone ("how should I answer that?") cannot carry a
        story about something else. A message that names another subject and none of ours has the whole's;
        so, at least, has one whose question sentence names one and not our condition itself.
        """
        parts = [p for p in ((focus,) if isinstance(focus, str) else focus) if p and p != words]
        if not parts:
            ranking = self._rank(words, limit)
            if ranking.unanswered:
                ranking = replace(ranking, lacking=max(ranking.lacking, 0.0) + UNANSWERED_SHORTFALL)
            elif ours and not ranking.subject and ranking.evidence >= CONTEXT_MIN_EVIDENCE:
                return ranking.candidates[:limit]
            return self._penalised(ranking, limit)
        whole = self._rank(words, max(limit, SHORTLIST), unknown_scale=STORY_UNKNOWN_SCALE)
        asked = [self._rank(part, max(limit, SHORTLIST)) for part in parts]
        mine = {c.intent: c for c in whole.candidates}
        best = dict(mine)
        for ranking in asked:
            for c in ranking.candidates:
                base = mine.get(c.intent)
                score = (c.score + (base.score if base else 0.0)) / 2
                if c.intent not in best or score > best[c.intent].score:
                    best[c.intent] = Candidate(c.intent, score, c.pattern)
        merged = sorted(best.values(), key=lambda c: (-c.score, c.intent))
        if not merged:
            return []
        # A question that asks on its own ("Worth the money?" leans back), after a sentence of its own that is not
        # the rest of the message (question_parts then gives the two together as the second part).
        alien = (len(parts[0].split()) >= ALIEN_MIN_WORDS and opens_like_a_question(parts[0]) and len(parts) > 1
                 and parts[1].endswith(f" {parts[0]}"))
        back = not REFERS_BACK.isdisjoint(parts[0].split())
        lacking, example, subject = self._story_shortfall(whole, asked, merged[0].score, alien, back)
        gap = asked[0].unanswered  # the question's, not the story's ("because of insurance I switched to ...")
        if gap:
            lacking = max(lacking, 0.0) + UNANSWERED_SHORTFALL
        ranked = self._penalised(_Ranking(merged, lacking, example, subject, unanswered=gap), limit)
        return [replace(c, story_evidence=whole.evidence, story_other=whole.other) for c in ranked]

    def _story_shortfall(
        self, whole: _Ranking, asked: list[_Ranking], best: float, alien: bool = False, back: bool = False,
    ) -> tuple[float, str, str]:
        """Return a long message's shortfall against the off-topic examples, from the merged ``best`` score.

        The whole message's, or a part's averaged with the whole's (as the part's score is), whichever is
        less, and more when the whole's words favour our topics too little and it does not name our
        condition (STORY_MIN_EVIDENCE); with its closest off-topic example and the other subject it names.
        ``alien``: the question sentence asks on its own (ALIEN_MIN_WORDS, opening like a question) after a
        sentence that is not the rest of the message. ``back``: the question sentence refers back ("is that ...").
        """
        def short(part: _Ranking) -> float:
            return part.lacking + part.best - best

        own = short(whole)
        lacking, example, subject = own, whole.example, whole.subject
        if whole.subject:  # at least the subject's shortfall, however much the parts raised the best score
            return max(lacking, SUBJECT_SHORTFALL), example, subject
        for part in asked:
            if part.candidates and (mean := (own + short(part)) / 2) < lacking:
                lacking, example, subject = mean, part.example, part.subject
        question = asked[0]
        if alien and question.candidates and question.lacking >= ALIEN_QUESTION and not any(p.ours for p in asked):
            # A question of its own that names nothing of ours, nor does the sentence before it, and alone is far
            # from our topics: the story's words of ours do not halve its shortfall ("I've had HFS for years. I'm
            # 29. Which trumpet mouthpiece is best for high notes?").
            lacking = max(lacking, short(question))
        # A story that describes our condition without its name ("my face spasm is worse on Mondays", "Dad is due for
        # his MVD") is as ours as one that names it, unless it names another subject too ("my calves twitch after
        # runs" names neither of ours).
        described = whole.described and not whole.named
        if whole.evidence < STORY_MIN_EVIDENCE and whole.example and not whole.condition and not described:
            lacking = max(lacking, 0.0) + STORY_EVIDENCE_SHORTFALL  # (an example: there are off-topic examples)
        # The question itself names another subject and not our condition ("I've had HFS for years. What helps
        # knee arthritis?", "What's the success rate of cataract surgery on both eyes?"): the story's words of
        # ours, or its own everyday ones ("eyes"), do not make it ours; our symptom beside it does ("Can MS
        # cause this kind of spasm?").
        # Nor does a question that refers back to a story describing the spasm ("Now my cheek and eye twitch. Is that
        # a known thing after Bell's palsy?").
        # That exception holds only for a subject an answer speaks of: "is it part of his Parkinson's?" is not ours.
        told = back and whole.described and asked[0].named in self._covered
        if asked[0].named and not subject and not asked[0].symptom and not told:
            lacking, subject = max(lacking, 0.0) + SUBJECT_SHORTFALL, asked[0].named
        return lacking, example, subject

    @staticmethod
    def _penalised(ranking: _Ranking, limit: int) -> list[Candidate]:
        """Lower every score by the off-topic shortfall, keeping the order (and the gaps) of the topics."""
        top = ranking.candidates[:limit]
        if ranking.lacking <= 0:
            return top
        drop = OFFTOPIC_PENALTY * ranking.lacking
        example = "" if ranking.subject or ranking.unanswered else ranking.example
        return [
            Candidate(c.intent, max(0.0, c.score - drop), c.pattern, example, ranking.subject, ranking.unanswered)
            for c in top
        ]

    def _rank(self, words: str, limit: int, *, unknown_scale: float = 1.0) -> _Ranking:
        """Score the intents for ``words`` before any off-topic penalty, and measure that penalty's cause.

        ``unknown_scale`` scales the weight of the words the content never uses (filler aside).
        """
        joined, applied = self._read(words)
        stems = self._prepared(joined, applied)
        query = _terms(self._without_imagery(stems))
        if not query:
            return _NOTHING
        known: list[int] = []
        known_weights: list[float] = []
        square_sum = 0.0
        unknown_words = 0  # single words the content never uses, filler aside
        term_ids, idf = self._term_ids, self._idf_list  # (looked up once: this loop runs for every term)
        for term, count in query.items():
            tid = term_ids.get(term)
            if tid is None:
                filler, unknown = self._unknown_cached(term)
                weight = count * (unknown if filler else unknown * unknown_scale)
                if not filler and " " not in term:
                    unknown_words += 1
            else:
                weight = count * idf[tid]
                known.append(tid)
                known_weights.append(weight)
            square_sum += weight * weight
        if not known:
            return _NOTHING
        norm = math.sqrt(square_sum) or 1.0
        term_array = np.asarray(known, dtype=np.int64)
        weight_array = np.asarray(known_weights, dtype=np.float64)
        if self._forward is None:
            both = self._postings.accumulate(term_array, weight_array, len(self._texts) + len(self._sizes))
            per_pattern, per_intent = both[: len(self._texts)] / norm, both[len(self._texts) :]
            best = np.maximum.reduceat(per_pattern, self._starts)
        else:
            per_pattern, best, per_intent = self._preselected(term_array, weight_array, norm)
        combined = BEST_PATTERN_SHARE * best + (1 - BEST_PATTERN_SHARE) * per_intent / norm
        real = combined[: len(self._intents)]
        count = min(max(limit, SHORTLIST), int(np.count_nonzero(best[: len(self._intents)])))
        shortlist = _top(real, count).tolist()
        # Character-level similarity catches what words miss: split or run-together words, typos in
        # short words, word order. One call scores all the shortlist's patterns; each intent takes its best.
        choices: list[str] = []
        bounds = []
        for i in shortlist:  # an intent's patterns are one run of texts
            bounds.append(len(choices))
            choices.extend(self._runs[i])
        end = len(choices)
        examples = self._closest_offtopic(per_pattern)
        choices.extend(self._sorted[i] for i in examples)
        found = process.cdist([" ".join(sorted(stems))], choices, scorer=fuzz.ratio, dtype=np.float64)[0] / 100
        # Each shortlisted intent's closest pattern (a max per run); the off-topic examples come last.
        character = np.maximum.reduceat(found[:end], bounds).tolist() if bounds and end else []
        by_words = combined[shortlist].tolist()
        listed = [
            (1 - CHARACTER_SHARE) * min(1.0, w) + CHARACTER_SHARE * c for w, c in zip(by_words, character, strict=True)
        ]
        if len(listed) > 1:
            leaders = sorted(range(len(listed)), key=lambda n: -listed[n])[:CONTRAST_TOP]
            behind = self._contrast([shortlist[n] for n in leaders], dict(zip(known, known_weights, strict=True)))
            for n, lag in zip(leaders, behind, strict=True):
                listed[n] -= CONTRAST_WEIGHT * lag
        order = sorted(range(len(shortlist)), key=lambda n: (-listed[n], self._intents[shortlist[n]]))[:limit]
        candidates = [self._candidate(shortlist[n], listed[n], per_pattern) for n in order]
        if not listed:
            return _Ranking(candidates, -math.inf, "")
        evidence = float(self._domain[term_array].sum()) + self._unknown_odds * unknown_words
        lacking, example = self._resemblance(examples, found[end:], combined, max(listed), evidence)
        mentions = self._mentions(stems)
        other = next((m for m in mentions if m and m != SYMPTOM), "")
        condition = CONDITION in mentions
        symptom = SYMPTOM in mentions
        treatment = bool(self._treatments) and any(self._mentions(stems, self._treatments))
        # Our condition, symptom or operation makes a question ours whatever else it names; an everyday word of ours
        # beside another subject does not ("the best treatment for shingles on the face"). Nor does our symptom in
        # another part of the body, with no word of ours beside it ("my thumb twitches when I'm stressed").
        elsewhere = ""
        if symptom and not condition and not treatment and None not in mentions and self._places:
            elsewhere = next((p for p in self._mentions(stems, self._places) if p), "")
        subject = elsewhere or ("" if condition or symptom or treatment else other)
        # A subject an answer speaks of, asked about beside "it" or "that" with a word of relation, asks how it meets
        # ours: "i had bells palsy 2 years ago, is that connected", "can MS cause it as well?", "could it be from the
        # bells palsy" (not "how is bells palsy treated, my sister might have it").
        if subject and subject in self._covered:
            said = words.split()
            from_it = TELLING_APART.isdisjoint(said) and any(
                w == "from" and not FROM_IT.isdisjoint(said[max(0, i - FROM_IT_WORDS) : i]) for i, w in enumerate(said))
            if from_it or (("it" in said or "that" in said) and not RELATION.isdisjoint(said)):
                subject = ""
        if subject:
            lacking = max(lacking, 0.0) + SUBJECT_SHORTFALL
        # Our operation named beside no other subject is as ours as our condition: "his MVD" is not a heart attack's.
        if not subject and lacking > 0 and (condition or (treatment and not other)):
            lacking = 0.0  # "can muscle relaxants be used for hemifacial spasm" is ours, whatever it resembles
        gap = next((g for g in self._mentions(self._typed(applied), self._gaps) if g), "") if self._gaps else ""
        return _Ranking(
            candidates, lacking, example, subject, "" if condition else other, evidence, condition, gap, symptom,
            condition or symptom or None in mentions, (symptom and None in mentions) or treatment, other,
        )

    def _without_imagery(self, stems: list[str]) -> list[str]:
        """Leave out the words no content uses of a simile ("like a butterfly trapped under my eye")."""
        if "like" not in stems:
            return stems  # most questions: nothing to read
        kept: list[str] = []
        span = 0
        for i, word in enumerate(stems):
            if span and word not in self._term_ids and word not in self._filler:
                span -= 1
                continue
            kept.append(word)
            span = max(span - 1, 0)
            if word == "like" and i + 1 < len(stems) and (i == 0 or stems[i - 1] not in LIKE_AS_A_VERB):
                after = stems[i + 1]
                if after in SIMILE_ARTICLES or after not in self._term_ids:
                    span = SIMILE_WORDS + (after in SIMILE_ARTICLES)  # the article is no word of the image
        return kept

    def _resemblance(
        self, examples: list[int], similarity: np.ndarray, combined: np.ndarray, best: float, evidence: float,
    ) -> tuple[float, str]:
        """Return how far the best topic falls short of its lead over the off-topic examples, and the closest."""
        if not examples:
            return -math.inf, ""
        # A question about as close to an off-topic example as to any topic is about something else.
        assert self._offtopic is not None
        word_part = min(1.0, float(combined[self._offtopic]))
        off = (1 - CHARACTER_SHARE) * word_part + CHARACTER_SHARE * float(similarity.max())
        lacking = off - best + OFFTOPIC_MARGIN - DOMAIN_WEIGHT * evidence
        return lacking, self._texts[examples[0]]  # the closest by words: _closest_offtopic ranks them

    def _contrast(self, leaders: list[int], weight_of: dict[int, float]) -> list[float]:
        """Measure how far each leading intent lags the best in the question's words that set them apart.

        A word used by some but not all of the leaders counts the more the fewer use it; words all or
        none of them use count nothing. Each leader sums the words it uses; the result is the best sum
        minus its own, as a share of the question's total weight (0 for the best, at most 1).
        """
        shared = [self._terms_cached(i).intersection(weight_of) for i in leaders]
        users: dict[int, int] = {}
        for mine in shared:
            for t in mine:
                users[t] = users.get(t, 0) + 1
        k = len(leaders)
        sums = []
        for mine in shared:  # plain loops: this runs for every question
            summed = 0.0
            for t in mine:
                summed += weight_of[t] * (k - users[t])
            sums.append(summed / (k - 1))
        most, total = max(sums), sum(weight_of.values())
        return [(most - mine) / total for mine in sums]

    def _terms_of(self, intent: int) -> frozenset[int]:
        """Return the ids of the terms an intent's patterns use."""
        lo, hi = np.searchsorted(self._pairs, (intent * self._n_terms, (intent + 1) * self._n_terms))
        return frozenset((self._pairs[lo:hi] % self._n_terms).tolist())

    def _preselected(
        self, terms: np.ndarray, weights: np.ndarray, norm: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Score only the PRESELECT intents whose profiles share the question's rarer words best (and off-topic).

        The intents are chosen on the words in at most COARSE_SHARE of them (common words reach nearly every
        intent and would cost a pass over all); the chosen ones are then scored on every word. Returns the
        pattern scores, each intent's best pattern score and each intent's profile score (zero elsewhere).
        """
        assert self._forward is not None
        coarse = self._coarse[terms]
        if not coarse.any():  # only common words: choose on them all
            coarse[:] = True
        rough = self._postings.accumulate(terms[coarse], weights[coarse], len(self._sizes))
        chosen = _top(rough[: len(self._intents)], self._preselect)
        if self._offtopic is not None:
            chosen = np.append(chosen, self._offtopic)
        order = np.argsort(terms)
        mine, mine_weights = terms[order], weights[order]
        per_intent = np.zeros(len(self._sizes))
        per_intent[chosen] = self._profile_forward.dot(chosen, mine, mine_weights)
        starts, sizes = self._starts[chosen], self._size_array[chosen]
        ends = np.cumsum(sizes)
        rows = np.arange(int(ends[-1])) + np.repeat(starts - (ends - sizes), sizes)
        scores = self._forward.dot(rows, mine, mine_weights / norm)
        per_pattern = np.zeros(len(self._texts))
        per_pattern[rows] = scores
        best = np.zeros(len(self._sizes))
        best[chosen] = np.maximum.reduceat(scores, ends - sizes)
        return per_pattern, best, per_intent

    def _closest_offtopic(self, per_pattern: np.ndarray) -> list[int]:
        """Return the rows of the off-topic examples closest to the question by words (none without any)."""
        if self._offtopic is None:
            return []
        start = self._start_list[self._offtopic]
        words = per_pattern[start : start + self._sizes[self._offtopic]]
        found = np.flatnonzero(words)  # word scores are never negative
        rows: list[int] = (found[np.argsort(-words[found], kind="stable")[:OFFTOPIC_SHORTLIST]] + start).tolist()
        return rows

    def _candidate(self, intent: int, score: float, per_pattern: np.ndarray) -> Candidate:
        """Name the intent's best-scoring pattern (by words) beside its score."""
        start = self._start_list[intent]
        best = start + int(per_pattern[start : start + self._sizes[intent]].argmax())
        return Candidate(self._intents[intent], score, self._texts[best])
