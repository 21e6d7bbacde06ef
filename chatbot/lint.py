"""Content checks that need the matcher or the conversation: what they cannot tell apart, or never read as written.

Patterns of two intents (or an off-topic example) the matcher cannot tell apart; follow-up phrasings the
conversation never reads as their own aspect.
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz, process

from .content import KnowledgeBase, _shown, bundled_content
from .conversation import ContextResolver
from .errors import Problem
from .matcher import Matcher
from .text import normalise
from .yamlfile import Document, read_yaml

__all__ = ["NEAR_IDENTICAL", "near_identical_patterns", "unread_phrasings"]

#: Character similarity (0-100) of two patterns, as the matcher sees them, that counts as near-identical.
NEAR_IDENTICAL = 95
#: Above this many patterns, only patterns the matcher reads as exactly the same are compared.
MAX_PAIRWISE = 20_000
#: The owner of the off-topic examples among the rows compared (not an intent id: ids are file names).
OFFTOPIC = "/offtopic"


def near_identical_patterns(kb: KnowledgeBase) -> list[Problem]:
    """Warn about each pattern (or off-topic example) that the matcher reads almost as another intent's pattern.

    Examples
    --------
    >>> from chatbot import load_content
    >>> near_identical_patterns(load_content())
    []
    """
    matcher = Matcher(kb)
    rows = [
        (intent.id, i, pattern, " ".join(matcher.prepare_text(pattern)))
        for intent in kb.intents
        for i, pattern in enumerate(intent.patterns)
    ]
    # Off-topic examples too: one that reads as a pattern takes that pattern's questions away from its topic.
    rows += [(OFFTOPIC, i, example, " ".join(matcher.prepare_text(example))) for i, example in enumerate(kb.offtopic)]
    pairs: list[tuple[int, int, float]] = []
    if len(rows) <= MAX_PAIRWISE:
        prepared = [r[3] for r in rows]
        scores = process.cdist(prepared, prepared, scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_IDENTICAL)
        for a, b in zip(*scores.nonzero(), strict=True):
            if a < b and rows[a][0] != rows[b][0]:
                pairs.append((int(a), int(b), float(scores[a, b])))
    else:
        first: dict[str, int] = {}
        for n, row in enumerate(rows):
            other = first.setdefault(row[3], n)
            if rows[other][0] != row[0]:
                pairs.append((other, n, 100.0))
    docs: dict[str, Document | Problem] = {}
    root = Path(kb.root) if kb.root else bundled_content()
    shown = _shown(root)
    problems = []
    for a, b, score in pairs:
        if rows[a][0] == OFFTOPIC:  # the off-topic example is the one to mend: report it, under its file
            a, b = b, a
        (intent_a, _, pattern_a, _), (intent_b, index_b, pattern_b, _) = rows[a], rows[b]
        offtopic = intent_b == OFFTOPIC
        path = "offtopic.yaml" if offtopic else f"intents/{intent_b}.yaml"
        doc = docs.setdefault(path, read_yaml(root / path, str(shown / path)))
        line = doc.line("examples" if offtopic else "patterns", index_b) if isinstance(doc, Document) else 1
        what = "off-topic example" if offtopic else "pattern"
        problems.append(Problem(
            str(shown / path), line,
            f"{what} {pattern_b!r} reads almost as {pattern_a!r} of intent {intent_a!r} "
            f"(similarity {score:.0f}): the matcher cannot tell them apart",
            warning=True,
        ))
    return sorted(problems)


def unread_phrasings(kb: KnowledgeBase) -> list[Problem]:
    """Warn about each phrasing of followups.yaml that, typed as it stands, is not read as a follow-up of its aspect.

    Such a phrasing does nothing: every word of it is filler ("and after"), or another aspect's phrasing reads
    closer.

    Examples
    --------
    >>> from chatbot import load_content
    >>> unread_phrasings(load_content())
    []
    """
    root = Path(kb.root) if kb.root else bundled_content()
    path = root / "followups.yaml"
    doc = read_yaml(path, str(_shown(root) / "followups.yaml")) if path.exists() and kb.aspects else None
    if not isinstance(doc, Document) or not isinstance(doc.data, dict):
        return []  # no phrasings of their own (or the loader has reported the file)
    resolver = ContextResolver(kb)
    problems = []
    for name, phrasings in doc.data.items():
        for i, phrasing in enumerate(phrasings if isinstance(phrasings, list) else ()):
            found = resolver.aspect(normalise(str(phrasing)))
            if found is not None and found[0] == normalise(str(name)):
                continue
            read = "no follow-up" if found is None else f"aspect {found[0]!r} ({found[2]!r})"
            problems.append(Problem(doc.path, doc.line(name, i),
                                    f"follow-up phrasing {phrasing!r} of {name!r} is read as {read}", warning=True))
    return sorted(problems)
