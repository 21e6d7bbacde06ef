"""Bot.reply on anything at all: a well-formed Reply every time, the same for the same input."""

from __future__ import annotations

import json

import pytest
from conftest import MakeContent
from hypothesis import given, settings
from hypothesis import strategies as st

import chatbot.matcher as matcher_module
from chatbot import Bot, Reply
from chatbot.render import render_plain
from chatbot.text import MAX_QUERY_CHARS

KINDS = {"answer", "clarify", "fallback", "emergency"}
# Every character, lone surrogates and controls included.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
WORDY_TEXT = st.lists(
    st.sampled_from(["my", "face", "arm", "weak", "no", "botox", "sudden", "twitch", "for", "years", "but",
                     "today", "what", "is", "mvd", "\x1b[31m", "\u202e", "\U0001f600", "\ud800", ",", "?"]),
    max_size=30,
).map(" ".join)


def _check(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    assert reply.kind in KINDS
    assert 0.0 <= reply.confidence <= 1.0
    assert reply.text.strip()
    assert len(reply.query) <= MAX_QUERY_CHARS
    assert not any(ch in reply.query for ch in "\x1b\x9b\x00\r\n")
    assert json.loads(json.dumps(reply.to_dict())) == reply.to_dict()
    reply.query.encode("utf-8")  # no lone surrogates: the query can always be written out


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_gets_a_valid_reply(bot: Bot, text: str) -> None:
    reply = bot.reply(text)
    _check(reply)
    assert bot.reply(text) == reply


@settings(max_examples=300, deadline=None)
@given(text=WORDY_TEXT)
def test_any_mix_of_red_flag_words_gets_a_valid_reply(bot: Bot, text: str) -> None:
    """Sentences built from red-flag, negation and time words exercise the safety stage, not only the matcher."""
    reply = bot.reply(text)
    _check(reply)
    assert bot.reply(text) == reply
    if reply.kind == "emergency":
        assert reply.intent == "emergency_red_flags" and reply.confidence == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\t\n\r",
        "\x00\x01\x02",
        "\x1b[2J\x1b[31mwhat is botox\x1b[0m",
        "\x1b]0;pwned\x07what is mvd",
        "\x9b31mhello",
        "\ud800\udfff what is botox",
        "\U0001f600\U0001f600 what is hemifacial spasm \U0001f92f",
        "\u0645\u0627 \u0647\u0648 \u0627\u0644\u0628\u0648\u062a\u0648\u0643\u0633\u061f",  # Arabic, right to left
        "\u202ewhat is botox\u202c",
        "x" * 1_000_000,
        "what is botox " * 100_000,
        "no " * 300_000 + "slurred speech",
    ],
)
def test_bad_input_gets_a_clear_reply(bot: Bot, text: str) -> None:
    reply = bot.reply(text)
    _check(reply)
    assert "\x1b" not in render_plain(reply)


def test_empty_input_asks_for_a_question(bot: Bot) -> None:
    reply = bot.reply(" \x1b[0m \t")
    assert (reply.kind, reply.query) == ("fallback", "")
    assert "Please type a question" in reply.text


def test_wrong_type_is_treated_as_empty(bot: Bot) -> None:
    reply = bot.reply(42)  # type: ignore[arg-type]
    assert (reply.kind, reply.query) == ("fallback", "")


def test_escapes_are_removed_from_the_echoed_query(bot: Bot) -> None:
    reply = bot.reply("\x1b[31mwhat is botox\x1b[0m\x07")
    assert (reply.query, reply.intent) == ("what is botox", "botox")


def test_red_flags_in_a_long_message_are_found_within_the_matched_part(bot: Bot) -> None:
    """Only the first MAX_QUERY_CHARS characters are read: bounded work on any input."""
    assert bot.reply("my arm went numb suddenly " + "x " * 1_000_000).kind == "emergency"


def test_loading_leaves_the_garbage_collector_as_it_found_it() -> None:
    """Bot.load pauses the cycle collector while it builds, and restores the caller's setting, even on error."""
    import gc

    from chatbot import ContentError

    assert gc.isenabled()
    Bot.load()
    assert gc.isenabled()
    with pytest.raises(ContentError):
        Bot.load("no such folder")
    assert gc.isenabled()
    gc.disable()
    try:
        Bot.load()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("tell me about botox", "botox"),
        ("tell me about the operation", "mvd_procedure"),
        ("surgery", "mvd_procedure"),
        ("tell me about treatments", "treatment_overview"),
        ("info on the medicines", "medication_overview"),
        ("tell me about the risks", "mvd_risks"),
        ("tell me about the cause", "hfs_cause"),
        ("tell me about hfs", "hfs_definition"),
    ],
)
def test_the_plainest_requests_get_their_topic(bot: Bot, text: str, intent: str) -> None:
    # "tell me about" was once only in the definition's patterns, and took every "tell me about X" with it.
    assert bot.reply(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("talking?", "hfs_triggers"),
        ("chewing", "hfs_triggers"),
        ("eye twitch", "hfs_symptoms"),
        ("where is this info from", "bot_identity"),
    ],
)
def test_one_or_two_word_messages_get_their_topic(bot: Bot, text: str, intent: str) -> None:
    # Once: "talking?" said goodbye, "eye twitch" fell back.
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("in the meantime could i have botox again", "botox"),
        ("meanwhile, is it dangerous to leave it untreated", "hfs_seriousness"),
        ("sorry to bother you, how long does the botox last", "botox"),
        # "long's" was "long s": a word nobody wrote.
        ("how long's the operation take roughly", "mvd_procedure"),
        # "going forward" is from now on.
        ("what symptoms should i expect going forward", "hfs_symptoms"),
    ],
)
def test_an_everyday_word_around_the_question_does_not_hide_it(bot: Bot, text: str, intent: str) -> None:
    # "meantime", "meanwhile" and "sorry" are the lexicon's filler: once unknown, they pulled these below the fallback.
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize("text", ["not helpful", "no not that", "wrong answer", "thats not what i asked"])
def test_a_complaint_about_an_answer_gets_the_help_message_not_thanks(bot: Bot, text: str) -> None:
    # Once: "not helpful" and "not that" answered "You're welcome, I'm glad if that helped".
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "help"), reply.reason


