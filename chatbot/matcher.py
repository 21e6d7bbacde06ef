"""Rank the intents for a question: IDF-weighted word overlap, typo-tolerant, index-accelerated."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from .content import KnowledgeBase
from .text import Lexicon, normalise, stem

__all__ = ["Candidate", "Matcher"]

#: Weight of a pair of neighbouring words relative to a single word.
BIGRAM_WEIGHT = 0.6
#: Share of the word score taken by the intent's closest pattern; the rest is the whole intent's profile.
BEST_PATTERN_SHARE = 0.5
#: Share of the final score taken by character-level similarity (rapidfuzz) to the closest pattern.
CHARACTER_SHARE = 0.4
#: Weight of an everyday filler word that the content does not use (a content word scores up to ~log N).
FILLER_IDF = 0.1
#: Weight of a question word the content never uses, relative to the rarest content word.
UNKNOWN_WEIGHT = 2.0
#: How many intents, ranked by word score, are rescored at the character level.
SHORTLIST = 10


@dataclass(frozen=True)
class Candidate:
    """One intent's score for a question, with the pattern that scored it."""

    intent: str
    score: float
    pattern: str


def _terms(stems: list[str]) -> dict[str, float]:
    """Count the words and neighbouring pairs of a stemmed text."""
    counts: dict[str, float] = defaultdict(float)
    for s in stems:
        counts[s] += 1.0
    for a, b in itertools.pairwise(stems):
        counts[f"{a} {b}"] += BIGRAM_WEIGHT
    return counts


