"""The loader accepts good content and reports every problem of bad content, whole."""

from __future__ import annotations

import pytest
from conftest import MakeContent

from chatbot import ContentError, load_content
from chatbot.content import check_content, dictionary_names


def _errors(root: object) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(root)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def test_good_content_loads(make_content: MakeContent) -> None:
    kb = load_content(make_content({"a": ["hello there"], "b": ["good bye"]}))
    assert [i.id for i in kb.intents] == ["a", "b"]
    assert kb.responses["a"].text == "The answer about a."
    assert kb.warnings == ()


def test_every_problem_is_reported(make_content: MakeContent) -> None:
    root = make_content(
        {"good": ["a question"]},
        files={
            "intents/typo.yaml": "id: typo\ntitle: T?\npatterns: [x]\ncolour: red\n",
            "intents/wrongid.yaml": "id: other\ntitle: T?\npatterns: [x]\n",
            "intents/types.yaml": "id: types\ntitle: [not, text]\npatterns: hello\n",
            "intents/empty.yaml": "id: empty\ntitle: T?\npatterns: []\n",
            "intents/blank.yaml": "id: blank\ntitle: T?\npatterns:\n  - ok\n  - '  '\n  - 3\n",
            "intents/lonely.yaml": "id: lonely\ntitle: T?\npatterns: [x]\n",
            "responses/orphan.yaml": "id: orphan\ntext: hi\nsources: [A]\nreviewed: 2026-11-21\n",
            "responses/typo.yaml": "id: typo\ntext: ''\nsources: [A]\nreviewed: soon\n",
            "responses/wrongid.yaml": "id: wrongid\ntext: t\nsources: [A]\nreviewed: 2026-11-21\nrelated: [nope]\n",
        },
    )
    assert _errors(root) == [
        f"{root}/intents/blank.yaml:1: intent 'blank' has no response (responses/blank.yaml)",
        f"{root}/intents/blank.yaml:5: 'patterns' item 2 is empty; it must be text",
        f"{root}/intents/blank.yaml:6: 'patterns' item 3 is a number; it must be text",
        f"{root}/intents/empty.yaml:1: intent 'empty' has no response (responses/empty.yaml)",
        f"{root}/intents/empty.yaml:3: 'patterns' must not be empty",
        f"{root}/intents/lonely.yaml:1: intent 'lonely' has no response (responses/lonely.yaml)",
        f"{root}/intents/types.yaml:1: intent 'types' has no response (responses/types.yaml)",
        f"{root}/intents/types.yaml:2: 'title' must be text, not a list",
        f"{root}/intents/types.yaml:3: 'patterns' must be a list of text, not text",
        f"{root}/intents/typo.yaml:4: unknown key 'colour' "
        "(known: id, title, group, patterns, followups, main, opener)",
        f"{root}/intents/wrongid.yaml:1: id 'other' differs from the file name 'wrongid'",
        f"{root}/responses/orphan.yaml:1: response 'orphan' has no intent (intents/orphan.yaml)",
        f"{root}/responses/typo.yaml:2: 'text' must not be empty",
        f"{root}/responses/typo.yaml:4: 'reviewed' must be a date like 2026-11-21, not text",
        f"{root}/responses/wrongid.yaml:5: related topic 'nope' is not an intent",
    ]


def test_missing_keys_and_non_mapping(make_content: MakeContent) -> None:
    root = make_content(files={
        "intents/a.yaml": "id: a\n",
        "responses/a.yaml": "- just\n- a list\n",
    })
    assert _errors(root) == [
        f"{root}/intents/a.yaml:1: missing key 'patterns'",
        f"{root}/intents/a.yaml:1: missing key 'title'",
        f"{root}/responses/a.yaml:1: must be a mapping of keys, not a list",
    ]


def test_missing_folder(tmp_path: object) -> None:
    assert _errors(f"{tmp_path}/nowhere") == [f"{tmp_path}/nowhere:1: content folder not found"]