def test_twitches_in_a_question_is_our_subject_beside_another_condition(bot: Bot) -> None:
    """ "that side twitches" is ours, so naming Bell's palsy beside it does not make the question off-topic."""
    reply = bot.reply("i had bell's palsy and now that side twitches, is it related?")
    assert (reply.kind, reply.intent) == ("answer", "hfs_other_causes"), reply.reason


def test_a_misspelling_the_content_itself_uses_is_still_read_as_meant(bot: Bot) -> None:
    """ "simptoms" is in an off-topic example, so the typo corrector leaves it; the lexicon maps it."""
    reply = bot.reply("wat r the simptoms of hemifacial spazm")
    assert (reply.kind, reply.intent) == ("answer", "hfs_symptoms"), reply.reason


@pytest.mark.parametrize(("text", "worried"), [
    ("ok", False), ("OK.", False), ("i see", False), ("got it", False), ("hmm ok", False), ("ok understand", False),
    ("that's a relief", False), ("well thats good to hear at least", False),
    ("that's scary", True), ("thats scary", True), ("oh no", True), ("im worried", True),
    ("it's so embarrassing", False), ("its so annoying", False), ("ugh", False),
    # Once: "great" was thanks, "seriously?" the seriousness answer, "i'll ask my doctor" who is behind the chat.
    ("great", False), ("seriously?", False), ("that's good news", False), ("i'll ask my doctor", False),
    ("i did not know that", False), ("that's a lot to take in", True),
    # Once: "ok that's a relief" said goodbye, "wow ok" offered thanks or goodbye.
    ("ok that's a relief", False), ("wow ok", False), ("oh no, that's scary", True), ("that's a relief to hear", False),
    # Once: "oh good" was a greeting, "not great news" thanks.
    ("oh good", False), ("not great news", False), ("brilliant", False), ("not what i wanted to hear", False),
    # Once: "okey", "okay then", "damn ok" and "ok so no" were thanks, "nice one" goodbye, "ok I understand now" help.
    ("okey", False), ("okay then", False), ("damn ok", False), ("ok so no", False), ("nice one", False),
    ("ok I understand now", False), ("that scares me", True),
    # Once: "ok that's reassuring actually" said goodbye, "i'm confused" and "that's confusing" offered help.
    ("ok that's reassuring actually", False), ("i'm confused", False), ("that's confusing", False), ("oh god", True),
    # What the patient will do, asking nothing: once "ok we'll ask for a referral" was the specialist answer.
    ("ok we'll probably stick with the jabs", False), ("i think i'll wait and see", False),
    ("ok we'll ask for a referral", False), ("ugh i dont know", False), ("righto", False),
    # Two reactions in a row: once "oh I see, that makes sense" was thanks, "wow didn't know that" help.
    ("oh I see, that makes sense", False), ("wow didn't know that", False),
])
def test_an_acknowledgement_is_no_question_and_not_thanks(bot: Bot, text: str, worried: bool) -> None:
    # Once: "ok" said goodbye, then "You're welcome" (thanks), and "that's scary" after the risks answered them again.
    first = bot.reply("what are the risks of mvd")
    reply = bot.reply(text, first.state)
    assert (reply.kind, reply.intent) == ("fallback", None), reply.reason
    assert ("worried" in reply.text) == worried
    assert reply.state == first.state  # the topic, and its suggestions, are still there
    assert bot.reply("1", reply.state).intent == first.suggestions[0].intent


@pytest.mark.parametrize("text", ["ok thanks", "ok bye", "ok what about recovery", "i see a flashing light", "see ya",
                                  "i'll talk it over with my neurologist, thanks", "i will go now, have a good day",
                                  "i will ask my doctor what dose to take"])
def test_an_acknowledgement_with_more_words_is_read_as_a_message(bot: Bot, text: str) -> None:
    assert "acknowledgement" not in bot.reply(text).reason


def test_a_story_naming_the_cost_beside_our_subject_stays_ours(bot: Bot) -> None:
    reply = bot.reply("The Botox for my face spasm costs a lot. How long does each injection last?")
    assert (reply.kind, reply.intent) == ("answer", "botox"), reply.reason


def test_a_story_about_our_subject_that_falls_short_offers_its_closest_topics(bot: Bot) -> None:
    """Better a "did you mean" than "I don't have an answer" for a long story plainly about hemifacial spasm."""
    from chatbot.policy import STORY_SUGGEST_EVIDENCE

    story = (  # from hard.yaml; the earlier example ("... anxious about looking frozen") is now answered outright
        "My mother-in-law is booked for Botox injections for her HFS next month and she's terrified of poison "
        "being put in her face. She's 70 and has never had any injections apart from vaccines. I promised I'd "
        "find out how the treatment actually works and how well it tends to help people"
    )
    top = bot.candidates(story)[0]
    # The example must fall short of an answer on its own; if the matcher improves, pick another.
    assert top.score < bot.thresholds.min_confidence and top.story_evidence >= STORY_SUGGEST_EVIDENCE, top
    reply = bot.reply(story)
    assert reply.kind == "clarify", reply.reason
    assert reply.options[0].intent == "botox"
    # One sentence, however close, has no story to vouch for it: the fallback as before.
    assert bot.candidates("wondering about looking frozen")[0].story_evidence == 0.0


def test_a_message_that_sets_our_subject_aside_is_not_ours_for_mentioning_it(bot: Bot) -> None:
    message = ("Face spasm patient here, Botox every 12 weeks, no complaints. Off topic, but my car insurance "
               "renewal went up 40 percent. Is it worth switching every year?")
    reply = bot.reply(message)  # once answered botox_vs_surgery ("is it worth switching from botox to surgery")
    assert reply.kind == "fallback", reply.reason


