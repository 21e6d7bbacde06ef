"""Load and validate a content folder into an immutable knowledge base."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import ContentError, Problem
from .safety import CueList, Phrase, RedFlags, Rule, parse_phrase
from .text import normalise
from .thresholds import Thresholds
from .yamlfile import Document, read_yaml

__all__ = [
    "Intent",
    "KnowledgeBase",
    "Response",
    "bundled_content",
    "check_content",
    "load_content",
]

#: A follow-up target that names no intent: no answer covers that aspect of the topic ("pain: none" after Botox,
#: whose answer says nothing of pain), so the bot falls back rather than answer another topic's pain.
NO_ANSWER = "none"


@dataclass(frozen=True)
class Intent:
    """One curated question: its id, patient-facing title, topic group and patterns."""

    id: str
    title: str
    patterns: tuple[str, ...]
    group: str = "Other topics"
    #: Follow-ups in context: (aspect, intent id) pairs, e.g. ("risks", "mvd_risks"); NO_ANSWER for none.
    followups: tuple[tuple[str, str], ...] = ()
    #: The topic a conversation is about before any other (the condition itself): with no earlier topic,
    #: a follow-up question ("is there a cure?") that it answers, and that its own words point to, is answered.
    main: bool = False
    #: Small talk a message may open with ("hi, what is botox?"): the question after it is what is answered.
    opener: bool = False

    def followup(self, aspect: str) -> str | None:
        """Return the intent that answers ``aspect`` (e.g. "risks") after this one, if any (NO_ANSWER: none does)."""
        return next((target for name, target in self.followups if name == aspect), None)


@dataclass(frozen=True)
class Response:
    """One curated answer with its sources, review date and related topics."""

    id: str
    text: str
    sources: tuple[str, ...]
    reviewed: dt.date
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the bot answers from; immutable once loaded."""

    intents: tuple[Intent, ...]
    responses: Mapping[str, Response]
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: Canonical term -> its variants (brand names, abbreviations, lay words), from lexicon.yaml.
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: Everyday words that say little about a topic when the content does not use them, from lexicon.yaml.
    filler: frozenset[str] = frozenset()
    #: The words of the language the typo corrector leaves as typed (lexicon.yaml's ``dictionary``; none by default).
    dictionary: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()
    root: str = ""
    #: Follow-up aspects (normalised name -> normalised phrasings), from followups.yaml.
    aspects: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: The red-flag vocabulary from redflags.yaml; None when the content has none.
    redflags: RedFlags | None = None
    #: Questions about something else, which the bot must not answer, from offtopic.yaml.
    offtopic: tuple[str, ...] = ()
    #: Other conditions, body parts and procedures: a question naming one and none of ``our_subjects`` is
    #: about something else (offtopic.yaml).
    other_subjects: tuple[str, ...] = ()
    #: Words that keep a question about our subject whatever else it names (offtopic.yaml).
    our_subjects: tuple[str, ...] = ()
    #: The movement itself ("spasm", "twitch"): ours like ``our_subjects``, and a question sentence naming it
    #: beside another subject asks how the two meet ("can MS cause this kind of spasm?") (offtopic.yaml).
    our_symptom: tuple[str, ...] = ()
    #: Our own operation ("microvascular decompression"): keeps a question ours like ``our_symptom``, and a question
    #: or story naming it and no other subject is as ours as one naming our condition (offtopic.yaml).
    our_treatment: tuple[str, ...] = ()
    #: The names of our condition: a question naming one is ours whatever it resembles (offtopic.yaml).
    our_condition: tuple[str, ...] = ()
    #: Parts of the body away from the face: our symptom there, and no word of ours beside it, is a twitch
    #: elsewhere ("my thumb twitches when I'm stressed") (offtopic.yaml).
    other_places: tuple[str, ...] = ()
    #: What no answer covers, even about our condition (cost, pregnancy): a question naming one gets the
    #: fallback (offtopic.yaml).
    unanswered: tuple[str, ...] = ()

    def intent(self, intent_id: str) -> Intent:
        """Return the intent with this id."""
        return self._by_id[intent_id]

    def normalised_patterns(self, intent_id: str) -> tuple[str, ...]:
        """Return the patterns of an intent as normalise() reads them, in order (computed once)."""
        cached: Mapping[str, tuple[str, ...]] | None = self.__dict__.get("_normalised_cache")
        if cached is None:
            cached = MappingProxyType({i.id: tuple(normalise(p) for p in i.patterns) for i in self.intents})
            object.__setattr__(self, "_normalised_cache", cached)
        return cached[intent_id]

    @property
    def _by_id(self) -> Mapping[str, Intent]:
        cached = self.__dict__.get("_by_id_cache")
        if cached is None:
            cached = MappingProxyType({i.id: i for i in self.intents})
            object.__setattr__(self, "_by_id_cache", cached)
        return cached


