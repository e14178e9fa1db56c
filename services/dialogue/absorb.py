"""Mixed initiative: every fact the caller says is taken, whichever question was asked.

The offline policy reads an utterance once (:func:`understand`) and, before any node handler
runs, :func:`absorb` records what it carries through the same functions (and so the same tools)
the node would use: a name identifies (and, for a new caller, verifies) them, a place finds the
broker, ages, ownership, residence, value and balance go to ``record_qualification`` once the
session allows it (before verification they are held in the call's facts and recorded the
moment the caller is verified), an email or a purpose to ``update_lead``, a day or part of day
to the booking preference. A failed gate said at any time therefore ends the call politely with
its reason. What Barbara asks next is computed from what is still missing.
"""

from __future__ import annotations

from typing import Any

from contracts.tools import PartOfDay, Weekday
from services.dialogue import functions as fn
from services.dialogue.context import Turn
from services.dialogue.language.gates import OWNER_OWNS, lives_elsewhere
from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.when import WANTS_DAY
from services.dialogue.state import CallState

#: Heard field → record_qualification argument
_GATE_ARGS = (
    ("age", "age"),
    ("homeowner", "is_homeowner"),
    ("primary_residence", "primary_residence"),
    ("home_value", "property_value"),
    ("mortgage_balance", "mortgage_balance"),
)
#: where a day or part of day is a booking preference (elsewhere it may be a callback time)
_GATES_ASKED = (Expect.AGE, Expect.HOMEOWNER, Expect.PRIMARY, Expect.VALUE, Expect.BALANCE)
_PREFERENCE_CONTEXT = (Expect.PREFERENCE, Expect.BOOKING_OFFER, Expect.ZIP, Expect.NOTHING)
#: where a day is something else: a slot pick, a callback time, a time for someone else
_NOT_A_PREFERENCE = (Expect.SLOT, Expect.CALLBACK_TIME, Expect.CALLBACK_OFFER, Expect.GOOD_TIME,
                     Expect.WAITING, Expect.RIGHT_PERSON)  # fmt: skip

#: intents about the appointment already booked: a day said with them names that one
_ABOUT_THE_BOOKED_ONE = frozenset({Intent.CANCEL, Intent.KEEP, Intent.APPOINTMENT_QUERY})


def takes_facts(heard: Heard) -> bool:
    """Whether the utterance is the caller's own to absorb (not silence, not someone else on
    the line, not a claim of authority or a request to stop calling)."""
    if heard.silent or heard.has(Intent.AUTHORITY) or heard.has(Intent.STOP_CALLING):
        return False
    return not (heard.relation and (heard.has(Intent.WRONG_PERSON) or heard.has(Intent.HOLD_ON)))


def carries_facts(heard: Heard) -> bool:
    """The utterance told us something about the caller or their home."""
    return bool(
        heard.first_name
        or heard.last_name
        or heard.address
        or heard.zip
        or heard.city
        or heard.state
        or heard.email
        or any(getattr(heard, field) is not None for field, _ in _GATE_ARGS)
    )


def gate_args(heard: Heard, own_age_known: bool = False) -> dict[str, Any]:
    """The gate answers in ``heard``, as ``record_qualification`` takes them. An age said only
    for someone else ("he's seventy-six") is the other owner's once the caller's own is known
    (``own_age_known``); before that it is the age on record (a relative speaking for the
    homeowner: "she's eighty-six")."""
    args = {
        arg: getattr(heard, field) for field, arg in _GATE_ARGS if getattr(heard, field) is not None
    }
    others = [a for a in heard.borrower_ages if a != heard.own_age] if heard.own_age else []
    if heard.own_age is not None:
        # "I'm sixty-seven, she's sixty-four": the caller's own age on their record, the
        # other owner's apart (the age gate is on the younger)
        args["age"] = heard.own_age
        if others or len(heard.borrower_ages) > 1:
            args["co_borrower_age"] = min(others) if others else heard.own_age
    elif own_age_known and heard.age is not None and len(heard.borrower_ages) == 1:
        args.pop("age", None)  # only someone else's age ("he's seventy-six"): the other owner's
        args["co_borrower_age"] = heard.age
    return args


