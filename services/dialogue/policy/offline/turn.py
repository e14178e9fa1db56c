"""A turn of the offline policy: understand the words, take their facts, the global intents,
then the node's handler; route; speak."""

from __future__ import annotations

import re

from contracts.calls import Node
from contracts.tools import PartOfDay
from services.dialogue.absorb import absorb, carries_facts
from services.dialogue.context import Turn
from services.dialogue.graph import move, route, terminal
from services.dialogue.language import meaning
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.meaning.weigh import ACT_OF, ENDING, needs_reading, weigh
from services.dialogue.policy.offline.answers import note_sentiment
from services.dialogue.policy.offline.booking import offer_slots_now
from services.dialogue.policy.offline.intents import NO_CALLBACK, global_intents
from services.dialogue.policy.offline.nodes import HANDLERS
from services.dialogue.policy.offline.questions import ask, closing_line
from services.dialogue.speech import lines
from services.dialogue.speech.chunker import split_sentences
from services.dialogue.state import CallState

#: what answers a question that is given up on after two asks
ANSWERS = {
    Expect.BOOKING_OFFER: lambda heard: heard.yes or heard.no or heard.has(Intent.BOOK),
    Expect.EMAIL: lambda heard: heard.email,
    Expect.ZIP: lambda heard: heard.zip or heard.city,
    Expect.CALLBACK_TIME: lambda heard: heard.callback,
}


def _answered_else(s: CallState, heard: Heard, facts: bool, said_nothing: bool) -> None:
    """An ask answered with something else the caller had to say ("Dorothea Kavanagh,
    K-A-V-…" when the e-mail address was asked) is not one the caller let pass: it does not
    count towards giving the question up."""
    answers = ANSWERS.get(s.expect)
    key = s.expect.value
    # "is there a catch?": asked back, not let go; once, so a question is never put a third time
    asked_back = heard.question and "?" in heard.text and s.said_asks.get(key, 0) < 3
    if s.asks.get(key, 0) > 0 and (
        said_nothing or (answers is not None and (facts or asked_back) and not answers(heard))
    ):  # (nor is silence: "are you still there?" is asked, not the question again)
        s.asks[key] -= 1


async def offline_turn(turn: Turn) -> None:
    """Take every fact the caller said, then their intents, then what the current node is
    waiting for; route; speak."""
    s = turn.state
    heard = understand(turn.text, s.expect, this_year=turn.deps.clock.now().year)
    facts = carries_facts(heard)
    _answered_else(s, heard, facts, said_nothing=turn.text.strip() in ("", "<silence>"))
    reader = turn.deps.meaning if needs_reading(heard, facts) else None
    reading = await meaning.read(reader, turn.text)
    doubt = weigh(
        heard, reading, s.expect, facts=facts, homeowner_speaking=s.node != Node.WRONG_PERSON
    )
    confirmed = settle_doubt(s, heard)
    if doubt is not None and confirmed is None:
        s.unsure_of = doubt.value  # ask() asks whether they meant it; nothing ends on a guess
        said = await absorb(turn, heard)
        if not terminal(s):
            await speak(turn, None)
            return
        s.unsure_of = None  # what they said ends the call anyway (a gate failed): no question
        move(s, route(s))
        await speak(turn, said)
        return
    note_sentiment(turn, heard)
    if s.flags.capped and (
        heard.intents & DECISIVE or carries_facts(heard) or _new_question(s, heard)
    ):
        # the caller decided, told us something or asked something new this very turn: not
        # a loop; that decides what comes next
        s.flags.capped = None
    if (
        s.expect == Expect.BOOKING_OFFER
        and (heard.days or heard.part_of_day)
        and not heard.no
        and not heard.intents & {Intent.UNSURE, Intent.NOT_INTERESTED, Intent.BAD_TIMING}
    ):
        heard.yes = True  # "Wednesday morning is good": a yes, with a preference (not "I'd like
        # to sleep on it and talk with my son this weekend")
    if READ_IT.search(heard.text) and not ASKS_FOR_IT.search(heard.text):
        # "I read your email": not asking for another (but "I got your brochure; can you send
        # me something I can read over?" is)
        heard.intents.discard(Intent.EMAIL)
    if NO_CALLBACK.search(heard.text):
        heard.intents -= {Intent.CALLBACK, Intent.BOOK}  # "don't put me down for a call back"
    if WANTS_PERSON.search(heard.text) and not heard.has(Intent.AUTHORITY):
        heard.intents.add(Intent.HUMAN)  # "I'd like a person to set it up, not a computer"
    if (
        s.expect in (Expect.BOOKING_OFFER, Expect.PREFERENCE)
        and heard.choice is not None
        and not s.offered
        and not heard.no
    ):
        # "okay, that first one" when no times were said yet: a yes, and any time will do
        heard.yes = True
        heard.part_of_day = heard.part_of_day or PartOfDay.ANY
        heard.choice = None
    if s.expect in (Expect.BOOKING_OFFER, Expect.PREFERENCE) and SOONEST.search(heard.text):
        heard.yes = True  # "what's the soonest you've got?": yes, any time
        heard.part_of_day = heard.part_of_day or PartOfDay.ANY
        heard.question = False
    said = await absorb(turn, heard) if _absorb_first(s, heard) else None
    if not terminal(s):
        globally = await global_intents(turn, heard)
        if globally is not None:
            said = globally or said
        else:
            handled = await HANDLERS[s.node](turn, heard)
            said = handled if handled is not None else said
    if _ready_for_slots(s):
        # qualified, wants to book, said when: two times now, not another question
        trouble = await offer_slots_now(turn, heard)
        said = trouble or said
    move(turn.state, route(turn.state))
    if terminal(turn.state):
        turn.state.unsure_of = None  # the call ends this turn: nothing left to be sure of
    await speak(turn, said)


