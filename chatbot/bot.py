"""The bot: load content once, then answer questions; no I/O after loading."""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .content import KnowledgeBase, load_content
from .conversation import (
    FAREWELL,
    LEAVE_TAKING,
    ContextResolver,
    acknowledgement,
    condition_tail,
    getting_help,
    next_state,
    questions_alarm,
)
from .matcher import Candidate, Matcher
from .policy import Decision, decide
from .reply import ConversationState, Option, Reply
from .safety import Alarm, calming, detect, named_context
from .text import (
    REFERS_BACK,
    after_change_of_subject,
    asks,
    asks_within,
    clean_query,
    corrected,
    normalise,
    question_parts,
    reports,
    split_clauses,
    told_part,
)
from .thresholds import Thresholds

__all__ = ["Bot"]

NEUROLOGIST = "For advice about your own situation, please talk to a neurologist."
FALLBACK_TEXT = (
    "Sorry, I don't have a reviewed answer for that. I can only answer questions about "
    "hemifacial spasm and its treatments: type 'help' to see the topics, or try other words. "
    + NEUROLOGIST
)
EMPTY_TEXT = "Please type a question about hemifacial spasm, for example: what is hemifacial spasm?"
MORE = "If you have another question about hemifacial spasm, just ask, or type 'help' to see the topics."
#: Replies to a message that only acknowledges ("ok", "i see") or reacts ("that's scary"): kind "fallback".
ACKNOWLEDGED_TEXT = f"All right. {MORE} {NEUROLOGIST}"
WORRIED_TEXT = f"It's natural to feel worried. Your neurologist can explain what this means for you. {MORE}"
#: The reply to a message that asks nothing right after the urgent-care reply ("ok, calling 999"): kind "fallback".
ALARMED_TEXT = ("All right. If the signs come back or get worse, or you are unsure, call your local emergency number "
                "straight away.")
#: What may follow a greeting that asks nothing and is still only a hello ("hi, my nana is sat next to me"): a
#: longer story is the question, however it asks ("Namaste sir. I am 52 ... Kindly tell what type of doctor").
MAX_GREETED_WORDS = 15
#: An opener intent's patterns of at most this many words are what a message may open with ("hi there, ...").
MAX_OPENER_WORDS = 2
#: Reactions a question may open with ("Okay, and how long does it last?", "Alright. Remind me ...", "lol ok. but
#: why"), read like an opening greeting. Not "yes" or "no" (an answer to a "did you mean"), nor words that may start
#: the question itself ("right side of my face", "fine lines", "cool compress").
REACTION_OPENERS = (
    "ok", "okay", "k", "alright", "all right", "hmm", "oh", "ah", "i see", "got it",
    "lol", "lmao", "haha", "hahaha", "wow", "great", "fair enough",
)
#: Requests a question may open with in place of asking ("describe the side effects", "give me info on tegretol"):
#: what follows is the question, with or without a "?". One or more of them open it ("give me" then "info on").
REQUEST_OPENERS = (
    "tell me", "tell me about", "tell me more about", "explain", "explain to me", "explain me", "describe", "list",
    "give me", "give me information about", "show me",
    "i want details of", "i want info on", "i need info on", "info on", "information on", "details of",
    "help me understand", "can you explain", "could you explain", "please explain", "please tell me",
)
#: Where a message of thanks is split into its parts, beside its clauses: "goodbye and thank you".
_AND = re.compile(r"\band\b")
#: Thanks a question may open with, when it asks with a "?" ("ok thanks - also, what's the success rate?"): without
#: one, what follows is most often more thanks ("thanks, will ask the neuro", "thank you for explaining it").
THANKS_OPENERS = ("thanks", "thank you", "thx", "cheers")
THANKS_SET = frozenset(THANKS_OPENERS)