@pytest.mark.parametrize("text", [
    # 'medicare' was once read as 'medication' (pills work?), and the cost of Botox answered Botox
    "how much does botox cost",
    "does medicare pay for it",
    "will my insurance cover the operation",
    "I've had HFS for years and my doctor recommends MVD. Will health insurance cover microvascular decompression?",
    "does medicare cover botox for hemifacial spasm",
    "is hemifacial spasm hereditary",
    "is botox for hemifacial spasm safe in pregnancy",
    "I've had HFS for two years and take tegretol. We'd like a baby. Is it safe to get pregnant on it?",
    "can children get hemifacial spasm",
    "what's the youngest age people get hfs",
    "can my kids get it from me",
    "hi, is hemifacial spasm contagious",
    "how much is mvd surgery in the us",
    "is it safe to breastfeed on carbamazepine",
    "is hemifacial spasm passed on to children",
    "can i drive with hemifacial spasm on a uk licence",
    "should i tell my employer about my hemifacial spasm",
    "is hemifacial spasm in the genes",
    "which surgeon should we pick for my mum's mvd",
    "do we need a referral from the gp first for hemifacial spasm",
    "can I give her the botox injections myself at home",
    "is there a good neurologist in leeds for hemifacial spasm",
    "i missed my evening dose of tegretol what do i do",
    "can i drive home straight after botox injections in my face",
    "how many people in the uk have hfs",
    "is the mayo clinic good for facial nerve surgery",
    "is it ok to drink while on phenytoin",
    "can he keep driving his taxi with hfs",
    "can i have a beer with them on hemifacial spasm tablets",
    "will my son get hemifacial spasm too",
    "does the botox needle hurt much?",
    "would a chiropractor be any good for hemifacial spasm",
    "how many injections do they give per session for hfs",
    "is the mri painful",
    "can you drink beer on dilantin for the face twitch",
    "is a pint on tegretol ok with hfs",
    "can you book me an appointment with a neurologist for my hfs",
    "how many units of botox do they use for hemifacial spasm",
    "can a nurse come to his care home to give him the botox for his face spasm",
    "will they give me the botox injections on the first visit",
    "does weed make hemifacial spasm worse",
    "can you remind me to take my tegretol",
    "how long does the mri take for hfs",
    "my health plan is bupa, do they usually cover mvd for hemifacial spasm",
    "is there usually a long wait to get in with a neurologist for hfs",
    "do i need to book the day off for my botox injections",
    "is the generic carbamazepine just as good as tegretol",
    "how long is the wait for a neurologist for hfs",
    "can i get my tegretol as a liquid",
    "which eye drops are best after botox for hfs",
    "which uni is doing research on hemifacial spasm",
    "can my children get tested for hemifacial spasm",
    "do they repeat the scan every year for hfs",
    "for my hfs, does the electrical test hurt",
    "does smoking make hemifacial spasm worse",
    "can she carry on working normally while having botox injections",
    "how do i get my gp to refer me to a neurosurgeon for mvd",
    "any hfs clinical trials recruiting near toronto",
    "how many weeks do the pills take to work for hfs",
    "at what age does hemifacial spasm usually start",
    "can i wear contact lenses with hemifacial spasm",
    "is it ok to drink energy drinks when i'm on tegretol",
    "can i get the tegretol gene test at a pharmacy",
    "does the teflon stay in there forever after mvd",
    "can my gp do the injections for hfs or does it have to be the hospital",
    "is depression common with hemifacial spasm",
    "hemifacial spasm pass to the children? is genetic?",
    "is botox for hemifacial spasm safe for kids",
    "can i take tegretol with my antidepressant for hemifacial spasm",
    "started tegretol for my hfs last month. can i still have a few pints at the weekend",
    "my face spasm started after a dental operation, can i sue the dentist",
    "is mvd for hemifacial spasm ever done on teenagers",
    "can my employer fire me because of my hemifacial spasm",
    "can i ask my questions about hfs in polish",
    "how soon does botox kick in for hfs",
    "is there parking at the hospital for the hfs mri",
    "can i self refer for my hemifacial spasm",
    "is it safe to go on a cruise with hemifacial spasm",
    "just had my botox shots for hfs, can i go to the gym today",
    "can i have grapefruit juice on tegretol",
    "is generic carbamazepine as good as the brand tegretol",
    "is gamma knife radiosurgery an option for hfs",
    "is baclofen used for hemifacial spasm",
    "my wife takes tegretol for her hfs, will it interact with her warfarin",
    "can i eat before my botox injections for hfs",
    "do i need a prescription for methylcobalamin for my face spasm",
    "can you write a letter for my boss explaining my hemifacial spasm",
    "is it ok to have a few beers while on tegretol for hfs",
    "can i drive myself home after my botox for hemifacial spasm",
    "who funds the research into hemifacial spasm",
    "can my gp give me a pill for anxiety about my hfs",
    "will the mri for my hemifacial spasm need dye",
    "could my husband be sedated for his botox for hfs",
    "are the stitches dissolvable after mvd",
    "can i see my hfs scan results online",
    "can i take ibuprofen with my other meds for my hemifacial spasm",
    "when can i wash my hair over the mvd scar",
    "can you sign me up for a hemifacial spasm trial",
    "how much is dilantin at walmart for my face spasm",
    "can i print this conversation about hfs",
    "does tegretol for hfs show up on a drug test",
    "can i get an mri for my hemifacial spasm w/o a referral",
    "which celebrities have hemifacial spasm",
    "about my hfs, can you put that in simpler words please",
    "how fast will dilantin start working on my face spasm",
    "does carbamazepine for hfs make you put on weight",
    "can i crush my tegretol tablets for hemifacial spasm",
    "is cbd oil good for hemifacial spasm",
    "is radiofrequency treatment used for hfs", "can i have a drink while i'm on tegretol for my face spasm",
    "when can he go back to driving after his mvd", "is there a hemifacial spasm trial at my local hospital",
    "is botox ok if i'm on bp meds",
    "anyone near glasgow who does mvd",
    "his phenytoin level came back at 22, what does that mean",
    "im 10 weeks pregnant and have my botox booked for hemifacial spasm next week. is it safe for the baby",
    "does dilantin interfere with the anaesthetic", "is dilantin for hfs covered on my plan",
    "can i take tegretol for hfs with my blood thinner", "my mum has hfs, is it catching",
    "he can take the plane to go back home a week after his mvd?", "can he have the mvd in ramadan while he is fasting",
    "is homeopathy good for hemifacial spasm", "could the anaesthetic for my mvd react with my supplements",
    "tegretol for my face spasm can take together with chinese herbs or not",
    "sugar medicine and face injection for hfs together is ok?",
    "can you check my hfs medication list for interactions",
    "I am on warfarin. will I bleed a lot from the botox injections in my face?",
    "I'm claustrophobic. Can they do the scan for my twitch in an open scanner?",
    "is there a special pillow for sleeping on the twitchy side", "hfs after dental work lawsuit",
    "any app for meditation you recommend for my face spasm", "can i email you a video of my face twitching",
    "mri with or without contrast for hfs", "my eye twitches, can you give me a letter for my boss",
    "can you show me a picture of hemifacial spasm", "how do you pronounce microvascular decompression",
    "how long is the nhs wait for an mri scan", "do you remember what i asked you yesterday",
    "connect me to a human about my hfs please", "can i talk to a human nurse about my botox",
    "is mr jenkins at st georges good at mvd", "is the walton centre a good place to have mvd done",
    "he refuses to see a doctor about his face spasm, how do i convince him",
    "her neurologist retired, how do we find a new one for her hfs",
    "can my gp just do the botox for my face spasm",
    "is there a meditation app you recommend for the twitching", "can you write me a referral letter for my hfs",
    "dysport vs xeomin which one is better for my spasm", "is xeomin any better than botox for hemifacial spasm",
    "is hemifacial spasm the same as trigeminal neuralgia", "trigeminal neuralgia vs hemifacial spasm",
    "can high blood pressure cause hemifacial spasm", "is hemifacial spasm related to parkinsons",
    "will the botox for my hemifacial spasm get rid of my wrinkles too",
    "can a nurse come and do my botox injections at home", "does hemifacial spasm cause headaches",
    "why do they do a hearing test before mvd", "would my ms medication help the twitching",
    "is my mum too old for botox for her hemifacial spasm", "what is the emg test like for hemifacial spasm",
    "can a 7 year old get hemifacial spasm", "what age does it normally start",
    "how much blood do they lose during the operation", "is hfs linked to high blood pressure",
    "is hemifacial spasm genetic", "is there a diet that helps with the twitching",
])
def test_what_no_answer_covers_gets_the_fallback_even_about_our_condition(bot: Bot, text: str) -> None:
    reply = bot.reply(text)
    assert reply.kind == "fallback", reply.reason
    assert "which no answer covers" in reply.reason