def bundled_content() -> Path:
    """Return the folder of the content that ships with the package."""
    package = Path(str(resources.files("chatbot")))
    installed = package / "_content"
    if (installed / "intents").is_dir():
        return installed
    return package.parent  # a source checkout: intents/ and responses/ sit beside chatbot/


# --- a tiny schema: key -> (required, checker returning an error message or None) ----------

Checker = Callable[[Any], "str | None"]


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {_kind(value)}"
    if not value.strip():
        return "must not be empty"
    return None


def _text_list(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"must be a list of text, not {_kind(value)}"
    if not value:
        return "must not be empty"
    return None


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"must be a mapping, not {_kind(value)}"


def _optional_text_list(value: Any) -> str | None:
    return None if isinstance(value, list) else f"must be a list, not {_kind(value)}"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, not {_kind(value)}"


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    return f"must be a date like 2026-11-21, not {_kind(value)}"


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {
        str: "text", int: "a number", float: "a number", bool: "true/false",
        list: "a list", dict: "a mapping",
    }.get(type(value), type(value).__name__)


INTENT_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "id": (True, _text),
    "title": (True, _text),
    "group": (False, _text),
    "patterns": (True, _text_list),
    "followups": (False, _mapping),
    "main": (False, _bool),
    "opener": (False, _bool),
}
RESPONSE_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "id": (True, _text),
    "text": (True, _text),
    "sources": (True, _text_list),
    "reviewed": (True, _date),
    "related": (False, _optional_text_list),
}

SETTINGS_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "thresholds": (False, lambda v: None if isinstance(v, dict) else f"must be a mapping, not {_kind(v)}"),
}


def _check_mapping(
    doc: Document, schema: dict[str, tuple[bool, Checker]], problems: list[Problem]
) -> dict[str, Any] | None:
    """Check a document against a schema; return its mapping when usable."""
    if not isinstance(doc.data, dict):
        problems.append(Problem(doc.path, 1, f"must be a mapping of keys, not {_kind(doc.data)}"))
        return None
    ok = True
    for key in doc.data:
        if key not in schema:
            known = ", ".join(schema)
            problems.append(Problem(doc.path, doc.line(key), f"unknown key {key!r} (known: {known})"))
            ok = False
    for key, (required, check) in schema.items():
        if key not in doc.data:
            if required:
                problems.append(Problem(doc.path, 1, f"missing key {key!r}"))
                ok = False
            continue
        message = check(doc.data[key])
        if message:
            problems.append(Problem(doc.path, doc.line(key), f"{key!r} {message}"))
            ok = False
    return doc.data if ok else None


def _strings(doc: Document, key: str, problems: list[Problem]) -> tuple[str, ...] | None:
    """Return the list under ``key`` as texts, reporting each item that is not one."""
    items = doc.data.get(key, [])
    good = True
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            what = "empty" if isinstance(item, str) else _kind(item)
            problems.append(Problem(doc.path, doc.line(key, i), f"{key!r} item {i + 1} is {what}; it must be text"))
            good = False
    return tuple(s.strip() for s in items) if good else None


def _read_folder(root: Path, sub: str, shown_root: Path, problems: list[Problem]) -> dict[str, Document]:
    folder = root / sub
    if not folder.is_dir():
        problems.append(Problem(str(shown_root / sub), 1, "folder not found"))
        return {}
    docs: dict[str, Document] = {}
    # Plain names and strings, not Path objects: a knowledge base may hold 10,000 files per folder.
    where, shown = str(folder), str(shown_root / sub)
    for name in sorted(os.listdir(where)):
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix not in ("yaml", "yml") or name.startswith("."):
            continue
        result = read_yaml(os.path.join(where, name), os.path.join(shown, name))
        if isinstance(result, Problem):
            problems.append(result)
        else:
            docs[stem] = result
    return docs


def _shown(root: Path) -> Path:
    """Show bundled content by its short name, user content as given."""
    try:
        if root.resolve() == bundled_content().resolve():
            return Path(".")
    except OSError:
        pass
    return root


def _identified(
    stem: str, doc: Document, schema: dict[str, tuple[bool, Checker]], problems: list[Problem]
) -> dict[str, Any] | None:
    """Check a document against its schema and its id against its file name."""
    data = _check_mapping(doc, schema, problems)
    if data is not None and data["id"] != stem:
        problems.append(Problem(doc.path, doc.line("id"), f"id {data['id']!r} differs from the file name {stem!r}"))
        return None
    return data