def test_shared_pattern_is_a_warning_not_an_error(make_content: MakeContent) -> None:
    """Two intents with the same pattern (after normalisation) cannot be told apart."""
    root = make_content({"a": ["What is it?"], "b": ["what  is IT", "other words"]})
    kb, problems = check_content(root)
    assert kb is not None
    assert [str(p) for p in problems] == [
        f"{root}/intents/b.yaml:4: warning: pattern 'what  is IT' is also in intent 'a' ('What is it?')"
    ]


def test_bad_thresholds_in_settings(make_content: MakeContent) -> None:
    root = make_content({"a": ["x"]}, files={"settings.yaml": "thresholds:\n  min_confidence: 2\n"})
    assert _errors(root) == [
        f"{root}/settings.yaml:2: threshold 'min_confidence' must be a number from 0 to 1, not 2"
    ]


def test_bundled_content_is_clean() -> None:
    """The shipped content has neither errors nor warnings (validate --strict passes)."""
    kb, problems = check_content()
    assert kb is not None
    assert [str(p) for p in problems] == []


# --- follow-ups: intents' `followups:` and the optional followups.yaml -----------------------

FOLLOWUP_ANSWERS = {
    f"responses/{name}.yaml": f"id: {name}\ntext: About {name}.\nsources: [A]\nreviewed: 2026-11-21\n"
    for name in ("mvd", "mvd_risks", "pills")
}


def test_one_intent_at_most_is_the_main_topic(make_content: MakeContent) -> None:
    files = {"intents/a.yaml": "id: a\ntitle: A?\npatterns: [a]\nmain: true\n",
             "intents/b.yaml": "id: b\ntitle: B?\npatterns: [b]\n",
             "responses/a.yaml": "id: a\ntext: A.\nsources: [x]\nreviewed: 2026-11-21\n",
             "responses/b.yaml": "id: b\ntext: B.\nsources: [x]\nreviewed: 2026-11-21\n"}
    kb = load_content(make_content(files=files))
    assert kb.intent("a").main and not kb.intent("b").main
    twice = make_content(files={**files, "intents/b.yaml": "id: b\ntitle: B?\npatterns: [b]\nmain: true\n"})
    assert _errors(twice) == [f"{twice}/intents/b.yaml:4: 'main' is already true for intent 'a': one topic at "
                              "most can be the main one"]
    wordy = make_content(files={**files, "intents/a.yaml": "id: a\ntitle: A?\npatterns: [a]\nmain: yes please\n"})
    assert _errors(wordy) == [f"{wordy}/intents/a.yaml:4: 'main' must be true or false, not text"]


def test_opener_is_true_or_false(make_content: MakeContent) -> None:
    files = {"intents/a.yaml": "id: a\ntitle: A?\npatterns: [a]\nopener: true\n",
             "responses/a.yaml": "id: a\ntext: A.\nsources: [x]\nreviewed: 2026-11-21\n"}
    assert load_content(make_content(files=files)).intent("a").opener
    wordy = make_content(files={**files, "intents/a.yaml": "id: a\ntitle: A?\npatterns: [a]\nopener: often\n"})
    assert _errors(wordy) == [f"{wordy}/intents/a.yaml:4: 'opener' must be true or false, not text"]


def test_followups_load_with_their_phrasings(make_content: MakeContent) -> None:
    root = make_content(files={
        **FOLLOWUP_ANSWERS,
        "intents/mvd.yaml": "id: mvd\ntitle: MVD?\npatterns: [mvd]\nfollowups:\n  Risks: mvd_risks\n",
        "intents/mvd_risks.yaml": "id: mvd_risks\ntitle: Risks?\npatterns: [mvd risks]\n",
        "intents/pills.yaml": "id: pills\ntitle: Pills?\npatterns: [pills]\n",
        "followups.yaml": "risks:\n  - What are the RISKS?\n  - is it safe\n",
    })
    kb = load_content(root)
    assert kb.intent("mvd").followups == (("risks", "mvd_risks"),)
    assert kb.intent("mvd").followup("risks") == "mvd_risks"
    assert kb.intent("pills").followup("risks") is None
    assert dict(kb.aspects) == {"risks": ("risks", "what are the risks", "is it safe")}


