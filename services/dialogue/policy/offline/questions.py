"""What to say next: the current node's next question, or at the exit the recap and goodbye."""

from __future__ import annotations

from contracts.calls import Node
from contracts.conversation import EndCall
from services.dialogue import functions as fn
from services.dialogue.context import Turn
from services.dialogue.graph import move, route, terminal
from services.dialogue.language.heard import Expect
from services.dialogue.policy.offline.booking import (
    appointment_to_discuss,
    asked,
    booked_line,
    broker_name,
    knows_where,
    local_when,
    slots_line,
)
from services.dialogue.speech import lines


def ask(turn: Turn) -> str | None:
    """The current node's next question, for what is still missing; sets what the answer will
    be understood as. The same question is asked at most twice, reworded the second time."""
    s = turn.state
    line = _next_question(turn)
    if line is None or s.expect in (Expect.NOTHING, Expect.WAITING, Expect.ANYTHING_ELSE):
        return line
    key = s.expect.value
    count = s.asks.get(key, 0)
    if count >= 2 and key in GATE_KEYS and _asked_a_question(turn):
        # a caller asking question after question: answered, and the gate question rests
        # this time (it comes back when they have no more)
        return None
    if count >= 2 and key in GIVE_UP:
        # asked twice already: never a third time; go on without the answer
        GIVE_UP[key](turn)
        move(s, route(s))
        if s.node == Node.EXIT:
            closing, action = closing_line(turn)
            turn.action = turn.action or action
            return closing
        line = _next_question(turn)
        if line is None or s.expect in (Expect.NOTHING, Expect.WAITING, Expect.ANYTHING_ELSE):
            return line
        key = s.expect.value
        count = s.asks.get(key, 0)
    s.asks[key] = count + 1
    said = s.said_asks.get(key, 0)
    s.said_asks[key] = said + 1
    if said % 2 == 1 and key in lines.REPHRASE:
        return lines.REPHRASE[key]  # said just before: in other words this time
    return line


GATE_KEYS = frozenset(
    e.value for e in (Expect.AGE, Expect.HOMEOWNER, Expect.PRIMARY, Expect.VALUE, Expect.BALANCE)
)


def _asked_a_question(turn: Turn) -> bool:
    last = next((h.text for h in reversed(turn.state.history) if h.role == "caller"), "")
    return last.rstrip().endswith("?")


def _no_call_back_time(turn: Turn) -> None:
    """No time for a call back after two asks: no call back pushed; the call goes on (or,
    with someone other than the homeowner, ends kindly)."""
    s, f = turn.state, turn.state.flags
    f.wants_callback = False
    f.bad_timing = False
    if s.node == Node.WRONG_PERSON:
        f.ended = True
    elif not f.verified and f.verify_declined:
        f.capped = s.node.value  # nothing left to ask and nothing we may do: a kind goodbye


def _no_call_back_offer(turn: Turn) -> None:
    """Someone else answered and twice did not say whether to call back: ask when instead,
    or, when that was asked twice too, leave it there."""
    f = turn.state.flags
    if turn.state.asks.get(Expect.CALLBACK_TIME.value, 0) >= 2:
        f.ended = True
    else:
        f.wants_callback = True


def _no_booking_answer(turn: Turn) -> None:
    """The consultation offered twice with no answer: not offered a third time."""
    turn.state.flags.booking_declined = True


def _no_zip(turn: Turn) -> None:
    """No ZIP after two asks: the city, the area code's state or the default broker will do;
    a new caller is taken on their name and number."""
    s = turn.state
    if s.facts.zip:
        return  # a ZIP was said, and did not match: asked again until the lockout, not a loop
    if not s.lead_found:
        s.flags.verified = True
    elif not s.flags.verified:
        # a known caller who cannot confirm the home: helped as they are, a call back from
        # the team offered, nothing on file shared
        s.flags.verify_declined = True
        s.flags.wants_callback = True