def _intent(stem: str, doc: Document, problems: list[Problem], keys: dict[str, list[str]]) -> Intent | None:
    """Check one intent file; its patterns' normalised forms go to ``keys[stem]``."""
    data = _identified(stem, doc, INTENT_SCHEMA, problems)
    if data is None:
        return None
    if stem == NO_ANSWER:
        problems.append(Problem(doc.path, 1, f"intent id {NO_ANSWER!r} is reserved: a follow-up no answer covers"))
        return None
    patterns = _strings(doc, "patterns", problems)
    if patterns is None:
        return None
    seen: dict[str, int] = {}
    normalised = keys[stem] = [normalise(pattern) for pattern in patterns]
    for i, (pattern, key) in enumerate(zip(patterns, normalised, strict=True)):
        if not key:
            problems.append(Problem(doc.path, doc.line("patterns", i), f"pattern {pattern!r} has no words"))
        elif key in seen:
            problems.append(Problem(
                doc.path, doc.line("patterns", i),
                f"pattern {pattern!r} repeats pattern {seen[key] + 1} of this intent", warning=True,
            ))
        else:
            seen[key] = i
    followups = _intent_followups(doc, problems)
    if followups is None:
        return None
    group = data.get("group", "Other topics").strip()
    return Intent(stem, data["title"].strip(), patterns, group, followups, data.get("main", False),
                  data.get("opener", False))


def _intent_followups(doc: Document, problems: list[Problem]) -> tuple[tuple[str, str], ...] | None:
    """Return an intent's ``followups`` as (normalised aspect, intent id) pairs, reporting bad items."""
    pairs: list[tuple[str, str]] = []
    good = True
    for aspect, target in doc.data.get("followups", {}).items():
        line = doc.line("followups", aspect)
        if not isinstance(aspect, str) or not normalise(aspect):
            problems.append(Problem(doc.path, line, f"follow-up aspect {aspect!r} must be text with words"))
            good = False
        elif not isinstance(target, str) or not target.strip():
            message = f"follow-up {aspect!r} must name an intent id, not {_kind(target)}"
            problems.append(Problem(doc.path, line, message))
            good = False
        else:
            pairs.append((normalise(aspect), target.strip()))
    return tuple(pairs) if good else None


def _aspects(root: Path, shown_root: Path, problems: list[Problem]) -> dict[str, tuple[str, ...]] | None:
    """Read the optional followups.yaml: aspect name -> phrasings; None when the file is absent."""
    path = root / "followups.yaml"
    if not path.exists():
        return None
    doc = read_yaml(path, str(shown_root / "followups.yaml"))
    if isinstance(doc, Problem):
        problems.append(doc)
        return {}
    if not isinstance(doc.data, dict) or not doc.data:
        what = "empty" if isinstance(doc.data, dict) else _kind(doc.data)
        problems.append(Problem(doc.path, 1, f"must be a mapping of aspect -> phrasings, not {what}"))
        return {}
    aspects: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for name, phrasings in doc.data.items():
        line = doc.line(name)
        if not isinstance(name, str) or not normalise(name):
            problems.append(Problem(doc.path, line, f"aspect {name!r} must be text with words"))
            continue
        if not isinstance(phrasings, list) or not phrasings:
            message = f"aspect {name!r} needs a list of phrasings, not {_kind(phrasings)}"
            problems.append(Problem(doc.path, line, message))
            continue
        key = normalise(name)
        found: list[str] = []
        for i, phrasing in enumerate([name, *phrasings]):
            text = normalise(phrasing) if isinstance(phrasing, str) else ""
            if not text:
                problems.append(Problem(doc.path, doc.line(name, i - 1), f"phrasing {i} of {name!r} has no words"))
            elif owner.setdefault(text, key) != key:
                problems.append(Problem(
                    doc.path, doc.line(name, i - 1), f"phrasing {phrasing!r} is also in aspect {owner[text]!r}",
                ))
            elif text not in found:
                found.append(text)
        aspects[key] = tuple(found)
    return aspects


def _response(stem: str, doc: Document, problems: list[Problem]) -> Response | None:
    data = _identified(stem, doc, RESPONSE_SCHEMA, problems)
    if data is None:
        return None
    sources = _strings(doc, "sources", problems)
    related = _strings(doc, "related", problems)
    if sources is None or related is None:
        return None
    return Response(stem, data["text"].strip(), sources, data["reviewed"], related)


