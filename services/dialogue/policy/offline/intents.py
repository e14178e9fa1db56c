"""Intents that apply in every node: silence, stop calling, authority claims, the caller's own
appointment, a person, another lender, not interested, call backs, goodbye, email, booking."""

from __future__ import annotations

import re

from contracts.calls import Node
from services.dialogue import functions as fn
from services.dialogue.absorb import carries_facts
from services.dialogue.context import Turn
from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.lender import SERVICING
from services.dialogue.language.meaning.acts import Act
from services.dialogue.policy.offline.answers import inline_answer
from services.dialogue.policy.offline.booking import (
    asked,
    broker_name,
    note_preference,
    offer_slots_now,
    schedule_callback,
    send_email,
)
from services.dialogue.speech import lines

#: a request for a person, not just "someone to talk it over with" (that is the broker)
EXPLICIT_PERSON = re.compile(
    r"real person|live person|human|representative|operator|agent|supervisor|manager|"
    r"a person\b|transfer me|put me through"
)
NO_CALLBACK = re.compile(
    r"(?:don'?t|do not|no need to) (?:put me down for|schedule|set up|book|want|need) (?:a |any )?"
    r"call ?backs?|no call ?backs?|(?:i'?ll|we'?ll) (?:call|reach out|get back)|"
    # "I don't want to set a time", "we'd rather not pick a day"
    r"(?:don'?t|do not|rather not|won'?t) (?:want to |need to )?(?:set|pick|schedule|choose|make|"
    r"book) (?:a |any |up a )?(?:time|day|date)\b",
    re.IGNORECASE,
)
WRONG_NUMBER = re.compile(
    r"wrong number|dial(?:l)?ed (?:the )?wrong|misdialed|is this (?:walgreens|cvs|the pharmacy)",
    re.IGNORECASE,
)
#: a "no" to "you'd like me to cancel it?" that still means cancel: "no, don't put me down for
#: another day, just scratch it", "no need for it, take it off the books"
CANCEL_ANYWAY = re.compile(
    r"cancel|need|won'?t|don'?t want|go ahead|please|"
    r"\b(?:scratch|kill|wipe|erase|delete|remove|get rid of) (?:it|the (?:appointment|"
    r"meeting|consultation))\b(?! (?:as|like)\b)|\bcall (?:it|the whole thing) off\b|"
    r"\btake (?:me|it) off (?:the|your) (?:calendar|schedule|books|list)\b|"
    r"\b(?:don'?t|do not|no need to) (?:put me down|book|schedule|set up|make|reschedule)\b"
    r"[^.?!]*\b(?:another|a new|a different|some other|other)\b",
    re.IGNORECASE,
)


#: the caller is put out at being contacted: "you guys keep calling my cell"
CONTACTED_TOO_MUCH = re.compile(
    r"\b(?:you|y'?all|you guys|you people|your (?:company|people)) (?:keep|kept|always|been) "
    r"(?:calling|ringing|phoning|texting|sending|mailing|bothering)\b|\bhow (?:did|do|'?d) you "
    r"get (?:my|this) (?:number|name)\b",
    re.IGNORECASE,
)
#: a call back asked for in so many words: "ring me back", "call us back"
CALL_BACK = re.compile(r"\b(?:call|ring|phone|get) (?:me|us) back\b|\bcall ?back\b", re.IGNORECASE)
#: a wait for a person, not a thing: "hold on, let me get her", "my husband's coming"
FETCHING_SOMEONE = re.compile(
    r"\b(?:him|her|them|he|she|he'?s|she'?s|they'?re|husband|wife|mom|mother|dad|father|son|"
    r"daughter|sister|brother)\b",
    re.IGNORECASE,
)
#: questions a bare "yes" or "no" answers ("Yes, hi, I got a postcard, um..." answers none)
YES_NO_QUESTIONS = frozenset(
    {
        Expect.HOMEOWNER,
        Expect.PRIMARY,
        Expect.BOOKING_OFFER,
        Expect.CALLBACK_OFFER,
        Expect.ANYTHING_ELSE,
        Expect.GOOD_TIME,
        Expect.RIGHT_PERSON,
        Expect.CANCEL_CONFIRM,
        Expect.CONFIRM_INTENT,
        Expect.IDENTITY,
    }
)


