"""Red-flag triage: the detector's reading rules, and the bundled vocabulary on many phrasings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from conftest import MakeContent
from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot import Bot, Conversation, ConversationState, Option
from chatbot.safety import CueList, Phrase, RedFlags, Rule, detect, parse_phrase

HELDOUT = Path(__file__).parent / "data" / "heldout.yaml"
RED_FLAG_INTENT = "emergency_red_flags"


# --- the detector, on a small vocabulary with no medical words: it knows none ----------------

def _p(*texts: str) -> tuple[Phrase, ...]:
    return tuple(parse_phrase(t) for t in texts)


TOY = RedFlags(
    response="alarm",
    groups={
        "fruit": _p("apple", "banana", "cherries", "fig"),
        "rotten": _p("rotten", "mouldy", "can not eat"),
        "now": _p("today", "^now"),
        "kitchen": _p("kitchen"),
        "shop": _p("shop"),
    },
    rules=(
        Rule("rotten fruit", ("fruit", "rotten"), within=3),
        Rule("fruit today in the kitchen", ("fruit",), needs=("now", "kitchen"), unless=("shop",)),
    ),
    negation=CueList(_p("no", "not"), exceptions=_p("not sure")),
    hypothetical=CueList(_p("what if", "^could")),
    chronic=CueList(_p("for years"), unless="now"),
    clause_breaks=("and",),
    contrast=("but",),
    spellings={"cant": ("can", "not")},
    negation_window=2,
)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my apple is rotten", "rotten fruit"),
        ("rotten apple", "rotten fruit"),
        ("my bananna is mouldy", "rotten fruit"),           # a typo in a long word
        ("I cant eat the cherries", "rotten fruit"),        # spellings, and "not" inside a phrase is no cue
        ("not sure, but the apple is rotten", "rotten fruit"),  # "not sure" is no negation
        ("not sure the apple is rotten", "rotten fruit"),
        ("apples for years but today my apple is rotten", "rotten fruit"),  # contrast ends the chronic part
        ("for years, and now the apple is rotten", "rotten fruit"),  # ^now at a clause start overrides
        ("what if... no. The apple is rotten", "rotten fruit"),  # the question was another sentence
        ("the apple is rotten, what if it spreads", "rotten fruit"),  # hypotheses only look forward
        ("an apple in the kitchen today", "fruit today in the kitchen"),
        ("an apple in the kitchen. It came today", "fruit today in the kitchen"),  # needs: anywhere
    ],
)
def test_toy_vocabulary_fires(text: str, rule: str) -> None:
    alarm = detect(TOY, text)
    assert alarm is not None and alarm.rule == rule


@pytest.mark.parametrize(
    "text",
    [
        "my fog is rotten",               # a typo in a short word (under typo_min_length) is not forgiven
        "my appeal is rotten",            # a long word too far from any vocabulary word
        "no rotten apple",                # negation just before
        "no apple, it is rotten",         # negation is per clause: "it is rotten" has no fruit
        "not the apple is rotten",        # negation within negation_window of the first sign
        "what if my apple is rotten",     # hypothetical, before the signs
        "could the apple be rotten",      # anchored hypothetical cue at the clause start
        "my apple has been rotten for years",  # chronic
        "for years, my apple has been rotten",  # chronic reaches the whole segment
        "the apple is on the table and the cat over there is rotten",  # signs too far apart
        "an apple in the kitchen",        # a need is missing
        "an apple in the kitchen today from the shop",  # an unless group is present
    ],
)
def test_toy_vocabulary_stays_quiet(text: str) -> None:
    assert detect(TOY, text) is None


def test_the_topic_just_answered_may_stand_for_a_need() -> None:
    """A rule's need is met by the conversation's topic when the content says that topic says it."""
    flags = dataclasses.replace(TOY, context={"kitchen": frozenset({"cooking"})})
    assert detect(flags, "an apple, today") is None
    alarm = detect(flags, "an apple, today", "cooking")
    assert alarm is not None and alarm.rule == "fruit today in the kitchen"
    assert detect(flags, "an apple, today", "gardening") is None
    assert detect(flags, "an apple from the shop, today", "cooking") is None  # its unless still holds
    # So is a need an earlier alarm had (its Alarm.context), passed as known.
    alarm = detect(flags, "an apple, today", None, ["kitchen"])
    assert alarm is not None and alarm.rule == "fruit today in the kitchen"
    assert detect(flags, "an apple, today", None, ["garden"]) is None
    first = detect(flags, "an apple in the kitchen, today")
    assert first is not None and first.context == frozenset({"kitchen"})


def test_a_group_a_rule_is_unless_said_stops_it_anywhere_in_the_message() -> None:
    """``unless`` looks in the rule's sentence; ``unless_said`` anywhere in the message, when not negated."""
    flags = dataclasses.replace(TOY, rules=(Rule("any fruit", ("fruit",), unless_said=("shop",)),))
    assert detect(flags, "an apple") is not None
    assert detect(flags, "an apple. it came from the shop") is None
    assert detect(flags, "an apple, no shop") is not None  # negated: not said