def test_followups_without_followups_yaml_use_the_aspect_names(make_content: MakeContent) -> None:
    root = make_content(files={
        **FOLLOWUP_ANSWERS,
        "intents/mvd.yaml": "id: mvd\ntitle: MVD?\npatterns: [mvd]\nfollowups:\n  side effects: mvd_risks\n",
        "intents/mvd_risks.yaml": "id: mvd_risks\ntitle: Risks?\npatterns: [mvd risks]\n",
        "intents/pills.yaml": "id: pills\ntitle: Pills?\npatterns: [pills]\n",
    })
    assert dict(load_content(root).aspects) == {"side effects": ("side effects",)}


def test_a_followup_no_answer_covers_is_none_and_none_is_no_intent_id(make_content: MakeContent) -> None:
    root = make_content({"mvd": ["mvd"]}, {"followups.yaml": "risks:\n  - is it safe\n"})
    (root / "intents" / "mvd.yaml").write_text("id: mvd\ntitle: MVD?\npatterns: [mvd]\nfollowups:\n  risks: none\n")
    assert load_content(root).intent("mvd").followup("risks") == "none"
    root = make_content({"none": ["nothing at all"]})
    assert [e for e in _errors(root) if "reserved" in e] == [
        f"{root}/intents/none.yaml:1: intent id 'none' is reserved: a follow-up no answer covers",
    ]


def test_bad_followups_are_reported(make_content: MakeContent) -> None:
    root = make_content(files={
        **FOLLOWUP_ANSWERS,
        "intents/mvd.yaml": (
            "id: mvd\ntitle: MVD?\npatterns: [mvd]\nfollowups:\n  risk: mvd_risks\n  risks: mvd_risk\n"
        ),
        "intents/mvd_risks.yaml": "id: mvd_risks\ntitle: Risks?\npatterns: [mvd risks]\nfollowups: [risks]\n",
        "intents/pills.yaml": "id: pills\ntitle: Pills?\npatterns: [pills]\nfollowups:\n  risks: [mvd_risks]\n",
        "followups.yaml": "risks:\n  - is it safe\nsafety:\n  - is it safe\n  - '?'\nrecovery: soon\n",
    })
    assert _errors(root) == [
        f"{root}/followups.yaml:4: phrasing 'is it safe' is also in aspect 'risks'",
        f"{root}/followups.yaml:5: phrasing 2 of 'safety' has no words",
        f"{root}/followups.yaml:6: aspect 'recovery' needs a list of phrasings, not text",
        f"{root}/intents/mvd.yaml:5: unknown follow-up aspect 'risk' (followups.yaml has: risks, safety)",
        f"{root}/intents/mvd.yaml:6: follow-up 'risks' points to 'mvd_risk', which is not an intent (or 'none')",
        f"{root}/intents/mvd_risks.yaml:4: 'followups' must be a mapping, not a list",
        f"{root}/intents/pills.yaml:5: follow-up 'risks' must name an intent id, not a list",
    ]


def test_an_unused_aspect_is_a_warning(make_content: MakeContent) -> None:
    root = make_content({"a": ["x"]}, files={"followups.yaml": "risks: [is it safe]\n"})
    kb, problems = check_content(root)
    assert kb is not None
    assert [str(p) for p in problems] == [f"{root}/followups.yaml:1: warning: aspect 'risks' is not used by any intent"]


# --- redflags.yaml: optional, validated like the rest ------------------------------------------------

GOOD_REDFLAGS = """\
response: a
clause_breaks: [and]
negation:
  phrases: ["no"]
groups:
  thing: [red thing, blue thing]
  soon: [today]
rules:
  - name: a thing today
    signs: [thing]
    needs: [soon]
"""


