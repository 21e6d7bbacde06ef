"""Hold the thread of a conversation: picks of offered topics, follow-ups in context, sessions.

The state is an immutable value (``ConversationState``) passed to ``Bot.reply`` and returned in
``Reply.state``; the bot stays stateless. ``ContextResolver`` turns a decision about the message
alone into one that takes the state into account; ``Conversation`` and ``SessionStore`` keep
states for a front end.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Container, Iterable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from .content import NO_ANSWER, KnowledgeBase
from .matcher import STORY_MIN_EVIDENCE, Candidate, inflection
from .policy import Decision, decide
from .reply import ConversationState, Option, Reply
from .text import REFERS_BACK, Lexicon, asks, normalise, reports, stem
from .thresholds import Thresholds

if TYPE_CHECKING:
    from .bot import Bot

__all__ = [
    "ContextResolver", "Conversation", "ConversationState", "SessionStore", "acknowledgement", "condition_tail",
    "next_state",
]

#: Words that carry no topic: an elliptical follow-up is made of these and aspect words only.
FILLER = frozenset("""
    a about after again also an and any are as at be but by can could did do does for from get has have
    how i if in is it its just like me more my now of oh ok okay on or please really should so some
    tell than that the their them then there these they this those to too was we well were what
    whats when which will with would you your though actually anyway usually normally generally
    most people per im still ever even tho main real usual while enough honestly exactly basically literally
    just might may must give ugh hmm hm ah lol haha sigh alright wow fine out tend stuff till until mine realistically
    roughly each no nah nope next explain describe list remind show details info years supposed
""".split())

#: "and after?" alone, filler aside, asks what "what about afterwards" asks (read as a follow-up phrasing), when the
#: last topic answers that aspect: after the operation, its recovery.
AFTERWARDS = frozenset("after afterwards afterward".split())
AFTERWARDS_PHRASING = "what about afterwards"

#: Pronouns for the person asked about: a follow-up's phrasing need not have them.
PRONOUNS = frozenset("he she him her his".split())

#: A phrasing of only these words ("i am", "he is": an age once its number is left out) asks nothing before a topic.
BARE_WORDS = FILLER | PRONOUNS | {"am"}

#: Acknowledgements: a message made of these words, with at least one of ACK_CORE, asks nothing ("ok", "i see",
#: "hmm ok", "got it"); it is not thanks either.
ACK_CORE = frozenset("""
    ok okay k kk alright right fine cool sure hmm hm hmmm mm mmm see got understood noted oh
    yes yeah yep yup no nope nah lol haha okey okie oki yea yeh ugh righto rightio
""".split())
ACK_WORDS = ACK_CORE | frozenset("ah i it please then so well damn gosh wow understand".split())
#: Words that soften a reaction at either end without changing it: "ok that's reassuring actually".
SOFTENERS = frozenset("actually honestly really then though tho well".split())
#: Of those, the words that agree ("yes" to a "did you mean") and those that do not.
AGREE = frozenset("yes yeah yep yup sure".split())
DISAGREE = frozenset("no nope nah".split())
#: Reactions (normalised) that ask nothing: worried ones, and others.
WORRIED = frozenset(" ".join(p.split()) for p in """
    that is scary|scary|sounds scary|that sounds scary|that is frightening|frightening|that is worrying|worrying|
    that sounds worrying|oh no|oh dear|yikes|that is a worry|that is concerning|i am scared|i am worried|
    that is terrible|that is awful|that is not good|sounds bad|that sounds bad|that is a lot to take in|
    a lot to take in|that is what i was afraid of|i am scared now|i am worried now|that scares me|that worries me|
    oh god|oh my god|omg|oh gosh
""".split("|")) - {""}
REACTIONS = frozenset(" ".join(p.split()) for p in """
    that is a relief|what a relief|phew|good to know|that is good to know|that is reassuring|makes sense|
    that makes sense|interesting|that is interesting|i understand|fair enough|ok good|ok then|ok fine|
    i will think about it|ok i will think about it|let me think about it|i need to think about it|
    that is a lot to think about|hmm that is a lot to think about|a lot to think about|
    it is so embarrassing|it is embarrassing|so embarrassing|how embarrassing|that is embarrassing|
    it is so annoying|it is annoying|so annoying|that is annoying|it is so frustrating|it is frustrating|
    so frustrating|that is frustrating|how frustrating|ugh|great|ok great|that is great|that is good news|
    good news|seriously|really|wow|i did not know that|did not know that|i never knew that|i will ask my doctor|
    i will ask my neurologist|i will talk to my doctor|i will talk to my neurologist|i will speak to my doctor|
    ok i will ask my doctor|ok i will talk to my doctor|i will mention it to my doctor|that is a relief to hear|
    a relief to hear|good to hear|that is good to hear|glad to hear that|i am glad to hear that|makes sense i guess|
    i guess that makes sense|i see|ok i see|oh i see|right i see|good|oh good|that is good|good good|not great|
    not great news|that is not great|not good news|that is not good news|that is a shame|what a shame|oh well|
    not what i wanted to hear|that is not what i wanted to hear|brilliant|perfect|excellent|lovely|awesome|nice|cool|
    you are not very helpful|not very helpful|that is not helpful|that does not help|that did not help|very good|
    very interesting|that is very interesting|that is really interesting|that is good then|good then|nice one|
    i understand now|now i understand|understood now|i am confused|i am so confused|that is confusing|confusing|
    i do not know|not sure|i am not sure|i am so tired of this|i am sick of this|that is not really an answer|
    that is not an answer
""".split("|")) - {""}

#: Two reactions in a row are at most this many words ("oh i see that makes sense"); longer messages ask something.
MAX_REACTION_WORDS = 12

#: "what about surgery?", "and the pills?": a message of at most MAX_SWITCH_WORDS words, with one of SWITCH_OPENERS,
#: that names another subject and no aspect takes the aspect of the last question to that subject's topic.
MAX_SWITCH_WORDS = 5
SWITCH_OPENERS = frozenset("and about same".split())
SWITCH_FILLER = frozenset("what how about and the for with then of instead a an if same".split())
#: The subject's topics: those within this of the message's best.
SWITCH_SPREAD = 0.1

#: The same question for someone else, at the start of a message: "and for my dad?", "what about my mum".
_FOR_ANOTHER = re.compile(
    r"(?:and|what about|how about)(?: for)? (?:my|your|his|her|our|an?|the)? ?(?:dad|father|mum|mom|mother|husband|wife"
    r"|son|daughter|brother|sister|grandmother|grandfather|grandma|grandpa|gran|nan|partner|friend|someone|somebody"
    r"|kids|children|child|older people|elderly people|an older person)\b"
)

#: What the patient means to do ("we'll ask for a referral", "i think i'll wait and see"): a reaction when it asks
#: nothing.
_INTENT = re.compile(r"(?:i think |so |then )?(?:i|we) (?:will|am going to|are going to)\b")
_ASKS = frozenset("what how when why which who where whether should could can would do does is are if".split())
#: Of those, the words that ask wherever they stand ("it's stopped now, do I still need to go?").
_ASKING_VERBS = _ASKS - {"is", "are", "if"}
#: Words with which a message right after an alarm doubts it ("she's talking normally though", "it's gone now", "she
#: wants to sleep it off", "my speech is ok. still urgent?"), or tells when the signs began ("it started 20 minutes
#: ago": the urgent answer says to note the time and call now; "it's been about 3 hours since i noticed").
_DOUBTS_ALARM = frozenset("""
    though tho but normal normally fine better stopped gone just only seems must need wait tomorrow later morning
    sleep rest probably thought refuse refuses refusing refused ago started since still
""".split())
#: Of those, the words that explain the signs away or put off going ("could it just be the tablets?", "she's refusing to
#: go"): a doubt whatever topic the message resembles.
_DISMISSES_ALARM = frozenset("just probably seems refuse refuses refusing refused".split())
#: Right after an alarm, a message that opens with one of these takes the advice ("ok my husband is driving me in"),
#: and one with one of the others says help is being got ("calling 999", "heading to urgent care").
_TAKES_ADVICE = AGREE | frozenset("ok okay k kk right alright fine will".split())
_GETS_HELP = frozenset("""
    call calling called ring ringing rang phone phoning phoned dial dialling dialing dialled dialed go going heading
    leaving driving drive coming way ambulance paramedics 999 911 112 111