def test_what_no_answer_covers_is_read_as_typed_but_for_slips(bot: Bot) -> None:
    """ "pregant" asks about pregnancy; "scary" is no scar, "la pregunta" (Spanish) no pregnancy, "bula" no Bupa."""
    for slipped in ("is botox safe when pregant", "does insurence cover botox for hfs"):
        assert bot.reply(slipped).kind == "fallback", slipped
    for text, intent in (("buenas, la pregunta is: the spasm stop when I am sleeping?", "hfs_sleep"),
                         ("what does the bula of dilantin say about side effects", "phenytoin"),
                         ("a blood vessel pressing on a nerve inside my head sounds really scary, what does that mean "
                          "exactly", "hfs_cause")):
        reply = bot.reply(text)
        assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


def test_a_medicine_licensed_for_hfs_is_not_a_driving_licence(bot: Bot) -> None:
    """Whether the pills are licensed for HFS is the overview's ("off-label"); a driving licence no answer covers."""
    reply = bot.reply("are the pills for hfs licensed for it")
    assert (reply.kind, reply.intent) == ("answer", "medication_overview"), reply.reason
    assert bot.reply("will i lose my driving license because of hemifacial spasm").kind == "fallback"


def test_a_story_may_name_what_no_answer_covers_and_its_question_stays_ours(bot: Bot) -> None:
    reply = bot.reply("My face spasm Botox is covered by my insurance. How long does each injection last?")
    assert (reply.kind, reply.intent) == ("answer", "botox"), reply.reason


def test_an_unanswered_question_about_a_topic_keeps_that_topic_for_the_follow_up(bot: Bot) -> None:
    first = bot.reply("how much does botox for hemifacial spasm cost")
    assert first.kind == "fallback"
    assert bot.reply("how long does it last", first.state).intent == "botox"


def test_an_unanswered_question_that_refers_back_keeps_the_topic_before_it(bot: Bot) -> None:
    # Once: "a waiting list for it" moved the conversation to the pills, and the follow-up fell back.
    first = bot.reply("what does mvd surgery involve")
    second = bot.reply("is there a waiting list for it", first.state)
    assert second.kind == "fallback" and "which no answer covers" in second.reason
    assert bot.reply("and the success rate", second.state).intent == "mvd_success_rate"
    # A question whose own topic follows on from the last one still moves the conversation there.
    third = bot.reply("how risky is it, and is it covered by insurance", first.state)
    assert third.kind == "fallback"
    assert third.state.last_intent == "mvd_risks"


def test_an_unanswered_question_about_it_that_names_no_follow_up_keeps_the_topic(bot: Bot) -> None:
    # Once: "does the nhs pay for it" after Botox ranked the treatments first, which follow on from Botox, so the
    # conversation moved there and "how long does one lot last" asked the treatments for a duration they lack.
    first = bot.reply("how do botox injections work for hemifacial spasm")
    second = bot.reply("does the nhs pay for it", first.state)
    assert second.kind == "fallback" and "which no answer covers" in second.reason
    assert second.state.last_intent == "botox"
    assert bot.reply("how long does one lot last", second.state).intent == "botox"


@pytest.mark.parametrize(("unanswered", "then"), [
    # "will there be a big scar?" names no topic: its closest ones include the operation, so the chat stays there.
    ("will there be a big scar?", "and the risks?"),
    # This one ranks another topic first by chance (the research), but names none and does not follow on from MVD.
    ("what's the waiting list like on the NHS at the moment", "and what could go wrong?"),
])
def test_an_unanswered_question_that_names_no_topic_of_its_own_keeps_the_last_one(
    bot: Bot, unanswered: str, then: str,
) -> None:
    first = bot.reply("what happens in microvascular decompression surgery")
    second = bot.reply(unanswered, first.state)
    assert second.kind == "fallback" and "which no answer covers" in second.reason
    assert second.state.last_intent == "mvd_procedure"
    assert bot.reply(then, second.state).intent == "mvd_risks"


def test_the_scar_is_unanswered_but_being_scared_is_not(bot: Bot) -> None:
    assert bot.reply("how big is the scar after mvd").kind == "fallback"
    assert bot.reply("will the scars show").kind == "fallback"
    scared = bot.reply("I'm scared, is my face twitching something serious?")
    assert (scared.kind, scared.intent) == ("answer", "hfs_seriousness"), scared.reason