async def absorb(turn: Turn, heard: Heard) -> str | None:
    """Record every fact in ``heard``; returns a short acknowledgement (or ``None``)."""
    if not takes_facts(heard):
        return None
    s, f = turn.state, turn.state.flags
    was_verified, was_qualified = f.verified, f.qualified
    said: str | None = None
    _last_name_in_two_words(heard, s)
    named = bool(heard.first_name and _takes_name(s) and not _is_place(heard))
    if named and heard.first_name:
        await fn.identify_caller(turn, heard.first_name, heard.last_name)
        said = _thanks(turn)
    if await _confirms_identity(turn, heard, named=named):
        said = said or _thanks(turn)
    if heard.zip or heard.state or heard.city:
        await _place(turn, heard)
        said = said or "Thank you."
    if heard.homeowner is False and s.facts.is_homeowner and lives_elsewhere(heard.text.lower()):
        # they said they own it; "I live with my daughter in Lakewood now": not where they live
        heard.homeowner, heard.primary_residence = None, False
    if (
        s.facts.relation
        and not f.wrong_person
        and heard.homeowner is None
        and OWNER_OWNS.search(heard.text.lower())
    ):
        heard.homeowner = True  # a relative speaking for the owner on the line: "it's her house"
    gates = gate_args(heard, own_age_known=s.facts.age is not None)
    if _bare_answer_misread(heard, s, gates) or f.wrong_person:
        gates = {}  # (someone else on the phone: "I don't live there" is theirs, not the owner's)
    _drop_restated_amount(gates, s)
    if "is_homeowner" not in gates and "mortgage_balance" in gates and "property_value" in gates:
        gates["is_homeowner"] = True  # what it's worth and what's owed on it: it's theirs
    fn.hold_qualification(turn, **gates)
    if gates and f.gate_deferred and not f.callback:
        # the call back was offered only because a question went unanswered; they answer now
        f.wants_callback = f.gate_deferred = False
    if f.verified and s.lead_id and (gates or not was_verified) and fn.holds_gate_facts(turn):
        await fn.record_qualification(turn)
    elif gates and not f.verified and f.qualified is None:
        _fails_before_verified(s)
    await _other_facts(turn, heard)
    # asked about the home, a day said beside the answer is a wish only if said as one ("yes,
    # with my grandson on weekends" is who is there, not when to meet)
    aside = (
        s.expect in _GATES_ASKED
        and not heard.has(Intent.BOOK)
        and not WANTS_DAY.search(heard.text.lower())
    )
    if (
        (heard.days or heard.part_of_day)
        and s.expect not in _NOT_A_PREFERENCE
        and not aside
        and not (heard.intents & _ABOUT_THE_BOOKED_ONE and not heard.has(Intent.RESCHEDULE))
    ):  # "cancel that thursday thing": the day of the appointment they have, not a wish
        if s.expect not in _PREFERENCE_CONTEXT and not heard.has(Intent.CALLBACK):
            # "any morning is fine": they are planning the meeting (even after a first "no")
            f.ready_to_book, f.booking_declined = True, False
        _note_preference(turn, heard)
    if f.verified and not was_verified and s.lead_found:
        await fn.refresh_memory(turn)  # what we remember, now that they proved who they are
    paid_off_value_unknown = s.facts.mortgage_balance == 0 and s.facts.home_value is None
    if f.qualified and not was_qualified and paid_off_value_unknown:
        f.good_news_due = True  # qualified on "it's paid off": what it is worth is asked first
        return said or _noted(heard, s)
    if f.qualified and (not was_qualified or f.good_news_due) and not paid_off_value_unknown:
        f.good_news_due = False
        return GOOD_NEWS
    if gates and f.qualified is None:
        return said or _noted(heard, s)
    return said


GOOD_NEWS = "Good news, it sounds like you meet the basic requirements."
#: intents that make "I'm not…" a sentence about something else, not an answer to a gate
_NOT_AN_ANSWER = frozenset({Intent.EMAIL, Intent.CALLBACK, Intent.BAD_TIMING, Intent.HUMAN,
                            Intent.NOT_INTERESTED, Intent.BOOK, Intent.OTHER_LENDER})  # fmt: skip