def _settings(root: Path, shown_root: Path, problems: list[Problem]) -> Thresholds:
    path = root / "settings.yaml"
    if not path.exists():
        return Thresholds()
    doc = read_yaml(path, str(shown_root / "settings.yaml"))
    if isinstance(doc, Problem):
        problems.append(doc)
        return Thresholds()
    data = _check_mapping(doc, SETTINGS_SCHEMA, problems)
    if data is None:
        return Thresholds()
    values = data.get("thresholds", {})
    for key, value in values.items():
        try:
            Thresholds.from_mapping({key: value})
        except ValueError as exc:
            problems.append(Problem(doc.path, doc.line("thresholds", key), str(exc)))
    try:
        return Thresholds.from_mapping(values)
    except ValueError:
        return Thresholds()


LEXICON_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "terms": (False, lambda v: None if isinstance(v, dict) else f"must be a mapping, not {_kind(v)}"),
    "filler": (False, _optional_text_list),
    "dictionary": (False, lambda v: None if isinstance(v, str) else f"must be the name of a word list, not {_kind(v)}"),
}

#: The word lists lexicon.yaml's ``dictionary`` may name: chatbot/words/NAME.txt (see its README.md).
DICTIONARIES = resources.files("chatbot") / "words"


def dictionary_names() -> list[str]:
    """Return the names of the bundled word lists, sorted."""
    return sorted(p.name.removesuffix(".txt") for p in DICTIONARIES.iterdir() if p.name.endswith(".txt"))


def _dictionary(doc: Document, name: str, problems: list[Problem]) -> frozenset[str]:
    """Return the bundled word list ``name`` (one lower-case word per line); a problem if there is none."""
    names = dictionary_names()
    if name not in names:
        problems.append(Problem(doc.path, doc.line("dictionary"), f"dictionary {name!r} is not a word list we ship "
                                f"(known: {', '.join(names)})"))
        return frozenset()
    return _word_list(name)


@lru_cache(maxsize=4)
def _word_list(name: str) -> frozenset[str]:
    """Read a bundled word list once: every knowledge base that names it shares the same set."""
    return frozenset((DICTIONARIES / f"{name}.txt").read_text(encoding="utf-8").split())