async def global_intents(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    if heard.silent and s.flags.holding:
        s.flags.holding = False  # one quiet turn while they fetch something: still waiting
        turn.ask_nothing = True
        return "Take your time; I'm right here."
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
    s.flags.holding = False
    if CONTACTED_TOO_MUCH.search(heard.text) or heard.topic == "how_contacted":
        s.flags.contact_questioned = True  # "you guys keep calling my cell"
    if (
        heard.unfinished
        and not heard.intents
        and not ((heard.yes or heard.no) and s.expect in YES_NO_QUESTIONS)
        and not carries_facts(heard)
        and heard.choice is None
        and not (heard.days or heard.part_of_day)
    ):
        # "Oh, it's worth, um...": the thought is not finished; wait for the rest
        s.flags.holding = True
        turn.ask_nothing = True
        return "Mm-hm, take your time."
    if (
        heard.has(Intent.HOLD_ON)
        and s.node != Node.WRONG_PERSON
        # ("hold on, that's my ride. I have to go, I'll call you back": going, not waiting)
        and not heard.intents
        & {Intent.WRONG_PERSON, Intent.STOP_CALLING, Intent.BOOK, Intent.BAD_TIMING, Intent.GOODBYE}
        and heard.choice is None
        and not carries_facts(heard)
        and (s.flags.identified or not FETCHING_SOMEONE.search(heard.text))
        and not heard.relation
    ):
        # "hold on, let me get a pen": wait for them, and ask nothing now
        s.flags.holding = True
        turn.ask_nothing = True
        return "Of course, take your time."
    if s.expect == Expect.GOOD_TIME and not heard.has(Intent.STOP_CALLING):
        if heard.no or heard.has(Intent.BAD_TIMING):
            return await _call_back_later(turn, heard)
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
        # a reverse mortgage they have now: their servicer is who can help with it
        return lines.SERVICER if SERVICING.search(heard.text.lower()) else lines.OTHER_LENDER
    done = s.flags.booked or s.flags.callback or s.flags.email_requested
    if heard.has(Intent.NOT_INTERESTED) and not (done and s.expect == Expect.ANYTHING_ELSE):
        if s.flags.contact_questioned and not s.flags.dnc_offered:
            # "how'd you get my number? … I don't want one": offered never to hear from us
            s.flags.dnc_offered = True
            s.unsure_of = Intent.STOP_CALLING.value
            return "I understand completely."
        await fn.end_call(turn, "not_interested")
        return lines.NOT_INTERESTED
    if (
        s.flags.dnc_offered
        and not s.flags.ended
        and not heard.has(Intent.STOP_CALLING)
        and (heard.no or heard.intents & {Intent.GOODBYE, Intent.THANKS})
    ):
        # the offer never to be contacted again turned down: not interested, and goodbye
        await fn.end_call(turn, "not_interested")
        return lines.NOT_INTERESTED
    if (
        heard.has(Intent.CALLBACK)
        and s.node != Node.WRONG_PERSON
        # (times on offer: "can he call me Thursday at ten?" is the consultation's own call;
        # "could someone ring me back Thursday?" is a call back)
        and (s.expect != Expect.SLOT or CALL_BACK.search(heard.text) is not None)
        and s.expect != Expect.CALLBACK_TIME
        and not s.flags.callback
    ):
        # "call me back next week", "have the broker call me tomorrow afternoon"
        s.flags.wants_callback = True
        s.expect = Expect.CALLBACK_TIME
        if heard.callback and await schedule_callback(turn, heard.callback):
            return None
        return "Of course, we can call you back."
    if heard.has(Intent.GOODBYE) and not heard.question and s.node != Node.EXIT:
        # an explicit goodbye ends the call politely from any node, never another question
        await fn.end_call(turn, "goodbye")
        return ""
    if (
        heard.meaning is not None
        and heard.meaning.sure(Act.RESUME)
        and not carries_facts(heard)
        and heard.choice is None
        and not (heard.days or heard.part_of_day or heard.yes or heard.no)
        and not heard.intents - {Intent.THANKS, Intent.REPEAT, Intent.HOLD_ON}
    ):
        # "sorry about that, it was the UPS man. Where were we?": the open question again
        return "No problem at all."
    if heard.has(Intent.REPEAT) and not (
        heard.yes
        or heard.no
        or carries_facts(heard)
        or heard.days
        or heard.part_of_day
        or heard.choice is not None
        or heard.has(Intent.BOOK)
    ):  # "say that again? oh, yes, mornings": the yes is the answer
        said = [h.text for h in s.history if h.role == "agent"]
        last = said[-1] if said else None
        if last:
            again = len(said) >= 2 and said[-2] == last and s.expect.value in lines.REPHRASE
            # said once more as it was; asked yet again, shorter and in other words
            await turn.reply.say(
                f"Sorry about the line. {lines.REPHRASE[s.expect.value]}" if again else last
            )
            turn.ask_nothing = True  # the question in it is still the one asked
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
        return await _call_back_later(turn, heard)
    if s.expect == Expect.EMAIL and (
        heard.email or s.facts.email or asked(turn, Expect.EMAIL) >= 2
    ):
        # the address they spelled (absorb stored it), or, asked twice, the one on file
        await send_email(turn, heard.email)
        return None
    if heard.has(Intent.EMAIL) and s.node not in (Node.WRONG_PERSON,) and s.expect != Expect.EMAIL:
        if heard.email or s.facts.email:
            await send_email(turn, heard.email)
            return None
        s.flags.email_pending = True  # ask() asks for the address
        return "Of course, I can have some information sent to you."
    if heard.has(Intent.BOOK) and s.flags.existing_appointment and s.flags.verified:
        when = fn.upcoming_when(turn)
        if when and s.expect != Expect.APPOINTMENT_ACTION:
            s.expect = Expect.APPOINTMENT_ACTION
            return f"You already have an appointment for {when}."
    if (
        heard.has(Intent.BOOK)
        and not heard.has(Intent.CALLBACK)
        and s.expect == Expect.CALLBACK_TIME
        and s.flags.verified
        and not s.flags.wrong_person
        and s.flags.qualified is not False
        and not s.flags.callback
    ):
        # asked when to call back, "let's go ahead and set up that meeting with the broker":
        # the meeting instead
        s.flags.wants_callback = s.flags.gate_deferred = False
        await fn.mark_ready_to_book(turn)
        await note_preference(turn, heard)
        if s.flags.qualified:
            return await offer_slots_now(turn, heard) or "Of course."
        return READY_FIRST
    if heard.has(Intent.BOOK) and s.node not in (Node.BOOK, Node.WRONG_PERSON) and s.flags.verified:
        await fn.mark_ready_to_book(turn)
        await note_preference(turn, heard)
        # "before I book, how do I know the broker is licensed?": the answer comes first
        answer = await inline_answer(turn, heard) if heard.question else None
        if s.flags.qualified:
            return await offer_slots_now(turn, heard) or answer
        return answer or READY_FIRST
    if (
        heard.has(Intent.BOOK)
        and not s.flags.verified
        and s.node in (Node.GREET, Node.VERIFY)
        and not heard.intents & {Intent.WRONG_PERSON, Intent.HOLD_ON}
    ):
        # "do you have anything Tuesday at two? I want to get this set up": glad to, once we
        # know who they are and that it fits (the day they said is kept for then)
        await fn.mark_ready_to_book(turn)
        await note_preference(turn, heard)
        answer = await inline_answer(turn, heard, only_topics=True) if heard.question else None
        return answer or READY_FIRST
    return None


READY_FIRST = "I'd be glad to set that up; first, just a few quick questions."


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
                if heard.callback and await schedule_callback(turn, heard.callback):
                    return "All right, your appointment is cancelled."
                return "All right, your appointment is cancelled, and we'll call you back."
            if result.get("ok"):
                # "cancel it; I'll call you back once he's home": not now, rather than no (but
                # "no, don't book me another one … I'll call" turns a new one down)
                f.bad_timing = heard.has(Intent.BAD_TIMING) and not heard.no
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
        await note_preference(turn, heard)  # "can we move it to a Friday?": Friday it is
        return f"Of course; your appointment is {when} right now, so let's find a new time."
    if Intent.KEEP in wants:
        f.kept_appointment = True
        # "I'll keep it… what papers should I have ready?": the answer too
        answer = await inline_answer(turn, heard) if heard.question else None
        return answer or f"Wonderful, you're all set for {when}."
    return f"Your appointment is {when} with {broker_name(turn)}."


async def _call_back_later(turn: Turn, heard: Heard) -> str | None:
    """A bad time: a call back at the time they say (or asked for next)."""
    s = turn.state
    s.flags.bad_timing = True
    s.flags.wants_callback = True
    s.expect = Expect.CALLBACK_TIME
    # "my husband works till next fall" is a reason, not a time to call: only a time they
    # asked to be called at is scheduled
    if heard.callback and heard.has(Intent.CALLBACK):
        if await schedule_callback(turn, heard.callback):
            return None
    return "No problem at all."
