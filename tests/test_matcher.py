"""The matcher: lexicon, typos, word weights, the character rerank and the off-topic examples."""

from __future__ import annotations

import pytest
from conftest import MakeContent

import chatbot.matcher as matcher_module
from chatbot import Bot
from chatbot.content import load_content
from chatbot.matcher import Matcher
from chatbot.text import normalise, question_parts

TOPICS = {
    "carbamazepine": ["what is carbamazepine", "carbamazepine dose", "how do i take carbamazepine"],
    "surgery": ["what is microvascular decompression", "risks of the operation", "recovery after surgery"],
    "sleep": ["does the spasm stop when i sleep", "twitching at night", "spasm during sleep"],
}
LEXICON = """\
terms:
  carbamazepine: [tegretol]
  microvascular decompression: [mvd]
filler: [my, i, the, a, is, what, does, for, of, how, can]
"""


def _matcher(make_content: MakeContent, **files: str) -> Matcher:
    return Matcher(load_content(make_content(TOPICS, {"lexicon.yaml": LEXICON, **files})))


def _top(matcher: Matcher, question: str) -> str:
    return matcher.rank(normalise(question))[0].intent


def test_brand_names_and_abbreviations_meet_their_canonical_term(make_content: MakeContent) -> None:
    matcher = _matcher(make_content)
    assert _top(matcher, "tegretol") == "carbamazepine"
    assert _top(matcher, "is mvd risky") == "surgery"


def test_misspelt_words_are_corrected_to_content_words(make_content: MakeContent) -> None:
    matcher = _matcher(make_content)
    assert matcher.prepare("carbamazapin dose") == ["carbamazepine", "dose"]
    assert _top(matcher, "carbamazapin dose") == "carbamazepine"
    assert _top(matcher, "spasm durring sleep") == "sleep"


def test_a_slip_goes_to_the_closest_word_the_content_uses_most(make_content: MakeContent) -> None:
    topics = {
        "cause": ["what causes the spasm", "causes of twitching", "why, what causes it"],
        "cases": ["how many cases are there"],
        "medicine": ["which medicine helps", "medicine for the spasm"],
        "piles": ["treatment for piles"],
    }
    lexicon = "terms:\n  medicine: [pills, pill]\n"
    matcher = Matcher(load_content(make_content(topics, {"lexicon.yaml": lexicon})))
    # "cuases" is one slip from both "causes" (two letters swapped) and "cases" (one extra): the commoner wins.
    assert matcher.prepare("what cuases it") == ["what", "caus", "it"]
    # "pils" is one slip from "pills" and "piles": "pills" counts as often as "medicine", which it means.
    assert matcher.prepare("which pils") == ["which", "medicine"]
    # Two slips in a short word are too many; the first letter is never corrected.
    assert matcher.prepare("cuasse") == ["cuasse"]
    assert matcher.prepare("xauses") == ["xaus"]


def test_a_word_split_in_two_is_joined_when_one_half_is_unknown(make_content: MakeContent) -> None:
    topics = {
        "botox": ["what is botox", "botox for the eyelid"],
        "surgery": ["what does the neurosurgeon do", "is surgery safe"],
        "eye": ["my eye twitches", "my lid droops"],
    }
    matcher = Matcher(load_content(make_content(topics)))
    assert matcher.prepare("what is bo tox") == ["what", "is", "botox"]  # as dictation splits it
    assert _top(matcher, "what does the neuro surgeon do") == "surgery"
    # Two words the content knows stay two ("eye lid" reads the same either way), and short joins are left alone.
    assert matcher.prepare("my eye lid") == ["my", "eye", "lid"]
    assert matcher.prepare("is it") == ["is", "it"]