def _bare_answer_misread(heard: Heard, s: CallState, gates: dict[str, Any]) -> bool:
    """ "I'm not ready for an appointment, but email me" is not a "no" to "Do you own your
    home?": a yes/no breaks ties only for bare answers."""
    asked = {Expect.HOMEOWNER: "is_homeowner", Expect.PRIMARY: "primary_residence"}.get(s.expect)
    return (
        asked is not None
        and list(gates) == [asked]
        and (heard.yes or heard.no)
        and bool(heard.intents & _NOT_AN_ANSWER)
    )


def _drop_restated_amount(gates: dict[str, Any], s: CallState) -> None:
    """ "Eighty-five thousand, yes." after "I still owe eighty-five large" confirms what is owed:
    an amount not asked for that is the other amount already known says that one again, it is
    not a new value (nor a new balance)."""
    known = {"property_value": s.facts.home_value, "mortgage_balance": s.facts.mortgage_balance}
    asked = {Expect.VALUE: "property_value", Expect.BALANCE: "mortgage_balance"}.get(s.expect)
    for arg, other in (("property_value", "mortgage_balance"), ("mortgage_balance",
                                                                "property_value")):  # fmt: skip
        said = gates.get(arg)
        if (
            said
            and arg != asked
            and known[arg] is not None
            and said != known[arg]
            and said == known[other]
            and gates.get(other) in (None, said)
        ):
            del gates[arg]


def _fails_before_verified(s: CallState) -> None:
    """A caller who never gave their name can still fail a gate ("I'm seventy-two and I rent"):
    the call ends politely with the reason at once. Nothing is written to the lead (the tools
    record gates only for a verified caller); the outcome carries the reason. The equity gate
    needs the tools' ratio, so it waits for verification."""
    facts, f = s.facts, s.flags
    youngest = fn.youngest_age(facts)
    reason = (
        "age_below_62" if youngest is not None and youngest < 62
        else "not_homeowner" if facts.is_homeowner is False
        else "not_primary_residence" if facts.primary_residence is False
        else None
    )  # fmt: skip
    if reason is not None:
        f.qualified, f.disqualification_reason = False, reason


def _is_place(heard: Heard) -> bool:
    """A place ("Seattle, 98118" said when asked for a name) or a choice ("the second one")
    is not a name."""
    name = (heard.first_name or "").lower()
    if heard.choice is not None or name in ("first", "second", "third", "one", "either"):
        return True
    return bool(name) and name in {(heard.city or "").lower(), (heard.state or "").lower()}


def _takes_name(s: CallState) -> bool:
    """A name said now is the caller's: not yet identified, no name on file yet (they went on
    without giving it, then gave it later), or a name was asked for."""
    return (
        not s.flags.identified
        or (not s.facts.first_name and not s.flags.wrong_person)
        or s.expect in (Expect.NAME, Expect.RIGHT_PERSON, Expect.IDENTITY)
    )


def _last_name_in_two_words(heard: Heard, s: CallState) -> None:
    """Asked for their last name, "mc grath" or "van buren" is one last name heard as two
    words — unless it starts with the first name they gave ("Theresa McGrath")."""
    first, known = heard.first_name, s.facts.first_name
    if s.expect == Expect.IDENTITY and first and heard.last_name and known:
        if first.lower() != known.lower():
            heard.first_name, heard.last_name = None, f"{first} {heard.last_name}"


async def _confirms_identity(turn: Turn, heard: Heard, *, named: bool) -> bool:
    """A last name or the street, said to confirm who they are (a known lead who gave their
    first name) or for the record: checked with the tools. The first name said again when the
    last one was asked for ("it's Mary") is no last name. Whether anything was taken."""
    s = turn.state
    identified = s.flags.identified or s.expect == Expect.IDENTITY
    last = heard.last_name if identified and not named else None
    if last and last.lower() == (s.facts.first_name or "").lower():
        last = None
    if not (last or heard.address) or (s.flags.verified and s.lead_found):
        return False
    await fn.verify_caller(turn, last_name=last, address=heard.address)
    return True