#: what Barbara does instead of asking a third time
GIVE_UP = {
    Expect.CALLBACK_TIME.value: _no_call_back_time,
    Expect.ZIP.value: _no_zip,
    Expect.CALLBACK_OFFER.value: _no_call_back_offer,
    Expect.BOOKING_OFFER.value: _no_booking_answer,
}


def _next_question(turn: Turn) -> str | None:
    s, f = turn.state, turn.state.flags
    node = s.node
    if s.unsure_of:
        s.expect = Expect.CONFIRM_INTENT
        if f.dnc_offered and s.unsure_of == "stop_calling":
            return lines.OFFER_NO_CONTACT
        return lines.CONFIRM[s.unsure_of]
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
        if f.verify_needs and not f.verify_declined:
            s.expect = Expect.IDENTITY  # a known lead gave part of who they are: the rest
            return lines.identity_question(f.verify_needs, again=asked(turn, Expect.IDENTITY) > 0)
        s.expect = Expect.ZIP  # a ZIP verifies a new caller too, and finds their broker
        if s.lead_found:
            return "Just to be sure I have the right file, what's the ZIP code of your home?"
        return lines.ASK["zip_verify"]
    if f.good_news_due and s.facts.home_value is None and asked(turn, Expect.VALUE) < 2:
        s.expect = Expect.VALUE  # qualified on "paid off": what it is worth, before good news
        return lines.ASK["value"]
    if appointment_to_discuss(turn):
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
            first = f.verify_declined and not f.verified and not asked(turn, Expect.CALLBACK_TIME)
            s.expect = Expect.CALLBACK_TIME
            return lines.ASK["callback_unverified" if first else "callback_time"]
        if s.offered:
            s.expect = Expect.SLOT
            return slots_line(turn)
        if s.broker is None and not knows_where(turn) and asked(turn, Expect.ZIP) < 2:
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
            return line.format(broker=broker_name(turn))
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
        if f.booking_recapped:
            return lines.ASK["anything_else"], None  # the time was said once: not again
        f.booking_recapped = True
        return booked_line(turn) + " " + lines.ASK["anything_else"], None
    if f.booked:
        return f"Thank you so much{name}, and take care. Goodbye!", end
    if f.callback:
        when = local_when(turn, s.callback_at) if s.callback_at else "soon"
        if _ask_who_to_call(turn):
            # the call back is set, but for whom: asked once before goodbye
            f.callback_name_asked = True
            s.expect = Expect.NAME
            return f"I've scheduled a call back for {when}. And who should we ask for?", None
        return f"I've scheduled a call back for {when}. Thank you{name}, and take care!", end
    if f.qualified is False:
        reason = f.disqualification_reason or "insufficient_equity"
        return lines.NOT_QUALIFIED.get(reason, lines.NOT_QUALIFIED["insufficient_equity"]), end
    if f.email_requested:
        if _ask_who_to_call(turn):
            f.callback_name_asked = True
            s.expect = Expect.NAME
            return "We'll send some information by email. And whose name should I put on it?", None
        return f"We'll send some information by email. Thank you{name}, and take care!", end
    if f.capped:
        return lines.CAPPED + " " + lines.GOODBYE, end
    if f.wrong_person and f.owner_moved:
        return lines.OWNER_MOVED_BYE, end
    if f.wrong_person or (s.facts.relation and not f.identified):
        return lines.WRONG_PERSON_BYE, end
    return f"Thank you for calling{name}; take care, and goodbye!", end


def _ask_who_to_call(turn: Turn) -> bool:
    """A call back (or information by email) for someone who never said their name (and is
    the homeowner, as far as we know): whom to ask for is worth one question."""
    s, f = turn.state, turn.state.flags
    return not (
        s.facts.first_name
        or s.facts.last_name
        or f.callback_name_asked
        or f.wrong_person
        or s.facts.relation
        or s.lead_found
    )


def _outbound_needs_good_time(turn: Turn) -> bool:
    s = turn.state
    return (
        lines.is_outbound(s.direction)
        and s.flags.verified
        and not s.flags.good_time_asked
        and not terminal(s)
    )