def test_a_sign_told_right_after_the_operation_or_the_pills_is_a_red_flag(bot: Bot) -> None:
    """After MVD, clear fluid from the nose is a warning sign though the message does not name the operation."""
    told = "he also has clear watery stuff dripping out of his nose since yesterday"
    assert bot.reply(told).kind != "emergency"
    assert bot.reply(told, bot.reply("what happens in mvd").state).kind == "emergency"
    assert bot.reply(told, bot.reply("what is botox").state).kind != "emergency"
    # A question about a sign names it, it does not report it.
    assert bot.reply("csf leak what is that", bot.reply("what are the risks of mvd").state).kind != "emergency"
    # Nor does a search that reports nothing of anyone.
    assert bot.reply("massage for a stiff neck", bot.reply("what happens in mvd").state).kind != "emergency"
    rash = "now she has red spots on the skin and a fever since yesterday"
    assert bot.reply(rash, bot.reply("what is tegretol").state).kind == "emergency"
    # The pills' other answers are about the same anticonvulsants: how well they work, which there are.
    blisters = "it's been 10 days and now I've got a red rash spreading across my chest and blisters in my mouth"
    for asked in ("how well do pills like tegretol usually work for hfs", "which pills are used for hfs"):
        assert bot.reply(blisters, bot.reply(asked).state).kind == "emergency", asked
    # Tersely, what is new: "now ...", "getting ...".
    assert bot.reply("now blistery rash, mouth sores", bot.reply("tegretol for hfs?").state).kind == "emergency"
    assert bot.reply("getting worse + vomiting", bot.reply("headache after mvd").state).kind == "emergency"
    assert bot.reply("getting worse + vomiting").kind != "emergency"
    # ... or when: "now day 6".
    assert bot.reply("fever n stiff neck now day 6", bot.reply("mvd recovery time").state).kind == "emergency"
    assert bot.reply("fever n stiff neck now day 6").kind != "emergency"


def test_a_sign_told_right_after_the_urgent_care_reply_needs_nothing_more(bot: Bot) -> None:
    """The sudden onset the alarm had need not be told again: "mouth droops one side too" is urgent."""
    alarm = bot.reply("my husband's eye suddenly can't close")
    assert alarm.kind == "emergency"
    assert bot.reply("and his mouth droops one side too", alarm.state).kind == "emergency"
    assert bot.reply("and his mouth droops one side too").kind != "emergency"
    # A message that tells no sign still gets the short word: the conversation stays as it was.
    calling = bot.reply("ok calling 999 now", alarm.state)
    assert (calling.kind, calling.state) == ("fallback", alarm.state)


def test_asking_whether_it_is_a_stroke_after_a_topic_about_the_twitch_asks_about_the_twitch(bot: Bot) -> None:
    """After the symptoms, "is it a stroke?" says the twitch (redflags.yaml's context ``twitch``): seriousness."""
    symptoms = bot.reply("what are the symptoms of hemifacial spasm").state
    reply = bot.reply("is it a stroke?", symptoms)
    assert (reply.kind, reply.intent) == ("answer", "hfs_seriousness"), reply.reason
    assert bot.reply("is it a stroke?").kind == "emergency"  # alone, or after another topic, it is an alarm
    assert bot.reply("is it a stroke?", bot.reply("what is botox").state).kind == "emergency"
    # A sudden onset or another sign still fires after the symptoms.
    for text in ("is it a stroke? it came on suddenly", "is it a stroke? her face has dropped on one side"):
        assert bot.reply(text, symptoms).kind == "emergency", text


def test_asking_about_urgent_care_while_denying_the_signs_gets_the_calm_answer(bot: Bot) -> None:
    """Two signs denied ("no droop, no weakness") before "should I go to A&E?": seriousness (calm_response)."""
    for text in ("my left eye has been jumping all evening, theres no droop, no weakness, speech fine. should i go to "
                 "A&E tonight?",
                 "my husbands eye twitch has been getting slowly worse over 2 years. no weakness, no slurring, just "
                 "the twitch. should i call an ambulance?",
                 # two signs one "no" denies, in a statement
                 "no weakness or drooping, just my old twitch, worse today. do I need urgent care?"):
        reply = bot.reply(text)
        assert (reply.kind, reply.intent) == ("answer", "hfs_seriousness"), reply.reason
    # Asking for the signs, denying one only, or a sign told beside the denials: the urgent-care answer or reply.
    for text in ("when should i go to A&E", "what are the warning signs i should never ignore with facial twitching?",
                 "no weakness, should i go to A&E?", "if there is no weakness or drooping, do i need urgent care?"):
        assert bot.reply(text).intent == "emergency_red_flags", text
    assert bot.reply("no weakness, no droop, but my speech is slurred since an hour ago").kind == "emergency"
    # Right after an alarm, what it asks about the signs still gets the urgent-care answer.
    alarmed = bot.reply("my face suddenly drooped on one side an hour ago").state
    reply = bot.reply("no arm weakness and no slurred speech though, is it still urgent?", alarmed)
    assert reply.intent == "emergency_red_flags", reply.reason