def _lexicon(
    root: Path, shown_root: Path, problems: list[Problem]
) -> tuple[Mapping[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    """Read the optional lexicon.yaml: canonical terms with their variants, filler words and the dictionary."""
    path = root / "lexicon.yaml"
    empty: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    if not path.exists():
        return empty, frozenset(), frozenset()
    doc = read_yaml(path, str(shown_root / "lexicon.yaml"))
    if isinstance(doc, Problem):
        problems.append(doc)
        return empty, frozenset(), frozenset()
    data = _check_mapping(doc, LEXICON_SCHEMA, problems)
    if data is None:
        return empty, frozenset(), frozenset()
    terms: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for canonical, variants in data.get("terms", {}).items():
        line = doc.line("terms", canonical)
        term = normalise(canonical) if isinstance(canonical, str) else ""
        if not term:
            problems.append(Problem(doc.path, line, f"term {canonical!r} must be text with words"))
            continue
        if not isinstance(variants, list) or not variants:
            problems.append(Problem(doc.path, line, f"term {canonical!r} needs a list of variants"))
            continue
        found = []
        for i, variant in enumerate(variants):
            where = doc.line("terms", canonical, i)
            key = normalise(variant) if isinstance(variant, str) else ""
            if not key:
                message = f"variant {variant!r} of {canonical!r} must be text with words"
                problems.append(Problem(doc.path, where, message))
            elif key == term:
                problems.append(Problem(doc.path, where, f"variant {variant!r} is the term {canonical!r} itself"))
            elif key in owner and owner[key] != canonical:
                problems.append(Problem(doc.path, where, f"variant {variant!r} is also a variant of {owner[key]!r}"))
            else:
                owner[key] = canonical
                found.append(variant)
        terms[canonical] = tuple(found)
    for canonical in terms:
        term = normalise(canonical)
        if term in owner:
            message = f"term {canonical!r} is also a variant of {owner[term]!r}"
            problems.append(Problem(doc.path, doc.line("terms", canonical), message))
            continue
        # A term holding a variant would be rewritten again on each pass ("scar tissue" -> "scar tissue tissue").
        inside = next((v for v in owner if f" {v} " in f" {term} "), None)
        if inside is not None:
            message = f"term {canonical!r} contains {inside!r}, a variant of {owner[inside]!r}"
            problems.append(Problem(doc.path, doc.line("terms", canonical), message))
    filler = _strings(doc, "filler", problems) or ()
    name = data.get("dictionary")
    words = _dictionary(doc, name, problems) if isinstance(name, str) else frozenset()
    return MappingProxyType(terms), frozenset(normalise(w) for w in filler), words


OFFTOPIC_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "examples": (True, _text_list),
    "other_subjects": (False, _optional_text_list),
    "our_subjects": (False, _optional_text_list),
    "our_symptom": (False, _optional_text_list),
    "our_treatment": (False, _optional_text_list),
    "our_condition": (False, _optional_text_list),
    "other_places": (False, _optional_text_list),
    "unanswered": (False, _optional_text_list),
}


@dataclass(frozen=True)
class _OffTopic:
    """What offtopic.yaml holds: example questions, the subjects that mark another subject or ours, our condition,
    and what no answer covers."""

    examples: tuple[str, ...] = ()
    other_subjects: tuple[str, ...] = ()
    our_subjects: tuple[str, ...] = ()
    our_symptom: tuple[str, ...] = ()
    our_treatment: tuple[str, ...] = ()
    our_condition: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    doc: Document | None = None


def _offtopic(root: Path, shown_root: Path, problems: list[Problem]) -> _OffTopic:
    """Read the optional offtopic.yaml (an empty _OffTopic when absent or unusable)."""
    path = root / "offtopic.yaml"
    if not path.exists():
        return _OffTopic()
    doc = read_yaml(path, str(shown_root / "offtopic.yaml"))
    if isinstance(doc, Problem):
        problems.append(doc)
        return _OffTopic()
    if _check_mapping(doc, OFFTOPIC_SCHEMA, problems) is None:
        return _OffTopic()
    subjects: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for key in ("other_subjects", "our_subjects", "our_symptom", "our_treatment", "our_condition", "unanswered"):
        found = []
        for i, subject in enumerate(_strings(doc, key, problems) or ()):
            words = normalise(subject)
            if not words:
                problems.append(Problem(doc.path, doc.line(key, i), f"{key!r} item {subject!r} has no words"))
            elif words in seen:
                twice = seen[words] == key  # harmless; in both lists, a contradiction
                where = "listed twice" if twice else f"also in {seen[words]!r}"
                problems.append(Problem(doc.path, doc.line(key, i), f"subject {subject!r} is {where}", warning=twice))
            else:
                seen[words] = key
                found.append(subject)
        subjects[key] = tuple(found)
    # A place may be another subject too ("knee"); not one of ours, nor something no answer covers.
    places, listed = [], set()
    for i, place in enumerate(_strings(doc, "other_places", problems) or ()):
        words = normalise(place)
        elsewhere = seen.get(words, "other_subjects") != "other_subjects"
        if not words or words in listed or elsewhere:
            twice = words in listed
            problem = "has no words" if not words else "is listed twice" if twice else f"is in {seen[words]!r}"
            problems.append(Problem(doc.path, doc.line("other_places", i), f"'other_places' item {place!r} {problem}",
                                    warning=twice))
        else:
            listed.add(words)
            places.append(place)
    examples = _strings(doc, "examples", problems) or ()
    return _OffTopic(
        examples, subjects["other_subjects"], subjects["our_subjects"], subjects["our_symptom"],
        subjects["our_treatment"], subjects["our_condition"], subjects["unanswered"], tuple(places), doc,
    )


# --- redflags.yaml: the optional red-flag vocabulary (see chatbot/safety.py for its meaning) ---

def _whole(low: int, high: int) -> Checker:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"must be a whole number from {low} to {high}, not {value!r}"
        return None
    return check


def _ratio(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 50 <= value <= 100:
        return f"must be a number from 50 to 100, not {value!r}"
    return None


REDFLAGS_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "response": (True, _text),
    "calm_response": (False, _text),
    "negation_window": (False, _whole(1, 20)),
    "typo_min_length": (False, _whole(1, 50)),
    "typo_min_ratio": (False, _ratio),
    "clause_breaks": (False, _optional_text_list),
    "contrast": (False, _optional_text_list),
    "spellings": (False, _mapping),
    "not_typos": (False, _optional_text_list),
    "not_signs": (False, _optional_text_list),
    "negation": (False, _mapping),
    "hypothetical": (False, _mapping),
    "hearsay": (False, _mapping),
    "chronic": (False, _mapping),
    "groups": (True, _mapping),
    "rules": (True, _text_list),
    "context": (False, _mapping),
}
CUES_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "phrases": (True, _text_list),
    "except": (False, _optional_text_list),
    "unless": (False, _text),
}
RULE_SCHEMA: dict[str, tuple[bool, Checker]] = {
    "name": (True, _text),
    "signs": (True, _text_list),
    "needs": (False, _optional_text_list),
    "within": (False, _whole(0, 50)),
    "unless": (False, _optional_text_list),
    "unless_said": (False, _optional_text_list),
}


def _part(doc: Document, *prefix: Hashable) -> Document:
    """Return the value at ``prefix`` as a document of its own, keeping its lines."""
    return doc.part(*prefix)


