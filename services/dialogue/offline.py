"""The offline policy: the same graph, functions and outcomes as the LLM path, with rule-based
understanding and templated replies. The default with no LLM configured; the fallback when the
LLM is down.

A turn: understand the words → global intents (stop calling, a person, privacy…) → the node's
handler calls functions (tools set flags) → the router picks the next node → Barbara says an
acknowledgement or answer, then the next node's question (one or two sentences).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from contracts.calls import Node
from contracts.conversation import EndCall
from contracts.tools import PartOfDay, Weekday
from services.dialogue import functions as fn
from services.dialogue import lines
from services.dialogue.absorb import absorb, carries_facts, gate_args
from services.dialogue.chunker import split_sentences
from services.dialogue.context import Turn
from services.dialogue.graph import move, route, terminal
from services.dialogue.speech import when_words
from services.dialogue.state import CallState
from services.dialogue.understand import CallbackWhen, Expect, Heard, Intent, kb_query, understand

Handler = Callable[[Turn, Heard], Awaitable[str | None]]
_WEEKDAY_INDEX = {d: i for i, d in enumerate(Weekday)}


async def offline_turn(turn: Turn) -> None:
    """Take every fact the caller said, then their intents, then what the current node is
    waiting for; route; speak."""
    s = turn.state
    heard = understand(turn.text, s.expect, this_year=turn.deps.clock.now().year)
    _sentiment(turn, heard)
    if s.flags.capped and heard.intents & DECISIVE:
        s.flags.capped = None  # the caller decided this very turn: that decides the outcome
    if s.expect == Expect.BOOKING_OFFER and (heard.days or heard.part_of_day) and not heard.no:
        heard.yes = True  # "Wednesday morning is good": a yes, with a preference
    if READ_IT.search(heard.text):
        heard.intents.discard(Intent.EMAIL)  # "I read your email": not asking for another
    if NO_CALLBACK.search(heard.text):
        heard.intents -= {Intent.CALLBACK, Intent.BOOK}  # "don't put me down for a call back"
    if WANTS_PERSON.search(heard.text) and not heard.has(Intent.AUTHORITY):
        heard.intents.add(Intent.HUMAN)  # "I'd like a person to set it up, not a computer"
    if s.expect in (Expect.BOOKING_OFFER, Expect.PREFERENCE) and SOONEST.search(heard.text):
        heard.yes = True  # "what's the soonest you've got?": yes, any time
        heard.part_of_day = heard.part_of_day or PartOfDay.ANY
        heard.question = False
    said = await absorb(turn, heard) if _absorb_first(s, heard) else None
    if not terminal(s):
        globally = await _global(turn, heard)
        if globally is not None:
            said = globally or said
        else:
            handled = await HANDLERS[s.node](turn, heard)
            said = handled if handled is not None else said
    if _ready_for_slots(s):
        # qualified, wants to book, said when: two times now, not another question
        trouble = await _offer_slots_now(turn, heard)
        said = trouble or said
    move(turn.state, route(turn.state))
    await speak(turn, said)


def _ready_for_slots(s: CallState) -> bool:
    f = s.flags
    return bool(
        f.qualified
        and f.ready_to_book
        and not f.booked
        and not s.offered
        and not terminal(s)
        and (s.preference_days or s.preference_part)
    )


#: a request for a person, not just "someone to talk it over with" (that is the broker)
EXPLICIT_PERSON = re.compile(
    r"real person|live person|human|representative|operator|agent|supervisor|manager|"
    r"a person\b|transfer me|put me through"
)
WANTS_PERSON = re.compile(
    r"\b(?:want|like|need|prefer|rather)\b.{0,40}\b(?:a (?:real |live )?person|a human|"
    r"someone real|not (?:a|this) (?:computer|machine|robot))",
    re.IGNORECASE,
)
SOONEST = re.compile(r"soonest|earliest|first available|next available|as soon as|whatever'?s open",
                     re.IGNORECASE)  # fmt: skip
GATE_QUESTIONS = (Expect.AGE, Expect.HOMEOWNER, Expect.PRIMARY, Expect.VALUE, Expect.BALANCE)
READ_IT = re.compile(
    r"\b(?:read|got|received|saw|looked (?:at|over)|went through) (?:your|the|that) "
    r"(?:e-?mail|information|info|brochure|letter|packet)",
    re.IGNORECASE,
)
#: a question with something to look up: a question word and at least a few words after it
SUBSTANTIVE = re.compile(
    r"\b(?:what|how|why|when|where|which|who|can|could|do|does|did|will|would|is|are|should)"
    r"\b(?:\W+\w+){3,}",
    re.IGNORECASE,
)
PLACE_WORDS = re.compile(r"\bzip|address|town|city|county|p\.?\s?o\.? box", re.IGNORECASE)
NO_CALLBACK = re.compile(
    r"(?:don'?t|do not|no need to) (?:put me down for|schedule|set up|book|want|need) (?:a |any )?"
    r"call ?backs?|no call ?backs?|(?:i'?ll|we'?ll) (?:call|reach out|get back)",
    re.IGNORECASE,
)
WRONG_NUMBER = re.compile(
    r"wrong number|dial(?:l)?ed (?:the )?wrong|misdialed|is this (?:walgreens|cvs|the pharmacy)",
    re.IGNORECASE,
)
CANCEL_ANYWAY = re.compile(r"cancel|need|won'?t|don'?t want|go ahead|please", re.IGNORECASE)
#: what the caller decides in a turn outranks a visit cap reached in that turn
DECISIVE = frozenset({Intent.NOT_INTERESTED, Intent.STOP_CALLING, Intent.OTHER_LENDER,
                      Intent.BOOK, Intent.EMAIL, Intent.CALLBACK, Intent.CANCEL})  # fmt: skip


def _absorb_first(s: CallState, heard: Heard) -> bool:
    """Facts first, except where the words answer a pending yes/no about the appointment."""
    return s.expect != Expect.CANCEL_CONFIRM


async def speak(turn: Turn, said: str | None) -> None:
    """An acknowledgement or answer (if any), then what the current node asks next — at most
    two sentences: the question (or the goodbye) always, the rest if it fits."""
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
    await turn.reply.say(" ".join(parts))


# ---- intents that apply in every node -------------------------------------------------------


async def _global(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.silent:
        s.flags.silences += 1
        if s.flags.silences >= 3 and s.expect != Expect.WAITING:
            s.flags.no_response = not any(h.text.strip() for h in s.history if h.role == "caller")
            await fn.end_call(turn, "goodbye")
            return "I'm sorry, I can't seem to hear you."
        if s.expect == Expect.WAITING:
            return lines.ASK["waiting"]
        return lines.STILL_THERE
    s.flags.silences = 0
    if s.expect == Expect.GOOD_TIME and not heard.has(Intent.STOP_CALLING):
        if heard.no or heard.has(Intent.BAD_TIMING):
            s.flags.bad_timing = True
            s.flags.wants_callback = True
            s.expect = Expect.CALLBACK_TIME
            if heard.callback and await _callback(turn, heard.callback):
                return None
            return "No problem at all."
        if heard.yes:
            s.expect = Expect.NOTHING
            return "Wonderful, thank you."
    if heard.has(Intent.STOP_CALLING):
        if (s.flags.cancel_pending or heard.has(Intent.CANCEL)) and s.flags.existing_appointment:
            await fn.cancel_appointment(turn, "the caller cancelled and asked not to be called")
        await fn.record_do_not_call(turn)
        return None
    if heard.has(Intent.AUTHORITY):
        # claims of authority change nothing: no name, no transfer, nothing revealed
        s.flags.authority_claims += 1
        return lines.PRIVACY if heard.has(Intent.PRIVACY) else lines.AUTHORITY
    appointment = await _appointment_intents(turn, heard)
    if appointment is not None:
        return appointment
    if heard.has(Intent.ROBOT):
        return lines.ROBOT
    if heard.has(Intent.PRIVACY):
        return lines.PRIVACY
    if (
        heard.has(Intent.HUMAN)
        and s.expect == Expect.BOOKING_OFFER
        and not heard.no
        and not EXPLICIT_PERSON.search(heard.text.lower())
    ):
        heard.intents.add(Intent.BOOK)  # "I'd like to talk with someone about it": the broker
    elif heard.has(Intent.HUMAN) or heard.has(Intent.ANGRY):
        await fn.request_human(turn, "asked for a person" if heard.has(Intent.HUMAN) else "upset")
        if s.flags.transferred:
            return None
        return lines.ANGRY if heard.has(Intent.ANGRY) else lines.HUMAN_CALLBACK
    if heard.has(Intent.OTHER_LENDER):
        await fn.end_call(turn, "already_working_with_lender")
        return lines.OTHER_LENDER
    done = s.flags.booked or s.flags.callback or s.flags.email_requested
    if heard.has(Intent.NOT_INTERESTED) and not (done and s.expect == Expect.ANYTHING_ELSE):
        await fn.end_call(turn, "not_interested")
        return lines.NOT_INTERESTED
    if (
        heard.has(Intent.CALLBACK)
        and s.node != Node.WRONG_PERSON
        and s.expect not in (Expect.SLOT, Expect.CALLBACK_TIME)
        and not s.flags.callback
    ):
        # "call me back next week", "have the broker call me tomorrow afternoon"
        s.flags.wants_callback = True
        s.expect = Expect.CALLBACK_TIME
        if heard.callback and await _callback(turn, heard.callback):
            return None
        return "Of course, we can call you back."
    if heard.has(Intent.GOODBYE) and not heard.question and s.node != Node.EXIT:
        # an explicit goodbye ends the call politely from any node, never another question
        await fn.end_call(turn, "goodbye")
        return ""
    if heard.has(Intent.REPEAT) and not (
        heard.yes
        or heard.no
        or carries_facts(heard)
        or heard.days
        or heard.part_of_day
        or heard.choice is not None
        or heard.has(Intent.BOOK)
    ):  # "say that again? oh, yes, mornings": the yes is the answer
        last = next((h.text for h in reversed(s.history) if h.role == "agent"), None)
        if last:
            await turn.reply.say(last)
            return ""
    if WRONG_NUMBER.search(heard.text) and not s.flags.verified:
        await fn.note_wrong_person(turn, "wrong number")
        await fn.end_call(turn, "goodbye")
        return "Oh, no trouble at all; you've reached Equity Connect."
    if heard.has(Intent.BAD_TIMING) and NO_CALLBACK.search(heard.text):
        # "not a good time, I'll call you when things settle": no call back pushed on them
        await fn.end_call(turn, "bad_timing")
        return "I understand completely; we're here whenever you're ready."
    if heard.has(Intent.BAD_TIMING) and s.node != Node.WRONG_PERSON and s.expect != Expect.SLOT:
        s.flags.bad_timing = True
        s.flags.wants_callback = True
        s.expect = Expect.CALLBACK_TIME
        if heard.callback and await _callback(turn, heard.callback):
            return None
        return "No problem at all."
    if s.expect == Expect.EMAIL and (
        heard.email or s.facts.email or asked(turn, Expect.EMAIL) >= 2
    ):
        # the address they spelled (absorb stored it), or, asked twice, the one on file
        await fn.request_email(turn, heard.email)
        return None
    if heard.has(Intent.EMAIL) and s.node not in (Node.WRONG_PERSON,) and s.expect != Expect.EMAIL:
        if heard.email or s.facts.email:
            await fn.request_email(turn, heard.email)
            return None
        s.flags.email_pending = True  # ask() asks for the address
        return "Of course, I can have some information sent to you."
    if heard.has(Intent.BOOK) and s.flags.existing_appointment and s.flags.verified:
        when = fn.upcoming_when(turn)
        if when and s.expect != Expect.APPOINTMENT_ACTION:
            s.expect = Expect.APPOINTMENT_ACTION
            return f"You already have an appointment for {when}."
    if heard.has(Intent.BOOK) and s.node not in (Node.BOOK, Node.WRONG_PERSON) and s.flags.verified:
        await fn.mark_ready_to_book(turn)
        await _note_preference(turn, heard)
        # "before I book, how do I know the broker is licensed?": the answer comes first
        answer = await _inline_answer(turn, heard) if heard.question else None
        if s.flags.qualified:
            return await _offer_slots_now(turn, heard) or answer
        return answer or "I'd be glad to set that up; first, just a few quick questions."
    return None


APPOINTMENT_INTENTS = frozenset(
    {Intent.CANCEL, Intent.RESCHEDULE, Intent.KEEP, Intent.APPOINTMENT_QUERY}
)


async def _appointment_intents(turn: Turn, heard: Heard) -> str | None:
    """A caller's own upcoming appointment: ask when it is, keep it, move it, cancel it (after
    one confirmation). Only once they are verified: nothing is read out before."""
    s, f = turn.state, turn.state.flags
    if s.expect == Expect.CANCEL_CONFIRM:
        f.cancel_pending = False
        keep = heard.has(Intent.KEEP) or (heard.no and not CANCEL_ANYWAY.search(heard.text))
        if not keep:  # "yes", or "we're selling, we won't need it": they meant it
            result = await fn.cancel_appointment(turn, "the caller cancelled")
            if result.get("ok") and heard.has(Intent.CALLBACK):
                # "…can someone call me back in three weeks to set a new one?"
                f.wants_callback = True
                s.expect = Expect.CALLBACK_TIME
                if heard.callback and await _callback(turn, heard.callback):
                    return "All right, your appointment is cancelled."
                return "All right, your appointment is cancelled, and we'll call you back."
            if result.get("ok"):
                return lines.CANCELLED
            return lines.CANCEL_FAILED
        f.kept_appointment = True
        return "All right, I'll leave your appointment just as it is."
    wants = APPOINTMENT_INTENTS & heard.intents
    if not f.existing_appointment and s.expect != Expect.APPOINTMENT_ACTION:
        # "keep it", "move it" mean nothing without an appointment; "reschedule" is "book"
        if Intent.RESCHEDULE in wants:
            heard.intents.add(Intent.BOOK)
        wants -= {Intent.KEEP, Intent.RESCHEDULE}
    if not wants or not s.lead_id:
        return None
    if not f.verified:
        return "I can help with that; first I just need to confirm who I'm speaking with."
    when = fn.upcoming_when(turn)
    if not f.existing_appointment or when is None:
        if Intent.RESCHEDULE in wants or Intent.APPOINTMENT_QUERY in wants:
            return "I don't see an upcoming appointment for you, but I'd be glad to set one up."
        return "I don't see an upcoming appointment to change."
    if Intent.CANCEL in wants:
        f.cancel_pending = True
        return None  # ask() confirms once
    if Intent.RESCHEDULE in wants:
        await fn.mark_ready_to_book(turn)
        return f"Of course; your appointment is {when} right now, so let's find a new time."
    if Intent.KEEP in wants:
        f.kept_appointment = True
        return f"Wonderful, you're all set for {when}."
    return f"Your appointment is {when} with {_broker_name(turn)}."


def _sentiment(turn: Turn, heard: Heard) -> None:
    if heard.has(Intent.ANGRY):
        turn.state.facts.sentiment = "negative"
    elif heard.has(Intent.THANKS) and turn.state.facts.sentiment == "neutral":
        turn.state.facts.sentiment = "positive"


# ---- node handlers --------------------------------------------------------------------------


async def on_greet(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if _someone_else(heard):
        return await _wrong_person(turn, heard)
    said = None  # a name, a place, the gates: taken by absorb() already
    if heard.has(Intent.WHO_ARE_YOU) and not heard.objection:
        answer: str | None = lines.WHO
    else:
        answer = await _inline_answer(turn, heard)
    if not s.flags.identified and s.visit_count(Node.GREET) >= 2 and not answer:
        # they would rather not say: carry on without a name
        s.flags.identified = True
    return answer or said


async def _wrong_person(turn: Turn, heard: Heard) -> str | None:
    coming = heard.has(Intent.HOLD_ON)
    await fn.note_wrong_person(turn, heard.relation, coming)
    return "Of course, I'll hold." if coming else "Thank you for letting me know."


def _someone_else(heard: Heard) -> bool:
    """Someone other than the caller we want is on the line ("this is her husband")."""
    other = heard.has(Intent.WRONG_PERSON) or heard.has(Intent.HOLD_ON)
    return bool(heard.relation and other) or (
        heard.has(Intent.WRONG_PERSON) and not heard.first_name
    )


async def on_verify(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if _someone_else(heard):
        return await _wrong_person(turn, heard)
    if (
        not s.flags.verified
        and s.expect in (Expect.NAME, Expect.LOCATION, Expect.ZIP)
        and not carries_facts(heard)
        and not heard.question
    ):
        s.flags.verify_attempts += 1
    answer = await _inline_answer(turn, heard)
    if s.flags.verify_attempts >= 4 and not s.flags.verified:
        s.flags.capped = Node.VERIFY.value
    return answer


async def on_qualify(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if not gate_args(heard) and not s.flags.gates and s.lead_id and s.flags.verified:
        await fn.record_qualification(turn)  # what the record already knows
    if carries_facts(heard):
        # absorb() recorded them and acknowledged; answer a question said in the same breath
        return await _inline_answer(turn, heard, only_topics=True)
    answer = await _inline_answer(turn, heard)
    if not answer and asked(turn, s.expect) >= 2 and s.expect in GATE_QUESTIONS:
        # asked twice, still no answer: no third time — the broker can go over it on a call
        s.flags.wants_callback = True
        return "No problem at all; the broker can go over that with you on a call."
    if answer:
        return answer
    if s.expect == Expect.AGE and heard.yes:
        return "Thank you."
    return lines.SORRY_AGAIN if not heard.silent else None


async def on_answer(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if s.expect == Expect.APPOINTMENT_ACTION and (heard.no or heard.yes):
        s.flags.kept_appointment = True  # "no, that's fine" / "yes, it still works"
        return "Wonderful, you're all set then."
    if s.expect == Expect.BOOKING_OFFER:
        s.flags.booking_offered = True
        if heard.yes or heard.has(Intent.BOOK):
            await fn.mark_ready_to_book(turn)
            await _note_preference(turn, heard)
            return await _offer_slots_now(turn, heard)
        if heard.has(Intent.UNSURE) and not PLACE_WORDS.search(heard.text):
            # unsure about meeting (not "I don't know the zip"): a call back, no pressure
            s.flags.wants_callback = True
            return "Of course, there's no rush at all."
        if heard.no:
            s.flags.booking_declined = True
            answer = await _inline_answer(turn, heard)
            return answer or "That's perfectly fine."
    if s.expect == Expect.ANYTHING_ELSE and (heard.no or heard.has(Intent.GOODBYE)):
        await fn.end_call(turn, "goodbye")
        return None
    answer = await _inline_answer(turn, heard)
    return answer


async def on_objections(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.yes or heard.has(Intent.BOOK):
        await fn.mark_ready_to_book(turn)
        await _note_preference(turn, heard)
        return await _offer_slots_now(turn, heard) if s.flags.qualified else None
    answer = await _inline_answer(turn, heard)
    if answer:
        return answer
    await fn.resolve_objection(turn)
    if heard.no or heard.has(Intent.UNSURE):
        return "That's completely fine; there's no pressure at all."
    return None


async def on_book(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if s.flags.wants_callback and not s.flags.ready_to_book:
        return await _callback_step(turn, heard)
    if s.expect == Expect.ZIP and not (heard.zip or heard.state or heard.city):
        if heard.question:
            return await _inline_answer(turn, heard)
        if not (heard.days or heard.part_of_day):
            return lines.SORRY_AGAIN if not heard.silent else None
    if s.expect == Expect.SLOT and s.offered:
        pick = _pick_slot(turn, heard)
        if pick is not None:
            result = await fn.book_appointment(turn, pick)
            if result.get("error") == "slot_taken":
                return "I'm sorry, that time was just taken."
            if not result.get("ok"):
                return await _booking_trouble(turn)
            return None
        if (heard.days or heard.part_of_day) and not heard.no and heard.choice is None:
            # "Thursday afternoon then" while other times are on offer: times for that instead
            s.offered = []
            await _note_preference(turn, heard)
            return await _offer_slots_now(turn, heard)
        if heard.choice_rejected or heard.no:
            s.offered = []
            if heard.days or heard.part_of_day:
                await _note_preference(turn, heard)
                return await _offer_slots_now(turn, heard)
            s.preference_days, s.preference_part = [], None
            return "No problem."
        if heard.has(Intent.UNSURE):
            s.flags.ready_to_book = False
            s.flags.wants_callback = True
            return "That's perfectly fine."
    if s.expect in (Expect.PREFERENCE, Expect.ZIP) or heard.days or heard.part_of_day:
        await _note_preference(turn, heard)
        if s.expect == Expect.PREFERENCE and not (heard.days or heard.part_of_day):
            s.preference_part = PartOfDay.ANY.value
        return await _offer_slots_now(turn, heard)
    answer = await _inline_answer(turn, heard)
    return answer


async def on_exit(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.no or heard.has(Intent.GOODBYE) or (heard.has(Intent.THANKS) and not heard.question):
        await fn.end_call(turn, "goodbye")
        return None
    answer = await _inline_answer(turn, heard)
    if answer:
        return answer
    if s.expect == Expect.CALLBACK_TIME:
        return await _callback_step(turn, heard)
    await fn.end_call(turn, "goodbye")
    return None


async def on_wrong_person(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if (
        heard.first_name
        and not heard.relation
        and (s.flags.waiting_for_person or s.expect in (Expect.RIGHT_PERSON, Expect.WAITING))
    ):
        await fn.identify_caller(turn, heard.first_name, heard.last_name)
        name = s.facts.first_name
        return (
            f"Hello {name}, thank you for coming to the phone; I'm Barbara, an AI assistant with "
            "Equity Connect, and this call may be recorded."
        )
    if s.expect == Expect.CALLBACK_TIME:
        return await _callback_step(turn, heard)
    if heard.has(Intent.HOLD_ON):
        s.flags.waiting_for_person = True
        return "Of course, I'll hold."
    if s.expect == Expect.CALLBACK_OFFER or not s.flags.waiting_for_person:
        if heard.yes or heard.has(Intent.CALLBACK) or heard.callback:
            s.flags.wants_callback = True
            s.expect = Expect.CALLBACK_TIME
            if heard.callback:
                return await _callback_step(turn, heard)
            return None
        if heard.no or heard.has(Intent.GOODBYE):
            await fn.end_call(turn, "goodbye")
            return None
    return None


HANDLERS: dict[Node, Handler] = {
    Node.GREET: on_greet,
    Node.VERIFY: on_verify,
    Node.QUALIFY: on_qualify,
    Node.ANSWER: on_answer,
    Node.OBJECTIONS: on_objections,
    Node.BOOK: on_book,
    Node.EXIT: on_exit,
    Node.WRONG_PERSON: on_wrong_person,
}


# ---- what to say next -----------------------------------------------------------------------


def ask(turn: Turn) -> str | None:
    """The current node's next question, for what is still missing; sets what the answer will
    be understood as. The same question is asked at most twice, reworded the second time."""
    s = turn.state
    line = _next_question(turn)
    if line is None or s.expect in (Expect.NOTHING, Expect.WAITING, Expect.ANYTHING_ELSE):
        return line
    key = s.expect.value
    count = s.asks.get(key, 0)
    s.asks[key] = count + 1
    if count >= 1 and key in lines.REPHRASE:
        return lines.REPHRASE[key]
    return line


def asked(turn: Turn, expect: Expect) -> int:
    return turn.state.asks.get(expect.value, 0)


def _next_question(turn: Turn) -> str | None:
    s, f = turn.state, turn.state.flags
    node = s.node
    if f.email_pending and not f.email_requested:
        s.expect = Expect.EMAIL
        return lines.ASK["email"]
    if f.cancel_pending:
        s.expect = Expect.CANCEL_CONFIRM
        when = fn.upcoming_when(turn) or "your appointment"
        return f"Just to confirm, you'd like me to cancel your appointment for {when}?"
    if node == Node.GREET:
        if asked(turn, Expect.NAME) >= 2:
            s.expect = Expect.ZIP  # no name after two asks: a ZIP identifies the home instead
            return lines.ASK["zip_verify"]
        s.expect = Expect.NAME
        return lines.ASK["name"]
    if node == Node.WRONG_PERSON:
        if s.expect == Expect.CALLBACK_TIME or f.wants_callback:
            s.expect = Expect.CALLBACK_TIME
            return lines.ASK["callback_time"]
        if f.waiting_for_person:
            s.expect = Expect.WAITING
            return None
        s.expect = Expect.CALLBACK_OFFER
        return lines.ASK["callback_offer"]
    if node == Node.VERIFY:
        if not s.facts.first_name and asked(turn, Expect.NAME) < 2:
            s.expect = Expect.NAME
            return lines.ASK["name"]
        s.expect = Expect.ZIP  # a ZIP verifies a new caller too, and finds their broker
        if s.lead_found:
            return "Just to be sure I have the right file, what's the ZIP code of your home?"
        return lines.ASK["zip_verify"]
    if _appointment_to_discuss(turn):
        s.expect = Expect.APPOINTMENT_ACTION
        return lines.ASK["appointment_action"].format(when=fn.upcoming_when(turn))
    if _outbound_needs_good_time(turn):
        s.expect = Expect.GOOD_TIME
        f.good_time_asked = True
        return lines.ASK["good_time"]
    if node == Node.QUALIFY:
        gate = fn.next_gate(turn)
        if gate == "age":
            s.expect = Expect.AGE
            return lines.ASK["age"]
        if gate == "homeowner":
            s.expect = Expect.HOMEOWNER
            return lines.ASK["homeowner"]
        if gate == "primary_residence":
            s.expect = Expect.PRIMARY
            return lines.ASK["primary"]
        if gate == "equity":
            s.expect = Expect.VALUE if s.facts.home_value is None else Expect.BALANCE
            return lines.ASK["value" if s.expect == Expect.VALUE else "balance"]
        s.expect = Expect.NOTHING
        return lines.ASK["more_questions"]
    if node == Node.BOOK:
        if f.wants_callback and not f.ready_to_book:
            s.expect = Expect.CALLBACK_TIME
            return lines.ASK["callback_time"]
        if s.offered:
            s.expect = Expect.SLOT
            return _slots_line(turn)
        if s.broker is None and not _knows_where(turn) and asked(turn, Expect.ZIP) < 2:
            s.expect = Expect.ZIP
            return lines.ASK["zip"]
        s.expect = Expect.PREFERENCE
        return lines.ASK["preference"]
    if node in (Node.ANSWER, Node.OBJECTIONS):
        if (
            f.qualified
            and not f.booking_declined
            and not f.no_sales
            and not f.existing_appointment
            and not f.cancelled  # just cancelled: no new booking pushed on them
        ):
            s.expect = Expect.BOOKING_OFFER
            line = lines.ASK["booking_again" if f.booking_offered else "booking_offer"]
            f.booking_offered = True
            return line.format(broker=_broker_name(turn))
        if node == Node.OBJECTIONS and f.qualified and not f.no_sales:
            s.expect = Expect.BOOKING_OFFER
            return "Would you like to talk it through with the broker in a free consultation?"
        s.expect = Expect.ANYTHING_ELSE
        return lines.ASK["anything_else"]
    s.expect = Expect.ANYTHING_ELSE
    return lines.ASK["anything_else"]


def closing_line(turn: Turn) -> tuple[str | None, EndCall | None]:
    """At the exit node: the recap and goodbye, and whether to hang up."""
    s, f = turn.state, turn.state.flags
    if s.node != Node.EXIT:
        return None, None
    end = EndCall(reason="conversation complete")
    if f.closed and not (f.booked and not f.ended):
        return lines.GOODBYE, end  # the recap was said already: just a goodbye
    line, action = _closing(turn, end)
    if action is not None:
        f.closed = True
    return line, action


def _closing(turn: Turn, end: EndCall) -> tuple[str, EndCall | None]:
    s, f = turn.state, turn.state.flags
    name = f", {s.facts.first_name}" if s.facts.first_name and f.identified else ""
    if f.do_not_call:
        return lines.DNC, EndCall(reason="do not call")
    if f.transferred:
        broker = s.broker.name if s.broker else "the broker"
        return f"Of course, I'm connecting you with {broker} now.", None
    if f.booked and not f.ended:
        s.expect = Expect.ANYTHING_ELSE
        return _booked_line(turn) + " " + lines.ASK["anything_else"], None
    if f.booked:
        return f"Thank you so much{name}, and take care. Goodbye!", end
    if f.callback:
        when = _local_when(turn, s.callback_at) if s.callback_at else "soon"
        return f"I've scheduled a call back for {when}. Thank you{name}, and take care!", end
    if f.qualified is False:
        reason = f.disqualification_reason or "insufficient_equity"
        return lines.NOT_QUALIFIED.get(reason, lines.NOT_QUALIFIED["insufficient_equity"]), end
    if f.email_requested:
        return f"We'll send some information by email. Thank you{name}, and take care!", end
    if f.capped:
        return lines.CAPPED + " " + lines.GOODBYE, end
    if f.wrong_person or (s.facts.relation and not f.identified):
        return lines.WRONG_PERSON_BYE, end
    return f"Thank you for calling{name}; take care, and goodbye!", end


# ---- helpers --------------------------------------------------------------------------------


async def _inline_answer(turn: Turn, heard: Heard, *, only_topics: bool = False) -> str | None:
    """Answer a question or an objection from the knowledge base, in one sentence."""
    if heard.objection:
        await fn.note_objection(turn, heard.objection)
        query = kb_query(heard)
        if query:
            await fn.search_knowledge(turn, query, topic=heard.objection)
        return lines.OBJECTION_ANSWERS[heard.objection]
    if only_topics and not heard.topic:
        return None
    query = kb_query(heard)
    if query is None:
        if heard.has(Intent.LEGAL_TAX):
            return lines.LEGAL_TAX
        return None
    spoken_question = heard.text.strip().endswith("?") and len(heard.text.split()) >= 5
    if not (heard.topic or heard.objection or spoken_question or SUBSTANTIVE.search(heard.text)):
        return None  # "Hello?", "Is this about the letter?": not a question for the knowledge base
    result = await fn.search_knowledge(turn, query, topic=heard.topic)
    if result.get("answered"):
        return _first_sentence(result["passages"][0])
    if heard.has(Intent.LEGAL_TAX):
        return lines.LEGAL_TAX  # advice for their own situation: a professional's job
    return lines.NO_ANSWER


def _first_sentence(passage: str) -> str:
    match = re.match(r"(.+?[.!?])(?:\s|$)", passage.replace("\n", " ").strip())
    first = match.group(1) if match else passage
    if len(first) > 220:
        first = first[:220].rsplit(",", 1)[0].rsplit(" ", 1)[0] + "."
    return first


async def _note_preference(turn: Turn, heard: Heard) -> None:
    s = turn.state
    if heard.days:
        s.preference_days = [d.value for d in heard.days]
    if heard.part_of_day:
        s.preference_part = heard.part_of_day.value


async def _offer_slots_now(turn: Turn, heard: Heard) -> str | None:
    """If we know where the home is and a preference, look up two times straight away."""
    s = turn.state
    where = s.broker is not None or _knows_where(turn) or asked(turn, Expect.ZIP) >= 2
    if not s.flags.qualified or not where:
        return None
    if not (s.preference_days or s.preference_part):
        return None
    result = await fn.get_availability(turn)
    if not result.get("ok"):
        return await _booking_trouble(turn)
    asked_days, asked_part = list(s.preference_days), s.preference_part
    for days, part in (([], asked_part), ([], PartOfDay.ANY.value)):
        if s.offered or (days, part) == (asked_days, asked_part):
            continue
        # nothing on the day (or part of day) they asked: the nearest times instead
        s.preference_days, s.preference_part = days, part
        result = await fn.get_availability(turn)
        if not result.get("ok"):
            return await _booking_trouble(turn)
        if s.offered:
            return "The broker doesn't have an opening then, but here's what's closest."
    if not s.offered:
        s.flags.ready_to_book = False
        s.flags.wants_callback = True
        s.preference_days, s.preference_part = [], None
        return "I'm sorry, I don't see an opening that fits."
    return None


async def _booking_trouble(turn: Turn) -> str:
    s = turn.state
    s.flags.ready_to_book = False
    s.flags.wants_callback = True
    return lines.TROUBLE


def _pick_slot(turn: Turn, heard: Heard) -> str | None:
    offered = turn.state.offered
    if heard.choice is not None and heard.choice < len(offered):
        return offered[heard.choice].slot_id
    for slot in offered:
        local = slot.start.astimezone(ZoneInfo(slot.caller_timezone))
        day = list(Weekday)[local.weekday()]
        if heard.days and day in heard.days:
            if heard.hour is None or heard.hour == local.hour:
                return slot.slot_id
        if heard.hour is not None and heard.hour == local.hour and not heard.days:
            return slot.slot_id
    if heard.part_of_day in (PartOfDay.MORNING, PartOfDay.AFTERNOON) and not heard.days:
        for slot in offered:
            local = slot.start.astimezone(ZoneInfo(slot.caller_timezone))
            if (local.hour < 12) == (heard.part_of_day == PartOfDay.MORNING):
                return slot.slot_id
    if heard.days or heard.part_of_day in (PartOfDay.MORNING, PartOfDay.AFTERNOON):
        return None  # "great, Thursday afternoon then": none of these — other times
    if heard.yes and not heard.no:
        return offered[0].slot_id
    return None


async def _callback_step(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.callback and await _callback(turn, heard.callback):
        return None
    if heard.has(Intent.EMAIL):
        await fn.request_email(turn, heard.email)
        return None
    if heard.no or heard.has(Intent.GOODBYE):
        await fn.end_call(turn, "bad_timing" if s.flags.bad_timing else "goodbye")
        return None
    s.expect = Expect.CALLBACK_TIME
    return lines.SORRY_AGAIN if not heard.silent else None


async def _callback(turn: Turn, when: CallbackWhen) -> bool:
    at = resolve_when(when, turn.deps.clock.now(), fn.caller_zone(turn))
    result = await fn.schedule_callback(turn, at.strftime("%Y-%m-%dT%H:%M"))
    return bool(result.get("ok"))


def resolve_when(when: CallbackWhen, now: datetime, zone: ZoneInfo) -> datetime:
    """The caller's "tomorrow at three" / "Friday morning" as a local datetime."""
    local_now = now.astimezone(zone)
    if when.in_minutes is not None:
        return local_now + timedelta(minutes=when.in_minutes)
    hour = when.hour
    if hour is None:
        hour = {PartOfDay.MORNING: 10, PartOfDay.AFTERNOON: 14}.get(
            when.part_of_day or PartOfDay.ANY, 10
        )
    day = local_now.date()
    if when.weekday is not None:
        ahead = (_WEEKDAY_INDEX[when.weekday] - local_now.weekday()) % 7
        day = day + timedelta(days=ahead or (7 if hour <= local_now.hour else 0))
    elif when.in_days is not None:
        day = day + timedelta(days=when.in_days)
    moment = datetime(day.year, day.month, day.day, hour, when.minute, tzinfo=zone)
    if moment <= local_now:
        moment += timedelta(days=1)
    return moment