@pytest.mark.parametrize("story", [
    "I had Bell's palsy on my right side two years ago and recovered. I'm 44. Can Bell's palsy lead to twitching "
    "like this later on?",
    "My husband has had MS for 15 years and lately his right face twitches a lot. He is 52. Can multiple sclerosis "
    "cause this kind of spasm?",
])
def test_a_question_naming_another_condition_beside_our_symptom_asks_how_they_meet(bot: Bot, story: str) -> None:
    """Our symptom in the question sentence keeps it ours; an everyday word of ours ("eyes") would not."""
    reply = bot.reply(story)
    assert (reply.kind, reply.intent) == ("answer", "hfs_other_causes"), reply.reason
    assert "spasm" in bot.kb.our_symptom and "spasm" not in bot.kb.our_subjects


@pytest.mark.parametrize("text", [
    "i had bells palsy 2 years ago is that connected", "my aunt has MS. could that be behind it instead?",
    "our cousin has MS, can MS cause it as well?", "can you get it after bells palsy",
    "could it be from the bells palsy he had years ago", "my doctor said mine could be from an old bells palsy",
])
def test_a_subject_an_answer_speaks_of_asked_how_it_relates_to_it_is_ours(bot: Bot, text: str) -> None:
    """Bell's palsy or MS beside "it" or "that" and a word of relation asks how it meets the spasm."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "hfs_other_causes"), reply.reason
    # Without a word of relation it is about the other subject itself.
    assert bot.reply("how is bells palsy treated, my sister was told she might have it").kind == "fallback"
    # Nor does a subject no answer speaks of become ours so: Parkinson's is no cause any answer names.
    assert bot.reply("my dad has parkinsons, could that be connected").kind == "fallback"
    # Nor does "from" in telling them apart, or in a story about the other subject.
    assert bot.reply("how is it different from bells palsy").kind == "fallback"
    story = "my legs have been numb for years from my MS, what is the best medicine for that"
    assert bot.reply(story).kind == "fallback"


@pytest.mark.parametrize("text", [
    "any trials near me in ohio", "can he go on holiday 2 weeks after the op",
    "any hfs trials in australia i could join", "is mvd surgery available in scotland",
])
def test_a_place_or_a_holiday_is_not_answered_by_a_topic(bot: Bot, text: str) -> None:
    """No answer names clinics near the patient or says when travel is safe (two blind writers agree)."""
    reply = bot.reply(text)
    assert reply.kind == "fallback" and "which no answer covers" in reply.reason, reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("hi, what is botox", "botox"),
    ("Hello! Is hemifacial spasm dangerous?", "hfs_seriousness"),
    ("hi there, what is mvd", "mvd_procedure"),
    # small talk the rest asks for for sure: help, or who the bot is
    ("hey what can u help with", "help"),
    ("hi, how does this work? do i just type my question?", "help"),
    ("hello is this a real person", "bot_identity"),
])
def test_a_question_after_a_greeting_is_what_is_answered(bot: Bot, text: str, intent: str) -> None:
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason
    assert "after the opening" in reply.reason


@pytest.mark.parametrize("text", ["hi", "hi bot", "hi, how are you", "morning! hope you're well", "hello hello"])
def test_small_talk_after_a_greeting_stays_a_greeting(bot: Bot, text: str) -> None:
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "greeting"), reply.reason


def test_a_greeting_before_a_short_remark_that_gets_no_answer_is_a_greeting(bot: Bot) -> None:
    """ "hi my nana is sat next to me ..." says hello; a long story after it is the question, however it asks."""
    for text in ("hi my nana is sat next to me she cant hear well so im typing",
                 "hello! I am student from Wuhan, english not so good sorry"):
        reply = bot.reply(text)
        assert (reply.kind, reply.intent) == ("answer", "greeting"), reply.reason
    story = ("Namaste sir. I am 52 years male from Pune, working in bank. Since last 3 years my right eye lower lid is "
             "twitching and now it has gone to cheek and lip also. Kindly tell what type of doctor is best to consult.")
    assert bot.reply(story).intent != "greeting"


def test_a_question_after_a_reaction_is_what_is_answered(bot: Bot) -> None:
    """ "ok then what's hfs" is about the condition; a reaction before a remark ("ok i feel better") is kept."""
    message = "ok then what's hfs"
    assert bot.reply(message.removeprefix("ok ")).intent == "hfs_definition"
    reply = bot.reply(message)
    assert (reply.kind, reply.intent) == ("answer", "hfs_definition"), reply.reason
    assert "after the opening 'ok'" in reply.reason
    assert "after the opening" not in bot.reply("ok i feel a bit better about botox now").reason
    # A word that may start the question itself is no reaction: "fine lines" are another subject.
    assert bot.reply("fine lines around my eyes, will botox help?").kind == "fallback"


@pytest.mark.parametrize(("message", "intent"), [
    ("show me the warning signs", "emergency_red_flags"),
    ("help me understand what causes this", "hfs_cause"),
    ("info on hfs", "hfs_definition"),
])
def test_a_request_opens_a_question_when_what_follows_is_surer(bot: Bot, message: str, intent: str) -> None:
    """ "show me the warning signs" asks for the warning signs, whatever "show me" resembles ("show me the list")."""
    reply = bot.reply(message)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason
    assert "after the opening" in reply.reason
    # A message answered as a whole, where what follows the request is unsure, is read whole.
    whole = bot.reply("explain hemifacial spasm please")
    assert bot.reply("hemifacial spasm please").kind == "clarify"
    assert (whole.intent, "after the opening" in whole.reason) == ("hfs_definition", False), whole.reason


def test_a_question_after_thanks_is_what_is_answered_when_it_asks_with_a_question_mark(bot: Bot) -> None:
    """ "ok thanks - also, what's the success rate for the op?" asks; "thanks, will ask the neuro" thanks."""
    reply = bot.reply("ok thanks - also, what's the success rate for the op?")
    assert (reply.kind, reply.intent) == ("answer", "mvd_success_rate"), reply.reason
    assert "after the opening 'ok thanks" in reply.reason
    for remark in ("thanks, will ask the neuro", "thank you for explaining what hfs is", "cheers for that"):
        assert bot.reply(remark).intent == "thanks", remark


def test_thanks_the_lexicon_reads_as_thanks_may_open_a_question_too(bot: Bot) -> None:
    """ "danke, what is botox?" (or "Dziękuję, ...", accents and all) asks about Botox; "danke" alone thanks."""
    for text, intent in (("danke, what is botox?", "botox"), ("much obliged, and what causes it?", "hfs_cause"),
                         ("Dziękuję, what is botox?", "botox"), ("danke", "thanks"), ("much obliged", "thanks")):
        reply = bot.reply(text)
        assert (reply.kind, reply.intent) == ("answer", intent), (text, reply.reason)


def test_only_an_opener_intent_is_set_aside_at_the_start(make_content: MakeContent) -> None:
    """Content without ``opener: true`` reads "hi, ..." as one message; with it, the question after "hi"."""
    files = {
        "intents/hello.yaml": "id: hello\ntitle: Hello\ngroup: Chat\npatterns: [hi, hello]\n",
        "intents/mvd.yaml": "id: mvd\ntitle: What is MVD?\npatterns: [what is mvd surgery]\n",
        "responses/hello.yaml": "id: hello\ntext: Hello.\nsources: [x]\nreviewed: 2026-11-21\n",
        "responses/mvd.yaml": "id: mvd\ntext: MVD.\nsources: [x]\nreviewed: 2026-11-21\n",
    }
    text = "hi, what is it"
    plain = Bot.load(make_content(files=files)).reply(text)
    assert "after the opening" not in plain.reason
    files["intents/hello.yaml"] += "opener: true\n"
    opened = Bot.load(make_content(files=files)).reply(text)
    assert "after the opening 'hi,'" in opened.reason and opened.intent != "hello", opened.reason


def test_a_story_of_ours_does_not_carry_a_question_about_something_else(
    bot: Bot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The question asks on its own, after a sentence of its own, and names nothing of ours: not ours."""
    text = "I've had HFS for years and take carbamazepine. I'm 70. How long should I boil an egg?"
    assert bot.reply(text).kind == "fallback"
    monkeypatch.setattr(matcher_module, "ALIEN_QUESTION", 9.0)  # without the rule, the story carried it
    assert bot.reply(text).kind != "fallback"