""".split())
#: Right after an alarm, the questions that doubt it or ask what to do, whatever topic they resemble: asking whether
#: what is happening is normal ("is this normal recovery?", "is that a normal side effect"), whether the signs come
#: from something or are part of it ("is that from the botox?", "could this be because of my hfs", "is that part of
#: hfs", "is it the hemifacial spasm closing my eye"), what to do now ("what do i do", "its getting worse by the hour,
#: what should we do now?", "what i do?") or what to tell them ("what do i tell them on the phone"): the urgent answer
#: says what.
_QUESTIONS_SIGNS = re.compile(
    r"\b(?:this|that) (?:is )?(?:a )?normal\b|^is (?:a )?normal\b"
    r"|\b(?:is|was|could|can|might|would) (?:this|that|it|these|they) (?:\w+ )?(?:be )?"
    r"(?:from|because of|caused by|due to|part of|related to|linked to)\b"
    r"|\b(?:is|was|could|can|might|would) (?:this|that|it) (?:be )?(?:just )?(?:the |my |his |her )?"
    r"(?:hfs|hemifacial spasm|spasms?|twitch|twitching)\b"
    r"|(?:^| )(?:what (?:(?:do|should|shall|must|can) )?(?:i|we) do|what now|what next)"
    r"(?: (?:now|then|next|please|help))*$"
    r"|\bwhat (?:do|should|shall|must) (?:i|we) (?:tell|say to) them\b"
)
#: Asking whether it can wait ("can this wait until my appointment", "should i just wait for my follow-up"), not
#: waiting for help on its way ("one last thing while we wait").
_PUTS_OFF = re.compile(
    r"\b(?:can|could|should|will|would|shall|do)\b(?: \w+){0,3} wait\b|\bwait (?:until|till|for|and)\b"
)
#: ...nor one that thanks or takes leave: "i'll talk it over with my neurologist, thanks", "i will go now".
_LEAVING = frozenset("thank thanks thx bye goodbye cheers leave go day night later".split())

_WHAT = r"(?:(?:so|and|ok|okay|but|sorry) )*(?:what|wat|wht) (?:exactly |even |actually )?(?:is|s) "
_THEN = r"(?: (?:then|anyway|exactly|actually|even|really|again|now|please))*"
#: "what is it then?", in filler only: the follow-up aspect DEFINITION ("wat" as typed, "this" as "it").
_WHAT_IS = re.compile(_WHAT + r"(?:it|this|this thing)" + _THEN)
#: "what is this condition?", "what is the name of this?": what the condition is, whatever was said before.
_WHAT_CONDITION = re.compile(
    _WHAT + r"(?:(?:this|the) (?:condition|illness|disease)|(?:the )?name (?:of|for) (?:it|this)"
    r"(?: (?:problem|condition|thing|illness|disease))?|(?:it|this) called"
    r"|(?:this|it) likely to be|going on|(?:this|the) thing (?:that )?(?:i|we|he|she) (?:have|has|got))" + _THEN
    + r"|(?:(?:so|and|ok|okay|but|sorry) )*what (?:could|might|can) (?:this|it) (?:possibly )?be" + _THEN
    # "my eye closes by itself and my cheek pulls up, what do i have"
    + r"|(?:(?:so|and|ok|okay|but|sorry) )*what (?:do (?:i|we)|does (?:he|she)) (?:have|hav|got)" + _THEN
    # "could you kindly explain what this term actually means", "what does this diagnosis mean"
    + r"|(?:(?:could|can|would) you (?:kindly |please )?)?(?:please )?(?:explain|tell me) what (?:this|the) "
    r"(?:term|word|diagnosis|name) (?:actually |really |even )?means"
    + r"|what does (?:this|the) (?:term|word|diagnosis|name) (?:actually |really |even )?mean"
)
DEFINITION = "definition"
_THAT = re.compile(r"\bthat\b")
#: The fewest words a one-sentence story tells before it asks what the condition is (see condition_tail).
MIN_TOLD_WORDS = 5


#: A question's end that says only that the patient wants to know: "any side effects i should know about".
_SHOULD_KNOW = re.compile(r"(?: (?:that )?(?:i|we|he|she) should| should (?:i|we|he|she)) (?:know about|be aware of)$")


def condition_tail(words: str) -> str:
    """Return the "what could this be?" a one-sentence story of normalised ``words`` ends with ("" if none).

    Examples
    --------
    >>> condition_tail("the side of my face keeps jumping and my lip pulls up what is going on")
    'what is going on'
    >>> condition_tail("what is going on"), condition_tail("my face jumps what causes it")
    ('', '')
    >>> condition_tail("my eye and cheek do what they like and my lip pulls up what is going on")
    'what is going on'
    """
    tokens = words.split()
    for start in range(MIN_TOLD_WORDS, len(tokens)):
        if tokens[start] in ("what", "wat", "wht"):
            tail = " ".join(tokens[start:])
            # "what is it" / "what is this" after a story of it, not "what is that" (the last thing named: "she
            # mentioned dilantin as a backup, whats that")
            if _WHAT_CONDITION.fullmatch(_THAT.sub("this", tail)) or _WHAT_IS.fullmatch(tail):
                return tail
    return ""


#: Doubt about the answer just given: "are you sure? the leaflet says it's for epilepsy" asks for that answer again;
#: so does asking it to commit ("so is that a yes or a no?") or refusing it ("that's not a real answer").
_DOUBT = re.compile(
    r"\b(?:(?:are you|r u|you|u) (?:really )?sure|yes or (?:a )?no"
    r"|that is not (?:a |an )?(?:real |proper |straight )?answer)\b"
)
#: Pushing back on it with what one read, heard or thought: "but the internet says they stop in sleep", "i thought it
#: was supposed to stop at night", "that can not be right".
_PUSHBACK = re.compile(
    r"^(?:but |well |hmm |so )?(?:(?:the internet|google|everyone|every site|everything i read|(?:my|a|the) "
    r"(?:doctor|neurologist|neuro|gp|cousin|friend|neighbour|neighbor|pharmacist|nurse|leaflet|article|website)) "
    r"(?:says|said|told me)"
    r"|i (?:thought|was told|always thought)|that can not be right|that is not what"
    r"|i (?:read|saw|heard) (?:(?:on|in) (?:a|an|the) (?:website|article|forum|leaflet|group|paper|magazine)"
    r"|online|somewhere)"
    r"|it worked for (?:a|my|me|her|him)|the (?:article|website|leaflet|internet) is (?:just )?wrong)\b"
)

#: Contractions typed without an apostrophe, as normalise spells them out when it has one ("that's" -> "that is").
_UNSPLIT = {"thats": "that is", "im": "i am", "its": "it is"}

#: Words that may surround a number when picking an offered option ("option 2 please").
PICK_FILLER = FILLER | frozenset("""
    choice choose go i item lets mean meant no nr num number option pick question select take
    that topic us want yes
""".split())

_ORDINAL_WORDS = (
    ("1", "one", "first", "1st"), ("2", "two", "second", "2nd"), ("3", "three", "third", "3rd"),
    ("4", "four", "fourth", "4th"), ("5", "five", "fifth", "5th"), ("6", "six", "sixth", "6th"),
    ("7", "seven", "seventh", "7th"), ("8", "eight", "eighth", "8th"), ("9", "nine", "ninth", "9th"),
)
ORDINALS = {word: n for n, words in enumerate(_ORDINAL_WORDS, 1) for word in words} | {"last": -1}

#: A follow-up is short: longer messages say enough to be matched on their own.
MAX_FOLLOWUP_WORDS = 8
#: How close a message must be to an aspect phrasing ("what about the risks" ~ "what are the risks").
MIN_ASPECT_SCORE = 0.75
#: A follow-up this close to an aspect phrasing asks it of the last topic even when the message alone is
#: another topic's confident answer.
EXACT_ASPECT_SCORE = 0.95
#: A follow-up close to an aspect phrasing asks it of the last topic, too, when the message alone answers another
#: topic below this confidence.
WEAK_ANSWER = 0.45
#: Picking by words: how well the words must fit one option, and by how much better than the others.
MIN_PICK_SCORE = 0.85
MIN_PICK_MARGIN = 0.15
MAX_PICK_WORDS = 6
#: A message of at most this many words that two small-talk intents fit ends with the one that takes leave.
MAX_CLOSING_WORDS = 8
CLOSING_FILLER = frozenset("""
    ok okay k kk and so again then well very alright mate lovely cool great nice brilliant perfect anyway anyways
    for now