#: a yes that answers "just to be sure, …?" ("okay, I'll tell him" is not one)
PLAIN_YES = re.compile(
    r"^\W*(?:oh,? |well,? )?(?:yes|yeah|yep|yup|ya|correct|right|that'?s right|that'?s correct|"
    r"exactly|absolutely|definitely|please|i do|we do|i am|we are|i would|that'?s it|uh[- ]?huh|"
    r"mm[- ]?hmm|sure|of course)\b",
    re.IGNORECASE,
)


def _new_question(s: CallState, heard: Heard) -> bool:
    """A question the caller has not asked before in this call (the same one again is a
    loop)."""
    if not heard.question:
        return False
    said = heard.text.strip().lower()
    earlier = [h.text.strip().lower() for h in s.history if h.role == "caller"][:-1]
    return said not in earlier


#: asking for the note itself, whatever "no" came first
NOTE_IT = re.compile(
    r"\b(?:just |only )?(?:the|a|that) note\b|\bplease do\b|\bthat'?s (?:all|what) (?:i|we) "
    r"(?:want|asked?|need)|\b(?:take|cross|scratch|strike) (?:me|us|it|my number|our number) off\b|"
    r"\bjust (?:make|put) (?:a|the) note\b",
    re.I,
)


#: staying with whoever helps them now, whatever "no" came first: "Oh no, we're not switching"
STAYING = re.compile(
    r"\bnot (?:switching|changing|going anywhere)\b|\b(?:happy|fine|satisfied|good) with "
    r"(?:them|him|her|who we|what we|ours|our|my)\b|\b(?:stick|sticking|stay|staying) with\b|"
    r"\bkeep (?:using|going with) (?:them|him|her)\b",
    re.I,
)


def settle_doubt(s: CallState, heard: Heard) -> bool | None:
    """The answer to "just to be sure, …?": yes takes the intent asked about, no drops it;
    anything else is read as it comes. ``None`` when nothing was being confirmed."""
    if s.expect != Expect.CONFIRM_INTENT or s.unsure_of is None:
        return None
    intent, s.unsure_of = Intent(s.unsure_of), None
    if intent == Intent.NOT_INTERESTED:
        # "information by email, or leave it there?": whatever else they want, else a no
        if (
            heard.intents
            & {
                Intent.EMAIL,
                Intent.BOOK,
                Intent.CALLBACK,
                Intent.BAD_TIMING,
                Intent.HUMAN,
                Intent.STOP_CALLING,
            }
            or heard.email
            or heard.question
        ):
            return False
        if heard.yes and not heard.no and PLAIN_YES.search(heard.text):
            heard.intents.add(Intent.EMAIL)  # "yes, please": the information
            return False
        if carries_facts(heard) and not heard.no and not s.flags.doubt_asked_again:
            # "Gene Wojcik.": the name asked before, not this — taken, and asked once more
            s.unsure_of, s.flags.doubt_asked_again = intent.value, True
            return None
        heard.intents.add(intent)
        return True
    meant = (
        intent in heard.intents
        or (heard.meaning is not None and heard.meaning.likely(ACT_OF[intent]))
        or (intent == Intent.STOP_CALLING and NOTE_IT.search(heard.text) is not None)
        or (intent == Intent.OTHER_LENDER and STAYING.search(heard.text) is not None)
        or (
            intent == Intent.STOP_CALLING
            and Intent.THANKS in heard.intents
            and heard.intents <= {Intent.THANKS, Intent.GOODBYE}
            and not heard.no
            and not heard.question
        )
    )  # "Thank you dear, I appreciate it, goodbye." to "shall I note no one contacts you
    # again?": what they asked for
    # "no, take me off for good": the rules hear it in the answer itself; "No, nothing to
    # follow up on. Just the note, please.": the note is what they want
    if (
        intent == Intent.OTHER_LENDER
        and heard.no
        and heard.intents & {Intent.THANKS, Intent.GOODBYE}
        and not heard.intents & {Intent.BOOK, Intent.EMAIL, Intent.CALLBACK}
        and not heard.question
    ):
        meant = True  # "no thank you, I'll let her see it through": staying with them
    plain_yes = heard.yes and not heard.no and PLAIN_YES.search(heard.text)
    if heard.question and not meant and intent in ENDING:
        return None  # "Uh huh. And who pays you?": a question, no answer to this one
    if plain_yes and carries_facts(heard) and not meant:
        return None  # "yeah, I live there, 62704": answering the question before, not this
    if plain_yes or meant:
        heard.intents.add(intent)
        return True
    if heard.no:
        heard.intents.discard(intent)
        return False
    if (
        carries_facts(heard)
        and not heard.intents - {Intent.THANKS}
        and not heard.question
        and not s.flags.doubt_asked_again
    ):
        # "It's Shirley. Shirley Adkins." to "is someone else already helping you?": the name
        # asked before, not this — taken, and the question asked once more
        s.unsure_of, s.flags.doubt_asked_again = intent.value, True
    return None