@pytest.mark.parametrize("text", [
    # The question leans on the story: too short to ask on its own, or its sentence before is the story itself.
    "The pharmacist sold me magnesium for my hemifacial spasm, twenty pounds a month. Worth the money?",
    "My husband was told it's hemifacial spasm. Which of us is describing the symptoms correctly?",
])
def test_a_question_that_leans_on_a_story_of_ours_stays_ours(bot: Bot, text: str) -> None:
    assert bot.reply(text).kind != "fallback"


@pytest.mark.parametrize(("text", "intent"), [
    ("My mother in law has the face spasm thing and shes asking if she can have the operation, shes 81 and has a "
     "pacemaker and bad knees, is she too old for it", "mvd_candidacy"),
    ("mum is 80 and on phenytoin 300 a day for the spasms plus bisoprolol furosemide and a blood thinner, shes been "
     "falling and is wobbly, is that the dilantin", "phenytoin"),
])
def test_a_story_run_on_with_commas_is_answered_by_its_last_question(bot: Bot, text: str, intent: str) -> None:
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


def test_the_question_after_a_greeting_is_read_in_the_conversation(bot: Bot) -> None:
    """ "hello, i'm 78" after "who should get the mvd operation": alone "i'm 78" says nothing; there, it asks."""
    first = bot.reply("who should get the MVD operation")
    reply = bot.reply("hello, i'm 78", first.state)
    assert (reply.kind, reply.intent) == ("answer", "mvd_candidacy"), reply.reason
    assert bot.reply("hello, i'm 78").intent == "greeting"


def test_candidates_rank_a_greeting_first_message_as_the_reply_reads_it(bot: Bot) -> None:
    """ask --explain and calibrate see the ranking the reply was decided on: after the greeting."""
    assert bot.candidates("hi, what is botox?")[0].intent == bot.reply("hi, what is botox?").intent == "botox"
    assert bot.candidates("hi, what is botox?", limit=1)[0].intent == "botox"
    assert bot.candidates("hi bot")[0].intent == "greeting"


@pytest.mark.parametrize(("text", "intent"), [
    ("cause of hemifacal spasm", "hfs_cause"),
    ("wats the sucess rate of micro vascular decompresion", "mvd_success_rate"),
    ("what cuases hemifacial spams", "hfs_cause"),
    ("is hemifacial spasm dangerus", "hfs_seriousness"),
    ("what medecines for hemifacial spasm", "medication_overview"),
    ("phenitoin dose", "phenytoin"),
    ("recovrey after mvd", "mvd_recovery"),
])
def test_misspelt_core_terms_reach_their_topic(bot: Bot, text: str, intent: str) -> None:
    """Misspellings a pattern's own typo once made into known words, or that are English words ("spams")."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    # "how does it work" asks how it is done; "does it work" and "how well" ask how often it works.
    ("how does that operation work?", "mvd_procedure"),
    ("how dose the opration work", "mvd_procedure"),
    ("does the op work", "mvd_success_rate"),
    ("how well does the surgery work", "mvd_success_rate"),
    ("does mvd surgery work", "mvd_success_rate"),
    # Treatments other than pills are all the treatments, not the other pills.
    ("wat else is there besides pills", "treatment_overview"),
    # The chance of a complication is a risk; the chance it works is its success.
    ("what are the chances of losing my hearing with the op", "mvd_risks"),
    ("and the chance of stroke in the operation?", "mvd_risks"),
    ("how many people end up with damaged hearing after mvd", "mvd_risks"),
    ("what are the chances the op works", "mvd_success_rate"),
])
def test_how_an_operation_works_is_not_how_well(bot: Bot, text: str, intent: str) -> None:
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize("text", ["can i get botox at my gp surgery", "can i have botox at the GP's surgery"])
def test_a_gp_surgery_is_a_place_not_an_operation(bot: Bot, text: str) -> None:
    """In British English the GP's surgery is the practice: asking where to have Botox is not asking about MVD."""
    assert "surgery" not in bot._matcher.prepare_text(text)
    reply = bot.reply(text)
    assert reply.intent is None or not reply.intent.startswith("mvd"), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("who built this bot", "bot_identity"),
    ("who created this app", "bot_identity"),
    ("what sort of things can i ask you", "help"),
])
def test_questions_about_the_chat_itself_are_answered(bot: Bot, text: str, intent: str) -> None:
    """Who made the chat and what it can do are answered, not mistaken for each other or for another subject."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("whats the success rate of botox", "botox"),
    ("how successful is botox", "botox"),
    ("what triggers it", "hfs_triggers"),
    ("are there other options than injections", "treatment_overview"),
    ("which neurologist is best", "see_a_specialist"),
    ("what do doctors usually try first", "treatment_overview"),
    ("are injections an option", "botox"),
    ("whats behind the twiching, some nerve thing?", "hfs_cause"),
])
def test_short_everyday_questions_are_not_taken_for_another_subject(bot: Bot, text: str, intent: str) -> None:
    """Short questions in everyday words resemble off-topic examples ("lasik success rate"), yet ask about ours."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize("text", [
    "what are they studying about botox",
    "is someone working on longer lasting injections",
])
def test_research_on_a_treatment_is_about_research(bot: Bot, text: str) -> None:
    """What researchers study about Botox is the research answer, not the Botox answer."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "emerging_research"), reply.reason


@pytest.mark.parametrize("text", ["dilantin side effects", "phenytion side effects", "does epanutin make you dizzy"])
def test_a_medicine_named_with_side_effects_its_answer_lists_gets_that_answer(bot: Bot, text: str) -> None:
    """The phenytoin answer lists its side effects: a question naming it and them is answered there."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "phenytoin"), reply.reason