def _check_part(
    doc: Document, schema: dict[str, tuple[bool, Checker]], problems: list[Problem]
) -> dict[str, Any] | None:
    """Like _check_mapping, for a nested mapping: problems without a key point at the mapping's line."""
    found: list[Problem] = []
    data = _check_mapping(doc, schema, found)
    here = doc.line()
    problems.extend(Problem(p.path, here, p.message) if p.line == 1 else p for p in found)
    return data


def _phrases(
    doc: Document, key: str, breaks: set[str], problems: list[Problem], *, list_name: str | None = None
) -> tuple[Phrase, ...] | None:
    """Parse a list of vocabulary phrases, reporting items with no words or with a clause-break word."""
    texts = _strings(doc, key, problems)
    if texts is None:
        return None
    phrases: list[Phrase] = []
    good = True
    for i, text in enumerate(texts):
        phrase = parse_phrase(text)
        where = doc.line(key, i)
        if not phrase.words:
            problems.append(Problem(doc.path, where, f"phrase {text!r} in {list_name or key!r} has no words"))
            good = False
        elif breaks & set(phrase.words):
            word = sorted(breaks & set(phrase.words))[0]
            problems.append(Problem(
                doc.path, where,
                f"phrase {text!r} in {list_name or key!r} contains {word!r}, which splits clauses: it can never match",
            ))
            good = False
        else:
            phrases.append(phrase)
    return tuple(phrases) if good else None


def _cue_list(doc: Document, key: str, breaks: set[str], problems: list[Problem]) -> CueList | None:
    if key not in doc.data:
        return CueList(())
    part = _part(doc, key)
    data = _check_part(part, CUES_SCHEMA, problems)
    if data is None:
        return None
    phrases = _phrases(part, "phrases", breaks, problems, list_name=f"{key}.phrases")
    exceptions = _phrases(part, "except", breaks, problems, list_name=f"{key}.except")
    if phrases is None or exceptions is None:
        return None
    unless = data.get("unless")
    return CueList(phrases, exceptions, unless.strip() if isinstance(unless, str) else None)


def _rule(doc: Document, i: int, groups: Mapping[str, Any], problems: list[Problem]) -> Rule | None:
    part = _part(doc, "rules", i)
    data = _check_part(part, RULE_SCHEMA, problems)
    if data is None:
        return None
    signs, needs = _strings(part, "signs", problems), _strings(part, "needs", problems)
    unless, said = _strings(part, "unless", problems), _strings(part, "unless_said", problems)
    if signs is None or needs is None or unless is None or said is None:
        return None
    good = True
    for key, names in (("signs", signs), ("needs", needs), ("unless", unless), ("unless_said", said)):
        for j, name in enumerate(names):
            if name not in groups:
                known = ", ".join(groups)
                problems.append(Problem(doc.path, part.line(key, j), f"rule {data['name']!r}: unknown group {name!r} "
                                        f"(groups: {known})"))
                good = False
    return Rule(data["name"].strip(), signs, needs, data.get("within"), unless, said) if good else None