""".split())
#: The words that take leave wherever they stand, even in a message of thanks ("goodbye and thank you"); the rest of
#: LEAVE_TAKING ("see", "later", "night") takes leave only at a message's end.
FAREWELL = frozenset("bye goodbye farewell cya ciao".split())
#: The words that take leave: a message that ends with them closes the chat, whatever it said before.
LEAVE_TAKING = FAREWELL | frozenset("later care see night nite gn".split())
_YOU = frozenset("you ya u".split())
#: What may follow the leave-taking that ends a message: "see you", "goodbye for now".
_AFTER_LEAVING = _YOU | {"for", "now"}
#: A message of at most this many words that refers back keeps the last topic when it ranks it this close
#: behind another topic it does not name (ContextResolver._kept). A close call of at most this many words that uses
#: a word of one aspect only goes where that aspect leads from the last topic (ContextResolver._continued).
MAX_KEPT_WORDS = 10
#: A message with at most this many words of its own (and two more in all) that falls back right after a topic,
#: all of whose words its answer speaks of, asks about that answer again (ContextResolver._spoken_of).
MAX_SPOKEN_WORDS = 4
KEPT_SPREAD = 0.06
#: A message longer than MAX_FOLLOWUP_WORDS, up to this many words, that refers back and falls back alone continues
#: the last topic when, read as part of the conversation, it is sure of that topic (ContextResolver._longer_continued).
MAX_LONGER_WORDS = 20
#: A question of at most this many words right after the urgent-care answer, that no topic answers for sure, gets
#: that answer again (ContextResolver._still_urgent).
MAX_URGENT_WORDS = 30
#: A short message whose best topic is the one just answered may score this much below min_confidence
#: and still continue it: after "what is tegretol", "asian descent?" asks about its gene test. So may a longer one
#: that refers back ("my gums look a bit puffy, could that be from it" after phenytoin).
CONTEXT_ALLOWANCE = 0.06
#: Below this score, an answer about another topic than the last to a message that refers back also offers the
#: last topic (ContextResolver._unsure_switch).
UNSURE_SWITCH = 0.37

#: Right after a topic, small talk below this confidence that asks about "it" is held back (see
#: ContextResolver._small_talk_about_it): sure small talk ("thanks, it helped") is still small talk.
SMALL_TALK_DOUBT = 0.45


def next_state(
    state: ConversationState, reply: Reply, *, topical: Container[str] | None = None, aspect: str | None = None,
) -> ConversationState:
    """Return the state after ``reply``: what was answered, what is pending, what was suggested.

    With ``topical`` (the intents that have follow-ups), an answer outside it ("thanks", "hello")
    keeps the earlier topic, so "what is mvd" / "thanks" / "and the risks?" still means MVD.
    ``aspect`` is what the message asked about its topic (ContextResolver.question_aspect), kept with it.
    """
    kept = state.alarm_context
    if reply.kind == "answer":
        if topical is not None and reply.intent not in topical:
            return ConversationState(state.last_intent, (), reply.suggestions, state.last_aspect, alarm_context=kept)
        return ConversationState(reply.intent, (), reply.suggestions, aspect)
    if reply.kind == "clarify":
        return ConversationState(state.last_intent, reply.options, (), state.last_aspect, alarm_context=kept)
    if reply.kind == "emergency":
        return ConversationState(alarmed=True, alarm_context=kept)
    return ConversationState(state.last_intent, (), (), state.last_aspect, alarm_context=kept)


def questions_alarm(words: str) -> bool:
    """Tell whether a normalised message, right after an alarm, asks or doubts anything.

    Examples
    --------
    >>> questions_alarm("is that normal"), questions_alarm("its gone now"), questions_alarm("ok calling 999")
    (True, True, False)
    >>> questions_alarm("my gp surgery is closed"), questions_alarm("it is still going")
    (False, True)
    """
    said = words.split()
    return bool(said) and (said[0] in _ASKS or not _ASKING_VERBS.isdisjoint(said) or not _DOUBTS_ALARM.isdisjoint(said))


def getting_help(words: str) -> bool:
    """Tell whether a normalised message, right after an alarm, says help is being got or the advice is taken.

    Asked only of a message that questions nothing of the alarm (questions_alarm): "it's still going" questions it
    (the signs go on) and is no "going to A&E".

    Examples
    --------
    >>> getting_help("ok calling 999"), getting_help("heading to urgent care"), getting_help("he has never had this")
    (True, True, False)
    """
    said = words.split()
    return bool(said) and (said[0] in _TAKES_ADVICE or not _GETS_HELP.isdisjoint(said))


def acknowledgement(words: str) -> str | None:
    """Return "worried", "yes" or "plain" when a normalised message only reacts, agrees or acknowledges, else None.

    Examples
    --------
    >>> acknowledgement("hmm ok"), acknowledgement("thats scary"), acknowledgement("ok thanks"), acknowledgement("yes")
    ('plain', 'worried', None, 'yes')
    >>> acknowledgement("ok thats a relief"), acknowledgement("oh no thats scary")
    ('plain', 'worried')
    """
    phrase = " ".join(_UNSPLIT.get(t, t) for t in words.split())
    tokens = phrase.removesuffix(" at least").split()  # "well that's good to hear at least"
    # A reaction with an acknowledgement before or after it is that reaction: "ok that's a relief", "wow ok".
    start, end = 0, len(tokens)
    while start < end and (tokens[start] in ACK_CORE or tokens[start] in SOFTENERS):
        start += 1
    while end > start and (tokens[end - 1] in ACK_CORE or tokens[end - 1] in SOFTENERS):
        end -= 1
    core = " ".join(tokens[start:end])
    if phrase in WORRIED or core in WORRIED:
        return "worried"
    if _INTENT.match(core) and _ASKS.isdisjoint(tokens) and _LEAVING.isdisjoint(tokens):
        return "plain"  # what the patient will do, asking nothing: "ok we'll probably stick with the jabs"
    only_acks = bool(tokens) and set(tokens) <= ACK_WORDS and not ACK_CORE.isdisjoint(tokens)
    # Two reactions in a row: "oh i see, that makes sense", "wow didn't know that".
    pair = end - start <= MAX_REACTION_WORDS and any(
        " ".join(tokens[start:k]) in REACTIONS and " ".join(tokens[k:end]) in REACTIONS for k in range(start + 1, end))
    if phrase in REACTIONS or core in REACTIONS or only_acks or pair:
        return "yes" if set(tokens) & AGREE and not set(tokens) & DISAGREE else "plain"
    return None


def _and_what_about(words: str) -> list[str]:
    """Return the words a short "and X?" / "what about X" message or a single word ("alcohol?") names, else []."""
    tokens = words.split()
    if not tokens or len(tokens) > MAX_SWITCH_WORDS or not (SWITCH_OPENERS.intersection(tokens) or len(tokens) == 1):
        return []
    return [t for t in tokens if t not in SWITCH_FILLER]


def _numeric(token: str) -> bool:
    """Tell whether a word is a number, with or without a unit ("67", "600mg", "3x"): it names no aspect."""
    return token[:1].isdigit()


def ordinal(words: str) -> int | None:
    """Return the option number a message picks (1-based; -1 for "last"), or None.

    Examples
    --------
    >>> ordinal("the second one"), ordinal("2"), ordinal("number one"), ordinal("2 or 3")
    (2, 2, 1, None)
    """
    tokens = words.split()
    if not tokens or len(tokens) > MAX_PICK_WORDS or any(t not in ORDINALS and t not in PICK_FILLER for t in tokens):
        return None
    # "one" is a number on its own ("number one") but filler after another ("the first one").
    picked = {ORDINALS[t] for t in tokens if t in ORDINALS and t != "one"} or ({1} if "one" in tokens else set())
    return picked.pop() if len(picked) == 1 else None


def _allowed(thresholds: Thresholds) -> Thresholds:
    """Return the thresholds a message continuing the last topic is held to: CONTEXT_ALLOWANCE below min_confidence."""
    return replace(thresholds, min_confidence=max(0.0, thresholds.min_confidence - CONTEXT_ALLOWANCE))

class ContextResolver:
    """Resolves a message against the conversation state; immutable after build, safe to share."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._ids = frozenset(i.id for i in kb.intents)
        self._followups = {i.id: dict(i.followups) for i in kb.intents if i.followups}
        #: The aspects every topic answers itself ("is that normal?"): they say only that the last topic goes on.
        self._same_topic_aspects = frozenset(a for a in kb.aspects if self._followups and all(
            answers.get(a) == i for i, answers in self._followups.items()))
        # Each normalised pattern's intent; the few shared by several intents (a warning) are kept apart.
        owner: dict[str, str] = {}
        shared: dict[str, frozenset[str | None]] = {}
        for intent in kb.intents:
            for key in kb.normalised_patterns(intent.id):
                first = owner.setdefault(key, intent.id)
                if first != intent.id:
                    shared[key] = shared.get(key, frozenset((first,))) | {intent.id}
        self._owner = owner
        self._shared = shared
        #: The intents a follow-up can refer back to: those with follow-ups of their own.
        self.topical = frozenset(i.id for i in kb.intents if i.followups)
        #: Small talk: the intents of the openers' groups ("Chat": greeting, thanks, goodbye, help...).
        chat = {i.group for i in kb.intents if i.opener}
        self.small_talk = frozenset(i.id for i in kb.intents if i.group in chat)
        #: The small talk that takes leave: its title says so ("Goodbye").
        self.leaving = frozenset(i.id for i in kb.intents if i.id in self.small_talk
                                 and not LEAVE_TAKING.isdisjoint(normalise(i.title).split()))
        #: The topic of a conversation before any other (an intent marked main), if any.
        self._main = next((i.id for i in kb.intents if i.main), None)
        #: The content's lexicon, to read small talk as the matcher does ("danke, bye" is "thanks, bye").
        self._lexicon = Lexicon(kb.lexicon)
        #: The words of the small-talk patterns, as the lexicon reads them ("thanks for ur help, bye" is small talk).
        self._chat_words = frozenset(
            w for i in kb.intents if i.id in self.small_talk for p in i.patterns
            for w in self._lexicon.apply(normalise(p)).split()
        )
        #: The words only small talk's patterns use ("thanks", "cheers", "goodbye"), as the lexicon reads them; not a
        #: reaction before them ("alright", "perfect").
        self._small_talk_words = self._chat_words - CLOSING_FILLER - frozenset(
            w for i in kb.intents if i.id not in self.small_talk for p in i.patterns
            for w in self._lexicon.apply(normalise(p)).split()
        )
        #: Our condition as the lexicon reads it: a follow-up may name it as what "it" is for ("any good for hfs").
        self._condition_words = frozenset(
            w for s in kb.our_condition for w in self._lexicon.apply(normalise(s)).split())
        #: Each intent's title words that are lexicon terms, as the lexicon reads them ("Botox", "MVD surgery"); not
        #: the words of our condition or symptom, which every title may name.
        ours = self._condition_words | {w for s in kb.our_symptom for w in self._lexicon.apply(normalise(s)).split()}
        terms = frozenset(w for t in kb.lexicon for w in normalise(t).split()) - ours
        self._title_terms = {
            i.id: frozenset(self._lexicon.apply(normalise(i.title)).split()) & terms - kb.filler for i in kb.intents
        }
        #: The urgent-care answer red flags show, if the content has red flags.
        self._urgent = kb.redflags.response if kb.redflags is not None else None
        self._phrasings = tuple((p, aspect) for aspect, ps in kb.aspects.items() for p in ps)
        #: The phrasings that report something of someone ("my eye is a bit dry"): before any topic they ask nothing.
        self._told_phrasings = frozenset(p for p, _ in self._phrasings if reports(p))
        #: Whether the content has the follow-up aspect DEFINITION, which "what is it then?" asks.
        self._defines = DEFINITION in kb.aspects
        #: Our symptom and the parts of the face: a follow-up may name them ("will the eyelid go back to normal").
        self._soft_words = tuple(w for s in (*kb.our_symptom, *kb.our_subjects) for w in normalise(s).split())
        self._vocab = frozenset(w for p, _ in self._phrasings for w in p.split()) | FILLER
        # Typos are forgiven in longer aspect words only: "riskss" is "risks", but "cold" is not "could".
        self._long_vocab = tuple(sorted(w for w in self._vocab - FILLER if len(w) >= 5))
        self._long_words = tuple(sorted(w for w in self._vocab if len(w) >= 5))
        # Each phrasing word -> the phrasings that use it (indices), so a message is checked only against those
        # that have one of each of its words' spellings.
        using: dict[str, set[int]] = {}
        for n, (phrasing, _) in enumerate(self._phrasings):
            for word in phrasing.split():
                using.setdefault(word, set()).add(n)
        self._using = {w: frozenset(ns) for w, ns in using.items()}
        #: Each phrasing's own words (not filler).
        self._own_words = tuple(frozenset(phrasing.split()) - FILLER for phrasing, _ in self._phrasings)
        #: Each topic's answer, as stems of its words (see _spoken_of).
        # As written and as the lexicon reads it: the triggers answer speaks of alcohol, so of "wine" too.
        texts = {i: normalise(r.text) for i, r in kb.responses.items()}
        self._answer_stems = {
            i: frozenset(stem(t) for t in (*said.split(), *self._lexicon.apply(said).split()))
            for i, said in texts.items()
        }
        #: Each aspect's words that no other aspect's phrasings use ("hurt", "painful"; "shave"; "drive").
        owners: dict[str, set[str]] = {}
        for (_, aspect), own in zip(self._phrasings, self._own_words, strict=True):
            for word in own:
                owners.setdefault(word, set()).add(aspect)
        self._aspect_words = {a: frozenset(w for w, o in owners.items() if o == {a}) for a in kb.aspects}
        #: Per topic, the words of its aspects that no answer covers that only those aspects use (see _uncovered).
        self._unanswered_words = {
            i.id: frozenset().union(*(self._aspect_words.get(a, frozenset()) for a, t in i.followups if t == NO_ANSWER))
            for i in kb.intents
        }
        # A word's reading never changes: kept once computed (the words of everyday questions recur).
        self._known = lru_cache(maxsize=8192)(self._known_uncached)
        self._spellings = lru_cache(maxsize=8192)(self._spellings_uncached)
        self._soft = lru_cache(maxsize=8192)(self._soft_uncached)
        targets: dict[str, Counter[str]] = {}
        for intent in kb.intents:
            for aspect, target in intent.followups:
                targets.setdefault(aspect, Counter())[target] += 1
        self._targets = targets
        #: What "and after?" alone asks (AFTERWARDS_PHRASING read as a follow-up), if the content has such a phrasing.
        self._afterwards = self.aspect(AFTERWARDS_PHRASING)
        self._title_words = {
            i.id: frozenset(normalise(i.title).split()) - FILLER - kb.filler for i in kb.intents
        }

    def resolve(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState, thresholds: Thresholds,
        in_context: Callable[..., list[Candidate]] | None = None, asked: Callable[[], str] | None = None,
    ) -> Decision:
        """Return the decision for a normalised message, given the decision on its own and the state.

        ``in_context`` ranks the message (or the normalised text given it) as part of a conversation about our
        subject (Matcher.rank's ``ours``); it is called only for a message that falls back on its own after an answer.
        ``asked`` gives the normalised sentence that asks, in a message of several ("I'm 76 and diabetic. Does that
        rule me out?"; "" for one sentence): a follow-up by itself, it is one in the message too.
        """
        if decision.kind == "emergency":
            return decision  # nothing in the conversation outranks a red flag
        resolved = self._resolved(words, decision, ranked, state, thresholds, in_context, asked)
        return self._uncovered(words, resolved, asked)

    def _resolved(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState, thresholds: Thresholds,
        in_context: Callable[..., list[Candidate]] | None, asked: Callable[[], str] | None,
    ) -> Decision:
        """Return the decision for a normalised message in the conversation, before _uncovered (see resolve)."""
        offered, what = (state.pending, "did you mean") if state.pending else (state.suggestions, "suggestions")
        number = ordinal(words) if offered else None
        if number is not None:
            index = len(offered) - 1 if number == -1 else number - 1
            if 0 <= index < len(offered) and offered[index].intent in self._ids:
                chosen = offered[index]
                return Decision("answer", (Candidate(chosen.intent, 1.0, words),),
                                f"picked option {index + 1} of the {what}: {chosen.intent}")
            if all(o.intent in self._ids for o in offered):
                return Decision("clarify", tuple(Candidate(o.intent, o.confidence, "") for o in offered),
                                f"there is no option {number} among the {len(offered)} offered; offered again")
        if state.pending:
            picked = self._pick_by_words(words, state.pending, decision)
            if picked is not None:
                return picked
        decision = self._small_talk_about_it(words, decision, ranked, state, thresholds)
        decision = self._last_said(words, decision, ranked, thresholds)
        decision = self._chat_only(words, decision)
        doubted = self._doubted(words, decision, ranked, state)
        if doubted is not None:
            return doubted
        urgent = self._still_urgent(words, decision, state)
        if urgent is not None:
            return urgent
        told = self._told_then_what_is(words, decision, ranked, state, asked)
        if told is not None:
            return told
        followup = self._followup(words, decision, ranked, state, thresholds.max_options, asked)
        if followup is not decision:
            return followup
        told_of = self._story_followup(words, decision, ranked, state, asked)
        if told_of is not None:
            return told_of
        switched = self._switched(words, ranked, state, thresholds)
        if switched is not None:
            return switched
        other = self._for_another(words, decision, ranked, state)
        if other is not None:
            return other
        same = self._same_topic(words, decision, ranked, state)
        if same is not None:
            return same
        kept = self._kept(words, decision, ranked, state)
        if kept is not None:
            return kept
        told = self._question_continues(decision, ranked, state, thresholds, in_context, asked)
        if told is not None:
            return told
        decision = self._continued(words, decision, ranked, state, thresholds, in_context)
        decision = self._spoken_of(words, decision, ranked, state)
        return self._unsure_switch(words, decision, ranked, state)

    def _spoken_of(self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState) -> Decision:
        """Answer the last topic again for a very short message that falls back and names only what its answer says.

        After Botox, "dry eye?" falls back on its own, but the Botox answer speaks of a dry eye: it asks about that.
        So may another subject the answer speaks of: "and MS?" after the other causes.
        """
        last = state.last_intent
        said = words.split()
        own = [t for t in said if t not in FILLER and not _numeric(t)]
        if (decision.kind != "fallback" or last not in self.topical or not own or len(own) > MAX_SPOKEN_WORDS
                or len(said) > MAX_SPOKEN_WORDS + 2 or (ranked and ranked[0].unanswered)):
            return decision
        answer = self._answer_stems.get(last, frozenset())
        if not all(stem(t) in answer for t in own):
            # Or as the lexicon reads them: "a glass of wine" is alcohol, which the triggers answer speaks of.
            read = [t for t in self._lexicon.apply(" ".join(own)).split() if t not in FILLER]
            if not read or not all(stem(t) in answer for t in read):
                return decision
        return Decision("answer", (Candidate(last, 1.0, words),), f"a short message whose words the last answer "
                        f"({last}) speaks of: it again")

    def _uncovered(self, words: str, decision: Decision, asked: Callable[[], str] | None) -> Decision:
        """Fall back on an answer whose question asks an aspect its topic says no answer covers (Botox's pain).

        "is it painful, the injection?" ranks Botox first, but what it asks (``pain``) is one of Botox's follow-ups
        that no answer covers: the Botox answer would not answer it. The question must use a word of that aspect
        alone ("painful"), not only words other aspects share.
        """
        if decision.kind != "answer" or decision.candidates[0].intent not in self.topical:
            return decision
        top = decision.candidates[0].intent
        unanswered = self._unanswered_words.get(top)
        if not unanswered or unanswered.isdisjoint(words.split()):
            return decision  # (the question, a part of the message, has none of them either)
        question = (asked() if asked is not None else "") or words
        found = self._asked_phrasing(question)
        if found is None or self._followups.get(top, {}).get(found[0]) != NO_ANSWER:
            return decision
        # The phrasing's words that are its aspect's alone, all said: "is that normal" is no question about a dose
        # ("is that a normal amount"), nor "they open the head?" one about shaving ("do they shave my head").
        own = self._aspect_words[found[0]].intersection(found[2].split())
        if not own or not own <= set(question.split()):
            return decision
        aspect = found[0]
        return Decision("fallback", decision.candidates, f"{decision.reason}; but it asks about {aspect!r}, which "
                        f"{top}'s answer does not cover")

    def _unsure_switch(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
    ) -> Decision:
        """Offer the last topic beside an unsure answer about another topic, for a message that refers back to it.

        After phenytoin, "her gums are bad already, would it make them worse?" scores best on what makes the spasms
        worse ("does chewing gum make hfs worse") but says "it": a "did you mean" offers the triggers and phenytoin
        rather than answer the triggers. Not when the answer is sure enough (UNSURE_SWITCH), follows from the last
        topic, or is named by a title word the last topic's title lacks.
        """
        last = state.last_intent
        if decision.kind != "answer" or last not in self.topical or REFERS_BACK.isdisjoint(words.split()):
            return decision
        top = decision.candidates[0]
        if top.intent == last or top.intent not in self.topical or self.follows_on(last, top.intent):
            return decision
        if top.score >= UNSURE_SWITCH or self._names(words, top.intent, besides=last):
            return decision
        mine = next((c for c in ranked if c.intent == last), None)
        if mine is None:
            return decision
        return Decision("clarify", (top, mine), f"{decision.reason}; it refers back, so {last} is offered too")

    def _story_followup(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
        asked: Callable[[], str] | None,
    ) -> Decision | None:
        """Read a first message's question as a follow-up of the one topic its story names by a title term.

        "my dad started dilantin for his face spasm. does it make you sleepy?" asks phenytoin's side effects, as
        "does it make you sleepy?" would right after phenytoin. A question that says only that the topic goes on
        ("is this to be expected?") does so when the whole message gets no answer of its own: "I started Tegretol
        three weeks ago and feel tired and unsteady. Is this to be expected?" is about the side effects.
        """
        if state.last_intent is not None or state.pending or asked is None or not ranked:
            return None
        if ranked[0].subject or ranked[0].unanswered or ranked[0].story_other:
            return None
        question = asked()
        if not question or not words.endswith(question):
            return None
        # The topic it names most fully by its title ("Botox" names Botox, half its title terms, more than Botox or
        # surgery, a quarter), when that topic's title has every title term the story names ("injections or an
        # operation" names no one topic).
        story = self._lexicon.apply(words[: len(words) - len(question)]).split()
        shares = sorted(((len(terms.intersection(story)) / len(terms), i) for i in self.topical
                         if (terms := self._title_terms[i]) and not terms.isdisjoint(story)), reverse=True)
        if not shares or (len(shares) > 1 and shares[1][0] == shares[0][0]):
            return None
        topic = shares[0][1]
        if not set().union(*(self._title_terms[i] for _, i in shares)).intersection(story) <= self._title_terms[topic]:
            return None
        found = self.aspect(question, loose=True)
        target = self._followups.get(topic, {}).get(found[0]) if found is not None else None
        if found is None or target is None or target == NO_ANSWER:
            return None
        if found[0] in self._same_topic_aspects and decision.kind == "answer":
            return None
        aspect, score, phrasing = found
        return Decision("answer", (Candidate(target, score, phrasing),), f"follow-up {aspect!r} ({phrasing!r}, "
                        f"{score:.2f}) of {topic}, the one topic the story names by its title: {target}")

    def _question_continues(
        self, decision: Decision, ranked: list[Candidate], state: ConversationState, thresholds: Thresholds,
        in_context: Callable[..., list[Candidate]] | None, asked: Callable[[], str] | None,
    ) -> Decision | None:
        """Answer the last topic when a message of several sentences falls back but its short question is sure of it.

        After the triggers, "does coffee count? I drink like five cups a day" falls back as a whole (the cups
        resemble questions about something else), while "does coffee count?", read in the conversation, is the
        triggers' question. Only the last topic is answered so, and not when the message names another subject or
        what no answer covers anywhere ("My mother also has myasthenia gravis. Is Botox safe with that?").
        """
        last = state.last_intent
        if decision.kind != "fallback" or last not in self.topical or in_context is None or asked is None:
            return None
        if ranked and (ranked[0].subject or ranked[0].unanswered or ranked[0].story_other):
            return None
        question = asked()
        if not question or len(question.split()) > MAX_FOLLOWUP_WORDS:
            return None
        full = decide(in_context(question), thresholds)
        top = full.candidates[0] if full.kind == "answer" else None
        if top is None or top.intent != last or top.subject or top.unanswered:
            return None
        return Decision("answer", full.candidates, f"{full.reason}: the question {question!r}, read as part of the "
                        f"conversation, continues the last topic {last}")

    def _still_urgent(self, words: str, decision: Decision, state: ConversationState) -> Decision | None:
        """Give the urgent-care answer again to a question or doubt right after an alarm that no topic answers for sure.

        "it's stopped now, do i still need to go in?", "he says it's just his spasm, could it be?" or "she's talking
        normally though" after a red flag doubts whether the urgent advice still holds: it does. A message a topic
        answers for sure ("what causes hfs?") or small talk ("thanks") is left as it is, and so is what asks nothing
        ("ok, calling now": see Bot.reply).
        """
        if self._urgent is None or not state.alarmed or not questions_alarm(words):
            return None
        # A question a topic answers ("what causes hfs?"), or small talk, is left as it is; not a doubt that only
        # resembles a topic ("she's talking normally though" is no question about what makes the spasms worse).
        top = decision.candidates[0] if decision.kind == "answer" else None
        # Small talk that asks ("it's easing off now, do I still need to go?" resembles a goodbye, "he's answering me
        # now. do I still call?" a question about the bot) is a doubt too; thanks and goodbyes that ask nothing are not.
        # So is asking whether it is normal: "is that normal?" asks about what the alarm was about.
        said = words.split()
        doubt = top is not None and (
            not _DISMISSES_ALARM.isdisjoint(said) or _QUESTIONS_SIGNS.search(words) is not None
            or ((same := self.aspect(words)) is not None and same[0] in self._same_topic_aspects)
            or (top.intent in self.small_talk and (asks(words) or not _ASKING_VERBS.isdisjoint(said)))
            or (top.intent not in self.small_talk
                and ((top.score < UNSURE_SWITCH and not asks(words)) or _PUTS_OFF.search(words) is not None)))
        if (top is not None and not doubt) or len(said) > MAX_URGENT_WORDS:
            return None
        return Decision("answer", (Candidate(self._urgent, 1.0, words),), f"a question or doubt right after the "
                        f"urgent-care answer that no topic answers for sure: {self._urgent} again")

    def _told_then_what_is(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
        asked: Callable[[], str] | None,
    ) -> Decision | None:
        """Answer what it is for a story of ours whose question is only "what is it?", with no topic before.

        "my nan keeps winking at people on one side, it's hfs apparently. what is it then" describes or names our
        condition and asks what it is; a story about something else (one naming another subject anywhere, or with
        too few of our words) does not. A story the bot is sure is about one topic asks that topic's definition
        ("the doctor mentioned phenytoin. what is it"), or that names all the title terms of one topic only ("pharmacist
        gave me dilantin for face spasm. what is it exactly"), otherwise the main topic's, as "what is this condition?"
        does.
        """
        if not self._defines or self._main is None or asked is None or state.last_intent in self.topical:
            return None
        if state.pending or not ranked:
            return None
        question = _THAT.sub("this", asked())
        condition = _WHAT_CONDITION.fullmatch(question) is not None
        if not condition and not _WHAT_IS.fullmatch(question):
            return None
        top = ranked[0]
        if top.subject or top.story_other or top.unanswered or top.story_evidence < STORY_MIN_EVIDENCE:
            return None
        sure = decision.candidates[0].intent if decision.kind == "answer" and not condition else None
        if sure in self.small_talk and self.words_of_small_talk(words.replace(question, " ")):
            return None  # "hi, who made this program and what is it?" asks about the chat
        about = sure if sure in self.topical else self._main
        if about == self._main and not condition:
            # The one topic whose title terms the story names all of: "pharmacist gave me dilantin for face spasm.
            # what is it exactly" asks what phenytoin is.
            story = set(self._lexicon.apply(words).split())
            named = [i for i in self.topical if (terms := self._title_terms[i]) and terms <= story]
            about = named[0] if len(named) == 1 else about
        target = self._followups.get(about, {}).get(DEFINITION)
        if target is None or target == NO_ANSWER:
            return None
        return Decision("answer", (Candidate(target, 1.0, question),), f"a story about our subject (evidence "
                        f"{top.story_evidence:.1f}) that asks only {question!r}: {target}")

    def _small_talk_about_it(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState, thresholds: Thresholds,
    ) -> Decision:
        """Hold back small talk that is unsure of itself and asks about "it", not "you", right after a topic.

        After Tegretol, "can i just stop it if i don't like it" is not "i don't know what to ask" (help), nor is
        "and if it comes back later after it's gone?" after MVD "i'll come back later" (goodbye). The topics left
        are decided on as usual: "what's the chance it comes back later on?" is the operation's success rate.
        """
        top = decision.candidates[0] if decision.kind == "answer" else None
        if top is None or top.intent not in self.small_talk or top.score >= SMALL_TALK_DOUBT:
            return decision
        said = set(words.split())
        if state.last_intent not in self.topical or "it" not in said or not said.isdisjoint(("you", "your")):
            return decision  # "can i trust your info, is it checked by a doctor?" asks about the chat
        why = f"unsure small talk about 'it' right after {state.last_intent}, below {SMALL_TALK_DOUBT:.2f}"
        topics = decide([c for c in ranked if c.intent not in self.small_talk], thresholds)
        if topics.kind != "fallback":
            return replace(topics, reason=f"{topics.reason}; {why}, left out")
        return Decision("fallback", decision.candidates, f"{decision.reason}; {why}: not taken for small talk")

    def _last_said(self, words: str, decision: Decision, ranked: list[Candidate], thresholds: Thresholds) -> Decision:
        """Answer the leave-taking a short message of two kinds of small talk ends with ("thanks, bye")."""
        said = self._lexicon.apply(words).split()
        pair = ranked[:2]
        # The leave-taking after thanks may score a little short ("cheers, night").
        floor = thresholds.min_confidence - CONTEXT_ALLOWANCE
        if (len(said) > MAX_CLOSING_WORDS or len(pair) < 2 or pair[0].score < thresholds.min_confidence
                or any(c.intent not in self.small_talk or c.score < floor for c in pair)):
            return decision

        first, second = pair
        owns = [set(self._lexicon.apply(normalise(c.pattern)).split()) for c in pair]
        if any(word not in self._chat_words and word not in CLOSING_FILLER for word in said):
            return decision  # "who made this chatbot" is not two things said
        # It ends with the leave-taking: its word last, or before "you" or "for now" ("thanks, see you", "thank you,
        # goodbye for now"), whatever patterns share.
        kept = len(said)
        while kept > 1 and said[kept - 1] in _AFTER_LEAVING:
            kept -= 1
        last = said[kept - 1]  # "thank ya" ends with "thank": "ya" is in "see ya", but no leave-taking alone
        ends = last in LEAVE_TAKING
        if not (ends and second.intent in self.leaving) and (
                last not in owns[1] or last in owns[0] or owns[1].isdisjoint(LEAVE_TAKING)):
            return decision
        if second.score < thresholds.min_confidence and said[-1] not in LEAVE_TAKING:
            return decision  # a little short, it must end with the leave-taking itself
        return Decision("answer", (second, first), f"{second.intent} and {first.intent} both fit; the message ends "
                        f"with {second.intent} ({second.pattern!r})")

    def words_of_small_talk(self, words: str) -> bool:
        """Tell whether a normalised message has a word only small talk uses ("cheers for the help", not "a lot")."""
        return not self._small_talk_words.isdisjoint(self._lexicon.apply(words).split())

    def _chat_only(self, words: str, decision: Decision) -> Decision:
        """Answer a "did you mean" between taking leave and other small talk: the leave-taking if named, else the other.

        "cool thx bye" is goodbye: asking whether it was thanks or goodbye helps nobody. Without a leave-taking word,
        only a message made of small talk's own words is answered so ("ok taking her now" is neither).
        """
        if decision.kind != "clarify" or any(c.intent not in self.small_talk for c in decision.candidates):
            return decision
        leaving = next((c for c in decision.candidates if c.intent in self.leaving), None)
        if leaving is None:
            return decision  # "what is this chat exactly": what the chat is, or how to use it
        said = self._lexicon.apply(words).split()
        if not LEAVE_TAKING.isdisjoint(said):
            chosen = leaving
        elif all(word in self._chat_words or word in CLOSING_FILLER for word in said):
            # With no leave-taking word, what takes no leave: "nice one ta" thanks ("ta ta" is goodbye).
            chosen = next((c for c in decision.candidates if c.intent not in self.leaving), decision.candidates[0])
        else:
            return decision
        return Decision("answer", (chosen,), f"{decision.reason}; small talk only: {chosen.intent}")

    def _doubted(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
    ) -> Decision | None:
        """Answer the last topic again when a message doubts it ("are you sure?"), unless it asks another topic.

        Pushing back with what one read or thought doubts it too: "but the internet says they stop in sleep".
        """
        last = state.last_intent
        doubt = _DOUBT.search(words) is not None
        if last not in self.topical or not (doubt or _PUSHBACK.match(words)):
            return None
        if not doubt and ranked and ranked[0].unanswered:
            return None  # "my gp says there is a 9 month wait, should i go private" asks what no answer covers
        if not doubt and decision.kind == "clarify" and all(c.intent != last for c in decision.candidates):
            return None  # "the GP said botox might help her. how does that work" asks about what it names
        top = decision.candidates[0].intent if decision.kind == "answer" else None
        bare = doubt and all(t in FILLER for t in _DOUBT.sub(" ", words).split())  # "so is that a yes or a no?"
        if top is not None and top != last and top in self.topical and not bare:
            return None  # "are you sure it is not dangerous?" after Botox asks about the condition
        return Decision("answer", (Candidate(last, 1.0, words),), f"doubts the last answer ({last}): given again")

    def aspect(self, words: str, *, loose: bool = False) -> tuple[str, float, str] | None:
        """Return (aspect, score, phrasing) when a normalised message is an elliptical follow-up, else None.

        Elliptical means short, with no word of its own beyond aspect phrasings and filler, at least
        one aspect word, and close to one phrasing that has all its aspect words: "and the side effects",
        "is it safe"; not "what does recovery involve", which is no one phrasing ("what does it involve").
        ``loose`` also takes a message with the same words of its own as a phrasing in other filler ("is that
        safe though" for "is it safe"), when no phrasing is close enough.
        """
        if self._defines and _WHAT_IS.fullmatch(words):
            return DEFINITION, 1.0, words
        words = _SHOULD_KNOW.sub("", words)  # "any side effects i should know about" asks for the side effects
        # "at my age? im 67", "is 600mg the max"; "is it any good for hfs"
        tokens = self._for_the_condition([t for t in words.split() if not _numeric(t)])
        if not self._phrasings or sum(t not in FILLER for t in tokens) > MAX_FOLLOWUP_WORDS:
            return None
        if all(t in FILLER for t in tokens) or not all(self._known(t) or self._soft(t) for t in tokens):
            return None
        # The phrasings that have each word of its own (at least one is, as checked above) in one of the
        # spellings it may be: itself, or the longer words it is a typo of. A pronoun, our symptom or a part of the
        # face need not be in the phrasing ("what dose would she start on", "how long for the spasms to stop", "will
        # the eyelid go back to normal"), unless it is all the message says besides filler ("he is 82").
        own = [t for t in tokens if t not in FILLER]
        having = [
            frozenset().union(*(self._using.get(f, frozenset()) for f in self._spellings(t)))
            for t in ([t for t in own if not self._soft(t)] or own)
        ]
        said = " ".join(tokens)  # without its numbers: "i am 78" is "i am"
        meant = [self._spellings(t) for t in own if not self._soft(t)]
        best: tuple[str, float, str] | None = None
        best_key: tuple[bool, float] = (False, 0.0)
        for n in sorted(frozenset.intersection(*having)):
            phrasing, aspect = self._phrasings[n]
            in_order = fuzz.token_sort_ratio(said, phrasing)
            if not loose and (100 + in_order) / 200 < max(MIN_ASPECT_SCORE, best_key[1]):
                continue  # even a full token_set_ratio could not make it close, or better than the best
            score = (fuzz.token_set_ratio(said, phrasing) + in_order) / 200
            close = score >= MIN_ASPECT_SCORE
            if not close and loose and meant and not (best_key[0] and score <= best_key[1]):
                # The same words of its own as the phrasing, in other filler ("is that safe though" ~ "is it safe").
                # Not a choice for a question that is none: "so which is better" is not "will it get better".
                theirs = self._own_words[n]
                same = all(not m.isdisjoint(theirs) for m in meant) and all(any(w in m for m in meant) for w in theirs)
                close = same and ("which" in tokens) == ("which" in phrasing.split())
            key = (close, score)
            if best is None or key > best_key:
                best, best_key = (aspect, max(score, MIN_ASPECT_SCORE) if key[0] else score, phrasing), key
        return best if best is not None and best[1] >= MIN_ASPECT_SCORE else None

    def agreed(self, state: ConversationState) -> Decision | None:
        """Return the decision for "yes" to a pending "did you mean": its one option, or the options again."""
        pending = state.pending
        if not pending or not all(o.intent in self._ids for o in pending):
            return None
        options = tuple(Candidate(o.intent, o.confidence, "") for o in pending)
        if len(options) == 1:
            return Decision("answer", options, f"'yes' to the did you mean: its one option, {options[0].intent}")
        return Decision("clarify", options, f"'yes' to a did you mean of {len(options)} options: offered again")

    def names_topic(self, words: str, intent: str) -> bool:
        """Tell whether normalised ``words`` name a topic by a lexicon term of its title."""
        return not self._title_terms.get(intent, frozenset()).isdisjoint(self._lexicon.apply(words).split())

    def follows_on(self, intent: str, other: str) -> bool:
        """Tell whether ``other`` is ``intent`` itself or one of its follow-ups (Botox's risks, MVD's recovery)."""
        return other == intent or (other != NO_ANSWER and other in self._followups.get(intent, {}).values())

    def leads_on(self, words: str, intent: str, other: str) -> bool:
        """Tell whether a normalised question about ``other`` leads on from ``intent`` by naming it or its aspect.

        After Botox, "how risky is it" asks for the risks and "is there a wait for the operation" names the
        operation; "does the nhs pay for it" names neither, so it is still about Botox.
        """
        if not self.follows_on(intent, other):
            return False
        if self.names_topic(words, other):
            return True
        aspect = self.question_aspect(words)
        return aspect is not None and self._followups.get(intent, {}).get(aspect) == other

    def question_aspect(self, words: str, state: ConversationState | None = None, answer: str = "") -> str | None:
        """Return the aspect a normalised question asks about its topic, if any.

        Its aspect and filler words, read as an elliptical follow-up: "what are the risks of botox" asks
        about risks, "how well does mvd work" about success, "what is botox" about no aspect. In the
        conversation ``state``, a message that only names another subject ("and for the op?") asks the last aspect
        again when its ``answer`` is one that aspect leads to (the operation's risks).
        """
        found = self._asked_phrasing(words)
        if found is not None:
            return found[0]
        aspect = state.last_aspect if state is not None else None
        named = _and_what_about(words)
        if (aspect is not None and named and not any(self._known(t) for t in named)
                and answer in self._targets.get(aspect, ())):
            return aspect
        return None

    def _asked_phrasing(self, words: str) -> tuple[str, float, str] | None:
        """Return (aspect, score, phrasing) of a normalised question's aspect and filler words, read as a follow-up."""
        kept = " ".join(t for t in words.split() if self._known(t))
        return self.aspect(kept) if kept else None

    def _switched(
        self, words: str, ranked: list[Candidate], state: ConversationState, thresholds: Thresholds,
    ) -> Decision | None:
        """Answer the same aspect of another topic when a short message only names it: "what about surgery?".

        After "what are the risks of the botox injections", "and surgery?" asks about the risks of the
        operation: of the message's close topics, the first with a follow-up for the last aspect answers.
        """
        aspect = state.last_aspect
        named = _and_what_about(words)
        if aspect is None or not named or any(self._known(t) for t in named) or not ranked:
            return None  # no new subject, or an aspect of its own ("what about the risks")
        floor = max(ranked[0].score - SWITCH_SPREAD, thresholds.min_confidence - CONTEXT_ALLOWANCE)
        if any(c.intent == state.last_intent for c in ranked if c.score >= floor):
            return None  # "and facial paralysis?" after the risks of MVD may be one more of them
        for candidate in ranked:
            if candidate.score < floor or candidate.subject:
                break
            target = self._followups.get(candidate.intent, {}).get(aspect)
            if target is None or target == NO_ANSWER or target == state.last_intent:
                continue
            if target == self._followups.get(state.last_intent or "", {}).get(aspect):
                # Its answer to the aspect is the last topic's too ("and vitamins?" after home remedies, when the
                # last question asked what is better): the message asks about the subject it names.
                return Decision("answer", (candidate,), f"{' '.join(named)!r} after a question about {aspect}, "
                                f"which {candidate.intent} and {state.last_intent} both send to {target}: "
                                f"{candidate.intent} itself")
            return Decision("answer", (Candidate(target, candidate.score, candidate.pattern),),
                            f"{' '.join(named)!r} after a question about {aspect}: the {aspect} of "
                            f"{candidate.intent} ({candidate.score:.2f}) is {target}")
        return None

    def _for_another(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
    ) -> Decision | None:
        """Answer the last topic again when a message asks the same for someone else: "and for my dad? he's 85".

        Not when what follows is long enough to be a question of its own, or is one that gets an answer alone,
        or names what no answer covers or another subject ("and my wife, she is pregnant").
        """
        last = state.last_intent
        found = _FOR_ANOTHER.match(words)
        if last is None or last not in self.topical or found is None:
            return None
        rest = words[found.end() :].split()
        asked = self.aspect(" ".join(rest), loose=True) if rest else None
        target = self._followups.get(last, {}).get(asked[0]) if asked else None
        if asked and target and target != NO_ANSWER:
            # "what about for someone her age?" after the risks asks who the operation suits.
            return Decision("answer", (Candidate(target, asked[1], asked[2]),), f"{found.group(0)!r} asks the "
                            f"follow-up {asked[0]!r} ({asked[2]!r}) of the last topic {last} for someone else: "
                            f"{target}")
        telling = rest and rest[0] not in _ASKS and _ASKING_VERBS.isdisjoint(rest)  # "he's got a twitch too"
        if (len(rest) > MAX_FOLLOWUP_WORDS and not telling) or (rest and decision.kind == "answer"):
            return None
        if ranked and (ranked[0].unanswered or ranked[0].subject):
            return None
        return Decision("answer", (Candidate(last, 1.0, found.group(0)),),
                        f"{found.group(0)!r} asks the last topic, {last}, for someone else")

    def _same_topic(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
    ) -> Decision | None:
        """Continue the last topic when "and X?" names one more thing its own patterns know best: "and infection?".

        After the MVD risks, "and infection?" ranks the risks first, though "infection" alone resembles
        questions about something else; only the last topic is answered so, never another.
        """
        last = state.last_intent
        named = _and_what_about(words)
        if last is None or decision.kind == "answer" or not named or not ranked:
            return None
        top = ranked[0]
        if top.intent != last or top.subject or top.unanswered:
            return None
        return Decision("answer", (Candidate(last, top.score, top.pattern),),
                        f"{' '.join(named)!r} after {last}, which ranks it first: continues the last topic")

    def _kept(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState,
    ) -> Decision | None:
        """Keep the last topic for a short message about "it" that ranks it close behind another it does not name."""
        last = state.last_intent
        said = words.split()
        if (last not in self.topical or decision.kind != "answer" or len(said) > MAX_KEPT_WORDS
                or REFERS_BACK.isdisjoint(said)):
            return None
        top = decision.candidates[0]
        mine = next((c for c in ranked if c.intent == last), None)
        if (top.intent == last or mine is None or top.subject or top.score - mine.score > KEPT_SPREAD
                or self._names(words, top.intent, besides=last)):
            return None
        return Decision("answer", (mine, top), f"{decision.reason}; it refers back, and the last topic {last} "
                        f"({mine.score:.2f}) is within {KEPT_SPREAD:.2f}: continues the last topic")

    def _named_instead(self, words: str, aspect: str, last: str | None) -> str | None:
        """Return the answer to ``aspect`` of the topic a message names by its title's terms, when not the last one.

        None unless the topics it names, and not the last topic, all lead to the same answer of that aspect.
        """
        story = set(self._lexicon.apply(words).split()) - self._vocab  # not the follow-ups' own words ("dangerous")
        if last is None or not self._title_terms.get(last, frozenset()).isdisjoint(story):
            return None
        named = {i for i in self.topical if (terms := self._title_terms[i]) and not terms.isdisjoint(story)}
        targets = {self._followups.get(i, {}).get(aspect) for i in named}
        target = targets.pop() if len(targets) == 1 else None
        return target if target not in (None, NO_ANSWER, last) else None

    def _owners(self, words: str) -> frozenset[str | None]:
        """Return the intents that have normalised ``words`` as one of their patterns."""
        owner = self._owner.get(words)
        if owner is None:
            return frozenset()
        return self._shared.get(words) or frozenset((owner,))

    def _soft_uncached(self, token: str) -> bool:
        """Tell whether a word is a pronoun, our symptom or a part of the face: it points at what is talked about."""
        return token in PRONOUNS or any(token == w or inflection(token, w) for w in self._soft_words)

    def _for_the_condition(self, tokens: list[str]) -> list[str]:
        """Return a follow-up's words without our condition named as what "it" is for ("is it any good for hfs").

        Only a message that refers back has an "it": "is there a cure for hfs" asks about the condition itself.
        """
        if "for" not in tokens or not self._condition_words or REFERS_BACK.isdisjoint(tokens):
            return tokens
        kept: list[str] = []
        after_for = False
        for token in tokens:
            if after_for and set(self._lexicon.apply(token).split()) <= self._condition_words:
                continue  # "for hemifacial spasm": every word of it
            after_for = token == "for"
            kept.append(token)
        return kept

    def _known_uncached(self, token: str) -> bool:
        if token in self._vocab:
            return True
        return len(token) >= 5 and process.extractOne(
            token, self._long_vocab, scorer=fuzz.ratio, score_cutoff=85) is not None

    def _spellings_uncached(self, token: str) -> frozenset[str]:
        """Return the phrasing words a token may stand for: itself, and in a long one the words it is a typo of."""
        if len(token) < 5:
            return frozenset((token,))
        found = process.extract(token, self._long_words, scorer=fuzz.ratio, score_cutoff=85, limit=None)
        inflected = (w for w in self._vocab if inflection(token, w))  # "works" is "work"
        return frozenset((token, *(w for w, _, _ in found), *inflected))

    def _followup(
        self, words: str, decision: Decision, ranked: Iterable[Candidate], state: ConversationState, max_options: int,
        asked: Callable[[], str] | None = None,
    ) -> Decision:
        # Loosely (the same words in other filler) only right after a topic: alone, "tell me about the risks" is
        # the operation's question, not an elliptical one.
        loose = state.last_intent is not None or bool(state.pending)
        found = self.aspect(words, loose=loose)
        tokens = words.split()
        after = self._afterwards
        if (found is None and after is not None and not AFTERWARDS.isdisjoint(tokens)
                and all(t in FILLER or t in AFTERWARDS for t in tokens)
                and self._followups.get(state.last_intent or "", {}).get(after[0]) not in (None, NO_ANSWER)):
            found = after  # "and after?" after the operation asks about its recovery
        if (found is None and decision.kind != "answer" and not AFTERWARDS.isdisjoint(tokens)
                and state.last_intent is not None):
            # "and how long to get over it afterwards": "afterwards" says only when, of a topic just talked about (a
            # message answered alone keeps its reading: "and if it comes back afterwards?" is the operation's).
            rest = " ".join(t for t in tokens if t not in AFTERWARDS)
            found = self.aspect(rest, loose=loose) if rest else None
        question = asked() if found is None and asked is not None and state.last_intent in self.topical else ""
        if question:
            # "i'm 76 and diabetic. does that rule me out?": only an aspect the last topic answers, as the sentences
            # before may name another topic ("the GP said botox might help her. how does that work").
            found = self.aspect(question, loose=loose)
            answers = self._followups.get(state.last_intent or "", {})
            # Nor one that says only that the last topic goes on: the whole message says more ("I've felt woozy since
            # starting it, no rash. Is that expected?" after Tegretol is about the side effects).
            if found is not None and (answers.get(found[0]) in (None, NO_ANSWER)
                                      or found[0] in self._same_topic_aspects):
                found = None
            named = self._named_instead(words, found[0], state.last_intent) if found is not None else None
            if named is not None and found is not None:
                # "the leaflet also mentions surgery. how risky is that?" after Botox: the operation's risks.
                aspect, score, phrasing = found
                return Decision("answer", (Candidate(named, score, phrasing),), f"follow-up {aspect!r} ({phrasing!r}, "
                                f"{score:.2f}) of what the message names instead of {state.last_intent}: {named}")
        if found is None:
            return decision
        if found[0] in self._same_topic_aspects and state.last_intent is None and not state.pending:
            return decision  # "is that normal?" with no topic before it says nothing of one
        aspect, score, phrasing = found
        last = state.last_intent
        counts = self._targets.get(aspect, Counter())
        allowed = {*counts, last}
        sure = decision.candidates[0].intent if decision.kind == "answer" else None
        # Right after a "did you mean", the topic is one of its options, not the topic before it.
        offered = [self._followups.get(o.intent, {}).get(aspect) for o in state.pending]
        offered = [None if t == NO_ANSWER else t for t in offered]  # an option no answer covers offers nothing
        target = self._followups.get(last, {}).get(aspect) if last and not any(offered) else None
        # A message that is one of the aspect's phrasings word for word asks it of the last topic, whatever
        # else it resembles: after Botox, "what side effects should i look out for" is not about the symptoms.
        # So does one whose answer alone is unsure (below WEAK_ANSWER): after MVD, "and how many actually get rid of
        # the spasms" is its success rate, not the treatments it barely resembles alone.
        exact = target is not None and (score >= EXACT_ASPECT_SCORE or (
            sure is not None and decision.candidates[0].score < WEAK_ANSWER))
        # Small talk that asks about "it" is about the topic: "and if it comes back later" is not "see you later".
        chat = sure not in self.topical and "it" in words.split()
        if (sure is not None and sure not in allowed and not exact and not chat) or self._owners(words) - allowed:
            # The message is another topic's own question ("help" is not "does it help").
            return decision
        if target == NO_ANSWER:
            # "does it hurt" after Botox: its answer says nothing of pain, and no other answer is about Botox.
            return Decision("fallback", decision.candidates, f"follow-up {aspect!r} ({phrasing!r}, {score:.2f}) of "
                            f"the last topic {last}, which no answer covers")
        if target is not None:
            return Decision("answer", (Candidate(target, score, phrasing),),
                            f"follow-up {aspect!r} ({phrasing!r}, {score:.2f}) of the last topic {last}: {target}")
        if sure is not None and sure == last:
            # The last topic has no such follow-up, and the message alone is about it: "what else can cause it"
            # after other causes.
            return Decision("answer", decision.candidates, f"{decision.reason}; the last topic {last} has no "
                            f"follow-up {aspect!r}, and the question alone answers it")
        bare = set(phrasing.split()) <= BARE_WORDS or phrasing in self._told_phrasings
        if last is None and not state.pending and bare:
            return decision  # "i'm 78" or "my eye is a bit dry" says something only about a topic already talked about
        # Not right after a "did you mean", when the message alone is unsure of the answer: "does it usually get
        # better?" then asks its options; "will the twitching ever go away" still asks about the outlook.
        unsure = any(offered) and sure is not None and decision.candidates[0].score < WEAK_ANSWER
        if sure is not None and not unsure and self._followups.get(self._main or "", {}).get(aspect) == sure:
            # "is there a cure?" first, or after a topic without that follow-up: about the condition itself,
            # which is also what its own words match best.
            where = f"after {last}, which has no follow-up {aspect!r}," if last else "with no earlier topic"
            return Decision("answer", decision.candidates, f"{decision.reason}; an elliptical {aspect!r} question "
                            f"{where} is about the main topic {self._main}, which {sure} answers")
        scores = {c.intent: c.score for c in ranked}
        if any(offered):
            # Right after a "did you mean", the topic is one of its options: "how long does it last" after
            # Botox or the pills asks how long Botox lasts.
            counts = Counter(t for t in offered if t is not None)
            context = "the did you mean offered " + ", ".join(o.intent for o in state.pending)
        else:
            context = f"the last topic {last} has no follow-up {aspect!r}" if last else "there is no earlier topic"
        # A topic whose follow-up no answer covers (NO_ANSWER) counts as one more reading, but is never offered.
        ordered = sorted(counts, key=lambda t: (-scores.get(t, 0.0), -counts[t], t))
        targets = [t for t in ordered if t != NO_ANSWER][:max_options]
        if not targets:
            return decision
        if len(ordered) == 1:
            return Decision("answer", (Candidate(targets[0], score, phrasing),),
                            f"elliptical {aspect!r} question and {context}; only {targets[0]} answers it")
        if last is not None and last in self.topical and not any(offered):
            # "is it painful" right after a topic that has no answer about pain asks about that topic: the
            # answers about the pain of other topics would not answer it.
            return Decision("fallback", decision.candidates, f"elliptical {aspect!r} question ({phrasing!r}, "
                            f"{score:.2f}) about the last topic {last}, which has no follow-up {aspect!r}")
        return Decision("clarify", tuple(Candidate(t, score, phrasing) for t in targets),
                        f"elliptical {aspect!r} question ({phrasing!r}, {score:.2f}) and {context}")

    def _continued(
        self, words: str, decision: Decision, ranked: list[Candidate], state: ConversationState, thresholds: Thresholds,
        in_context: Callable[..., list[Candidate]] | None,
    ) -> Decision:
        """Answer the last topic when a message is a close call that offers it, or a short one falls a little short.

        A "did you mean" between topics one of which was just answered is about that one, at any length ("Doctor
        give him 600 mg every day. Is this the normal dose for long time?" after phenytoin), unless the message
        names it again ("is mvd surgery dangerous" after "what is mvd" may ask about the risks) or names another
        of them by a title word the last topic's title lacks ("and with the surgery how many get better" after
        Botox): after "what is tegretol", "is 600 mg the most i can take" (carbamazepine or phenytoin) asks about
        carbamazepine. A short one that uses a word of one aspect only goes where that aspect leads from the last
        topic, when that is one of them ("and what are the risks for someone her age" after who can have MVD).
        A message that falls a little short of min_confidence and leads with the last topic continues it:
        after "what is tegretol", "asian descent?" asks about its gene test; so does one that refers back and, so
        lowered, is a close call the last topic leads. The message is ranked
        ``in_context`` when given: after "what is recovery like after mvd", "when can i drive" is not lowered
        for resembling "can i drive if i have epilepsy". Only the last topic gains by it: answering any topic
        so would answer far more unrelated questions asked mid-conversation. A message that refers back
        ("what is clonazepam, does it help?" after the pills) may get another topic, at the full min_confidence.
        """
        last = state.last_intent
        if last is None:
            return decision
        if len(words.split()) > MAX_FOLLOWUP_WORDS and decision.kind != "clarify":
            return self._longer_continued(words, decision, state, thresholds, in_context)
        if decision.kind == "clarify":
            chosen = next((c for c in decision.candidates if c.intent == last), None)
            if chosen is None:
                # A message in follow-up words only, naming no subject, that offers one topic following from the
                # last: after the operation, "what are the chances it works".
                related = set(self._followups.get(last, {}).values())
                near = [c for c in decision.candidates if c.intent in related]
                if len(near) == 1 and all(self._known(t) for t in words.split() if not _numeric(t)):
                    return Decision("answer", (near[0],), f"{decision.reason}; of the close topics, only "
                                    f"{near[0].intent} is a follow-up of the last topic {last}")
                return decision
            if self._names(words, last):
                return decision
            said = words.split()
            led = [(c, a) for c in decision.candidates if c.intent != last
                   for a, target in self._followups.get(last, {}).items()
                   if target == c.intent and not self._aspect_words[a].isdisjoint(said)
                   ] if len(said) <= MAX_KEPT_WORDS else []
            if len(led) == 1:
                # A short message with a word only one aspect uses asks for that aspect, which after the last topic
                # leads to another of the close topics: after who can have the operation, "and what are the risks for
                # someone her age" asks for its risks.
                (chosen, aspect), = led
                return Decision("answer", (chosen,), f"{decision.reason}; of the close topics, {chosen.intent} answers "
                                f"its {aspect!r} after the last topic {last}")
            if any(self._names(words, c.intent, besides=last) for c in decision.candidates if c.intent != last):
                # "and with the surgery, how many get better" after Botox names the other topic, not the last.
                return decision
            return Decision("answer", (chosen,), f"{decision.reason}; of the close topics, {last} continues the "
                            "last topic")
        if decision.kind != "fallback":
            return decision
        if in_context is not None:
            ranked = in_context()
        back = not REFERS_BACK.isdisjoint(words.split())
        if last in self.topical:
            # A message that refers back ("what is clonazepam, does it help?") is about our subject, as the topic
            # before it was: ranked so, it may get another topic's answer when it is sure of one. So may one that
            # names a lexicon term of that topic's title ("Botox can help him?" after the other causes).
            full = decide(ranked, thresholds)
            top = full.candidates[0] if full.kind == "answer" else None
            if (top is not None and top.intent != last and top.intent in self.topical and not top.subject
                    and (back or self.names_topic(words, top.intent))):
                why = f"it refers back to the last topic {last}" if back else f"it names {top.intent} by its title"
                return Decision("answer", full.candidates, f"{full.reason}, read as part of the conversation about "
                                f"our subject: {why}")
        relaxed = decide(ranked, _allowed(thresholds))
        top = relaxed.candidates[0] if relaxed.kind == "answer" else None
        if (relaxed.kind == "clarify" and relaxed.candidates[0].intent == last and back
                and not any(self._names(words, c.intent, besides=last) for c in relaxed.candidates[1:])):
            # A close call led by the last topic, in a message that refers back to it and names no other of the close
            # topics: after the triggers, "so stress is the cause of it?" asks about them, not about the cause.
            top = relaxed.candidates[0]
        if top is None or top.intent != last or top.subject:
            return decision
        return Decision("answer", (top,), f"{relaxed.reason}, within {CONTEXT_ALLOWANCE:.2f} of min_confidence "
                        f"{thresholds.min_confidence:.2f}, and continues the last topic")

    def _longer_continued(
        self, words: str, decision: Decision, state: ConversationState, thresholds: Thresholds,
        in_context: Callable[..., list[Candidate]] | None,
    ) -> Decision:
        """Answer the last topic for a longer message that refers back and, read in context, leads with it.

        Within CONTEXT_ALLOWANCE of min_confidence, as a short message may: after phenytoin, "my gums look a bit puffy,
        could that be from it" falls a little short only for the words of a story.
        """
        last = state.last_intent
        if (decision.kind != "fallback" or in_context is None or last not in self.topical
                or len(words.split()) > MAX_LONGER_WORDS or REFERS_BACK.isdisjoint(words.split())):
            return decision
        full = decide(in_context(), _allowed(thresholds))
        top = full.candidates[0] if full.kind == "answer" else None
        if top is None or top.intent != last or top.subject or top.unanswered:
            return decision
        return Decision("answer", full.candidates, f"{full.reason}, within {CONTEXT_ALLOWANCE:.2f} of min_confidence "
                        f"{thresholds.min_confidence:.2f}, read as part of the conversation about our subject: it "
                        f"refers back to the last topic {last}")

    def _names(self, words: str, intent: str, besides: str | None = None) -> bool:
        """Tell whether normalised ``words`` use a word of an intent's title that says more than filler.

        With ``besides``, only the title words that intent's title lacks count; a long word may be misspelt
        ("surgry" names "surgery").
        """
        title = self._title_words.get(intent, frozenset())
        if besides is None:
            return not title.isdisjoint(words.split())
        own = title - self._title_words.get(besides, frozenset()) - self._vocab
        return any(w in own or (len(w) >= 5 and process.extractOne(w, own, scorer=fuzz.ratio, score_cutoff=85))
                   for w in words.split())

    def _pick_by_words(self, words: str, pending: tuple[Option, ...], decision: Decision) -> Decision | None:
        """Pick a pending option by its words ("the surgery one"), unless the message is its own question."""
        offered: set[str | None] = {o.intent for o in pending}
        # A new question rarely fits inside an option's title word for word; "help" (another topic's
        # own pattern) is the exception, and stays a new question.
        if self._owners(words) - offered:
            return None  # another topic's own words ("help")
        if decision.kind == "answer" and decision.candidates[0].intent in offered:
            return None  # a question of its own that is sure of one option ("how does the surgery work")
        content = [t for t in words.split() if t not in PICK_FILLER and t not in ORDINALS]
        if not content or len(content) > MAX_PICK_WORDS:
            return None
        scores = []
        for option in pending:
            title = [t for t in normalise(option.title).split() if t not in FILLER] or normalise(option.title).split()
            # Every word must be in the title: "the surgery one" picks, "can it be cured" does not.
            fit = min(max(fuzz.ratio(w, t) for t in title) for w in content) / 100
            scores.append((fit, option))
        scores.sort(key=lambda s: -s[0])
        best, option = scores[0]
        runner = scores[1][0] if len(scores) > 1 else 0.0
        if best < MIN_PICK_SCORE or best - runner < MIN_PICK_MARGIN or option.intent not in self._ids:
            return None
        return Decision("answer", (Candidate(option.intent, best, words),),
                        f"picked {option.intent} of the did you mean by its words ({best:.2f}; next {runner:.2f})")