def _ready_for_slots(s: CallState) -> bool:
    f = s.flags
    return bool(
        f.qualified
        and f.ready_to_book
        and not f.booked
        and not s.offered
        and not terminal(s)
        and (
            s.preference_days
            or s.preference_part
            or s.preference_from is not None
            or s.preference_before is not None
        )
    )


WANTS_PERSON = re.compile(
    r"\b(?:want|like|need|prefer|rather)\b.{0,40}\b(?:a (?:real |live )?person|a human|"
    r"someone real|not (?:a|this) (?:computer|machine|robot))",
    re.IGNORECASE,
)
SOONEST = re.compile(r"soonest|earliest|first available|next available|as soon as|whatever'?s open",
                     re.IGNORECASE)  # fmt: skip
READ_IT = re.compile(
    r"\b(?:read|got|received|saw|looked (?:at|over)|went through|calling (?:about|regarding)|"
    r"call(?:ed)? about|left|found|brought) (?:one of )?(?:your|the|that|a) (?:e-?mail|"
    r"information|info|brochures?|letters?|packet|mailers?|postcards?|flyers?|cards?|"
    r"pamphlets?)",
    re.IGNORECASE,
)
#: information asked for in so many words: "can you send me something I can read over?"
ASKS_FOR_IT = re.compile(
    r"\b(?:send|mail|e-?mail) (?:me|us)\b|\b(?:can|could|would|will) you (?:please )?(?:send|mail|"
    r"e-?mail)\b",
    re.IGNORECASE,
)
#: what the caller decides in a turn outranks a visit cap reached in that turn
DECISIVE = frozenset({Intent.NOT_INTERESTED, Intent.STOP_CALLING, Intent.OTHER_LENDER,
                      Intent.BOOK, Intent.EMAIL, Intent.CALLBACK, Intent.CANCEL})  # fmt: skip


def _absorb_first(s: CallState, heard: Heard) -> bool:
    """Facts first, except where the words answer a pending yes/no about the appointment."""
    return s.expect != Expect.CANCEL_CONFIRM


async def speak(turn: Turn, said: str | None) -> None:
    """An acknowledgement or answer (if any), then what the current node asks next — at most
    two sentences: the question (or the goodbye) always, the rest if it fits."""
    if turn.ask_nothing:
        if said:
            await turn.reply.say(said)
        return  # the question still open is the one asked before
    closing, action = closing_line(turn)
    if closing is not None:
        turn.action = turn.action or action
    next_line = closing if closing is not None else ask(turn)
    parts = [p for p in (said, next_line) if p]
    if (
        said
        and next_line
        and (
            said == next_line
            or len(split_sentences(" ".join(parts))) > 2
            or (said.startswith("Thank you") and next_line.startswith("Thank you"))
        )
    ):
        parts = [next_line]
    if not parts:  # never silence: the caller always hears something back
        parts = [lines.ASK["waiting"] if turn.state.expect == Expect.WAITING else lines.SORRY_AGAIN]
    await turn.reply.say(" ".join(parts))