@pytest.mark.parametrize(("text", "intent"), [
    ("is tegra tall good for face spasms", "carbamazepine"),
    ("tell me about tea gray tall for face twitching", "carbamazepine"),
    ("what about dial and tin for hfs", "phenytoin"),
    ("my wife needs a neural adjust for her face spasm which kind", "see_a_specialist"),
    ("what is car bama zepine used for in hemi facial spasm", "carbamazepine"),
    ("tell me about fennie toe in for face spasm", "phenytoin"),
    ("tell me more about tea gret oll for her face spasm", "carbamazepine"),
    ("is dye lanting used for hemi fascial spasum", "phenytoin"),
    ("my sister asks what is tegger tall is it any good for the face twitching", "carbamazepine"),
    ("my neurologist wants to give me bow talks in the face what does it actually do", "botox"),
    ("what is micro vascular D compression", "mvd_procedure"),
    # Texting shorthand: "tx" for treatment, "fx" for effects, "ttyl" for goodbye.
    ("tx options", "treatment_overview"),
    ("side fx", "medication_side_effects"),
    ("thx, ttyl", "goodbye"),
    ("my lola has twitching left side of face, is it delikado?", "hfs_seriousness"),
    # "least" is filler, used by no pattern: "at least" does not pull the question away from sleep.
    ("does it stop at night at least", "hfs_sleep"),
    # "seriously" says how earnest the question is, not that it asks whether HFS is serious.
    ("ok seriously, what's hemifacial spasm", "hfs_definition"),
    # Clinicians' shorthand: adverse drug reactions are side effects.
    ("What are the common ADRs of the anticonvulsants used for HFS?", "medication_side_effects"),
    # Words of patients' first languages, and local brands: Eptoin is phenytoin, "po" (Tagalog) is politeness.
    ("ok, chau", "goodbye"),
    ("merci, bonne nuit", "goodbye"),
    ("valeu!", "thanks"),
    ("assalam o alaikum doctor sahab", "greeting"),
    ("privet bot", "greeting"),
    ("thanks for info, do widzenia", "goodbye"),
    ("ok, até logo", "goodbye"),
    ("dzięki", "thanks"),
    # Irish and Australian small talk: "slán" takes leave, "go raibh maith agat" thanks, "g'day" greets.
    ("slan go foill", "goodbye"),
    ("go raibh maith agat", "thanks"),
    ("g'day mate", "greeting"),
    ("have a good day", "goodbye"),
    # Greetings, farewells and sign-offs in more first languages, and letters' closing words.
    ("Guten Tag,", "greeting"),
    ("buenas tardes", "greeting"),
    ("ah ok, ingat", "goodbye"),
    ("Dziękuję, miłego dnia", "goodbye"),
    ("merci, bonne soirée", "goodbye"),
    ("Best regards", "goodbye"),
    ("vielen dank", "thanks"), ("muchas gracias por todo", "thanks"),
    # Jamaican, South African, Australian and Southern small talk.
    ("wah gwaan", "greeting"), ("howzit", "greeting"), ("respect, likkle more", "goodbye"),
    ("sharp sharp", "goodbye"), ("ta, hooroo", "goodbye"), ("much obliged", "thanks"),
    ("wassup", "greeting"),
    # Scots spellings of everyday words: "intae baith eyes", "hoo long efter the op".
    ("does the twitch go intae baith eyes", "hfs_symptoms"),
    ("hoo long efter the op would i be aff work", "mvd_recovery"),
    # Scots, Nigerian Pidgin and Jamaican spellings of everyday words: "dae", "hame", "tae", "dey", "seh", "fi".
    ("is there owt ah can dae at hame tae ease the twitchin", "home_remedies"),
    ("how often dae ye get the jags", "botox"),
    ("abeg wetin dey cause am", "hfs_cause"),
    ("mi doctor seh fi tek Tegretol, how dat work", "carbamazepine"),
    ("wagwan", "greeting"), ("one love", "goodbye"), ("ok ta ra", "goodbye"),
    ("thank you, have a blessed day", "goodbye"),
    # Ordinals typed as digits: "2nd" is "second".
    ("is a 2nd operation possible", "mvd_success_rate"),
    # Where a search-box writer read it says nothing of the topic.
    ("hemifacial spasm wikipedia", "hfs_definition"),
    # Hedges around the question weigh nothing: "roughly", "definitely", "finally".
    ("how often would I be getting the botox roughly", "botox"),
    ("and does it keep going when i finally sleep", "hfs_sleep"),
    ("what makes it flare up? its always awful at work", "hfs_triggers"),
    # "the scanner" is the scan: "do i need to go in the scanner".
    ("do i need to go in the scanner for the twitch", "hfs_diagnosis"),
    # "knackered" and "shattered" are tired.
    ("im a bus driver and the twitch gets way worse on long shifts when im knackered and when passengers chat to me. "
     "why is that", "hfs_triggers"),
    ("Che cos'è lo spasmo emifacciale? explain simple please", "hfs_definition"),
    ("hemifacial spasm is grave? I am very preocupada", "hfs_seriousness"),
    ("what about magnez for hemifacial spasm? everybody in Poland takes it", "supplements_vitamins"),
    ("The doctor give me carbamazepina 200 for the espasmo. I have to do examenes de sangre? why?", "carbamazepine"),
    ("How long the botox will work po before repeat?", "botox"),
    ("my father takes eptoin for his face, what is the max dose", "phenytoin"),
    ("will Methycobal and Neurobion forte tablets cure facial twitching", "supplements_vitamins"),
    # Autocorrect's real words for ours: "a cup puncture", "face message", "supple mints".
    ("is a cup puncture worth trying for hemifacial spasm", "alternative_therapies"),
    ("would a face message help the twitching", "home_remedies"),
    ("has anyone tried supple mints for the spasm", "supplements_vitamins"),
    # Pet names of the pills: "teggy" and "dilly".
    ("what is teggy exactly, my gp mentioned it", "carbamazepine"),
    ("my gums have gone all puffy, can dilly do that", "phenytoin"),
    # "the micro something decompression" is the operation half remembered.
    ("whats the name of that surgery, the micro something decompression", "mvd_procedure"),
    # "decomp" is short for the decompression.
    ("whats the decomp success rate", "mvd_success_rate"),
    # To book in with a doctor is to see one, not a book to read.
    ("i have hemifacial spasm, who should i book in with", "see_a_specialist"),
    # Idioms of what can be done: an operation "out of the question" or "on the table" asks whether it is possible.
    ("my grandmother is 88, is the operation out of the question for someone her age?", "mvd_candidacy"),
    ("at 85 is the operation off the table for me", "mvd_candidacy"),
    ("is microvascular decompression still on the table for someone who is 85", "mvd_candidacy"),
    # Where the writer lives is their context, not what they ask: "in my country the doctor gave me ...".
    ("in my country the doctor gave me vitamin B injections for the face spasm, do they help?", "supplements_vitamins"),
    # Comparatives and superlatives no pattern spells are the word itself: "rarest", "commonest".
    ("what are the rarest causes", "hfs_other_causes"),
    ("whats the commonest cause", "hfs_cause"),
    # "treatable" asks about the treatments.
    ("is hfs treatable", "treatment_overview"),
    # The flying doctor is a doctor, not a flight.
    ("when is it an emergency where I should call the flying doctor about my face spasm", "emergency_red_flags"),
    # Spelt as it sounds: "thanx" is the lexicon's "thnx", not "than"; "opshuns" are options.
    ("thanx", "thanks"),
    ("so wat are my opshuns now", "treatment_overview"),
    ("wil relaxashun help", "alternative_therapies"),
    # Supplements by name: ashwagandha and alpha lipoic acid are supplements too.
    ("my gym bro swears by ashwagandha for nerves, does that help w hfs", "supplements_vitamins"),
])
def test_the_bundled_lexicon_reads_dictation_slips_and_filler(bot: Bot, text: str, intent: str) -> None:
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("every time i chew its like a rubber band snaps my cheek up, why does eating set it off", "hfs_triggers"),
    ("what about rubbing it, kneading it like dough", "home_remedies"),
])
def test_the_words_of_a_simile_no_content_uses_are_imagery(bot: Bot, text: str, intent: str) -> None:
    """ "like a rubber band" describes the spasm: its words count against no topic."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


def test_like_as_a_verb_opens_no_simile(bot: Bot) -> None:
    """ "i would like hotels" asks for hotels: the word no content uses still counts; "like hotels" is imagery."""
    matcher = bot._matcher
    assert "hotel" in matcher._without_imagery(matcher.prepare_text("i would like hotels near the hospital"))
    assert "hotel" in matcher._without_imagery(matcher.prepare_text("id like hotels near the hospital"))
    assert "hotel" in matcher._without_imagery(matcher.prepare_text("my sister does like hotels"))
    assert "hotel" not in matcher._without_imagery(matcher.prepare_text("it is like hotels near the hospital"))
    assert bot.reply("i would like hotels near the hospital").kind == "fallback"


def test_words_typed_without_their_spaces_are_read_apart(bot: Bot) -> None:
    """ "whatmakes itworse" is four words the content knows; a place or a medicine the content does not know is not."""
    prepare = bot._matcher.prepare
    assert prepare("whatmakes itworse") == ["what", "make", "it", "worse"]
    assert prepare("canmassage helpit") == ["can", "massage", "help", "it"]
    # Unknown words with no split into the content's words, or only into rare short ones ("bo", "st"), stay whole.
    assert prepare("boston metformin") == ["boston", "metformin"]
    # A misspelling is corrected, not split ("treatmint" is no "treat" and "mint").
    assert prepare("treatmint") == ["treatment"]
    reply = bot.reply("whatisthe riskofthe surgery")
    assert (reply.kind, reply.intent) == ("answer", "mvd_risks"), reply.reason
    # What no answer covers is read apart too.
    assert "which no answer covers" in bot.reply("howmuch doesitcost for botox").reason


def test_a_word_spelt_as_it_sounds_meets_the_content_word_that_sounds_the_same(make_content: MakeContent) -> None:
    topics = {"serious": ["is the facial spasm serious"], "series": ["a large series of cases"]}
    english = Matcher(load_content(make_content(topics, {"lexicon.yaml": "dictionary: english\n"})))
    # Too many slips for the spelling corrector, but the same sounds: "seerius" is "serious", not "series".
    assert english.prepare("is it seerius") == ["is", "it", "serious"]
    assert english.prepare("fayshul spazum") == ["facial", "spasm"]
    # A word of the language is meant as typed; a short word or a different first letter is never re-spelt.
    assert english.prepare("source") == ["source"]
    assert english.prepare("sirs") == ["sir"]
    assert english.prepare("cyrius") == ["cyrius"]


def test_endings_spelt_as_they_sound_and_the_closest_that_sounds_alike(make_content: MakeContent) -> None:
    topics = {"options": ["what are the treatment options", "relaxation and acupuncture"],
              "hurt": ["does the injection hurt", "tell her about it"]}
    english = Matcher(load_content(make_content(topics, {"lexicon.yaml": "dictionary: english\n"})))
    # "-shun" is how "-tion" sounds, "-cher" how "-ture" does.
    assert english.prepare("opshuns relaxashun akupuncher") == ["option", "relaxation", "acupuncture"]
    # Of the words one slip away, the one that sounds the same: "hert" is "hurt", not "her".
    assert english.prepare("does it hert") == ["doe", "it", "hurt"]


def test_a_first_letter_mirrored_b_for_d_is_one_slip(make_content: MakeContent) -> None:
    topics = {"choice": ["the difference between botox and surgery", "what is botox"]}
    matcher = Matcher(load_content(make_content(topics, {"lexicon.yaml": "dictionary: english\n"})))
    # A dyslexic writer's "d" for "b" and "b" for "d" at the start: "dotox" is "botox", "bifference" "difference".
    assert matcher.prepare("dotox bifference") == ["botox", "difference"]
    # Any other first letter stays a different word: "gotox" is too far from everything.
    assert matcher.prepare("gotox") == ["gotox"]


def test_a_misspelt_word_of_a_longer_lexicon_variant_is_corrected_and_mapped(make_content: MakeContent) -> None:
    topics = {"danger": ["is the spasm dangerous"], "treatment": ["treating the spasm", "treating it"]}
    lexicon = "terms:\n  dangerous: [life threatening]\n"
    matcher = Matcher(load_content(make_content(topics, {"lexicon.yaml": lexicon})))
    # "threatning" is two slips from "treating", which the patterns use, and one from "threatening",
    # which only the variant "life threatening" has: it must still count as a word the content knows.
    assert matcher.prepare("is the spasm life threatning") == ["is", "the", "spasm", "dangerous"]
    assert _top(matcher, "is the spasm life threatning") == "danger"


def test_an_everyday_filler_word_is_never_corrected_into_a_content_word(make_content: MakeContent) -> None:
    topics = {
        "wound": ["wound care after the operation", "my wound is leaking"],
        "tired": ["is it normal to feel tired", "tired all the time"],
    }
    lexicon = "filler: [would, tried]\n"
    matcher = Matcher(load_content(make_content(topics, {"lexicon.yaml": lexicon})))
    # "would" and "tried" are filler: each is one slip from a content word but meant as typed.
    assert matcher.prepare("would heat help") == ["would", "heat", "help"]
    assert matcher.prepare("i tried everything") == ["i", "tri", "everyth"]
    # A word that is not filler is still corrected.
    assert matcher.prepare("my wund") == ["my", "wound"]
    unlisted = Matcher(load_content(make_content(topics, {"lexicon.yaml": "filler: [tried]\n"})))
    assert unlisted.prepare("would heat help") == ["wound", "heat", "help"]


def test_a_word_of_the_dictionary_is_meant_as_typed_unless_it_is_an_inflection(make_content: MakeContent) -> None:
    topics = {
        "cancer": ["can the spasm be cancer", "is it a cancer"],
        "save": ["do you save what i type"],
        "thanks": ["i appreciate it", "thank you"],
    }
    plain = Matcher(load_content(make_content(topics)))
    english = Matcher(load_content(make_content(topics, {"lexicon.yaml": "dictionary: english\n"})))
    # Without a dictionary every word one slip from a content word is "corrected" into it.
    assert plain.prepare("cancel it") == ["cancer", "it"]
    assert plain.prepare("shave") == ["save"]
    # With one, an everyday word stays itself, and counts against the topics as any unknown word does.
    assert english.prepare("cancel it") == ["cancel", "it"]
    assert english.prepare("shave") == ["shave"]
    def best(matcher: Matcher) -> float:
        ranked = matcher.rank(normalise("cancel it"))
        return ranked[0].score if ranked else 0.0

    assert best(english) < best(plain) - 0.1
    # An inflection of a content word still meets it, and a misspelling that is no word is still corrected.
    assert english.prepare("much appreciated") == plain.prepare("much appreciated")
    assert english.prepare("much appreciated")[-1] == english.prepare("appreciate")[0]
    assert english.prepare("cancr") == ["cancer"]


def test_inflection_allows_only_endings_after_a_shared_stem() -> None:
    assert matcher_module.inflection("appreciated", "appreciate")
    assert matcher_module.inflection("driver", "drives")
    assert matcher_module.inflection("itchy", "itch")
    assert not matcher_module.inflection("cancel", "cancer")
    assert not matcher_module.inflection("lyrics", "lyrica")
    assert not matcher_module.inflection("card", "care")  # too short a shared stem
    assert not matcher_module.inflection("inspection", "injection")


def test_a_word_of_every_topic_says_nothing(make_content: MakeContent) -> None:
    topics = {"a": ["spasm botox", "spasm injection"], "b": ["spasm surgery", "spasm operation"]}
    ranked = Matcher(load_content(make_content(topics))).rank("spasm surgery")
    assert ranked[0].intent == "b"
    assert ranked[0].score > 2 * ranked[1].score


def test_an_unknown_word_lowers_every_score_and_a_filler_word_does_not(make_content: MakeContent) -> None:
    matcher = _matcher(make_content)
    plain = matcher.rank(normalise("carbamazepine dose"))[0].score
    with_filler = matcher.rank(normalise("my carbamazepine dose"))[0].score
    with_subject = matcher.rank(normalise("carbamazepine dose epilepsy"))[0].score
    assert with_subject < plain - 0.1
    assert with_filler > with_subject + 0.1


def test_scores_are_in_range_and_best_first(make_content: MakeContent) -> None:
    ranked = _matcher(make_content).rank(normalise("what is the dose of carbamazepine at night"), limit=3)
    assert ranked[0].intent == "carbamazepine"
    assert all(0 <= c.score <= 1 for c in ranked)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
    assert ranked[0].pattern in TOPICS["carbamazepine"]


def test_a_question_like_an_off_topic_example_loses_its_confidence(make_content: MakeContent) -> None:
    offtopic = "examples:\n  - carbamazepine for epilepsy\n  - recovery after knee surgery\n"
    without = _matcher(make_content)
    with_examples = _matcher(make_content, **{"offtopic.yaml": offtopic})
    question = normalise("carbamazepine dose for epilepsy")
    before, after = without.rank(question)[0], with_examples.rank(question)[0]
    assert after.intent == before.intent == "carbamazepine"
    assert after.score < before.score - 0.2
    assert after.offtopic == "carbamazepine for epilepsy"
    assert before.offtopic == ""
    # A question about our own topic keeps its score, and no off-topic example is named.
    own = with_examples.rank(normalise("how do i take carbamazepine"))[0]
    assert own.intent == "carbamazepine"
    assert own.score > 0.8
    assert own.offtopic == ""


def test_a_word_nobody_wrote_is_a_sign_of_another_subject(
    make_content: MakeContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Absent from our patterns and from the off-topic examples alike, an unknown word is likelier in a
    # question about something else: the examples are fewer and cover an open range of subjects.
    offtopic = "examples:\n  - carbamazepine for epilepsy\n  - recovery after knee surgery\n"
    matcher = _matcher(make_content, **{"offtopic.yaml": offtopic})
    questions = [normalise("carbamazepine zumba"), normalise("recovery after the surgery")]
    scores = [matcher.rank(q)[0].score for q in questions]
    monkeypatch.setattr(matcher, "_unknown_odds", 0.0)
    blind = [matcher.rank(q)[0].score for q in questions]
    assert scores[0] < blind[0] - 0.05
    # A filler word ("the") is no sign of anything, though this question is lowered too (by its resemblance).
    assert scores[1] == blind[1] > 0
    assert matcher.rank(questions[1])[0].offtopic


def test_off_topic_penalty_keeps_the_order_of_the_topics(make_content: MakeContent) -> None:
    offtopic = "examples:\n  - recovery after knee surgery\n"
    question = normalise("recovery after knee surgery at night")
    plain = [c.intent for c in _matcher(make_content).rank(question)]
    lowered = _matcher(make_content, **{"offtopic.yaml": offtopic}).rank(question)
    assert [c.intent for c in lowered] == plain
    assert lowered[0].offtopic == "recovery after knee surgery"


def test_off_topic_examples_never_become_an_answer(make_content: MakeContent) -> None:
    offtopic = "examples:\n  - what is the weather tomorrow\n"
    bot = Bot(load_content(make_content(TOPICS, {"lexicon.yaml": LEXICON, "offtopic.yaml": offtopic})))
    reply = bot.reply("what is the weather tomorrow")
    assert reply.kind == "fallback"
    assert "off-topic example 'what is the weather tomorrow'" in reply.reason
    assert {c.intent for c in bot.candidates("what is the weather tomorrow", limit=10)} <= set(TOPICS)


def test_bundled_off_topic_examples_send_near_misses_to_the_fallback(bot: Bot) -> None:
    # Each of these is an example in offtopic.yaml; its neighbour in our topics must not answer it.
    for question in bot.kb.offtopic[:: max(1, len(bot.kb.offtopic) // 25)]:
        assert bot.reply(question).kind == "fallback", question


STORIES = (
    "i've had this twitch for years and now i'm trying to lose weight, does dieting make the twitching worse",
    "i run marathons and my face twitching is worse after a long run, is exercise a trigger",
)


def test_words_of_our_topics_outweigh_a_resemblance_to_off_topic_examples(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "face" and "twitching" are in every topic, so they cannot tell our topics apart, but they do tell
    # them from other things: a patient's story that shares words with off-topic examples keeps its score.
    kept = [bot.candidates(story)[0] for story in STORIES]
    assert [(c.intent, c.offtopic) for c in kept] == [("hfs_triggers", "")] * len(STORIES)
    monkeypatch.setattr(matcher_module, "DOMAIN_WEIGHT", 0.0)
    blind = [bot.candidates(story)[0] for story in STORIES]
    assert all(c.offtopic for c in blind)
    # ... and it is what keeps them confident enough to answer with the bundled thresholds: without it both score
    # lower, and the dieting story falls below min_confidence (the marathon one, about 0.314, stays just above 0.31).
    floor = bot.thresholds.min_confidence
    assert all(b.score < k.score and floor <= k.score for b, k in zip(blind, kept, strict=True))
    assert blind[0].score < floor


def test_a_question_that_names_our_condition_is_ours_whatever_it_resembles(bot: Bot) -> None:
    # "muscle relaxants" is an off-topic example's subject ("muscle relaxants for a pulled back muscle").
    question = "can muscle relaxants be used for hemifacial spasm"
    top = bot.candidates(question)[0]
    assert (top.intent, top.offtopic) == ("medication_overview", "")
    reply = bot.reply(question)
    assert reply.kind != "fallback"
    assert (reply.intent or reply.options[0].intent) == "medication_overview"
    # Without the condition's name the same words are lowered as something else.
    assert bot.candidates("can muscle relaxants be used for spasms")[0].offtopic


def test_a_large_base_scores_only_preselected_intents_and_ranks_the_same(
    make_content: MakeContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze") for b in ("pa", "dri", "mon")]
    topics = {f"t{n:02d}": [f"how do i {w} the {words[(n + 1) % len(words)]}", f"what is {w}", f"{w} help"]
              for n, w in enumerate(words * 3)} | {"other": ["something else entirely"]}
    kb = load_content(make_content(topics))
    assert len(kb.intents) > matcher_module.PRESELECT
    monkeypatch.setattr(matcher_module, "PRESELECT_FROM", len(kb.intents))
    questions = ["how do i kapa the kadri", "what is vomon", "nepa help please", "the zedri", "how do i"]
    preselected = Matcher(kb)
    monkeypatch.setattr(matcher_module, "PRESELECT_FROM", len(kb.intents) + 1)
    everything = Matcher(kb)
    for question in questions:
        fast, full = preselected.rank(question), everything.rank(question)
        assert [(c.intent, c.pattern) for c in fast] == [(c.intent, c.pattern) for c in full], question
        assert [c.score for c in fast] == pytest.approx([c.score for c in full], abs=1e-9), question


@pytest.mark.parametrize(
    ("story", "intent"),
    [
        ("I'm a primary school teacher and my left eye has been twitching for two years. My sister drives me "
         "to the clinic. How long does a botox injection last?", "botox"),
        ("I have had hfs for six years and I'm a pilot. My neurologist mentioned surgery last week. "
         "What are the risks of the operation?", "mvd_risks"),
    ],
)
def test_the_question_of_a_long_message_is_heard_above_the_story(bot: Bot, story: str, intent: str) -> None:
    matcher = bot._matcher
    words = normalise(story)
    plain = matcher.rank(words)
    focused = matcher.rank(words, focus=normalise(question_parts(story)[0]))
    assert focused[0].intent == plain[0].intent == intent
    assert focused[0].score > plain[0].score + 0.05
    assert focused[0].score - focused[1].score > 0.1
    assert bot.reply(story).intent == intent


def test_a_vague_question_is_read_with_the_sentence_before_it(bot: Bot) -> None:
    # "Does it work well?" names nothing; the sentence before it names the medicine.
    story = ("I work as a bus driver and my left eye has been closing by itself for a year. "
             "The GP gave me a leaflet about carbamazepine. Does it work well?")
    matcher = bot._matcher
    words = normalise(story)
    alone = matcher.rank(words, focus=normalise(question_parts(story)[0]))
    leaning = matcher.rank(words, focus=[normalise(part) for part in question_parts(story)])
    assert alone[0].intent != "carbamazepine"
    assert leaning[0].intent == "carbamazepine"
    assert leaning[0].score > max(c.score for c in alone if c.intent == "carbamazepine")
    reply = bot.reply(story)
    assert (reply.intent or reply.options[0].intent) == "carbamazepine"


def test_words_nobody_wrote_weigh_less_in_a_story_than_in_a_question(make_content: MakeContent) -> None:
    matcher = _matcher(make_content)
    question = normalise("does the spasm stop when i sleep as a nurse on night rotas")
    story = normalise("I am a nurse on night rotas. Does the spasm stop when I sleep?")
    alone = matcher.rank(question)[0]
    told = matcher.rank(story, focus=normalise("Does the spasm stop when I sleep?"))[0]
    assert alone.intent == told.intent == "sleep"
    # The same unknown words ("nurse", "rotas") cost the story less than the single question.
    whole = matcher._rank(story, 5, unknown_scale=matcher_module.STORY_UNKNOWN_SCALE).candidates[0]
    assert whole.score > matcher._rank(story, 5).candidates[0].score
    assert told.score > alone.score


@pytest.mark.parametrize(
    "story",
    [
        "My left eye and cheek have twitched for three years. I get very tense at work. "
        "Would yoga classes help?",
        "My left eye and cheek have twitched for three years. I get very tense at work. "
        "Could hypnotherapy help me relax?",
    ],
)
def test_a_story_that_names_the_condition_keeps_its_question_in_scope(bot: Bot, story: str) -> None:
    matcher = bot._matcher
    question = normalise(question_parts(story)[0])
    # On its own the question reads like an off-topic example; the story says it is about the spasm.
    alone = matcher.rank(question)[0]
    assert alone.offtopic
    focused = matcher.rank(normalise(story), focus=question)[0]
    assert focused.intent == "alternative_therapies"
    assert focused.offtopic == ""
    # Alone, the question would get the fallback; the story makes it an answer.
    assert alone.score < bot.thresholds.min_confidence <= focused.score
    assert bot.reply(story).intent == "alternative_therapies"


@pytest.mark.parametrize(
    "story",
    [
        # A question that reads like one of ours ("how should I answer", "who can I talk to") ...
        "I have a job interview on Monday for a sales post and I get very nervous. I am 34. "
        "How should I answer that question?",
        "Our team lost the final again last night. I have supported them for thirty years. "
        "Who can I talk to about this?",
        # ... or that names nothing but our medicine, after a story that names another subject.
        "I take carbamazepine for my epilepsy. My new girlfriend is on the pill. Can it stop working?",
    ],
)
def test_a_question_alone_does_not_carry_a_story_about_something_else(bot: Bot, story: str) -> None:
    parts = [normalise(part) for part in question_parts(story)]
    asked = [bot._matcher.rank(part)[0] for part in parts]
    assert any(c.score >= bot.thresholds.min_confidence for c in asked)  # alone, a part would be answered
    assert bot.reply(story).kind == "fallback"


def test_a_question_about_another_subject_is_not_ours_for_a_story_about_ours(bot: Bot) -> None:
    story = "I have had HFS for six years and it is under control. What is the best treatment for knee arthritis?"
    assert bot._matcher.rank(normalise(story))[0].subject == ""  # the whole names HFS, so it names ours
    reply = bot.reply(story)
    assert reply.kind == "fallback"
    assert "names 'knee'" in reply.reason


@pytest.mark.parametrize(
    "story",
    [
        "Is there a vitamin or supplement that helps with migraines? I have read about riboflavin. I get two a month.",
        "What treatments are there for essential tremor? My hands shake when I hold a cup. My father had it too.",
    ],
)
def test_a_story_that_names_another_subject_keeps_its_whole_shortfall(bot: Bot, story: str) -> None:
    # The question alone resembles one of ours closely; merged with it, the message still names
    # another subject and nothing of ours, so it falls at least SUBJECT_SHORTFALL short.
    parts = [normalise(part) for part in question_parts(story)]
    merged = bot._matcher.rank(normalise(story), focus=parts)[0]
    assert merged.subject
    assert bot.reply(story).kind == "fallback"


def test_a_story_about_something_else_does_not_rescue_its_question(bot: Bot) -> None:
    story = "I have had asthma for years. Could breathing exercises help my cough?"
    focused = bot._matcher.rank(normalise(story), focus=normalise(question_parts(story)[0]))[0]
    assert focused.offtopic or focused.subject  # lowered, by a resemblance or by naming another subject
    assert bot.reply(story).kind == "fallback"



def test_the_word_that_tells_the_leading_topics_apart_widens_the_lead_of_the_topic_using_it(
    make_content: MakeContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The MVD topics share "mvd surgery"; "dangerous" is common across the base (so weighs little) but,
    # among the leading topics, only "risks" uses it.
    topics = {
        "risks": ["is mvd dangerous", "risks of mvd surgery"],
        "procedure": ["is mvd brain surgery", "what happens during mvd surgery"],
        "recovery": ["recovery after mvd surgery", "time in hospital after mvd"],
        "success": ["does mvd surgery work", "success rate of mvd"],
        "candidacy": ["who can have mvd surgery", "am i a candidate for mvd"],
        "botox": ["is botox dangerous", "botox side effects"],
        "seriousness": ["is my condition dangerous", "is it serious"],
        "pills": ["are the pills dangerous", "which pills help"],
    }
    matcher = Matcher(load_content(make_content(topics)))
    question = normalise("is mvd surgery dangerous")
    contrasted = {c.intent: c.score for c in matcher.rank(question, limit=8)}
    monkeypatch.setattr(matcher_module, "CONTRAST_WEIGHT", 0.0)
    plain = {c.intent: c.score for c in matcher.rank(question, limit=8)}
    assert max(plain, key=plain.__getitem__) == max(contrasted, key=contrasted.__getitem__) == "risks"
    assert contrasted["risks"] == plain["risks"]  # the leader keeps its score; the others only drop
    assert all(contrasted[i] <= plain[i] for i in contrasted)
    assert contrasted["risks"] - contrasted["procedure"] > plain["risks"] - plain["procedure"] + 0.01


def test_neighbouring_bundled_topics_are_told_apart_by_the_word_only_one_of_them_uses(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Most MVD patterns say "mvd surgery"; "is mvd brain surgery" (procedure) shares more of this
    # question's words than "is mvd dangerous" (risks), but only the risks topic speaks of danger.
    assert bot.candidates("is mvd surgery dangerous")[0].intent == "mvd_risks"
    monkeypatch.setattr(matcher_module, "CONTRAST_WEIGHT", 0.0)
    assert bot.candidates("is mvd surgery dangerous")[0].intent == "mvd_procedure"


SUBJECTS = """\
examples: [what is the weather tomorrow]
other_subjects: [epilepsy, trigeminal neuralgia]
our_subjects: [face]
our_symptom: [spasm]
"""


def test_a_question_naming_another_subject_and_nothing_of_ours_is_lowered(make_content: MakeContent) -> None:
    plain = _matcher(make_content, **{"offtopic.yaml": "examples: [what is the weather tomorrow]\n"})
    subjects = _matcher(make_content, **{"offtopic.yaml": SUBJECTS})
    for question, subject in [
        ("carbamazepine dose for epilepsy", "epilepsy"),
        ("microvascular decompression for trigeminal neuralgia", "trigeminal neuralgia"),
    ]:
        before, after = plain.rank(normalise(question))[0], subjects.rank(normalise(question))[0]
        assert after.intent == before.intent
        assert after.subject == subject
        assert after.score <= before.score - 3 * matcher_module.SUBJECT_SHORTFALL + 1e-9
    # A misspelt subject is still that subject: the subjects' words are words the matcher knows.
    assert subjects.rank(normalise("carbamazepine dose for epilepsey"))[0].subject == "epilepsy"
    # Naming our symptom as well, or only part of a subject's phrase, keeps the question ours.
    for question in ["carbamazepine dose for epilepsy and my face spasm", "does carbamazepine help neuralgia"]:
        before, after = plain.rank(normalise(question))[0], subjects.rank(normalise(question))[0]
        assert (after.intent, after.score, after.subject) == (before.intent, before.score, "")


def test_a_word_of_ours_inside_another_subject_is_that_subject(make_content: MakeContent) -> None:
    offtopic = "examples: [what is the weather tomorrow]\nother_subjects: [back spasm]\nour_symptom: [spasm]\n"
    subjects = _matcher(make_content, **{"offtopic.yaml": offtopic})
    # "spasm" is ours, but in "back spasm" it is the other subject's word.
    assert subjects.rank(normalise("back spasm at night"))[0].subject == "back spasm"
    assert subjects.rank(normalise("spasm at night"))[0].subject == ""
    assert subjects.rank(normalise("back spasm and a face spasm at night"))[0].subject == ""


def test_the_reason_names_the_other_subject(make_content: MakeContent) -> None:
    root = make_content(TOPICS, {"lexicon.yaml": LEXICON, "offtopic.yaml": SUBJECTS})
    reply = Bot.load(root).reply("what is the carbamazepine dose for epilepsy")
    assert reply.kind == "fallback"
    assert "names 'epilepsy' and nothing of our subject" in reply.reason


def test_an_idiom_for_getting_better_is_not_another_body_part(bot: Bot) -> None:
    # "back on my feet" once named "feet", another subject, and the question got the fallback.
    question = "What is recovery like after MVD, how long before I'm back on my feet?"
    assert bot._matcher.prepare_text(question)[-1] == "recovery"
    reply = bot.reply(question)
    assert (reply.kind, reply.intent) == ("answer", "mvd_recovery"), reply.reason
    assert bot.reply("my feet hurt after a long walk").kind == "fallback"


def test_a_question_sentence_naming_another_subject_is_not_ours_for_our_everyday_words(bot: Bot) -> None:
    # "the eyes" is one of our words, but the question asks about cataract surgery: the story is not ours.
    story = ("My optician says I need cataract surgery soon. Being awake while they operate on my eye scares me. "
             "What is the success rate of cataract surgery on the eyes?")
    reply = bot.reply(story)
    assert reply.kind == "fallback", reply.reason
    assert "cataract" in reply.reason
    # Naming our condition itself keeps such a question ours.
    ours = ("I had cataract surgery last year and it went well. "
            "Is MVD for hemifacial spasm as successful as cataract surgery?")
    assert bot.reply(ours).intent == "mvd_success_rate"


def test_a_story_with_too_few_of_our_words_is_not_ours(bot: Bot) -> None:
    # Twitching calves after running share "twitch" and "helps" with our topics, and little else.
    story = ("The muscles in my calves twitch for hours after long runs, like little worms under the skin. "
             "My GP checked me and said it's harmless. Is there anything that helps post-exercise muscle twitching?")
    matcher = bot._matcher
    whole = matcher._rank(normalise(story), 5, unknown_scale=matcher_module.STORY_UNKNOWN_SCALE)
    assert whole.evidence < matcher_module.STORY_MIN_EVIDENCE
    assert bot.reply(story).kind == "fallback"
    # A story told in our words has the evidence, and its answer.
    ours = ("My neurologist says the twitching around my eye is hemifacial spasm. I have had it for two years. "
            "Is there any treatment that helps the twitching?")
    told = matcher._rank(normalise(ours), 5, unknown_scale=matcher_module.STORY_UNKNOWN_SCALE)
    assert told.evidence > matcher_module.STORY_MIN_EVIDENCE
    assert bot.reply(ours).intent == "treatment_overview"


def test_our_operation_keeps_a_question_ours_beside_another_subject(bot: Bot) -> None:
    # "hearing aids" is another subject; MVD, our operation, is one of ours.
    assert "hearing aids" in bot.kb.other_subjects
    assert bot.reply("will i need a hearing aid after mvd").intent == "mvd_risks"
    assert bot.reply("are there invisible hearing aids that work well for older people").kind == "fallback"


def test_a_story_that_describes_the_spasm_without_its_name_is_ours(bot: Bot) -> None:
    """Our symptom beside a face word keeps a story ours; a twitch elsewhere, with no face word, does not."""
    nan = ("My nan is 79 and lives with us now. I noticed the twitch in her cheek carries on when she dozes in her "
           "chair after lunch. Does it keep going in sleep?")
    reply = bot.reply(nan)
    assert (reply.kind, reply.intent) == ("answer", "hfs_sleep"), reply.reason
    thighs = ("The muscles in my thighs twitch for hours after football on Sundays. My physio says it's harmless. "
              "Is there anything that stops it?")
    assert bot.reply(thighs).kind == "fallback"


def test_a_look_alike_by_itself_is_another_subject_and_beside_ours_is_not(bot: Bot) -> None:
    """Blepharospasm's own treatment, or Botox for looks, falls back; blepharospasm beside our condition is ours."""
    for question in ("how often is botox given for blepharospasm",
                     "Is it safe to have cosmetic Botox done by a beautician rather than a doctor?"):
        reply = bot.reply(question)
        assert reply.kind == "fallback" and "names" in reply.reason, (question, reply.reason)
    reply = bot.reply("blepharospasm stops in sleep but does hemifacial spasm?")
    assert (reply.kind, reply.intent) == ("answer", "hfs_sleep"), reply.reason