async def _place(turn: Turn, heard: Heard) -> None:
    s = turn.state
    before = (s.facts.zip, s.facts.state, s.facts.city)
    await fn.verify_caller(turn, city=heard.city, state=heard.state, zip=heard.zip)
    changed = (s.facts.zip, s.facts.state, s.facts.city) != before
    if changed and s.flags.verified and s.lead_found:
        await fn.update_lead(turn)  # a known caller told us where the home is
    if changed and (s.facts.zip or s.facts.state) and not s.appointment:
        await fn.find_broker(turn)


async def _other_facts(turn: Turn, heard: Heard) -> None:
    """Email, purpose, amount and timeline: to the lead record once verified."""
    f = turn.state.facts
    email = heard.email if heard.email and heard.email != f.email else None
    purpose = heard.money_purpose if heard.money_purpose != f.money_purpose else None
    amount = heard.amount_needed if heard.amount_needed != f.amount_needed else None
    timeline = heard.timeline if heard.timeline != f.timeline else None
    if not (email or purpose or amount or timeline):
        return
    if turn.state.flags.verified:
        await fn.update_lead(turn, email=email, money_purpose=purpose, amount_needed=amount,
                             timeline=timeline)  # fmt: skip
    else:
        fn.hold_lead_facts(turn, email, purpose, amount, timeline)


def _note_preference(turn: Turn, heard: Heard) -> None:
    s = turn.state
    days = preferred_days(turn, heard)
    if days:
        s.preference_days = days
    if heard.part_of_day:
        s.preference_part = heard.part_of_day.value
    note_window(turn, heard)


def note_window(turn: Turn, heard: Heard) -> None:
    """The hours said ("after three", "late mornings") replace those said before; a part of
    the day said alone that the old hours do not fit clears them."""
    s = turn.state
    if heard.starts_from is not None or heard.starts_before is not None:
        s.preference_from, s.preference_before = heard.starts_from, heard.starts_before
    elif heard.part_of_day in (PartOfDay.MORNING, PartOfDay.AFTERNOON):
        noon = 12 * 60
        morning = heard.part_of_day == PartOfDay.MORNING
        if (morning and (s.preference_from or 0) >= noon) or (
            not morning and (s.preference_before or 24 * 60) <= noon
        ):
            s.preference_from = s.preference_before = None


def preferred_days(turn: Turn, heard: Heard) -> list[str]:
    """The days said for the meeting: "Tuesday or Thursday", and "today" or "tomorrow" as the
    weekday they are where the caller is."""
    if heard.days:
        return [d.value for d in heard.days]
    ahead = heard.callback.in_days if heard.callback else None
    if ahead not in (0, 1):
        return []
    local = turn.deps.clock.now().astimezone(fn.caller_zone(turn))
    return [list(Weekday)[(local.weekday() + (ahead or 0)) % 7].value]


def _thanks(turn: Turn) -> str:
    s = turn.state
    name = s.facts.first_name
    if s.returning and s.flags.verified and name:
        purpose = s.memory.get("money_purpose")
        if purpose and s.flags.qualified:
            return f"Welcome back, {name}; last time you mentioned wanting to {purpose}."
        return f"Welcome back, {name}, it's good to hear from you again."
    return f"Thank you, {name}." if name else "Thank you."


def _noted(heard: Heard, s: CallState) -> str:
    """Acknowledge what was volunteered without repeating private numbers back."""
    asked = {
        Expect.AGE: "age",
        Expect.HOMEOWNER: "homeowner",
        Expect.PRIMARY: "primary_residence",
        Expect.VALUE: "home_value",
        Expect.BALANCE: "mortgage_balance",
    }.get(s.expect)
    volunteered = [field for field, _ in _GATE_ARGS if getattr(heard, field) is not None]
    if asked is not None and volunteered == [asked]:
        return "Thank you."
    return "Thank you, I've noted that."