def test_a_sign_told_after_an_alarm_or_a_did_you_mean_keeps_what_they_said(bot: Bot) -> None:
    """After an alarm about a reaction to Dilantin, or a "did you mean" offering the pills, a sign is an alarm."""
    talk = Conversation(bot)
    first = talk.ask("been on dilantin 3 weeks for my twitch, now got bad mouth ulcers sore throat and fever 39")
    assert first.kind == "emergency"
    assert talk.ask("is it just a cold do u think").intent == "emergency_red_flags"  # the urgent answer again
    assert talk.ask("also bruises on my legs i dont remember getting").kind == "emergency"
    rash = "I've been on Tegretol three weeks for my face twitching. Today I woke up with a red rash and a temperature"
    assert bot.reply("there are sores inside my mouth too", bot.reply(rash).state).kind == "emergency"
    # So does a "did you mean" that offered the pills: the sign may answer it.
    offered = ConversationState(pending=(Option("medication_side_effects", "side effects", 0.4),
                                         Option("carbamazepine", "carbamazepine", 0.38)))
    told = "and now I've got a red blotchy rash spreading over my chest and a temperature"
    assert bot.reply(told).kind != "emergency"
    assert bot.reply(told, offered).kind == "emergency"
    # So does what a message got no answer to named ("tegretol is making me dumb"), until a topic is answered.
    ulcers = "now ive got mouth ulcers and a sore throat, coincidence?"
    assert bot.reply(ulcers).kind != "emergency"
    dizzy = bot.reply("and dizzy af", bot.reply("tegretol is making me dumb as a rock. is that a thing").state)
    assert bot.reply(ulcers, dizzy.state).kind == "emergency"
    assert bot.reply(ulcers, bot.reply("what causes hfs", dizzy.state).state).kind != "emergency"
    # A message that tells of a sign as it asks ("ive got ..., is that from it?") counts the topic too.
    pill = bot.reply("I started tegretol 3 weeks ago for my face spasms, what should i know about it")
    told = "ive got a red rash spreading on my chest and some blisters in my mouth, is that from it?"
    assert bot.reply(told).kind != "emergency"
    assert bot.reply(told, pill.state).kind == "emergency"
    # Only what it tells: a question about a sign, beside a telling of something else, is no report of the sign.
    risks = bot.reply("what are the risks of mvd")
    for asked in ("i have a question, what is a csf leak?", "my husband has had it done, what is a csf leak?",
                  "we have been told about fever after the op, what does it mean?"):
        assert bot.reply(asked, risks.state).kind != "emergency", asked
    # So does one that tells of someone with "there is" or "and has".
    mvd = bot.reply("what happens in mvd surgery")
    assert bot.reply("also there's clear water coming out of that ear, started this morning", mvd.state).kind == (
        "emergency")
    dilantin = bot.reply("whats dilantin like for hemifacial spasm")
    bruises = "my mum's been on it a month and has loads of bruises she can't explain and sores in her mouth"
    assert bot.reply(bruises, dilantin.state).kind == "emergency"
    dose = bot.reply("tegretol dose for hfs?")
    assert bot.reply("started it last wk, now red rash spreading all over", dose.state).kind == "emergency"
    # Terse texting tells too: "on it", how long in, since when.
    side_effects = bot.reply("tegretol side effects").state
    for told in ("on it 10 days now rash all over + mouth sores + fever", "3 wks in now rash + fever"):
        assert bot.reply(told, side_effects).kind == "emergency", told
    recovery = bot.reply("what is recovery like after mvd").state
    dripping = bot.reply("also clear fluid dripping from nose since yday", recovery)
    assert dripping.kind == "emergency"
    assert bot.reply("headache worse every day", dripping.state).kind == "emergency"
    # A search, or a question about a sign, after the same topics is still no report.
    assert bot.reply("is a rash common in the first weeks on it?", side_effects).kind != "emergency"
    assert bot.reply("what does clear fluid from the nose mean?", recovery).kind != "emergency"
    # Right after an alarm, any message may tell of another sign without naming the operation again.
    leak = bot.reply("had mvd 4 days ago, now clear watery stuff dripping out my nose")
    assert leak.kind == "emergency"
    assert bot.reply("and neck stiff", leak.state).kind == "emergency"
    # Once a topic is answered, that topic says what is said: Botox is no anticonvulsant.
    botox = bot.reply("what is botox", bot.reply(rash).state)
    assert bot.reply("also bruises on my legs i dont remember getting", botox.state).kind != "emergency"


def test_alarm_names_the_rule_and_the_words() -> None:
    assert str(detect(TOY, "My APPLE is Mouldy!")) == "red flag 'rotten fruit' (matched 'apple', 'mouldy')"


def test_typo_tolerance_follows_the_settings() -> None:
    from dataclasses import replace

    assert detect(TOY, "cheries rotten") is not None  # 8-letter vocabulary word, one letter missing
    strict = replace(TOY, typo_min_ratio=100.0)
    assert detect(strict, "cheries rotten") is None
    assert detect(replace(TOY, typo_min_length=3), "fog rotten") is None  # "fog" vs "fig": ratio 67, under 85
    # A word listed in not_typos matches only itself: then "bananas" is not a misspelling of "banana".
    assert detect(TOY, "bananas rotten") is not None
    assert detect(replace(TOY, not_typos=frozenset({"bananas"})), "bananas rotten") is None


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("rotten xherries", True),   # x is next to c on the keyboard
        ("rotten herries", True),    # the first letter left out
        ("rotten acherries", True),  # a letter typed before the first
        ("rotten pherries", False),  # p is far from c: another word, not a typo
        ("rotten cherriez", True),   # typos after the first letter are not affected
    ],
)
def test_a_typo_of_the_first_letter_must_be_a_slip_of_the_finger(text: str, fires: bool) -> None:
    assert (detect(TOY, text) is not None) is fires