def test_a_question_that_refers_back_to_a_described_spasm_stays_ours_beside_another_subject(bot: Bot) -> None:
    """'Is that a known thing after Bell's palsy?' after a story of the twitch asks how the two meet."""
    story = ("I had Bell's palsy about two years ago and mostly recovered. Now my cheek and eye twitch together on "
             "the same side. Is that a known thing after Bell's palsy?")
    reply = bot.reply(story)
    assert (reply.kind, reply.intent) == ("answer", "hfs_other_causes"), reply.reason
    # A question about the other subject alone, referring to nothing before it, is still about something else.
    other = "My cheek and eye twitch on one side. What is the best treatment for Bell's palsy?"
    assert bot.reply(other).kind == "fallback"


def test_our_symptom_in_another_part_of_the_body_is_not_ours(bot: Bot) -> None:
    """A twitch in the thumb or calf, with no word of ours beside it, falls back; beside the face it stays ours."""
    assert "thumb" in bot.kb.other_places
    for question in ("my thumb keeps twitching when I'm stressed at work", "why does my calf twitch at night"):
        reply = bot.reply(question)
        assert reply.kind == "fallback", (question, reply.reason)
        assert "names" in reply.reason, reply.reason
    reply = bot.reply("why does my cheek twitch at night")
    assert (reply.kind, reply.intent) == ("answer", "hfs_sleep"), reply.reason
    # "back" is not a place here: "it comes back" is about the spasm.
    assert bot.reply("can the twitch come back after the operation").intent == "mvd_success_rate"