def test_an_epilepsy_drug_is_the_medicine_not_another_subject(bot: Bot) -> None:
    """Patients call the anticonvulsants "epilepsy drugs": that names the medicine, not epilepsy."""
    reply = bot.reply("why would a doctor give an epilepsy drug like carbamazepine for my face")
    assert (reply.kind, reply.intent) == ("answer", "carbamazepine"), reply.reason
    assert bot.reply("carbamazepine dose for epilepsy").kind == "fallback"


@pytest.mark.parametrize("text", [
    "what is the best treatment for shingles on the face",
    "do I pay prescription charges for tegretol if I take it for my face and not epilepsy",
])
def test_an_everyday_word_of_ours_beside_another_subject_does_not_make_it_ours(bot: Bot, text: str) -> None:
    reply = bot.reply(text)
    assert reply.kind == "fallback", reply.reason


def test_a_question_back_about_a_subject_no_answer_speaks_of_is_not_ours(bot: Bot) -> None:
    # "is it part of the parkinson's?" refers back to the twitching, but no answer says how the two meet.
    reply = bot.reply("my dad has parkinson's and now one sided face twitching as well. is it part of the parkinson's?")
    assert reply.kind == "fallback", reply.reason
    # Bell's palsy is one the answers speak of: the same shape of question stays ours.
    told = bot.reply("I had Bell's palsy last year. Now my cheek and eye twitch. Is that known after Bell's palsy?")
    assert (told.kind, told.intent) == ("answer", "hfs_other_causes"), told.reason


def test_teeth_are_no_teething(bot: Bot) -> None:
    """ "teething" (a baby's) is another subject; its stem is that of "teeth", which a phenytoin question may name."""
    reply = bot.reply("her gums are swollen and growing over her teeth, could that be the dilantin?")
    assert (reply.kind, reply.intent) == ("answer", "phenytoin"), reply.reason
    assert bot.reply("my baby is teething and cranky at night, what helps").kind == "fallback"


@pytest.mark.parametrize(("before", "question"), [
    ("how does botox work for hemifacial spasm", "Is it painful, the injection?"),
    ("how does botox work for hemifacial spasm", "will it hurt, do they stick needles in my face for it"),
    ("how does botox work for hemifacial spasm", "and does botox affect driving"),
    ("", "can i drive after mvd"),
])
def test_a_question_about_an_aspect_its_topic_leaves_unanswered_falls_back(
    bot: Bot, before: str, question: str,
) -> None:
    # Botox's pain and driving, the operation's driving: the content's follow-ups say no answer covers them (shaving
    # the head is a phrase no answer covers: test_questions_near_our_topics_that_no_answer_covers_fall_back).
    state = bot.reply(before).state if before else None
    reply = bot.reply(question, state)
    assert reply.kind == "fallback" and "does not cover" in reply.reason, reply.reason