class Conversation:
    """One user's conversation with a bot: keeps the state between messages; not thread-safe.

    Examples
    --------
    >>> from chatbot import Bot
    >>> chat = Conversation(Bot.load())
    >>> chat.ask("what is carbamazepine").intent
    'carbamazepine'
    >>> chat.ask("and the side effects?").intent
    'medication_side_effects'
    """

    def __init__(self, bot: Bot, state: ConversationState | None = None) -> None:
        self.bot = bot
        self._state = state or ConversationState()

    @property
    def state(self) -> ConversationState:
        """The state after the last reply."""
        return self._state

    def ask(self, text: str) -> Reply:
        """Reply to one message in this conversation, and remember the new state."""
        reply = self.bot.reply(text, self._state)
        self._state = reply.state
        return reply

    def reset(self) -> None:
        """Forget the conversation so far."""
        self._state = ConversationState()


class SessionStore:
    """Conversation states by session id, bounded in number and idle time; thread-safe.

    At most ``max_sessions`` live at once (the least recently used is evicted first), and a
    session idle for longer than ``max_idle_seconds`` is forgotten. Two messages of the same
    session at the same moment are answered in either order.

    Examples
    --------
    >>> from chatbot import Bot
    >>> store = SessionStore(Bot.load(), max_sessions=100)
    >>> store.ask("alice", "what is mvd").intent
    'mvd_procedure'
    >>> store.ask("alice", "what about the risks?").intent, len(store)
    ('mvd_risks', 1)
    """

    def __init__(
        self, bot: Bot, *, max_sessions: int = 1000, max_idle_seconds: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(max_sessions, bool) or not isinstance(max_sessions, int) or max_sessions < 1:
            raise ValueError(f"max_sessions must be a whole number of at least 1, not {max_sessions!r}")
        idle = max_idle_seconds
        if isinstance(idle, bool) or not isinstance(idle, (int, float)) or not idle > 0:
            raise ValueError(f"max_idle_seconds must be a positive number, not {max_idle_seconds!r}")
        self.bot = bot
        self.max_sessions = max_sessions
        self.max_idle_seconds = float(max_idle_seconds)
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, tuple[ConversationState, float]] = OrderedDict()  # oldest use first

    def ask(self, session_id: str, text: str) -> Reply:
        """Reply to one message of a session, and remember the session's new state."""
        state = self.state(session_id)
        reply = self.bot.reply(text, state)  # outside the lock: sessions do not wait for each other
        with self._lock:
            now = self._clock()
            self._sessions[session_id] = (reply.state, now)
            self._sessions.move_to_end(session_id)
            self._expire(now)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        return reply

    def state(self, session_id: str) -> ConversationState:
        """Return a session's current state (a new one for an unknown or expired session)."""
        with self._lock:
            self._expire(self._clock())
            entry = self._sessions.get(session_id)
        return entry[0] if entry else ConversationState()

    def discard(self, session_id: str) -> None:
        """Forget one session (no error if it is unknown)."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def clear(self) -> None:
        """Forget every session."""
        with self._lock:
            self._sessions.clear()

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._sessions)

    def __contains__(self, session_id: object) -> bool:
        with self._lock:
            self._expire(self._clock())
            return session_id in self._sessions

    def _expire(self, now: float) -> None:
        """Drop sessions idle too long; the caller holds the lock."""
        while self._sessions:
            oldest, (_, used) = next(iter(self._sessions.items()))
            if now - used <= self.max_idle_seconds:
                break
            del self._sessions[oldest]