def test_a_word_that_only_looks_like_a_red_flag_is_no_alarm(bot: Bot) -> None:
    assert bot.reply("who painted the mona lisa").kind == "fallback"  # not "fainted"
    assert bot.reply("my sister ainted suddenly").kind == "emergency"
    assert bot.reply("I lost the sight in one eye all of a suddn").kind == "emergency"


def test_typo_matches_are_cached_up_to_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Words already seen skip the typo scoring; a flood of new words does not grow the cache past its bound."""
    from dataclasses import replace

    from chatbot import safety

    flags = replace(TOY)  # a fresh cache
    monkeypatch.setattr(safety, "MAX_CACHED_TYPOS", 3)
    assert detect(flags, "my bananna is mouldy") is not None
    assert flags._typos["bananna"] == frozenset({"banana"})
    assert len(flags._typos) == 4  # my, bananna, is, mouldy: under the bound when they came
    detect(flags, "one two three four five six")
    assert len(flags._typos) == 4  # at the bound: new words are scored but not kept
    assert detect(flags, "my bananna is mouldy") is not None


def test_work_is_bounded_on_long_input() -> None:
    """The bot matches at most MAX_QUERY_CHARS; the detector copes with any message it is given."""
    assert detect(TOY, "apple " * 2000 + "rotten") is not None
    assert detect(TOY, "x" * 100_000) is None


FIRES = [
    "breathing feels hard too",
    "last night my husband suddenly couldnt get his words out and his right hand was clumsy",
    "since yesterday his face on the op side looks droopier",
    # "Is it a stroke?" beside the twitch fires with a sign, or a sudden onset, anywhere in the message.
    "his face is twitching and drooping on one side, is it a stroke?",
    "is it a stroke? her face twitches and she can not see out of one eye",
    "his face twitches and he is confused, is it a stroke",
    "my face started twitching suddenly, am i having a stroke",
    "am i having a stroke??",
    # "eye drops" as a verb is a sign; only the medicine ("gave me eye drops") is not.
    "since this morning her eye drops and her mouth droops",
    # Advice about what to watch for cancels only its own clause.
    "we were told to watch for swallowing problems after his botox and now he can not swallow",
    "today is second day after injection and I have broblem to swallow water",
    "its getting harder to breathe as well",
    # The fear of a stroke is its own clause: the sign after it still fires.
    'i am scared he will have a stroke, his arm went weak just now',
    # Misspellings that are words themselves still read as the sign (so not_typos must not list them).
    'she cold not lift her arm this morning',
    'i cold not see out of my left eye suddenly',
    'he is sort of breath and his lips are blue',
    'slured speach',
    'my speech is slurred',
    'my dad is slurring his words',
    'her words are garbled',
    "she suddenly can't speak",
    "he's talking gibberish",
    "my mom's mouth is crooked and she talks funny",
    "my husband sounds drunk but he hasn't had anything to drink",
    'my dad suddenly sounded drunk on the phone',
    'his words are coming out wrong',
    'i talk funny since the botox',
    'when i talk the words come out funny since this morning',
    'my husband is suddenly talking wrong',
    'I read the leaflet, clear fluid is leaking from my nose after my mvd',
    'after reading about it I noticed clear fluid leaking from my nose since my mvd',
    'her speech sounds strange all of a sudden',
    "I can't get my words out",
    'he is not making sense when he talks',
    'sudden trouble speaking',
    'my voice sounds weird and slurry',
    'face droping sudenly',
    'my face suddenly drooped on one side',
    'one side of my mouth is drooping since this morning',
    'I woke up and half my face is numb',
    'my smile is lopsided today',
    'her face fell on one side an hour ago',
    "suddenly I can't close my eye and my mouth droops",
    'sudden facial paralysis on the left',
    'my face went numb out of nowhere',
    # Weakness told as what the face no longer does, after years of the spasm on the other side.
    "i've had hfs on the left for years. this morning the right side of my face won't move",
    'since this morning i can not shut my right eye',
    'she woke up with her mouth dribbling on one side',
    'This morning I woke and could not close my right eye, and the right side of my mouth hangs down',
    "it's also getting hard to get my words out",
    'my cheek and lip feel dead since last night',
    'mouth droopy suddenly',
    'numm arm',
    'my arm is weak',
    'my left arm went numb',
    "I can't lift my arm",
    "half her face fell and she can't lift her arm",
    'my leg suddenly gave way',
    'weakness in my right hand and leg',
    'my arm feels heavy and floppy',
    'numbness down one side of my body',
    'I cant move my arm properly',
    'tingling and numbness in my left hand',
    'his whole left side is weak',
    'I have HFS for years but today my arm went weak',
    "i've had twitching for years and now my leg is numb",
    'my face has twitched for a long time, however this morning my hand went dead',
    "I think I'm having a stroke",
    'is this a stroke? my face feels strange',
    "suddenly I can't see out of my left eye",
    'sudden double vision',
    "I'm seeing double since this afternoon",
    'I lost my vision for a few minutes today',
    "I suddenly lost my balance and can't walk straight",
    "she is suddenly confused and doesn't know where she is",
    'my mum is suddenly confused today',
    # An everyday cause named beside it does not cancel a sudden weakness.
    'my arm suddenly went weak, i have carpal tunnel',
    'my hand suddenly went numb and weak, it is not carpal tunnel',
    'sudden dizziness and the room is spinning',
    'i suddenly feel very dizzy and my face twitches',
    'worst headache of my life',
    'a sudden severe headache',
    'thunderclap headache just now',
    'the twitching spread to my arm',
    'my spasms are now spreading down to my leg',
    'the twitch moved into my hand',
    'my face was twitching and I blacked out',
    'I passed out during a spasm',
    'he lost consciousness and was shaking',
    'my arm and leg are jerking',
    'I think I had a seizure',
    "I had botox yesterday and now I can't swallow",
    'trouble swallowing since my botox injection',
    'after the injections I have difficulty swallowing',
    "I'm short of breath after botox",
    "I can't breathe properly",
    'weak all over since the botox shots',
    'clear fluid dripping from my nose after MVD',
    'I had surgery last week and have a fever and stiff neck',
    'after my operation I keep vomiting',
    'headache getting worse after microvascular decompression',
    'my wound is leaking clear fluid after the op',
    'salty taste and a drip from my nose since the mvd',
    'I got a rash after starting tegretol',
    'blisters on my skin since I began carbamazepine',
    "I'm on phenytoin and have a sore throat and fever",
    'mouth ulcers on dilantin',
    'I bruise easily since starting the tablets',
    'rash and fever from my meds',
    'i hav hfs but sudenly my arm is numm',
    'my face twitches always, but today my speech is slurred',
    'no twitching today but my arm is weak',
    'not sure what is going on, my mouth is suddenly drooping',
    'can you help, my face is drooping suddenly',
    "should I call 911? my husband's face drooped suddenly",
    'what should i do, my arm went numb and my speech is weird',
    'my face is drooping suddenly, could it be a stroke?',
    'she stopped responding to me',
    'my husband does not respond when I talk to him',
    'I can barely breathe',
    'can hardly lift my arm',
    "my mother's arm is numb and she is confused",
    'her face looks droopy on one side since an hour ago',
    "my dad suddenly can't walk",
    'my face twitched and my leg started jerking',
    'fever and a stiff neck 3 days after my MVD',
    'feeling feverish after brain surgery',
    # Found in long stories: a spread told far from the twitch; a hoarse voice (not a "horse" beside it);
    # a clear drip from his nose after MVD.
    'the twitching in my face has spread to my arm and leg',
    "the twitching isnt just in my face anymore it has spread to my arm and leg",
    "the jumping in my eyelid has spread into my arm now",
    "his face twitching has gone into his arm and leg",
    # A chronic cue in another clause leaves a sudden onset as it is; a need other than the onset stays met.
    "I've had HFS for years, but today my face suddenly drooped on that side",
    "had my mvd last year and now clear fluid keeps dripping from my nose",
    # an onset told tersely: "since morning"
    "cant close eye since morning",
    # ... or a day texted short ("yday"); repeated vomiting and a neck that feels stiff after the operation
    "had bt yday now struggling to swallow",
    "5 days after his MVD he was sick three times this morning",
    "had my mvd last week and my neck feels stiff",
    # asking what a sign is leaves the rest of the message as told
    "what is a csf leak, my husband had mvd and clear fluid is dripping from his nose",
    "what is an infection after surgery like, I had MVD 5 days ago and have a fever",
    "Had Xeomin two days ago. Since last night my voice has gone hoarse, breathing feels tight when I lie flat.",
    'He had MVD nine days ago and tonight clear watery stuff keeps dripping from his nose.',
    # not_signs: "fallen asleep" hides only its own "fallen"
    "she fell asleep on the sofa and suddenly woke with her face fallen on one side",
    # "just went" is a sudden onset; so is "since an hour" (non-native "for an hour")
    "and my vision just went dark in one eye",
    "my aunt has face drooping since an hour",
    # a TIA of one's own still fires
    "i think i had a tia this morning",
    # a rash, fever or mouth sores on a medicine just begun, named or not; a blistering rash with a fever on its own
    "i began them 3 weeks ago, started it on a monday, now a red rash is spreading and i have a fever",
    "since i started taking the new tablets i've had mouth ulcers and a sore throat",
    "theres a rash all over my chest with blisters and i have a fever",
    "peeling skin on my arms and a high temperature since friday",
    # words of patients' first languages: spots, blisters and fever on Tegretol; waking up with half the face still
    "started tegretol 2 weeks ago, now red manchas everywhere, bolhas in the mouth and febre",
    "my husband wake up and half of face not moving, mouth is down",
    # not answering: a spread into the arm with a loss of awareness
    "the shaking go to his arm and he don't answer me",
    # swallowing told in other words after Botox: drinks that make her cough, swallowing that is hard
    "my gran had her botox jabs on tuesday and today shes coughing when she drinks and says swallowing is hard",
    "since the botox injections he struggles to swallow his tea",
    # "difficulty in ...", as Indian and African English say it
    "after botox injection 2 days back my mother is having difficulty in swallowing food",
    "my father has difficulty in breathing since this morning",
    # Scots: "cannae" and "oot"
    "ma maw's face has went aw droopy the day an she cannae get her words oot right",
    # after Botox the rest of the face drooping still fires, and so does an eyelid drooping without Botox
    "since the botox this morning her mouth droops",
    "she never had botox, today her eye droops suddenly",
    # told in images: a face that slid down like wax, an arm hanging, words coming out like mush, "20 min ago"
    "my face just slid down on one side like melted candle wax, started 20 min ago",
    "my arm is hanging like a wet noodle",
    "its not my usual twitch, my words are coming out like mush",
]

QUIET = [
    # a droopy eyelid is Botox's commonest side effect: after it, the eyelid alone is no stroke sign
    "my husband had xeomin injections for his hemifacial spasm, now his eye is watery and a bit droopy, is that normal",
    "had my botox injections 6 days ago and now my left eyelid is hanging down over my eye, is this normal??",
    'my eye twitches when i talk, it is weird',
    'funny thing, when i speak my eye closes',
    'the spasm is worse when i talk, is that strange',
    'my eye shuts on its own when i talk whats wrong with me',
    "I've been reading about CSF leaks and hearing loss after decompression surgery, how common are they",
    'I read that mvd can cause facial weakness and hearing loss',
    'my mum has dry eyes that water constantly, which sounds odd to me',
    'that sounds weird, is botox safe for the face?',
    'no weakness, just the twitch',
    "there's no numbness or weakness",
    "I don't have any slurred speech",
    'no drooping, only twitching',
    'without any weakness in my arm',
    'I never had a seizure',
    'no fever after the surgery',
    'no rash on tegretol so far',
    'I have no trouble swallowing after botox',
    'no double vision, just the spasm',
    'never passed out',
    'she is not confused at all',
    # Numb hands with an everyday cause, and jerks while falling asleep (hypnic jerks).
    'carpal tunnel makes my hand numb at night, will a wrist splint help',
    'my hand goes numb and tingly when i have been sleeping on it',
    "my leg jerks just as i'm falling asleep, is that normal?",
    # Arm twitches after the gym; a baby's jerks in her sleep.
    'After heavy gym sessions my thigh and arm muscles twitch randomly for the rest of the evening.',
    'Our baby is three weeks old and her arms and legs jerk while she sleeps. Is this normal?',
    # A face that does not move when not twitching, and a shut eye from the spasm, are no weakness.
    'since yesterday my eyelid will not stop moving',
    # Dizziness that is not said to be sudden is a common side effect of the pills, "now" or not.
    "my father have face spasm, doctor give him tegretol. now he sleepy whole day and dizzy, it normal?",
    'today my eye shuts on its own when it twitches',
    # An animal: the urgent reply is for people.
    "How can you tell a dog that's dreaming from one having a seizure?",
    "our spaniel's face suddenly drooped on one side, the vet says it's facial nerve paralysis",
    # "I'm confused" about what one read, not a confused mind.
    "I read it stops in sleep, but now my partner filmed it while I was asleep, so I'm confused.",
    # A speech as a talk at a wedding is not the way someone speaks.
    "I'm giving the father of the bride speech. Can you help me write a warm, funny opening for the speech?",
    "i'm the best man and my face twitches when i'm nervous. how do i write a speech that is funny but short?",
    # "brushes" is spelt right: it is not a misspelling of "bruises" (a reaction to carbamazepine).
    'my mum is on tegretol and her gums bleed a little when she brushes her teeth too hard',
    # Confused about a choice, not a confused mind, even beside an onset word ("now").
    'Now the doctor offers an operation too. We are confused, which is better, injections or the operation?',
    "since today i'm confused about the difference between botox and surgery",
    # The same with a word between: "honestly confused" by the options, and an onset word in another sentence.
    "Botox helped, and now my neurologist is talking about MVD. I'm honestly confused. What are the options?",
    'can botox make my eyelid droop?',
    # A fear of what may happen, and a word one slip from "leaking" ("leaning towards surgery").
    "I'm leaning towards surgery but my family is terrified I'll have a stroke on the table. What are the chances?",
    'is facial weakness a risk of MVD?',
    'what are the side effects of tegretol',
    'can MVD cause hearing loss or facial weakness',
    'could botox cause trouble swallowing',
    'does carbamazepine cause a rash',
    'what is the risk of a stroke during MVD',
    'what if my face droops after surgery',
    'will I have a fever after the operation',
    'how common is a CSF leak after MVD',
    'what are the warning signs of a stroke',
    'if my arm goes numb what should I do',
    'is it normal to have a headache after surgery',
    'what are the chances of facial paralysis after MVD',
    'does hfs lead to slurred speech',
    'is slurred speech a symptom of hemifacial spasm',
    "I'm scared of facial weakness after the operation",
    'can hemifacial spasm cause a stroke',
    'what are the risks of phenytoin, like rash or fever',
    'might botox make my face weak',
    'do anticonvulsants cause bruising',
    "how do I know if I'm having a seizure",
    'would I be able to talk normally after MVD',
    'my face has twitched for years',
    'my eyelid has drooped a little for years',
    "I've had numbness in my cheek for years",
    'my mouth has always been slightly crooked',
    "I had Bell's palsy years ago and my face is still a bit weak",
    # once the urgent reply: "months ago" was not yet a long-standing description
    "I had Bell's palsy about eight months ago and my face mostly recovered. Now the same side twitches.",
    # "my tia" is my aunt (Spanish, Portuguese)
    "hi, my tia take tegretol for the face spasm, she feel very dizzy and tired. is from the medicine?",
    # once the urgent reply: "last yr" (and "years back") were not yet long-standing descriptions
    "my gran had bells palsy last yr and now her face is twitching on that side, can that cause it",
    "he had a bit of facial palsy a few years back, now his eye twitches",
    'my arm has been weak since childhood',
    'what is hemifacial spasm',
    'what causes hemifacial spasm',
    'my eye keeps twitching',
    'the twitching spreads to my cheek and mouth',
    'my face twitches when I talk',
    'my eye closes during a spasm',
    'is hemifacial spasm dangerous',
    'how does botox work for face twitching',
    'how long does botox last',
    'what is microvascular decompression',
    'how long is recovery after mvd',
    'what is the success rate of mvd',
    'what dose of tegretol is used',
    'should I see a neurologist',
    'do spasms stop during sleep',
    'does stress make the twitching worse',
    'are there any vitamins that help',
    'can acupuncture help hemifacial spasm',
    'hello',
    'thanks, bye',
    'when should I go to the ER',
    'my mouth pulls up when the spasm happens',
    'botox made my eyelid droopy for two weeks',
    'my smile is uneven because of the spasms',
    'the injection site was a bit sore',
    'I get headaches sometimes',
    'what medicine is used for hemifacial spasm',
    'I had MVD last year and it worked',
    'my face feels tight after the spasm',
    "is the twitching worse when I'm tired",
    'my cheek twitches all day',
    'what is the weather today',
    'where can I buy tegretol',
    "the spasm makes my eye shut and I can't see well for a second",
    'my spasm is not responding to treatment',
    'I did not respond to tegretol',
    'the botox did not work for me',
    'I hardly ever get the twitch now',
    'is MVD brain surgery',
    'what happens during the operation',
    'how do I know if botox is wearing off',
    'my eye waters during the spasm',
    'can I drive after botox',
    'does alcohol make hemifacial spasm worse',
    # Found in long stories (stories5): a back put out ("back out" is no "black out"), a back spasm with
    # nothing in the legs, and a consent form that lists the risks.
    'Put my back out lifting a sofa two days ago, should i use heat or ice',
    "what's a good way of backing out of a parking spot",
    'the lower back muscles keep spasming when i move but no numbness or anything in my legs, just sore',
    'My mother is booked for MVD. The consent form lists CSF leak, infection and hearing loss. How often?',
    # Everyday words one slip from a sign word (hard.yaml, and the English word list run through the typo match):
    # taking/talking, walking/waking, ever/fever.
    'I have trouble taking the tablets for my spasm',
    'my mum has difficulty taking her pills',
    'he is not walking properly since the operation',
    "My neurologist asked whether I'd ever thought about MVD. I'm 50 with type 2 diabetes. Am I a candidate?",
    # Advice about what to watch for is no sign.
    "the nurse said to watch for trouble swallowing after botox. why is that",
    # Whether the twitch is a stroke, with no sign and no sudden onset: the seriousness answer says it is none.
    "my grandad's face twitches on one side, is it a stroke??",
    "my dad's face has been twitching on one side for 2 years. is this a mini stroke?",
    "my cheek has been twitching on and off for weeks. no weakness, i can smile fine, talk fine. am i having mini "
    "strokes??",
    # ... in the lay words patients use for it (and an eye dictated as "I")
    "my I has been jumping for 2 years slowly getting worse now the cheek too is it a stroke coming",
    # Asking for figures names risks, it reports none; a palsy years before is long past.
    "Give me the numbers: transient facial palsy, permanent ipsilateral deafness, CSF leak after MVD",
    "Two years after a Bell's palsy I have synkinesis, my eye narrows when I smile, and now some twitching too. "
    "Can Bell's palsy lead to hemifacial spasm?",
    # An onset told beside a chronic cue is long past: the stroke last year is no sudden one now.
    "My husband woke up last year with half his face drooped and it turned out to be a stroke. He recovered well, "
    "but six months later that side started twitching. Could the stroke have caused hemifacial spasm?",
    # not_signs: eye drops the doctor gave are no drooping eye
    "First they said stress, then dry eye, then they gave me eye drops. Now it pulls my mouth sideways",
    # not_signs: the hospital's discharge letter is no discharge from a wound, even after the operation
    "My husband had MVD last week. The ward number is on his discharge letter, I'll ring them about his appointment",
    # not_signs: a leak the surgeons already mended, with no sign now
    "I'm home now after my MVD and the leak was sorted. what is normal recovery supposed to look like",
    # not_signs: "fallen asleep" is no drooping face
    "My wife says my face keeps twitching after I've fallen asleep, she watched it happen last night.",
    # a cold sore ("fever blister") or a child's chickenpox is no blistering rash with a fever
    "I get fever blisters on my lip when the twitch is bad, is that linked?",
    "my son has chickenpox with blisters and a fever, can he catch my twitch",
    # a palsy the face has long recovered from is no drooping face now
    "I had a Bell's palsy in 2015 and the face recovered, but now it twitches on that same side. Are they connected?",
    # sick of something is no vomiting
    "after the op i was sick of hospital food",
    # asking what a sign is, with the operation named: no report
    "What is a CSF leak, and how often does it happen after MVD?",
    # mush that is not speech, and a mind like mush is no stroke sign
    "i spilled wine on my credit card and now its all mushy",
    "my brain feels like mush after the tegretol",
]


# --- the bundled vocabulary (redflags.yaml), through Bot.reply -----------------------------

@pytest.mark.parametrize("text", FIRES)
def test_red_flags_fire(bot: Bot, text: str) -> None:
    """Stroke, seizure, after-MVD, after-Botox and drug-reaction signs, however they are typed."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent, reply.confidence) == ("emergency", RED_FLAG_INTENT, 1.0), reply.reason
    assert reply.text == bot.kb.responses[RED_FLAG_INTENT].text
    assert reply.sources == bot.kb.responses[RED_FLAG_INTENT].sources
    assert reply.reason.startswith("red flag ")


