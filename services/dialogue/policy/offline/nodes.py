"""The node handlers: what the caller's words mean in the node the call is in."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from contracts.calls import Node
from contracts.tools import PartOfDay
from services.dialogue import functions as fn
from services.dialogue.absorb import absorb, carries_facts, gate_args
from services.dialogue.context import Turn
from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.identity import DECLINES, OWNER_MOVED
from services.dialogue.policy.offline.answers import inline_answer
from services.dialogue.policy.offline.booking import (
    asked,
    booking_trouble,
    callback_step,
    note_preference,
    offer_slots_now,
    pick_slot,
    schedule_callback,
)
from services.dialogue.policy.offline.intents import NO_CALLBACK
from services.dialogue.speech import lines

Handler = Callable[[Turn, Heard], Awaitable[str | None]]
GATE_QUESTIONS = (Expect.AGE, Expect.HOMEOWNER, Expect.PRIMARY, Expect.VALUE, Expect.BALANCE)
PLACE_WORDS = re.compile(r"\bzip|address|town|city|county|p\.?\s?o\.? box", re.IGNORECASE)


async def on_greet(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if _someone_else(heard):
        return await _wrong_person(turn, heard)
    said = None  # a name, a place, the gates: taken by absorb() already
    if heard.has(Intent.WHO_ARE_YOU) and not heard.objection:
        answer: str | None = lines.WHO
    else:
        answer = await inline_answer(turn, heard)
    if not answer and heard.has(Intent.UNSURE) and not carries_facts(heard):
        answer = "That's fine, there's no pressure at all."  # "not ready to talk to a broker"
    if not s.flags.identified and s.visit_count(Node.GREET) >= 2 and not answer:
        # they would rather not say: carry on without a name
        s.flags.identified = True
    return answer or said


async def _wrong_person(turn: Turn, heard: Heard) -> str | None:
    coming = heard.has(Intent.HOLD_ON)
    await fn.note_wrong_person(turn, heard.relation, coming)
    if OWNER_MOVED.search(heard.text) and not coming:
        await _owner_moved(turn)
        return None
    if coming and ON_THE_LINE.search(heard.text):
        return "Thank you; hello to you both."  # on speaker already: nobody to wait for
    return "Of course, I'll hold." if coming else "Thank you for letting me know."


#: the person asked for is on the line already: "she's sitting right here with me on speaker"
ON_THE_LINE = re.compile(
    r"\bon (?:the )?speaker ?(?:phone)?\b|\b(?:sitting |right )+here (?:beside|next to|with) me\b|"
    r"\b(?:she|he)'?s (?:right )?here (?:with me|beside me|next to me|listening)\b",
    re.IGNORECASE,
)


async def _owner_moved(turn: Turn) -> None:
    """The person asked for lives elsewhere now: nobody to call back; a kind goodbye."""
    turn.state.flags.owner_moved = True
    await fn.end_call(turn, "goodbye")


def _someone_else(heard: Heard) -> bool:
    """Someone other than the caller we want is on the line ("this is her husband")."""
    other = heard.has(Intent.WRONG_PERSON) or heard.has(Intent.HOLD_ON)
    return bool(heard.relation and other) or (
        heard.has(Intent.WRONG_PERSON)
        and (
            not heard.first_name
            or bool(NOT_THEM.search(heard.text))
            or bool(NOT_NAMED.search(heard.text))
        )
    )


#: "I'm not Cornelia; my name is Preston": the one asked for is someone else
NOT_NAMED = re.compile(r"\b[Ii]'?m not [A-Z][a-z]+\b")


#: "No, no, I'm not him. I'm Marisol": a name, but not the homeowner's
NOT_THEM = re.compile(
    r"\b(?:i'?m|i am|this is(?:n'?t| not)?) not (?:him|her|he|she|them|the (?:home)?owner|"
    r"the one)\b|"
    r"\bthis (?:isn'?t|is not) (?:him|her|he|she)\b|"
    # "no its not for me its her house"
    r"\bnot for me\b[^.?!]{0,20}\b(?:her|his|their)\b|\b(?:it'?s|its|it is) (?:her|his) (?:house|"
    r"home)\b|"
    # "No, he's not here; … I'm not family", "he can't come to the phone"
    r"\b(?:he|she)(?:'s| is)(?: not|n't) (?:here|home|available|in)\b|\b(?:he|she) isn'?t (?:here|"
    r"home|available)\b|\b(?:he|she) can'?t come to the phone\b|\bi'?m not (?:family|related)\b|"
    r"\b(?:letter|mail|card|envelope)\b[^.?!]{0,25}\b(?:addressed to|for) (?:my |mr\.? |mrs\.? |"
    r"ms\.? )",
    re.I,
)


async def on_verify(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if _someone_else(heard):
        return await _wrong_person(turn, heard)
    if s.expect == Expect.IDENTITY and not s.flags.verified:
        said = await _rest_of_identity(turn, heard)
        if said is not None:
            return said
    if (
        not s.flags.verified
        and s.expect in (Expect.NAME, Expect.LOCATION, Expect.ZIP)
        and not carries_facts(heard)
        and not heard.question
    ):
        s.flags.verify_attempts += 1
    answer = await inline_answer(turn, heard)
    if s.flags.verify_attempts >= 4 and not s.flags.verified:
        s.flags.capped = Node.VERIFY.value
    return answer


async def _rest_of_identity(turn: Turn, heard: Heard) -> str | None:
    """Asked a known caller for their last name or ZIP code: "why?" is answered and they are
    asked once more; "I'd rather not" (or a second ask left unanswered) ends the asking, and
    they are helped as they are — a call back from the team, nothing on file shared."""
    f = turn.state.flags
    if not f.verify_needs:
        return None  # answered (a mismatch is asked about as before)
    if heard.question and WHY.search(heard.text) and not DECLINES.search(heard.text):
        return lines.WHY_IDENTITY
    gave = heard.last_name or heard.address or heard.zip
    if DECLINES.search(heard.text) or (heard.no and not gave) or asked(turn, Expect.IDENTITY) >= 2:
        f.verify_declined, f.wants_callback = True, True
        answer = await inline_answer(turn, heard, only_topics=True) if heard.question else None
        said_when = heard.days or heard.hour is not None or heard.part_of_day
        if heard.callback and said_when and not heard.no:
            # "Wednesday, after three o'clock, please": when the team's call back can come
            await schedule_callback(turn, heard.callback)
        return answer or lines.DECLINED_IDENTITY
    return None


#: "why do you need that?", "what for?"
WHY = re.compile(r"\bwhy\b|what (?:do you need|is) (?:it|that|this) for|what for\b", re.I)


def states_preference(heard: Heard) -> bool:
    """The turn says when the caller would like to meet."""
    return bool(
        heard.days
        or heard.part_of_day
        or heard.starts_from is not None
        or heard.starts_before is not None
    )


async def on_qualify(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if _someone_else(heard) and not s.flags.qualified:
        # "no, it's not for me, it's her house, she's in the hospital": the owner is elsewhere
        return await _wrong_person(turn, heard)
    if not gate_args(heard) and not s.flags.gates and s.lead_id and s.flags.verified:
        await fn.record_qualification(turn)  # what the record already knows
    if carries_facts(heard):
        # absorb() recorded them and acknowledged; answer a question said in the same breath
        return await inline_answer(turn, heard, only_topics=True)
    answer = await inline_answer(turn, heard)
    if not answer and states_preference(heard):
        # "anytime but Mondays" while a gate is asked: kept for the booking (absorb noted
        # it), the question asked again
        return "Thank you, I'll keep that in mind for when we set up the call."
    if not answer and asked(turn, s.expect) >= 2 and s.expect in GATE_QUESTIONS:
        # asked twice, still no answer: no third time — the broker can go over it on a call
        s.flags.wants_callback = s.flags.gate_deferred = True
        return "No problem at all; the broker can go over that with you on a call."
    if answer:
        return answer
    if (s.expect == Expect.AGE and heard.yes) or SPELLED.search(heard.text):
        return "Thank you."  # (a name spelled out after it was said: "L-A, capital R, A-E")
    if len(heard.text.split()) >= TOLD_A_STORY and not heard.question:
        # a story about the house, no answer in it: heard, and the question asked again
        return "Thank you for sharing that."
    return lines.SORRY_AGAIN if not heard.silent else None


#: words in a turn past which it told something, even if not what was asked
TOLD_A_STORY = 14


#: letters said one by one: "a r c h u l e t a", "L-A, capital R, A-E", "B-K-A-P-L-A-N"
SPELLED = re.compile(r"(?:\b[A-Za-z]\b[\s,.-]*(?:capital\s+|cap\s+)?){3,}")


async def on_answer(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if s.expect == Expect.APPOINTMENT_ACTION and (heard.no or heard.yes):
        s.flags.kept_appointment = True  # "no, that's fine" / "yes, it still works"
        return "Wonderful, you're all set then."
    if s.expect == Expect.BOOKING_OFFER:
        s.flags.booking_offered = True
        if _not_yet(heard):
            # "okay, good to know. But I'm not setting anything up today, I'll talk it over
            # with my son and call you back": the "okay" was for the answer, not the meeting
            if NO_CALLBACK.search(heard.text):  # they will ring: no call back pushed on them
                await fn.end_call(turn, "bad_timing")
                return "There's no rush at all; we're here whenever you're ready."
            s.flags.wants_callback = True
            return "There's no rush at all."
        if heard.yes or heard.has(Intent.BOOK):
            await fn.mark_ready_to_book(turn)
            await note_preference(turn, heard)
            # "yes, but who's the broker?": the answer, then the times
            answer = await inline_answer(turn, heard, only_topics=True) if heard.question else None
            return await offer_slots_now(turn, heard) or answer
        if heard.no and _no_about_the_home(heard):
            # "No mortgage. Paid it off in oh-nine.": about the loan, not the consultation;
            # taken (absorb) and the offer stands
            return None
        if heard.no:
            s.flags.booking_declined = True
            answer = await inline_answer(turn, heard)
            return answer or "That's perfectly fine."
    if s.expect == Expect.ANYTHING_ELSE and (heard.no or heard.has(Intent.GOODBYE)):
        await fn.end_call(turn, "goodbye")
        return None
    answer = await inline_answer(turn, heard)
    return answer


#: putting the meeting off: "not gonna set anything up today", "talk it over with Danny first"
DEFER = re.compile(
    r"\bnot (?:gonna|going to|ready to|about to|setting|booking|scheduling|signing) (?:set|book|"
    r"schedule|sign|commit|do|make)?\s?(?:anything|something|it|that|one|up|an appointment)\b|"
    r"\b(?:talk|think|sleep|pray|mull) (?:it |this |that )?(?:over|on it)\b|"
    r"\b(?:i'?ll|we'?ll|i will|we will) (?:call|ring|phone|get back to) you\b",
    re.IGNORECASE,
)


def _not_yet(heard: Heard) -> bool:
    """The caller puts the meeting off (unsure, and not taking it), whatever "okay" they say."""
    return (
        heard.has(Intent.UNSURE)
        and not heard.has(Intent.BOOK)
        and not PLACE_WORDS.search(heard.text)
        and (not heard.yes or bool(DEFER.search(heard.text)))
    )


def _no_about_the_home(heard: Heard) -> bool:
    """A "no" that tells a fact of the home ("no mortgage", "no, it's paid off") rather than
    turning the meeting down."""
    return (
        heard.mortgage_balance == 0
        or heard.home_value is not None
        or heard.age is not None
        or heard.homeowner is not None
        or heard.primary_residence is not None
    ) and not heard.intents & {Intent.NOT_INTERESTED, Intent.STOP_CALLING}


async def on_objections(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.yes or heard.has(Intent.BOOK):
        await fn.mark_ready_to_book(turn)
        await note_preference(turn, heard)
        answer = await inline_answer(turn, heard, only_topics=True) if heard.question else None
        trouble = await offer_slots_now(turn, heard) if s.flags.qualified else None
        return trouble or answer
    answer = await inline_answer(turn, heard)
    if answer:
        return answer
    await fn.resolve_objection(turn)
    if heard.no or heard.has(Intent.UNSURE):
        return "That's completely fine; there's no pressure at all."
    return None


async def on_book(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if s.flags.wants_callback and not s.flags.ready_to_book:
        return await callback_step(turn, heard)
    if s.expect == Expect.ZIP and not (heard.zip or heard.state or heard.city):
        if heard.question:
            return await inline_answer(turn, heard)
        if not (heard.days or heard.part_of_day):
            return lines.SORRY_AGAIN if not heard.silent else None
    if s.expect == Expect.SLOT and s.offered:
        pick = pick_slot(turn, heard)
        if pick is not None:
            result = await fn.book_appointment(turn, pick)
            if result.get("error") == "slot_taken":
                return "I'm sorry, that time was just taken."
            if not result.get("ok"):
                return await booking_trouble(turn)
            return None
        said_at = heard.starts_from is None and heard.starts_before is None
        if (
            heard.hour is not None
            and said_at
            and heard.choice is None
            and not heard.no
            and not heard.days
        ):
            # "the two o'clock, please", when two o'clock was not offered: that hour looked up
            at = heard.hour * 60 + (heard.callback.minute if heard.callback else 0)
            s.offered, s.preference_from, s.preference_before = [], at, at + 1
            return await offer_slots_now(turn, heard)
        window = heard.starts_from is not None or heard.starts_before is not None
        if (heard.days or heard.part_of_day or window) and not heard.no and heard.choice is None:
            # "Thursday afternoon then" while other times are on offer: times for that instead
            s.offered = []
            await note_preference(turn, heard)
            return await offer_slots_now(turn, heard)
        if heard.choice_rejected or heard.no:
            s.offered = []
            if heard.days or heard.part_of_day:
                await note_preference(turn, heard)
                return await offer_slots_now(turn, heard)
            s.preference_days, s.preference_part = [], None
            return "No problem."
        if heard.has(Intent.UNSURE):
            s.flags.ready_to_book = False
            s.flags.wants_callback = True
            return "That's perfectly fine."
    if s.expect in (Expect.PREFERENCE, Expect.ZIP) or heard.days or heard.part_of_day:
        await note_preference(turn, heard)
        if s.expect == Expect.PREFERENCE and not (heard.days or heard.part_of_day):
            if carries_facts(heard):
                return None  # "Three three one six five.": a fact, not "any time"; ask again
            if heard.question:
                # "If I go first, does Donna get to stay in the house?": answered, and the
                # question of when asked again — a question is no "any time"
                return await inline_answer(turn, heard) or lines.SORRY_AGAIN
            s.preference_part = PartOfDay.ANY.value
        return await offer_slots_now(turn, heard)
    answer = await inline_answer(turn, heard)
    return answer


async def on_exit(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.no or heard.has(Intent.GOODBYE) or (heard.has(Intent.THANKS) and not heard.question):
        await fn.end_call(turn, "goodbye")
        return None
    answer = await inline_answer(turn, heard)
    if answer:
        return answer
    if s.expect == Expect.CALLBACK_TIME:
        return await callback_step(turn, heard)
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
        there = any(h.role == "caller" and ON_THE_LINE.search(h.text) for h in s.history)
        came = "thank you for joining us" if there else "thank you for coming to the phone"
        return (
            f"Hello {name}, {came}; I'm Barbara, an AI assistant with Equity Connect, and this "
            "call may be recorded."
        )
    if s.expect == Expect.CALLBACK_TIME:
        return await callback_step(turn, heard)
    if s.flags.waiting_for_person and carries_facts(heard) and not heard.first_name:
        # "She's ninety-five … the house is entirely hers": she is on the line (on speaker),
        # and her son speaks for her; the call goes on with her
        await fn.identify_caller(turn, "")
        await absorb(turn, heard)
        return "Thank you."
    if OWNER_MOVED.search(heard.text) and not s.flags.waiting_for_person:
        await _owner_moved(turn)
        return None
    if heard.has(Intent.HOLD_ON):
        s.flags.waiting_for_person = True
        return "Of course, I'll hold."
    if s.expect == Expect.CALLBACK_OFFER or not s.flags.waiting_for_person:
        if heard.yes or heard.has(Intent.CALLBACK) or heard.callback:
            s.flags.wants_callback = True
            s.expect = Expect.CALLBACK_TIME
            if heard.callback:
                return await callback_step(turn, heard)
            return None
        if heard.no or heard.has(Intent.GOODBYE):
            await fn.end_call(turn, "goodbye")
            return None
    if s.flags.waiting_for_person and not heard.silent:
        # someone is on the line again, but no name was heard: ask, never say nothing
        return "Hello, this is Barbara with Equity Connect; may I ask who I'm speaking with?"
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