@pytest.mark.parametrize(("question", "intent"), [
    # Words other aspects share are not enough: "is that normal" is no question about a dose, "they open the head?"
    # none about shaving.
    ("droopy eyelid after botox, is that normal", "botox"),
    ("How the doctor do the MVD operation? They open the head?", "mvd_procedure"),
    # The operation's pain is its recovery, which speaks of the headache after it.
    ("how painful is it in the days after MVD", "mvd_recovery"),
])
def test_a_question_about_an_aspect_its_topic_answers_is_answered(bot: Bot, question: str, intent: str) -> None:
    reply = bot.reply(question)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("OK, I'll phone the clinic on Monday. Thanks for explaining it all so clearly. It was a long week.", "thanks"),
    ("That makes sense now. The twitching is worse when I'm tired. Thanks for the help.", "thanks"),
    ("That makes sense now. I'll talk it over with my husband tonight. Goodnight, and take care.", "goodbye"),
    # ... or one clause of a sentence
    ("This has been helpful for a first look. Cheerio, I've got the kettle on.", "goodbye"),
    # Passing it on to someone is no question of inheritance.
    ("thank u i will pass it on to my husband", "thanks"),
])
def test_a_story_that_asks_nothing_gets_the_thanks_or_goodbye_one_sentence_says(
    bot: Bot, text: str, intent: str,
) -> None:
    reply = bot.reply(text, bot.reply("how does botox work").state)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("ok, going to A&E now, thanks", "thanks"),
    ("calling 999 now, bye", "goodbye"),
])
def test_after_an_alarm_a_clause_of_thanks_or_goodbye_is_answered(bot: Bot, text: str, intent: str) -> None:
    alarm = bot.reply("my face suddenly drooped and my speech is slurred")
    assert alarm.kind == "emergency"
    reply = bot.reply(text, alarm.state)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize("text", [
    # "a lot" is no thanks, though "thanks a lot" is: a closing sentence needs a word only small talk uses.
    "My neurologist moved my dose up last week. That seems like a lot.",
    # A reaction is no thanks: "alright" and "perfect" say nothing of small talk alone.
    "alright, walk me through what happens in an MVD",
    "had MVD 3 years ago, it was perfect, now a little flicker is back",
    # A message that asks is its question, whatever thanks it says first.
    "Thanks for that. My mum wants to know how long Botox lasts.",
    "Thanks for that. How long does Botox last?",
])
def test_a_sentence_that_only_sounds_like_thanks_or_a_message_that_asks_is_no_thanks(bot: Bot, text: str) -> None:
    reply = bot.reply(text)
    assert reply.intent != "thanks", reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    # Texting's asides say nothing of the question: they no longer count against every topic.
    ("is the condition dangerous tho", "hfs_seriousness"),
    ("is the condition dangerous though", "hfs_seriousness"),
    ("idk what to ask", "help"),
    ("dunno what to ask", "help"),
])
def test_texting_asides_and_shorthand_do_not_hide_the_question(bot: Bot, text: str, intent: str) -> None:
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize("text", [
    "is that hemifacial spasm?",
    "i get sharp electric shock pains in my cheek when i brush my teeth. is that hemifacial spasm",
    "my 14 yr old keeps scrunching his nose and blinking, he can stop it if he really concentrates. is that hfs?",
])
def test_asking_whether_it_is_hfs_is_not_about_sleep(bot: Bot, text: str) -> None:
    """Whether something is hemifacial spasm asks nothing about the spasms at night."""
    reply = bot.reply(text)
    assert not (reply.kind == "answer" and reply.intent == "hfs_sleep"), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("and how often does it come back later on, after it has stopped?", "mvd_success_rate"),
    ("what doctor should take care of him", "see_a_specialist"),
])
def test_a_message_that_asks_is_offered_no_goodbye(bot: Bot, text: str, intent: str) -> None:
    """ "later" or "take care" in a question is no leave-taking: the close call was only with goodbye."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason
    assert bot.reply("ok see you later, take care").intent == "goodbye"


@pytest.mark.parametrize(("text", "intent"), [
    ("nice one ta", "thanks"), ("good to know, ta", "thanks"), ("ta ta", "goodbye"), ("ok ta, bye", "goodbye")])
def test_small_talk_without_a_leave_taking_word_takes_no_leave(bot: Bot, text: str, intent: str) -> None:
    """Between thanks and goodbye, a message with no word of leave-taking thanks ("ta ta" is one goodbye)."""
    assert bot.reply(text).intent == intent


@pytest.mark.parametrize(
    "text", ["is botox better than pills", "are pills better than botox", "is the jab better than the tablets"])
def test_pills_against_the_injections_asks_how_well_the_pills_work(bot: Bot, text: str) -> None:
    """The pills' answer compares them with Botox; the Botox-or-surgery answer speaks of no pills."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "medication_effectiveness"), reply.reason


def test_quit_typed_to_a_chat_says_goodbye_and_asking_how_to_quit_gets_help(bot: Bot) -> None:
    """A web chat has no command to leave: "quit" takes leave, while asking how to leave is a use of the chat."""
    reply = bot.reply("quit")
    assert (reply.kind, reply.intent) == ("answer", "goodbye"), reply.reason
    assert bot.reply("how do i exit this chat").intent == "help"


@pytest.mark.parametrize("text", [
    "can you look up my records please, i'm john smith", "could I give you my NHS number so you can check my notes",
    "can you check my hospital records"])
def test_asking_the_bot_to_see_ones_records_gets_what_the_bot_is(bot: Bot, text: str) -> None:
    """The bot's own answer says it cannot examine anyone and needs no name or date of birth."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", "bot_identity"), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("Hello doctor", "greeting"), ("hello there doctor", "greeting"), ("hello, which doctor", "see_a_specialist")])
def test_a_greeting_to_someone_is_a_greeting(bot: Bot, text: str, intent: str) -> None:
    """After a greeting, everyday words only ("doctor", the lexicon's filler) say hello; a question stays one."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("right, cheers, ta-ra", "goodbye"), ("fine, thanks, goodnight", "goodbye"),
    ("great, thanks a lot, see you", "goodbye"), ("ok, goodbye and thank you", "goodbye"),
    ("thanks and bye", "goodbye"),
    ("ok calling now, thanks", "thanks"), ("thats all of them, thank you dear", "thanks"),
    # "wish me luck" asks for luck; it does not wish it ("good luck" takes leave).
    ("ok thanks, wish me luck", "thanks"), ("good luck", "goodbye")])
def test_thanks_then_a_leave_taking_in_the_last_clause_says_goodbye(bot: Bot, text: str, intent: str) -> None:
    """A message that thanks and ends by taking leave, or says farewell anywhere, closes the chat; the rest thanks."""
    reply = bot.reply(text)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.reason


@pytest.mark.parametrize(("text", "intent"), [
    ("ok forget cost, how long does the op take", "mvd_procedure"),
    ("forget the money. how risky is the operation", "mvd_risks"),
])
def test_setting_the_cost_aside_asks_what_follows(bot: Bot, text: str, intent: str) -> None:
    """ "forget cost, ..." changes the subject: the cost no answer covers is not the question."""
    assert bot.reply(text).intent == intent
    assert bot.reply("how much does the op cost").kind == "fallback"


@pytest.mark.parametrize("text", [
    "dysport or xeomin, which brand is better", "can my dentist do the injections instead",
    "do people regret having the surgery", "when is it safe to drive again",
    "do i have to tell them about my condition",
    "would wearing an eye patch help when it goes crazy", "can you read the answers out loud to me",
    "where can i find a cheap acupuncturist", "do you ever get bored answering questions",
    "can she get botox on the same day as seeing the neurologist", "and can anxiety cause the twitches in my legs",
    "will they shave her hair off", "Do they shave your whole head for MVD?", "CAN YOU MAKE THE LETTERS BIGGER",
    "what do you think of Dr Jannetta?", "do you have feelings", "canyou email me this",
    "can kids even get hemifacial spasm", "can a teenager get hfs",
])
def test_questions_near_our_topics_that_no_answer_covers_fall_back(bot: Bot, text: str) -> None:
    """Which brand is best, a dentist's injections, regrets, telling others, who gets it: no answer says."""
    assert bot.reply(text).kind == "fallback"