@pytest.mark.parametrize("text", QUIET)
def test_no_red_flag(bot: Bot, text: str) -> None:
    """Negated, hypothetical, chronic and ordinary questions: twitching alone is never an emergency."""
    reply = bot.reply(text)
    assert reply.kind != "emergency", reply.reason


def test_tables_are_big_enough() -> None:
    assert len(FIRES) >= 60 and len(QUIET) >= 60
    assert not set(FIRES) & set(QUIET)


def _heldout() -> tuple[list[str], list[str]]:
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    flagged = list(data["in_scope"][RED_FLAG_INTENT])
    others = [q for intent, qs in data["in_scope"].items() if intent != RED_FLAG_INTENT for q in qs]
    return flagged, others + list(data["out_of_scope"])


def _asks_about_emergencies(question: str) -> bool:
    """A question ABOUT emergencies ("when should I call 911?") rather than one describing symptoms."""
    words = question.lower().split()
    return words[0] in ("when", "what") or "red flags" in question.lower()


def test_every_heldout_red_flag_description_fires(bot: Bot) -> None:
    """Recall 100% on the held-out red-flag descriptions; questions about emergencies may go through matching."""
    flagged, _ = _heldout()
    described = [q for q in flagged if not _asks_about_emergencies(q)]
    assert len(described) >= len(flagged) - 6  # the exclusion stays small: it cannot hide a regression
    missed = [q for q in described if bot.reply(q).kind != "emergency"]
    assert missed == []