def _redflags(root: Path, shown_root: Path, problems: list[Problem]) -> tuple[RedFlags | None, Document | None]:
    """Read the optional redflags.yaml; (None, None) when the content has none."""
    path = root / "redflags.yaml"
    if not path.exists():
        return None, None
    doc = read_yaml(path, str(shown_root / "redflags.yaml"))
    if isinstance(doc, Problem):
        problems.append(doc)
        return None, None
    data = _check_mapping(doc, REDFLAGS_SCHEMA, problems)
    if data is None:
        return None, doc
    count = len(problems)
    words: dict[str, tuple[str, ...]] = {}
    for key in ("clause_breaks", "contrast", "not_typos"):
        words[key] = tuple(normalise(t) for t in _strings(doc, key, problems) or ())
        for i, word in enumerate(words[key]):
            if len(word.split()) != 1:
                problems.append(Problem(doc.path, doc.line(key, i), f"{key!r} item {i + 1} must be one word"))
    breaks = {*words["clause_breaks"], *words["contrast"]}
    spellings: dict[str, tuple[str, ...]] = {}
    for word, standard in data.get("spellings", {}).items():
        key = normalise(word) if isinstance(word, str) else ""
        value = normalise(standard) if isinstance(standard, str) else ""
        if len(key.split()) != 1 or not value:
            problems.append(Problem(doc.path, doc.line("spellings", word),
                                    f"spelling {word!r}: {standard!r} must map one word to text"))
        else:
            spellings[key] = tuple(value.split())
    cues = {key: _cue_list(doc, key, breaks, problems) for key in ("negation", "hypothetical", "hearsay", "chronic")}
    not_signs = _phrases(doc, "not_signs", breaks, problems) if "not_signs" in doc.data else ()
    groups: dict[str, tuple[Phrase, ...]] = {}
    for name, items in data["groups"].items():
        line = doc.line("groups", name)
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(doc.path, line, f"group name {name!r} must be text"))
        elif not isinstance(items, list) or not items:
            problems.append(Problem(doc.path, line, f"group {name!r} needs a list of phrases, not {_kind(items)}"))
        elif (phrases := _phrases(_part(doc, "groups"), name, breaks, problems)) is not None:
            groups[name] = phrases
    rules = [_rule(doc, i, data["groups"], problems) for i in range(len(data["rules"]))]
    names: dict[str, int] = {}
    for i, rule in enumerate(rules):
        if rule is not None and names.setdefault(rule.name, i) != i:
            problems.append(Problem(doc.path, doc.line("rules", i), f"rule name {rule.name!r} is used twice"))
    chronic = cues["chronic"]
    if chronic is not None and chronic.unless is not None and chronic.unless not in data["groups"]:
        problems.append(Problem(doc.path, doc.line("chronic", "unless"), f"unknown group {chronic.unless!r}"))
    used: set[str | None] = {g for r in rules if r for g in (*r.signs, *r.needs, *r.unless, *r.unless_said)}
    used.add(chronic.unless if chronic else None)
    for name in groups:
        if name not in used:
            problems.append(Problem(doc.path, doc.line("groups", name), f"group {name!r} is not used by any rule",
                                    warning=True))
    context: dict[str, frozenset[str]] = {}
    needed = {g for r in rules if r for g in (*r.needs, *r.unless_said)}
    for name, ids in data.get("context", {}).items():
        line = doc.line("context", name)
        if name not in needed:
            problems.append(Problem(doc.path, line, f"context {name!r} must be a group some rule needs or is "
                                    "stopped by (unless_said)"))
        elif not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
            problems.append(Problem(doc.path, line, f"context {name!r} needs a list of intent ids, not {_kind(ids)}"))
        else:
            context[name] = frozenset(i.strip() for i in ids)
    if any(not p.warning for p in problems[count:]) or None in rules or None in cues.values() or not_signs is None:
        return None, doc
    flags = RedFlags(
        response=data["response"].strip(), calm_response=(data.get("calm_response") or "").strip() or None,
        groups=groups, rules=tuple(r for r in rules if r),
        negation=cues["negation"] or CueList(()), hypothetical=cues["hypothetical"] or CueList(()),
        hearsay=cues["hearsay"] or CueList(()), chronic=chronic or CueList(()),
        clause_breaks=words["clause_breaks"], contrast=words["contrast"], spellings=spellings,
        not_typos=frozenset(words["not_typos"]), not_signs=not_signs,
        negation_window=data.get("negation_window", 4), typo_min_length=data.get("typo_min_length", 5),
        typo_min_ratio=float(data.get("typo_min_ratio", 85)),
        context=context,
    )
    return flags, doc