def test_redflags_load_into_an_immutable_vocabulary(make_content: MakeContent) -> None:
    import dataclasses
    from types import MappingProxyType

    from chatbot import Bot

    kb = load_content(make_content({"a": ["hello"]}, files={"redflags.yaml": GOOD_REDFLAGS}))
    assert kb.redflags is not None
    assert [r.name for r in kb.redflags.rules] == ["a thing today"]
    assert isinstance(kb.redflags.groups, MappingProxyType)
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.redflags.response = "b"  # type: ignore[misc]
    bot = Bot(kb)
    assert bot.reply("a red thing today").kind == "emergency"
    assert bot.reply("no red thing today").kind != "emergency"


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        (GOOD_REDFLAGS + "colour: red\n", ["redflags.yaml:12: unknown key 'colour' (known: response, calm_response, "
                                           "negation_window, typo_min_length, typo_min_ratio, clause_breaks, contrast, "
                                           "spellings, "
                                           "not_typos, not_signs, negation, hypothetical, hearsay, chronic, groups, "
                                           "rules, context)"]),
        (GOOD_REDFLAGS + "context:\n  thing: [a]\n", ["redflags.yaml:13: context 'thing' must be a group some rule "
                                                       "needs or is stopped by (unless_said)"]),
        (GOOD_REDFLAGS + "context:\n  soon: [a, nope]\n", ["redflags.yaml:13: context 'soon': 'nope' is not an "
                                                            "intent"]),
        (GOOD_REDFLAGS + "context:\n  soon: a\n", ["redflags.yaml:13: context 'soon' needs a list of intent ids, "
                                                    "not text"]),
        (GOOD_REDFLAGS + "not_signs: [fallen and asleep]\n",
         ["redflags.yaml:12: phrase 'fallen and asleep' in 'not_signs' contains 'and', which splits clauses: it can "
          "never match"]),
        (GOOD_REDFLAGS + "not_typos: [brushes her]\n",
         ["redflags.yaml:12: 'not_typos' item 1 must be one word"]),
        (GOOD_REDFLAGS.replace("response: a", "response: nothing"),
         ["redflags.yaml:1: response 'nothing' is not in responses/"]),
        (GOOD_REDFLAGS + "calm_response: nothing\n",
         ["redflags.yaml:12: calm_response 'nothing' is not in responses/"]),
        (GOOD_REDFLAGS.replace('["no"]', "[no]"), ["redflags.yaml:4: 'phrases' item 1 is true/false; it must be text"]),
        (GOOD_REDFLAGS.replace("signs: [thing]", "signs: [thing, nope]"),
         ["redflags.yaml:10: rule 'a thing today': unknown group 'nope' (groups: thing, soon)"]),
        (GOOD_REDFLAGS.replace("    needs: [soon]", "    needs: [soon]\n    when: always"),
         ["redflags.yaml:12: unknown key 'when' (known: name, signs, needs, within, unless, unless_said)"]),
        (GOOD_REDFLAGS.replace("    needs: [soon]", "    needs: [soon]\n    unless_said: [nope]"),
         ["redflags.yaml:12: rule 'a thing today': unknown group 'nope' (groups: thing, soon)"]),
        (GOOD_REDFLAGS.replace("blue thing", "blue and red"),
         ["redflags.yaml:6: phrase 'blue and red' in 'thing' contains 'and', which splits clauses: "
          "it can never match"]),
        (GOOD_REDFLAGS.replace("  phrases:", "  phrase:"),
         ["redflags.yaml:3: missing key 'phrases'",
          "redflags.yaml:4: unknown key 'phrase' (known: phrases, except, unless)"]),
        (GOOD_REDFLAGS + "negation_window: 500\n",
         ["redflags.yaml:12: 'negation_window' must be a whole number from 1 to 20, not 500"]),
        (GOOD_REDFLAGS.replace("soon: [today]", "soon: today"), ["redflags.yaml:7: group 'soon' needs a list of "
                                                                  "phrases, not text"]),
        (GOOD_REDFLAGS.replace("response: a", "response: !!python/name:os.system"),
         ["redflags.yaml:1: the tag 'tag:yaml.org,2002:python/name:os.system' is not allowed: content is data, "
          "not code"]),
        (GOOD_REDFLAGS.replace("groups:", "x: &x [a, a]\ny: [*x, *x]\ngroups:"),
         ["redflags.yaml:5: anchors and aliases (&, *) are not allowed"]),
        ("- just\n- a list\n", ["redflags.yaml:1: must be a mapping of keys, not a list"]),
        (b"response: \xff\n", ["redflags.yaml:1: not valid UTF-8 (byte 0xff)"]),
    ],
)
def test_bad_redflags_are_reported(make_content: MakeContent, text: str | bytes, errors: list[str]) -> None:
    root = make_content({"a": ["hello"]}, files={"redflags.yaml": text})
    assert _errors(root) == [f"{root}/{e}" for e in errors]