def _opening(spelled: list[str]) -> re.Pattern[str]:
    """Compile a match for one or more of the ``spelled`` openings at the start, each followed by a break."""
    alternatives = "|".join(r"\W+".join(map(re.escape, k.split())) for k in spelled)
    return re.compile(rf"^(?:\W*(?:{alternatives})(?![a-z0-9])\W*)+", re.IGNORECASE)


def _unaccented(text: str) -> str:
    """Return ``text`` with each letter's accents left out, letter for letter ("xin chào" -> "xin chao")."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in text) if not text.isascii() else text


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: loading makes a great many objects that all stay, so its passes find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Bot:
    """Answers patient questions from a knowledge base; immutable, safe to share between threads.

    Examples
    --------
    >>> bot = Bot.load()
    >>> bot.reply("what is botox").intent
    'botox'
    >>> bot.reply("what is the capital of peru").kind
    'fallback'
    """

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.kb = kb
        self.thresholds = thresholds or kb.thresholds
        self._matcher = Matcher(kb)
        self._context = ContextResolver(kb)
        self._related = lru_cache(maxsize=None)(self._suggestions)  # each answer's suggestions, made once
        self._openers = frozenset(i.id for i in kb.intents if i.opener)
        short = {" ".join(key.split()) for i in self._openers for key in kb.normalised_patterns(i)}
        short |= {variant for key in tuple(short) for variant in kb.lexicon.get(key, ())}  # "xin chao" for "hello"
        spelled = sorted((k for k in short if 0 < len(k.split()) <= MAX_OPENER_WORDS), key=len, reverse=True)
        # One or more of them at the start, each followed by a break: "Hi there! What is Botox?"
        self._opening = _opening(spelled) if spelled else None
        # Thanks in other words the lexicon reads as thanks open a question too: "danke, what is botox?"
        thanking = THANKS_OPENERS + tuple(kb.lexicon.get("thanks", ()))
        self._reacting = _opening(sorted(REACTION_OPENERS + thanking, key=len, reverse=True))
        self._requesting = _opening(sorted(REQUEST_OPENERS, key=len, reverse=True))
        #: The small talk that closes a chat: thanks (a pattern says one of THANKS_OPENERS) and goodbye.
        self._closers = self._context.leaving | {
            i for i in self._context.small_talk if not THANKS_SET.isdisjoint(kb.normalised_patterns(i))}
        self._thanking = re.compile(rf"\b(?:{'|'.join(map(re.escape, thanking))})\b", re.IGNORECASE)
        rules = kb.redflags.rules if kb.redflags is not None else ()
        context = kb.redflags.context if kb.redflags is not None else {}
        #: The red-flag rules that need a group the conversation may have said (redflags.yaml's ``context``).
        self._contextual = frozenset(r.name for r in rules if not context.keys().isdisjoint(r.needs))
        #: The urgent-care answer red flags show, if the content has red flags.
        self._urgent = kb.redflags.response if kb.redflags is not None else None
        #: The context groups that stop a rule (its ``unless_said``): said by the topic just answered, they stop it.
        self._quieting = frozenset(g for r in rules for g in r.unless_said if g in context)
        #: Every group some rule needs ("onset", "surgery"): right after an alarm, a sign told needs none of them again.
        self._every_need = frozenset(g for r in rules for g in r.needs)
        #: The context groups some rule needs: said by the topic just answered, they count for the told part.
        self._needed = frozenset(g for r in rules for g in r.needs if g in context)

    @classmethod
    def load(cls, content: Path | str | None = None, thresholds: Thresholds | None = None) -> Bot:
        """Load a content folder (default: the bundled content); raise ContentError if it is broken.

        ``thresholds`` replaces the content's own (from its settings.yaml).

        Examples
        --------
        >>> from chatbot import Thresholds
        >>> Bot.load().thresholds == Bot.load().kb.thresholds
        True
        >>> Bot.load(thresholds=Thresholds(min_confidence=0.8)).thresholds.min_confidence
        0.8
        """
        with _gc_paused():
            return cls(load_content(content), thresholds)

    def reply(self, text: str, state: ConversationState | None = None) -> Reply:
        """Answer one message, in the context of ``state`` (default: a new conversation); see Reply.state.

        Examples
        --------
        >>> bot = Bot.load()
        >>> first = bot.reply("what is carbamazepine")
        >>> first.kind, first.intent
        ('answer', 'carbamazepine')
        >>> bot.reply("and the side effects?", first.state).intent
        'medication_side_effects'
        >>> bot.reply("").kind
        'fallback'
        """
        state = state if isinstance(state, ConversationState) else ConversationState()
        query = clean_query(text if isinstance(text, str) else "")
        reply = self._reply(query, state)
        if reply.state is state:  # no words, an acknowledgement, "ok calling 999" after an alarm: nothing moves on
            return reply
        # What the messages name that red flags need stays said until a topic is answered (the topic then says what
        # is said): "tegretol is making me dizzy" gets no answer, and "now ive got mouth ulcers and a sore throat"
        # still tells of a reaction to the pills.
        flags = self.kb.redflags
        if flags is None or (reply.kind == "answer" and reply.intent in self._context.topical):
            return reply
        named = state.named | (named_context(flags, query) & self._needed)
        return reply if reply.state.named == named else replace(reply, state=replace(reply.state, named=named))

    def _reply(self, query: str, state: ConversationState) -> Reply:
        """Answer one cleaned message in the context of ``state`` (see Bot.reply), before what it names is kept."""
        words = normalise(query)
        if not words:
            return Reply(query, "fallback", None, 0.0, EMPTY_TEXT, reason="the question has no words", state=state)
        # Safety first: red flags are checked on every input, before any matching.
        alarm = self._alarm(query, state)
        if alarm is not None:
            reply = self.emergency(alarm, query=query)
            return replace(reply, state=replace(next_state(state, reply), alarm_context=alarm.context))
        reaction = acknowledgement(words)
        agreed = self._context.agreed(state) if reaction == "yes" else None
        if agreed is not None:
            reply = self._render(query, agreed)
            return replace(reply, state=next_state(state, reply, topical=self._context.topical))
        if reaction is not None:  # no question, and not thanks either: the conversation stays as it was
            reason = f"an acknowledgement ({reaction}): nothing to answer"
            text = WORRIED_TEXT if reaction == "worried" else ACKNOWLEDGED_TEXT
            return Reply(query, "fallback", None, 0.0, text, reason=reason, state=state)
        opened = self._after_opening(query, state)
        if opened is not None:  # "hi, what is botox?"
            words, ranked, decision, opener = opened
            decision = replace(decision, reason=f"{decision.reason} (after the opening {opener!r})")
        else:
            # "no sorry, I meant the pills" asks what the patient meant: "what about the pills".
            meant = corrected(words)
            asked = query if meant == words else meant
            ranked = self._rank(asked, meant)
            decision = self._decide(meant, ranked, state, asked)
            decision = self._greeted(query, decision)
            decision = self._said_in_passing(query, decision)
        decision = self._asked_no_farewell(query, decision)
        decision = self._calmed(query, decision, state)
        small_talk = decision.kind == "answer" and decision.candidates[0].intent in self._context.small_talk
        # Taking leave without a word of leave-taking ("ok going now", "ok calling now") right after an alarm is no
        # goodbye: it gets the short word that says to call if the signs come back. "ok calling now, bye" is one.
        quiet_leave = (small_talk and decision.candidates[0].intent in self._context.leaving
                       and LEAVE_TAKING.isdisjoint(words.split()))
        if quiet_leave:
            small_talk = False
        # Right after the urgent-care answer given again ("can it wait until the morning?" gets it), a message that
        # would get it a third time and asks nothing ("ok, calling 999 now") is told apart the same way.
        again = self._urgent is not None and state.last_intent == self._urgent and (quiet_leave or (
            decision.kind == "answer" and decision.candidates[0].intent == self._urgent))
        if (state.alarmed or again) and not small_talk and not questions_alarm(words):
            # A sign told right after the urgent-care reply needs nothing more: "mouth droops one side too".
            alarm = self._told_again(query)
            if alarm is not None:
                reply = self.emergency(alarm, query=query)
                return replace(reply, state=replace(next_state(state, reply), alarm_context=state.alarm_context))
            if getting_help(words) or asks(query) or quiet_leave or self._urgent is None:
                # "ok, calling 999" right after the urgent-care reply asks nothing of the signs (nor does a question
                # that doubts nothing, "related to the hfs?"): the conversation stays as it was.
                return Reply(query, "fallback", None, 0.0, ALARMED_TEXT, reason="a message that asks nothing right "
                             "after the urgent-care reply", state=state)
            # One that tells more, asks nothing and gets no help ("he has never had this before", "i'm alone at home")
            # gets the urgent-care answer again.
            decision = Decision("answer", (Candidate(self._urgent, 1.0, words),), "a message that tells more right "
                                f"after the urgent-care reply, and no help being got: {self._urgent} again")
        reply = self._render(query, decision)
        topical = self._context.topical
        aspect = None
        if reply.intent in topical and reply.kind == "answer":
            aspect = self._context.question_aspect(words, state, reply.intent or "")
        after = next_state(state, reply, topical=topical, aspect=aspect)
        if reply.intent == self._urgent:  # the urgent answer again: what the alarm's signs needed stays said
            after = replace(after, alarm_context=state.alarm_context)
        if reply.kind == "fallback" and ranked and ranked[0].unanswered and ranked[0].intent in topical:
            # "how much does botox cost" gets no answer, but the conversation is about Botox now; "is there a waiting
            # list for it" refers back to the topic it was about, unless its own topic follows on from that one.
            # Nor does a message whose close topics include the last one ("will there be a big scar?" after MVD).
            last = state.last_intent
            back = (last in topical and not REFERS_BACK.isdisjoint(words.split())
                    and not self._context.leads_on(words, last, ranked[0].intent))
            # Nor one that names no topic of its own, after a topic ("what's the waiting list like on the NHS?" after
            # MVD ranks the research first only by chance): unless it follows on from the last topic.
            top = ranked[0].intent
            own = (last not in topical or self._context.follows_on(last, top)
                   or self._context.names_topic(words, top))
            if not back and own and last not in {c.intent for c in ranked[:3]}:
                after = replace(after, last_intent=top, last_aspect=None)
        return replace(reply, state=after)

    def _calmed(self, query: str, decision: Decision, state: ConversationState) -> Decision:
        """Give the calm answer instead of the urgent-care one to a message that denies the warning signs.

        "My face has twitched for 4 years, no droop, no weakness. Should I go to A&E?" sets off no red flag: the
        seriousness answer says twitching alone is not an emergency and names the signs that are. Not right after
        the urgent-care answer: "no fever, can we wait till the morning?" still gets it.
        """
        flags = self.kb.redflags
        if (flags is None or flags.calm_response is None or decision.kind != "answer" or state.alarmed
                or state.last_intent == flags.response or decision.candidates[0].intent != flags.response
                or not calming(flags, query)):
            return decision
        top = decision.candidates[0]
        return Decision("answer", (replace(top, intent=flags.calm_response),), f"{decision.reason}; the message "
                        f"denies warning signs: {flags.calm_response} instead")

    def _alarm(self, query: str, state: ConversationState) -> Alarm | None:
        """Return the red flag a cleaned message sets off in the conversation, if any.

        Right after an alarm, what it needed stays said ("and neck stiff" after a leak after the operation). A message
        that tells of something may leave out what the conversation said: the topic just answered ("he has clear fluid
        dripping from his nose" after the operation), the topics a "did you mean" offered, or what an earlier alarm
        needed ("also bruises on my legs" after a rash on Dilantin). What it tells is read so, not what it asks: "ive
        got a red rash, is that from it?" tells of a rash, "what is a csf leak?" asks about a leak.
        """
        flags = self.kb.redflags
        if flags is None:
            return None
        offered = {o.intent for o in state.pending}
        said = {g for g, ids in flags.context.items() if state.last_intent in ids or not ids.isdisjoint(offered)}
        said |= state.named
        # What stops a rule counts from the conversation too: after the symptoms, "is it a stroke?" is about the twitch.
        alarm = detect(flags, query, None, (state.alarm_context if state.alarmed else set()) | (said & self._quieting))
        said = (said | state.alarm_context) & self._needed  # what a rule for the told part alone may need
        if alarm is not None or not said:
            return alarm
        told = query if reports(query) else told_part(query)
        if not told:
            return None
        # Only a rule that needs what the conversation said can fire on the told part alone: any other would have
        # fired on the whole message, which also has what may stop it ("is my twitch a stroke?").
        alarm = detect(flags, told, None, said)
        return alarm if alarm is not None and alarm.rule in self._contextual else None

    def _told_again(self, query: str) -> Alarm | None:
        """Return the red flag a sign told right after the urgent-care reply sets off, whatever the rule needs."""
        flags = self.kb.redflags
        return detect(flags, query, None, self._every_need) if flags is not None else None

    def _decide(self, words: str, ranked: list[Candidate], state: ConversationState, query: str = "") -> Decision:
        """Decide on a ranked message, then in the context of the conversation (``query``: the cleaned message)."""
        decision = decide(ranked, self.thresholds)

        @lru_cache(maxsize=1)  # several readings of the conversation may ask; read the message once
        def asked() -> str:
            parts = question_parts(query) if query else ()
            return normalise(parts[0]) if parts else condition_tail(words)

        def in_context(text: str = words) -> list[Candidate]:
            return self._matcher.rank(text, ours=True)

        return self._context.resolve(words, decision, ranked, state, self.thresholds, in_context, asked)

    def _after_opening(
        self, query: str, state: ConversationState, limit: int = 5,
    ) -> tuple[str, list[Candidate], Decision, str] | None:
        """Return what follows an opening greeting (words, ranking, decision, the greeting), when it is what to answer.

        It is, read in the conversation, when it gets an answer that is not small talk too: "hi, what is botox?"
        is about Botox, "hi bot" and "hi, how are you" are greetings. So is what follows a reaction, when it asks:
        "ok then what's hfs" is about the condition; and what follows a request, when it gets an answer surer than the
        whole message does: "show me the warning signs" asks for the warning signs, not for "show me the list".
        """
        found = self._opening.match(_unaccented(query)) if self._opening is not None else None
        request = False
        if found is None:
            # A reaction opens a question ("ok, and how long does it last?"), not a remark ("ok i feel better").
            found = self._reacting.match(_unaccented(query))
            if found is None or not asks(query[found.end() :]):
                found = self._requesting.match(_unaccented(query))
                if found is None:
                    return None
                request = True
            elif self._thanking.search(found.group()) and not asks_within(query[found.end() :]):
                return None
        words = normalise(query[found.end() :])
        if not words:
            return None
        if self._addressed(query[found.end() :]):
            return None  # "hello doctor" greets (Bot._greeted)
        ranked = self._rank(query[found.end() :], words, max(limit, 5))  # decided on as many as Bot.reply ranks
        decision = self._decide(words, ranked, state, query[found.end() :])
        chat = self._context.small_talk
        if decision.kind == "fallback":
            return None
        top = decision.candidates[0].intent
        # "hey, what can you help with?" asks for help, not another hello: small talk the rest asks and is sure of.
        asked = decision.kind == "answer" and top not in self._openers and asks(query[found.end() :])
        if not asked and not chat.isdisjoint(c.intent for c in decision.candidates):
            return None
        if request:
            if decision.kind != "answer":
                return None
            whole = normalise(query)
            alone = self._decide(whole, self._rank(query, whole, max(limit, 5)), state, query)
            if alone.kind == "answer" and alone.candidates[0].score >= decision.candidates[0].score:
                return None
        return words, ranked[:limit], decision, query[: found.end()].strip()

    def _greeted(self, query: str, decision: Decision) -> Decision:
        """Answer the greeting a message opens with when the short rest asks nothing and gets no answer of its own.

        "hi my nana is sat next to me, she cant hear well so im typing" says hello; the question comes next.
        """
        found = self._opening.match(_unaccented(query)) if self._opening is not None else None
        rest = query[found.end() :] if found is not None else ""
        if found is None or asks(rest) or len(rest.split()) > MAX_GREETED_WORDS:
            return decision
        if decision.kind == "answer" and not self._addressed(rest):
            return decision
        opening = self._matcher.rank(normalise(found.group()), limit=1)
        if not opening or opening[0].intent not in self._openers:
            return decision
        return Decision("answer", (replace(opening[0], score=1.0),), f"the opening {found.group().strip()!r}, and "
                        "what follows asks nothing and gets no answer of its own")

    def _addressed(self, rest: str) -> bool:
        """Tell whether what follows a greeting is everyday words only (the lexicon's filler) and asks nothing."""
        said = normalise(rest).split()
        return bool(said) and all(w in self.kb.filler for w in said) and not asks(rest)  # "hello doctor"

    def _asked_no_farewell(self, query: str, decision: Decision) -> Decision:
        """Leave goodbye out of a "did you mean" for a message that asks: it takes no leave.

        "and how often does it come back later on?" asks about the operation, not "see you later". (Thanks stays:
        "thanks, and what triggers it?" may be either.)
        """
        if decision.kind != "clarify" or not asks(query):
            return decision
        kept = tuple(c for c in decision.candidates if c.intent not in self._context.leaving)
        if not kept or len(kept) == len(decision.candidates):
            return decision
        reason = f"{decision.reason}; a message that asks takes no leave"
        return Decision("answer", kept, reason) if len(kept) == 1 else Decision("clarify", kept, reason)

    def _said_in_passing(self, query: str, decision: Decision) -> Decision:
        """Answer the thanks or goodbye one clause of a message that asks nothing says alone, whatever the rest gets.

        "Right, I'll ring the insurer tomorrow. Cheers for the help, genuinely." thanks; "This has been helpful.
        Cheerio, I've got bread in the oven." takes leave, and so does "calling 911 now, bye". Goodbye comes first,
        then the last clause that is sure thanks. A message the whole of which thanks takes leave in its last part, or
        in a part that says farewell: "right, thanks, bye" and "goodbye and thank you" do, "ok calling now, thanks" and
        "thats all of them, thank you dear" thank.
        """
        closing = decision.candidates[0].intent if decision.kind == "answer" else None
        if closing in self._context.leaving or asks(query):
            return decision
        thanked = closing in self._closers
        clauses = split_clauses(query)  # "calling 911 now, bye"
        if thanked:  # "goodbye and thank you": its parts
            clauses = [p for c in clauses for p in _AND.split(c) if p.strip()]
        if len(clauses) < 2:
            return decision
        said = clauses
        if thanked:  # a farewell anywhere, or else what it ends with
            said = [p for p in clauses if not FAREWELL.isdisjoint(normalise(p).split())] or clauses[-1:]
        found: list[tuple[Candidate, str]] = []
        for clause in reversed(said):
            words = normalise(clause)
            leaves = thanked and not LEAVE_TAKING.isdisjoint(words.split())
            if not (leaves or self._context.words_of_small_talk(words)):
                continue  # "that seems like a lot" is not "thanks a lot"; after thanks, "see you" takes leave
            alone = self._decide(words, self._rank(clause, words), ConversationState(), clause)
            if alone.kind == "answer" and alone.candidates[0].intent in self._closers:
                found.append((alone.candidates[0], clause))
        if not found:
            return decision
        # Taking leave anywhere closes the chat: "Thanks for all this. Bye now, the bus is here."
        top, clause = next((f for f in found if f[0].intent in self._context.leaving), found[0])
        return Decision("answer", (top,), f"{decision.reason}; a message of {len(clauses)} clauses that asks "
                        f"nothing says {top.intent} in one ({clause!r})")

    def candidates(self, text: str, *, limit: int = 5) -> list[Candidate]:
        """Return the matcher's ranking of a question, best first, before any decision (red flags aside).

        Examples
        --------
        >>> Bot.load().candidates("what is botox", limit=1)[0].intent
        'botox'
        """
        query = clean_query(text if isinstance(text, str) else "")
        words = normalise(query)
        if not words:
            return []
        opened = self._after_opening(query, ConversationState(), limit)  # as Bot.reply reads "hi, what is botox?"
        return opened[1] if opened is not None else self._rank(query, words, limit)

    def _rank(self, query: str, words: str, limit: int = 5) -> list[Candidate]:
        """Rank a cleaned message (and ``words``, its normalised form), minding the sentences that ask.

        A message that says its story is not its question ("I have HFS, but that's not why I'm writing.") is
        ranked from there on: the story's words of ours do not make the rest ours.
        """
        asked = after_change_of_subject(query, words)
        if asked != query:
            query, words = asked, normalise(asked)
        focus = [normalise(part) for part in question_parts(query)]
        tail = "" if focus else condition_tail(words)  # "my lip pulls up, what's going on" asks what this is
        return self._matcher.rank(words, limit=limit, focus=focus or ([tail] if tail else []))

    def ranking(self, text: str, *, limit: int = 10) -> tuple[Option, ...]:
        """Return the closest topics for a question with their confidence, best first (no decision made).

        Examples
        --------
        >>> Bot.load().ranking("what is botox", limit=1)[0].intent
        'botox'
        """
        return tuple(self._option(c.intent, c.score) for c in self.candidates(text, limit=limit))

    def _suggestions(self, intent_id: str) -> tuple[Option, ...]:
        return tuple(self._option(r, 0.0) for r in self.kb.responses[intent_id].related)

    def _option(self, intent_id: str, confidence: float) -> Option:
        return Option(intent_id, self.kb.intent(intent_id).title, confidence)

    def _render(self, query: str, decision: Decision) -> Reply:
        if decision.kind == "answer":
            top = decision.candidates[0]
            return self.answer(top.intent, query=query, confidence=top.score, reason=decision.reason)
        if decision.kind == "clarify":
            options = tuple(self._option(c.intent, c.score) for c in decision.candidates)
            lines = [f"{n}. {o.title}" for n, o in enumerate(options, 1)]
            text = "I'm not sure which topic you mean. Did you mean:\n" + "\n".join(lines)
            text += "\nType the number, or ask again in other words."
            return Reply(query, "clarify", None, options[0].confidence, text, options, reason=decision.reason)
        return Reply(query, "fallback", None, 0.0, FALLBACK_TEXT, reason=decision.reason)

    def emergency(self, alarm: Alarm, *, query: str = "") -> Reply:
        """Return the fixed urgent-care reply for a red flag that fired (kind "emergency")."""
        assert self.kb.redflags is not None  # an Alarm only comes from a knowledge base with red flags
        response = self.kb.responses[self.kb.redflags.response]
        intent = self.kb.intent(response.id)
        return Reply(
            query, "emergency", response.id, 1.0, response.text, (), response.sources,
            intent.title, response.reviewed.isoformat(), (), str(alarm),
        )

    def answer(self, intent_id: str, *, query: str = "", confidence: float = 1.0, reason: str = "") -> Reply:
        """Return the curated answer of one intent, as a Reply."""
        intent = self.kb.intent(intent_id)
        response = self.kb.responses[intent_id]
        suggestions = self._related(intent_id)
        return Reply(
            query, "answer", intent_id, confidence, response.text, (), response.sources,
            intent.title, response.reviewed.isoformat(), suggestions, reason or f"asked for {intent_id}",
        )