def _slots_line(turn: Turn) -> str:
    offered = turn.state.offered
    first = _local_when(turn, offered[0].start, offered[0].caller_timezone)
    if len(offered) == 1:
        return lines.ASK["one_slot"].format(first=first)
    second = _local_when(turn, offered[1].start, offered[1].caller_timezone)
    return lines.ASK["slots"].format(first=first, second=second)


def _local_when(turn: Turn, moment: datetime | None, zone: str | None = None) -> str:
    if moment is None:
        return "soon"
    try:
        tz = ZoneInfo(zone) if zone else fn.caller_zone(turn)
    except Exception:
        tz = fn.caller_zone(turn)
    return when_words(moment.astimezone(tz))


def _booked_line(turn: Turn) -> str:
    s = turn.state
    appt = s.appointment
    when = _local_when(turn, appt.start, appt.caller_timezone) if appt else "the time we chose"
    return (
        f"You're all set for {when} with {_broker_name(turn)}; it's a free phone consultation of "
        "about thirty to forty-five minutes, and family are welcome to join."
    )


def _knows_where(turn: Turn) -> bool:
    """Enough to find the broker: where the home is, a lead on record (their broker), or the
    state of the caller's area code."""
    s = turn.state
    return bool(s.facts.zip or s.facts.state or s.lead_found or fn.area_state_of(turn))


def _appointment_to_discuss(turn: Turn) -> bool:
    """A verified returning caller with an upcoming appointment hears it named first."""
    s, f = turn.state, turn.state.flags
    return (
        f.verified
        and f.existing_appointment
        and not f.kept_appointment
        and not f.ready_to_book
        and not f.cancelled
        and fn.upcoming_when(turn) is not None
        and s.node in (Node.QUALIFY, Node.ANSWER, Node.OBJECTIONS)
        and asked(turn, Expect.APPOINTMENT_ACTION) < 2
    )


def _broker_name(turn: Turn) -> str:
    broker = turn.state.broker
    return broker.name if broker else "a licensed broker"


def _outbound_needs_good_time(turn: Turn) -> bool:
    s = turn.state
    return (
        lines.is_outbound(s.direction)
        and s.flags.verified
        and not s.flags.good_time_asked
        and not terminal(s)
    )