def test_unused_redflag_group_is_a_warning(make_content: MakeContent) -> None:
    root = make_content({"a": ["hello"]}, files={"redflags.yaml": GOOD_REDFLAGS.replace(
        "  soon: [today]", "  soon: [today]\n  spare: [extra]")})
    kb, problems = check_content(root)
    assert kb is not None
    assert [str(p) for p in problems] == [f"{root}/redflags.yaml:8: warning: group 'spare' is not used by any rule"]


def test_a_lexicon_term_may_not_contain_a_variant(make_content: MakeContent) -> None:
    # Rewriting "scar" to "scar tissue" would rewrite it again on the next pass: "scar tissue tissue".
    root = make_content({"a": ["hello there"]}, {"lexicon.yaml": "terms:\n  scar tissue: [scar, scars]\n"})
    assert _errors(root) == [f"{root}/lexicon.yaml:2: term 'scar tissue' contains 'scar', a variant of 'scar tissue'"]
    root = make_content({"a": ["hello there"]}, {"lexicon.yaml": "terms:\n  cicatrix: [scar, scars]\n"})
    assert load_content(root).lexicon["cicatrix"] == ("scar", "scars")


def test_the_lexicon_dictionary_names_a_bundled_word_list(make_content: MakeContent) -> None:
    root = make_content({"a": ["hello there"]}, {"lexicon.yaml": "dictionary: english\n"})
    assert dictionary_names() == ["english"]  # the notices beside the lists are not lists
    words = load_content(root).dictionary
    assert {"cancel", "shave", "appreciated"} <= words and "botox" not in words
    (root / "lexicon.yaml").unlink()
    assert load_content(root).dictionary == frozenset()
    root = make_content({"a": ["hello there"]}, {"lexicon.yaml": "dictionary: klingon\n"})
    assert _errors(root) == [
        f"{root}/lexicon.yaml:1: dictionary 'klingon' is not a word list we ship "
        f"(known: {', '.join(dictionary_names())})"
    ]
    root = make_content({"a": ["hello there"]}, {"lexicon.yaml": "dictionary: [english]\n"})
    assert _errors(root) == [f"{root}/lexicon.yaml:1: 'dictionary' must be the name of a word list, not a list"]


def test_offtopic_examples_load(make_content: MakeContent) -> None:
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": "examples:\n  - knee surgery\n  - ' the weather '\n"})
    assert load_content(root).offtopic == ("knee surgery", "the weather")
    (root / "offtopic.yaml").unlink()
    assert load_content(root).offtopic == ()


def test_bad_offtopic_examples_are_reported(make_content: MakeContent) -> None:
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": "examples:\n  - knee surgery\n  - 3\n"})
    assert _errors(root) == [f"{root}/offtopic.yaml:3: 'examples' item 2 is a number; it must be text"]
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": "examples:\n  - knee surgery\n  - Hello, there!\n"})
    assert _errors(root) == [f"{root}/offtopic.yaml:3: off-topic example 'Hello, there!' is a pattern of intent 'a'"]
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": "example: [knee]\n"})
    assert _errors(root) == [
        f"{root}/offtopic.yaml:1: missing key 'examples'",
        f"{root}/offtopic.yaml:1: unknown key 'example' (known: examples, other_subjects, our_subjects, our_symptom, "
        "our_treatment, our_condition, other_places, unanswered)",
    ]