def test_a_story_that_names_our_operation_is_ours(bot: Bot) -> None:
    """A story about someone's MVD stays ours, however much else it tells; MVD for another condition does not."""
    story = ("My uncle is 70 and booked for his MVD after Christmas. He lives alone on a farm with two horses. What "
             "is the recovery period like and how long is he in hospital?")
    reply = bot.reply(story)
    assert (reply.kind, reply.intent) == ("answer", "mvd_recovery"), reply.reason
    other = "what is the success rate of microvascular decompression for trigeminal neuralgia?"
    assert bot.reply(other).kind == "fallback"


def test_short_forms_of_days_and_years_are_everyday_words_not_slips(bot: Bot) -> None:
    """ "tues" is one slip from "toes", another subject; the bundled lexicon lists it as filler."""
    reply = bot.reply("had my first botox shot tues and my eyelid is droopy now is that a known thing")
    assert (reply.kind, reply.intent) == ("answer", "botox"), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    # The outlook answer says MVD is the only treatment that may cure it; the MVD topics say how it is done.
    ("so surgery is the only real cure?", "cure_prognosis"),
    ("so the only real cure is surgery?", "cure_prognosis"),
    ("so right now the op is the only real cure?", "cure_prognosis"),
    # Punctuation dictated as words is punctuation; an embedded question asks what HFS is.
    ("hello comma I want to know what hemifacial spasm is full stop", "hfs_definition"),
    ("what are the symptoms full stop", "hfs_symptoms"),
    # A voice assistant's wake word is no part of the question; the letters of an abbreviation spoken one by one,
    # and a brand heard as other words, are the term.
    ("hey siri, what is hemifacial spasm", "hfs_definition"),
    # Whether it harms the brain or face for good is the seriousness answer's ("It does not damage the brain").
    ("will it end up damaging my brain or face permanently", "hfs_seriousness"),
    # So is how it affects daily life: confidence, reading ("spasms can close the eye ... reading and driving").
    ("does hemifacial spasm affect people's mood and self esteem", "hfs_seriousness"),
    ("reading is hard because my eye keeps closing, do other people with hfs have that", "hfs_seriousness"),
    ("whats an e m g for face twitching", "hfs_diagnosis"),
    ("um so my doctor started me on tea gretol for the face spasms what should I know", "carbamazepine"),
    ("my doctor mentioned something called car bam as a pine for my eye what is that", "carbamazepine"),
    # Whether the twitch turns into a stroke is the seriousness answer's ("it is not a stroke").
    ("It can become a stroke later?", "hfs_seriousness"),
    # It had resembled "is there a cure for tinnitus"; with nothing else named, it is ours.
    ("is there a cure yet", "cure_prognosis"),
    # The Botox answer names the droopy lid, the watery eye, mild weakness and how long the effect lasts.
    ("the botox only lasts me about 8 weeks now, is that normal?", "botox"),
    ("how long is botox supposed to last? mine is gone after 8 weeks", "botox"),
    ("can botox make your smile go crooked? mine looks a bit off", "botox"),
    ("how long botox take to wear off", "botox"),
    # The carbamazepine answer says why a gene test may come first: the risk of serious skin reactions.
    ("can tegretol cause a bad skin reaction?", "carbamazepine"),
    # Whether it spreads to the other side is the symptoms answer's (one side, rarely both).
    ("will it go to the other side of my face too", "hfs_symptoms"),
    # How the operation fixes the cause is what the operation does, not how often it works.
    ("how does the operation fix the cause", "mvd_procedure"),
    # How doctors tell it apart from something else is the diagnosis answer's (examination, MRI).
    ("how do doctors tell hemifacial spasm apart from blepharospasm", "hfs_diagnosis"),
    ("My doctor calls mine a tic. How does a doctor tell a tic apart from hemifacial spasm?", "hfs_diagnosis"),
    ("how do doctors tell bell's palsy apart from hemifacial spasm?", "hfs_diagnosis"),
    # Whether a tumour makes it twitch asks about the other causes, not whether HFS is a tumour.
    ("Can tumor in brain make this twitching?", "hfs_other_causes"),
    # "other than a blood vessel" asks for the less common causes, not the usual one.
    ("can hfs be caused by something other than a blood vessel", "hfs_other_causes"),
    # How doctors find the cause is the diagnosis answer (examination, MRI), not the cause itself.
    ("how would they check what's causing it?", "hfs_diagnosis"),
    ("how would they check whats causing her twitch", "hfs_diagnosis"),
    # MVD is usually considered when the injections are not enough: the candidacy answer.
    ("if the botox stops working for me, what's the next step", "mvd_candidacy"),
])
def test_the_bundled_patterns_answer_what_writers_ask_alike(bot: Bot, text: str, intent: str) -> None:
    """Questions that several chat writers asked in their own words, each labelled the same way."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


def test_being_unsteady_on_ones_feet_is_no_other_subject(bot: Bot) -> None:
    """ "wobbly on her feet" is how patients tell of the pills' side effects, not a question about the feet."""
    reply = bot.reply("She said the tablets made her dozy and wobbly on her feet. Is that normal with those?")
    assert (reply.kind, reply.intent) == ("answer", "medication_side_effects"), reply.reason
    assert bot.reply("what is the best treatment for a broken foot").kind == "fallback"