def check_content(root: Path | str | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate a content folder; return the knowledge base (None on errors) and all problems."""
    root = bundled_content() if root is None else Path(root)
    shown_root = _shown(root)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), 1, "content folder not found")]
    intent_docs = _read_folder(root, "intents", shown_root, problems)
    response_docs = _read_folder(root, "responses", shown_root, problems)
    thresholds = _settings(root, shown_root, problems)
    redflags, redflags_doc = _redflags(root, shown_root, problems)
    lexicon, filler, dictionary = _lexicon(root, shown_root, problems)
    declared = _aspects(root, shown_root, problems)
    offtopic = _offtopic(root, shown_root, problems)

    keys: dict[str, list[str]] = {}  # each intent's normalised patterns
    intents = {s: it for s, d in intent_docs.items() if (it := _intent(s, d, problems, keys))}
    responses = {s: rs for s, d in response_docs.items() if (rs := _response(s, d, problems))}
    for stem, doc in intent_docs.items():
        if stem not in response_docs:
            message = f"intent {stem!r} has no response (responses/{stem}.yaml)"
            problems.append(Problem(doc.path, doc.line("id"), message))
    for stem, doc in response_docs.items():
        if stem not in intent_docs:
            problems.append(Problem(doc.path, doc.line("id"), f"response {stem!r} has no intent (intents/{stem}.yaml)"))
        response = responses.get(stem)
        for i, other in enumerate(response.related if response else ()):
            if other not in intent_docs:
                problems.append(Problem(doc.path, doc.line("related", i), f"related topic {other!r} is not an intent"))
    aspects = _check_followups(intents, intent_docs, declared, str(shown_root / "followups.yaml"), problems)
    main = sorted(stem for stem, intent in intents.items() if intent.main)
    for stem in main[1:]:
        message = f"'main' is already true for intent {main[0]!r}: one topic at most can be the main one"
        problems.append(Problem(intent_docs[stem].path, intent_docs[stem].line("main"), message))
    if redflags_doc is not None and isinstance(redflags_doc.data, dict):
        for key in ("response", "calm_response"):
            target = redflags_doc.data.get(key)
            if isinstance(target, str) and target.strip() not in response_docs:
                message = f"{key} {target.strip()!r} is not in responses/"
                problems.append(Problem(redflags_doc.path, redflags_doc.line(key), message))
    if redflags is not None and redflags_doc is not None:
        for group, ids in redflags.context.items():
            for unknown in sorted(ids - intent_docs.keys()):
                message = f"context {group!r}: {unknown!r} is not an intent"
                problems.append(Problem(redflags_doc.path, redflags_doc.line("context", group), message))
    if not intent_docs and not any(p.message == "folder not found" for p in problems):
        problems.append(Problem(str(shown_root / "intents"), 1, "no intents found"))

    # The same pattern in two intents: the matcher cannot tell them apart.
    owner: dict[str, tuple[str, str]] = {}
    for stem, intent in sorted(intents.items()):
        doc = intent_docs[stem]
        for i, (pattern, key) in enumerate(zip(intent.patterns, keys[stem], strict=True)):
            first = owner.setdefault(key, (stem, pattern))
            if first[0] != stem:
                problems.append(Problem(
                    doc.path, doc.line("patterns", i),
                    f"pattern {pattern!r} is also in intent {first[0]!r} ({first[1]!r})", warning=True,
                ))
    # An off-topic example that is also a pattern contradicts the content: the bot would both answer and not.
    for i, example in enumerate(offtopic.examples):
        if offtopic.doc is not None and (mine := owner.get(normalise(example))):
            message = f"off-topic example {example!r} is a pattern of intent {mine[0]!r}"
            problems.append(Problem(offtopic.doc.path, offtopic.doc.line("examples", i), message))
    problems.sort()
    if any(not p.warning for p in problems):
        return None, problems
    ordered = tuple(intents[s] for s in sorted(intents))
    kb = KnowledgeBase(
        intents=ordered,
        responses=MappingProxyType(dict(sorted(responses.items()))),
        thresholds=thresholds,
        warnings=tuple(problems),
        root=str(root),
        aspects=MappingProxyType(aspects),
        redflags=redflags,
        lexicon=lexicon,
        filler=filler,
        dictionary=dictionary,
        offtopic=offtopic.examples,
        other_subjects=offtopic.other_subjects,
        our_subjects=offtopic.our_subjects,
        our_symptom=offtopic.our_symptom,
        our_treatment=offtopic.our_treatment,
        our_condition=offtopic.our_condition,
        other_places=offtopic.other_places,
        unanswered=offtopic.unanswered,
    )
    # The loader has normalised every pattern already: the matcher and the conversation need them too.
    object.__setattr__(kb, "_normalised_cache", MappingProxyType({s: tuple(keys[s]) for s in intents}))
    return kb, problems


def _check_followups(
    intents: Mapping[str, Intent], intent_docs: Mapping[str, Document],
    declared: dict[str, tuple[str, ...]] | None, shown: str, problems: list[Problem],
) -> dict[str, tuple[str, ...]]:
    """Check every intent's follow-ups; return the aspects (without followups.yaml: each name is its phrasing)."""
    aspects = dict(declared or {})
    used: set[str] = set()
    for stem, intent in sorted(intents.items()):
        doc = intent_docs[stem]
        written = list(doc.data.get("followups", {}))
        for (aspect, target), key in zip(intent.followups, written, strict=True):
            line = doc.line("followups", key)
            if declared is not None and aspect not in declared:
                known = ", ".join(sorted(declared))
                message = f"unknown follow-up aspect {key!r} (followups.yaml has: {known})"
                problems.append(Problem(doc.path, line, message))
            elif target not in intent_docs and target != NO_ANSWER:
                message = f"follow-up {key!r} points to {target!r}, which is not an intent (or {NO_ANSWER!r})"
                problems.append(Problem(doc.path, line, message))
            used.add(aspect)
            if declared is None:
                aspects.setdefault(aspect, (aspect,))
    for aspect in sorted(set(declared or {}) - used):
        problems.append(Problem(shown, 1, f"aspect {aspect!r} is not used by any intent", warning=True))
    return aspects


def load_content(root: Path | str | None = None) -> KnowledgeBase:
    """Load a content folder, raising ContentError listing every error found."""
    kb, problems = check_content(root)
    if kb is None:
        raise ContentError([p for p in problems if not p.warning])
    return kb