def test_offtopic_subjects_load_and_are_checked(make_content: MakeContent) -> None:
    text = "examples: [knee surgery]\nother_subjects: [Epilepsy, ' knee ']\nour_subjects: [spasm]\n"
    text += "our_condition: [hfs]\n"
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": text})
    kb = load_content(root)
    assert (kb.other_subjects, kb.our_subjects, kb.our_condition) == (("Epilepsy", "knee"), ("spasm",), ("hfs",))
    (root / "offtopic.yaml").write_text("examples: [knee surgery]\n")
    assert load_content(root).other_subjects == load_content(root).our_subjects == ()
    text = "examples: [knee surgery]\nother_subjects: [epilepsy, knee, '!!', Knee]\nour_subjects: [Epilepsy]\n"
    (root / "offtopic.yaml").write_text(text)
    kb, problems = check_content(root)
    assert kb is None
    assert [str(p) for p in problems] == [
        f"{root}/offtopic.yaml:2: 'other_subjects' item '!!' has no words",
        f"{root}/offtopic.yaml:2: warning: subject 'Knee' is listed twice",
        f"{root}/offtopic.yaml:3: subject 'Epilepsy' is also in 'other_subjects'",
    ]


def test_normalised_patterns_are_computed_once_and_agree(make_content: MakeContent) -> None:
    """The loader hands its normalised patterns on; a knowledge base built by hand computes the same."""
    from chatbot import KnowledgeBase

    kb = load_content(make_content({"a": ["What's it?"], "b": ["Hémi  SPASM!", "other words"]}))
    assert kb.normalised_patterns("b") == ("hemi spasm", "other words")
    by_hand = KnowledgeBase(kb.intents, kb.responses)
    assert [by_hand.normalised_patterns(i.id) for i in kb.intents] == [("what is it",), ("hemi spasm", "other words")]


def test_unanswered_subjects_load_and_may_not_be_in_another_list(make_content: MakeContent) -> None:
    text = ("examples: [knee surgery]\nother_subjects: [knee]\nunanswered: [cost, insurance]\nour_symptom: [spasm]\n"
            "our_treatment: [microvascular decompression]\n")
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": text})
    kb = load_content(root)
    assert (kb.unanswered, kb.our_symptom, kb.our_treatment) == (
        ("cost", "insurance"), ("spasm",), ("microvascular decompression",))
    (root / "offtopic.yaml").write_text("examples: [knee surgery]\nother_subjects: [cost]\nunanswered: [cost]\n")
    kb, problems = check_content(root)
    assert kb is None
    assert [str(p) for p in problems] == [f"{root}/offtopic.yaml:3: subject 'cost' is also in 'other_subjects'"]


def test_other_places_load_and_may_be_other_subjects_but_not_ours(make_content: MakeContent) -> None:
    text = "examples: [knee surgery]\nother_subjects: [knee]\nour_subjects: [face]\nother_places: [knee, thumb]\n"
    root = make_content({"a": ["hello there"]}, {"offtopic.yaml": text})
    assert load_content(root).other_places == ("knee", "thumb")
    (root / "offtopic.yaml").write_text(
        "examples: [knee surgery]\nour_subjects: [face]\nother_places: [thumb, Face, Thumb, '!!']\n")
    kb, problems = check_content(root)
    assert kb is None
    assert [str(p) for p in problems] == [
        f"{root}/offtopic.yaml:3: 'other_places' item '!!' has no words",
        f"{root}/offtopic.yaml:3: 'other_places' item 'Face' is in 'our_subjects'",
        f"{root}/offtopic.yaml:3: warning: 'other_places' item 'Thumb' is listed twice",
    ]