def test_heldout_false_alarms_at_most_one_percent(bot: Bot) -> None:
    """Every other held-out question (other topics and out of scope): the emergency text at most 1% of the time."""
    _, others = _heldout()
    alarms = [q for q in others if bot.reply(q).kind == "emergency"]
    assert len(others) > 500
    assert len(alarms) <= 0.01 * len(others), alarms


def test_content_without_redflags_has_no_triage(make_content: MakeContent) -> None:
    """Red flags are content: another knowledge base may have none, and then nothing fires."""
    bot = Bot.load(make_content({"a": ["slurred speech", "sudden slurred speech"]}))
    assert bot.kb.redflags is None
    assert (bot.reply("sudden slurred speech").kind, bot.reply("sudden slurred speech").intent) == ("answer", "a")


def test_explain_names_the_rule(bot: Bot) -> None:
    reply = bot.reply("my arm went numb and I am slurring")
    assert reply.reason == "red flag 'slurred or garbled speech' (matched 'slurring')"


_PIECES = st.sampled_from([
    "apple", "Rotten", "and", "but", "cant", "can't", "won\u2019t", "not", "sure", "é", "\u0301", "ß", "İ", "ﬁg",
    " ", " ", ".", "!", "?", ",", ";", ":", "(", ")", "[", "}", " - ", " \u2014 ", "\n", "\r", "\ufe52", "\uff07s",
    "`", "'", "x1", "\u00a0",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_a_message_read_whole_has_the_words_of_its_sentences(text: str) -> None:
    """detect() checks the whole message's words before cutting it: the cut must give the same words, in order."""
    from chatbot.safety import _sentences
    from chatbot.text import normalise

    cut = {*TOY.clause_breaks, *TOY.contrast}
    whole = [w for v in normalise(text).split() for w in TOY.spellings.get(v, (v,)) if w not in cut]
    assert [w for sentence in _sentences(text, TOY) for w in sentence.words] == whole