def _arrays(pairs: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    rows, weights = zip(*pairs, strict=True)
    return np.asarray(rows, dtype=np.int64), np.asarray(weights, dtype=np.float64)



def _accumulate(postings: list[tuple[np.ndarray, np.ndarray]], weights: list[float], size: int) -> np.ndarray:
    """Sum ``weight * posting weight`` per row over the query's terms (a sparse dot product)."""
    rows = np.concatenate([r for r, _ in postings])
    values = np.concatenate([w * q for (_, w), q in zip(postings, weights, strict=True)])
    return np.bincount(rows, weights=values, minlength=size)


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Return the indices of the ``count`` largest values, largest first, ties by index (a stable sort)."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if count < len(values):
        # Partial selection is linear; only the values that reach the count-th largest are sorted.
        kth = np.partition(values, len(values) - count)[len(values) - count]
        values_at = np.flatnonzero(values >= kth)
    else:
        values_at = np.arange(len(values))
    return values_at[np.argsort(-values[values_at], kind="stable")][:count]


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


class Matcher:
    """Scores questions against the patterns (and titles) of a knowledge base; immutable after build.

    A word's weight is its inverse intent frequency: a word every intent uses says nothing, a word only
    one intent uses says a lot. Unknown words of a question count against every intent, so a question
    about something else scores low everywhere. Only patterns that share a word with the question are
    scored (an inverted index), and only the best few intents are compared character by character.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self._lexicon = Lexicon(kb.lexicon)
        self._intents = tuple(i.id for i in kb.intents)
        surfaces: set[str] = set()
        pattern_terms: list[dict[str, float]] = []
        owners: list[int] = []
        texts: list[str] = []
        sorted_words: list[str] = []
        for n, intent in enumerate(kb.intents):
            for pattern in (intent.title, *intent.patterns):
                words = self._lexicon.apply(normalise(pattern)).split()
                stems = [stem(w) for w in words]
                surfaces.update(words)
                pattern_terms.append(_terms(stems))
                owners.append(n)
                texts.append(pattern)
                # token_sort_ratio(a, b) is ratio(sorted words of a, sorted words of b): sort once here.
                sorted_words.append(" ".join(sorted(stems)))
        self._texts = tuple(texts)
        self._owners = tuple(owners)
        self._sorted = tuple(sorted_words)

        intent_df: dict[str, set[int]] = defaultdict(set)
        for terms, owner in zip(pattern_terms, owners, strict=True):
            for term in terms:
                intent_df[term].add(owner)
        n_intents = max(1, len(self._intents))
        self._idf = {t: math.log((n_intents + 1) / (len(o) + 0.5)) for t, o in intent_df.items()}
        self._unknown_idf = UNKNOWN_WEIGHT * math.log((n_intents + 1) / 0.5)
        self._filler = frozenset(stem(w) for w in kb.filler)

        # Inverted indexes: term -> (rows, weights), over patterns and over whole intents' profiles.
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        profiles: list[dict[str, float]] = [defaultdict(float) for _ in self._intents]
        for p, (terms, owner) in enumerate(zip(pattern_terms, owners, strict=True)):
            for term, weight in _unit({t: c * self._idf[t] for t, c in terms.items()}).items():
                postings[term].append((p, weight))
                profiles[owner][term] += weight
        profile_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for owner, profile in enumerate(profiles):
            for term, weight in _unit(profile).items():
                profile_postings[term].append((owner, weight))
        self._postings = {t: _arrays(v) for t, v in postings.items()}
        self._profile_postings = {t: _arrays(v) for t, v in profile_postings.items()}
        # Patterns are stored intent by intent: intent i owns rows starts[i] .. starts[i + 1] - 1.
        counts = np.bincount(np.asarray(owners, dtype=np.int64), minlength=len(self._intents))
        self._sizes = tuple(int(c) for c in counts)
        self._starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)

        # Lexicon variants are words the content knows too: "jumpng" -> "jumping" -> "twitch".
        surfaces.update(normalise(v) for vs in kb.lexicon.values() for v in vs if " " not in normalise(v))
        self._stems = frozenset(stem(w) for w in surfaces)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(surfaces):
            if len(word) >= 3 and word.isalpha():
                by_initial[word[0]].append(word)
        self._by_initial = {k: tuple(v) for k, v in by_initial.items()}
        self._correct_cached = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str:
        """Return the content word a misspelt ``word`` most likely means, or ``word`` itself."""
        if len(word) < 4 or not word.isalpha() or stem(word) in self._stems:
            return word
        # Typos rarely hit the first letter; keeping it avoids "correcting" unrelated words.
        cutoff = 84 if len(word) < 6 else 78
        best = process.extractOne(word, self._by_initial.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=cutoff)
        return word if best is None else best[0]

    def _unknown(self, term: str) -> float:
        """Weigh a question term the content never uses: a filler word weighs next to nothing."""
        return FILLER_IDF if all(w in self._filler for w in term.split()) else self._unknown_idf

    def prepare(self, words: str) -> list[str]:
        """Turn normalised words into the stems the index knows: lexicon, spelling, endings.

        Examples
        --------
        >>> from chatbot import Bot
        >>> Bot.load()._matcher.prepare("tegretol side affects my eye keeps jumpng")
        ['carbamazepine', 'side', 'effect', 'my', 'eye', 'keep', 'twitch']
        """
        mapped = self._lexicon.apply(words).split()
        corrected = self._lexicon.apply(" ".join(self._correct_cached(w) for w in mapped)).split()
        return [stem(w) for w in corrected]

    def prepare_text(self, text: str) -> list[str]:
        """Normalise raw ``text`` and prepare it as the matcher reads it."""
        return self.prepare(normalise(text))

    def rank(self, words: str, *, limit: int = 5) -> list[Candidate]:
        """Return the best intents for normalised ``words``, best first, scores in [0, 1]."""
        stems = self.prepare(words)
        query = _terms(stems)
        if not query:
            return []
        weights = {t: c * self._idf.get(t, self._unknown(t)) for t, c in query.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        known = [t for t in weights if t in self._postings]
        if not known:
            return []
        per_pattern = _accumulate([self._postings[t] for t in known], [weights[t] for t in known], len(self._texts))
        per_intent = _accumulate(
            [self._profile_postings[t] for t in known], [weights[t] for t in known], len(self._intents)
        )
        per_pattern /= norm
        best = np.maximum.reduceat(per_pattern, self._starts)
        combined = BEST_PATTERN_SHARE * best + (1 - BEST_PATTERN_SHARE) * per_intent / norm
        count = min(max(limit, SHORTLIST), int(np.count_nonzero(best)))
        top = _top(combined, count)
        word_scores = []
        choices: list[str] = []
        for i in top.tolist():
            start = int(self._starts[i])
            end = start + self._sizes[i]
            word_scores.append((float(combined[i]), i, start + int(np.argmax(per_pattern[start:end]))))
            choices.extend(self._sorted[start:end])
        # Character-level similarity catches what words miss: split or run-together words, typos in
        # short words, word order. One call scores the whole shortlist; each intent takes its best pattern.
        similarity = process.cdist([" ".join(sorted(stems))], choices, scorer=fuzz.ratio, dtype=np.float64)[0]
        ranked = []
        offset = 0
        for word_score, i, p in word_scores:
            size = self._sizes[i]
            character = float(similarity[offset : offset + size].max()) / 100
            offset += size
            score = (1 - CHARACTER_SHARE) * min(1.0, word_score) + CHARACTER_SHARE * character
            ranked.append(Candidate(self._intents[i], score, self._texts[p]))
        ranked.sort(key=lambda c: (-c.score, c.intent))
        return ranked[:limit]
