"""The dialogue's functions: what the LLM (or the offline policy) may ask for, per node.

Each function takes only what the caller said (names, ages, amounts, a slot id the dialogue
offered...). The call's session — call id, bound lead, verified — is added by the dialogue,
so no argument can point a tool at another lead. Results set state flags in code; the router
reads those flags. Each returns a small JSON-able dict for the LLM, without stored PII.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contracts.area_codes import area_state
from contracts.calls import DisqualificationReason
from contracts.conversation import Transfer
from contracts.timezones import state_timezone
from contracts.tools import (
    AppointmentBooked,
    AppointmentCancelled,
    AvailabilityResult,
    BookAppointment,
    BrokerResult,
    CallbackScheduled,
    CancelAppointment,
    DoNotCallRecorded,
    FindBroker,
    GetAvailability,
    KnowledgeResult,
    LeadLookupResult,
    LookupLead,
    PartOfDay,
    QualificationResult,
    RecordDoNotCall,
    RecordQualification,
    RescheduleAppointment,
    ScheduleCallback,
    SearchKnowledge,
    Slot,
    ToolError,
    ToolErrorCode,
    UpdateLead,
    VerificationResult,
    VerifyCaller,
    Weekday,
)
from contracts.zip_codes import zip_state
from services.dialogue.context import Turn
from services.dialogue.state import Appointment, Broker, OfferedSlot

log = logging.getLogger(__name__)

Result = dict[str, Any]
Handler = Callable[..., Awaitable[Result]]

GATE_NAMES = ("age", "homeowner", "primary_residence", "equity")
_ZIP_OK = {"type": "string", "pattern": "^[0-9]{5}$"}
_STATE_OK = {"type": "string", "pattern": "^[A-Z]{2}$"}


def _fail(result: ToolError) -> Result:
    return {"ok": False, "error": result.code.value, "say": result.message}


def _known(value: Any) -> bool:
    return value is not None and value != ""


def _append_unique(items: list[str], value: str | None) -> None:
    if value and value not in items:
        items.append(value)


# ---- identity ------------------------------------------------------------------------------


async def identify_caller(turn: Turn, first_name: str, last_name: str | None = None) -> Result:
    """The caller said their name."""
    s = turn.state
    s.facts.first_name = first_name.strip().title()[:60] or s.facts.first_name
    if last_name:
        s.facts.last_name = last_name.strip()[:60]
    s.flags.identified = True
    if s.flags.wrong_person:
        s.flags.wrong_person = False
        s.flags.waiting_for_person = False
    if s.lead_id:
        return await verify_caller(turn, first_name=first_name, last_name=last_name)
    return {"ok": True, "identified": True, "verified": s.flags.verified}


async def verify_caller(
    turn: Turn,
    first_name: str | None = None,
    last_name: str | None = None,
    city: str | None = None,
    state: str | None = None,
    zip: str | None = None,
) -> Result:
    """Compare what the caller said with the record (known lead), or take it down (new)."""
    s = turn.state
    if first_name:
        s.facts.first_name = first_name.strip().title()[:60]
        s.flags.identified = True
    if last_name:
        s.facts.last_name = last_name.strip()[:60]
    _location_facts(turn, city, state, zip)
    f = s.facts
    if s.lead_id and not s.flags.verified and (f.first_name or f.last_name or f.zip):
        result = await turn.tool(
            VerifyCaller(
                session=turn.session(),
                first_name=f.first_name,
                last_name=f.last_name,
                zip=f.zip,
            )
        )
        if isinstance(result, ToolError):
            return _fail(result)
        if isinstance(result, VerificationResult):
            if result.verified:
                s.flags.verified = True
            elif result.mismatched:
                s.flags.verify_attempts += 1
    if s.flags.verified and not s.lead_found and (first_name or last_name or city or state or zip):
        await update_lead(turn)  # a new caller: what they told us becomes their record
    s.flags.located = bool(f.zip or f.state)
    return {"ok": True, "verified": s.flags.verified}


def _location_facts(turn: Turn, city: str | None, state: str | None, zip: str | None) -> None:
    f = turn.state.facts
    if city:
        f.city = city.strip().title()[:80]
    if state and len(state.strip()) == 2:
        f.state = state.strip().upper()
    if zip and len(zip) == 5 and zip.isdigit():
        f.zip = zip
        said_state = state.strip().upper() if state else None
        if not said_state or said_state != zip_state(zip):
            f.state = zip_state(zip) or f.state  # the ZIP knows its state


async def note_wrong_person(
    turn: Turn, relation: str | None = None, coming_to_phone: bool = False
) -> Result:
    """Someone other than the homeowner answered."""
    s = turn.state
    s.flags.wrong_person = True
    s.flags.waiting_for_person = coming_to_phone
    s.flags.identified = False
    s.flags.verified = False
    s.facts.relation = (relation or s.facts.relation or "someone else")[:40]
    return {"ok": True, "wrong_person": True, "waiting": coming_to_phone}


async def take_message(turn: Turn, message: str) -> Result:
    turn.state.facts.message = message[:300]
    turn.state.flags.ended = True
    return {"ok": True}


# ---- facts and qualification ---------------------------------------------------------------


async def update_lead(
    turn: Turn,
    email: str | None = None,
    city: str | None = None,
    state: str | None = None,
    zip: str | None = None,
    money_purpose: str | None = None,
    amount_needed: int | None = None,
    timeline: str | None = None,
) -> Result:
    """Store facts the caller gave about themselves (only this call's lead)."""
    f = turn.state.facts
    _location_facts(turn, city, state, zip)
    hold_lead_facts(turn, email, money_purpose, amount_needed, timeline)
    result = await turn.tool(
        UpdateLead(
            session=turn.session(),
            first_name=f.first_name,
            last_name=f.last_name,
            email=f.email,
            city=f.city,
            state=f.state if f.state and len(f.state) == 2 else None,
            zip=f.zip,
            money_purpose=f.money_purpose,
            timeline=f.timeline,
        )
    )
    if isinstance(result, ToolError):
        return _fail(result)
    return {"ok": True}


async def bind_lead(turn: Turn) -> LeadLookupResult | None:
    """Bind the call to the caller's lead (the tools service makes one for a new caller)."""
    s = turn.state
    result = await turn.tool(LookupLead(session=turn.session()))
    if isinstance(result, LeadLookupResult) and result.lead_id:
        s.lead_id, s.lead_found, s.lead_status = result.lead_id, result.found, result.status
        return result
    return None


async def record_qualification(
    turn: Turn,
    age: int | None = None,
    is_homeowner: bool | None = None,
    primary_residence: bool | None = None,
    property_value: int | None = None,
    mortgage_balance: int | None = None,
) -> Result:
    """Record what the caller said about the four gates."""
    s, f = turn.state, turn.state.facts
    hold_qualification(turn, age, is_homeowner, primary_residence, property_value,
                       mortgage_balance)  # fmt: skip
    result = await turn.tool(
        RecordQualification(
            session=turn.session(),
            age=f.age,
            is_homeowner=f.is_homeowner,
            primary_residence=f.primary_residence,
            property_value=f.home_value,
            mortgage_balance=f.mortgage_balance,
        )
    )
    if isinstance(result, ToolError):
        return _fail(result)
    if not isinstance(result, QualificationResult):
        return {"ok": False}
    s.flags.gates = {k: v for k, v in result.gates.items()}
    s.flags.qualified = result.qualified
    s.flags.disqualification_reason = result.reason.value if result.reason else None
    return {
        "ok": True,
        "qualified": result.qualified,
        "reason": s.flags.disqualification_reason,
        "still_needed": result.missing,
    }


def hold_qualification(
    turn: Turn,
    age: int | None = None,
    is_homeowner: bool | None = None,
    primary_residence: bool | None = None,
    property_value: int | None = None,
    mortgage_balance: int | None = None,
) -> None:
    """Keep what the caller said about the gates in the call's facts (recorded with the tools
    by :func:`record_qualification`, at once or once the caller is verified)."""
    f = turn.state.facts
    if age is not None and 18 <= int(age) <= 120:
        f.age = int(age)
    if is_homeowner is not None:
        f.is_homeowner = bool(is_homeowner)
    if primary_residence is not None:
        f.primary_residence = bool(primary_residence)
    if property_value is not None and 0 <= int(property_value) <= 100_000_000:
        f.home_value = int(property_value)
    if mortgage_balance is not None and 0 <= int(mortgage_balance) <= 100_000_000:
        f.mortgage_balance = int(mortgage_balance)


def holds_gate_facts(turn: Turn) -> bool:
    f = turn.state.facts
    return any(
        v is not None
        for v in (f.age, f.is_homeowner, f.primary_residence, f.home_value, f.mortgage_balance)
    )


def hold_lead_facts(
    turn: Turn,
    email: str | None = None,
    money_purpose: str | None = None,
    amount_needed: int | None = None,
    timeline: str | None = None,
) -> None:
    """Keep facts for the lead record until the caller is verified (``update_lead`` sends
    every fact held so far)."""
    f = turn.state.facts
    if email and "@" in email:
        f.email = email.strip()[:200]
    if money_purpose:
        f.money_purpose = money_purpose[:300]
    if amount_needed:
        f.amount_needed = int(amount_needed)
    if timeline:
        f.timeline = timeline[:200]


def next_gate(turn: Turn) -> str | None:
    """The first gate still open (age, homeowner, primary_residence, equity)."""
    gates = turn.state.flags.gates
    f = turn.state.facts
    for gate in GATE_NAMES:
        if gates.get(gate) is not None:
            continue
        if gate == "age" and f.age is None:
            return gate
        if gate == "homeowner" and f.is_homeowner is None:
            return gate
        if gate == "primary_residence" and f.primary_residence is None:
            return gate
        if gate == "equity" and (f.home_value is None or f.mortgage_balance is None):
            return gate
    return None


# ---- questions and objections --------------------------------------------------------------


async def search_knowledge(turn: Turn, query: str, topic: str | None = None) -> Result:
    """Look the answer up in the knowledge base."""
    f = turn.state.facts
    _append_unique(f.questions, query[:200])
    del f.questions[:-20]
    _append_unique(f.topics, topic)
    result = await turn.tool(SearchKnowledge(session=turn.session(), query=query[:500], top_k=3))
    if isinstance(result, ToolError):
        return _fail(result)
    if not isinstance(result, KnowledgeResult) or not result.answered or not result.passages:
        fallback = getattr(result, "fallback", "") if isinstance(result, KnowledgeResult) else ""
        return {"ok": True, "answered": False, "say": fallback}
    _append_unique(f.topics, result.passages[0].section.lower()[:60] if not topic else None)
    return {"ok": True, "answered": True, "passages": [p.text for p in result.passages[:3]]}


async def note_objection(turn: Turn, topic: str) -> Result:
    turn.state.flags.objection = topic[:60]
    _append_unique(turn.state.facts.objections, topic[:60])
    return {"ok": True}


async def resolve_objection(turn: Turn) -> Result:
    turn.state.flags.objection = None
    return {"ok": True}


async def mark_ready_to_book(turn: Turn) -> Result:
    s = turn.state
    s.flags.ready_to_book = True
    s.flags.objection = None
    return {"ok": True, "qualified": s.flags.qualified}


# ---- booking -------------------------------------------------------------------------------


async def find_broker(
    turn: Turn, zip: str | None = None, city: str | None = None, state: str | None = None
) -> Result:
    s = turn.state
    _location_facts(turn, city, state, zip)
    # no place said: the state of the caller's area code (a guess, never stored), else the
    # tools' default broker
    state_guess = None if (s.facts.zip or s.facts.state) else area_state_of(turn)
    result = await turn.tool(
        FindBroker(
            session=turn.session(),
            zip=s.facts.zip,
            city=s.facts.city if s.facts.state else None,
            state=s.facts.state or state_guess,
        )
    )
    if isinstance(result, ToolError):
        return _fail(result)
    if not isinstance(result, BrokerResult):
        return {"ok": False}
    s.broker = Broker(
        broker_id=result.broker_id,
        name=result.name,
        company=result.company,
        nmls=result.nmls,
        timezone=result.timezone,
        phone=getattr(result, "phone", None),
        is_default=result.is_default,
    )
    return {"ok": True, "broker": result.name, "company": result.company}


async def get_availability(
    turn: Turn, days: list[str] | None = None, part_of_day: str | None = None
) -> Result:
    """Open times with the broker; the two best are offered."""
    s = turn.state
    if days is not None:
        s.preference_days = [d for d in days if d in Weekday.__members__.values()]
    if part_of_day in ("morning", "afternoon", "any"):
        s.preference_part = part_of_day
    if s.broker is None:
        found = await find_broker(turn)
        if not found.get("ok"):
            return found
    assert s.broker is not None
    result = await turn.tool(
        GetAvailability(
            session=turn.session(),
            broker_id=s.broker.broker_id,
            days=[Weekday(d) for d in s.preference_days],
            part_of_day=PartOfDay(s.preference_part or "any"),
            limit=5,
        )
    )
    if isinstance(result, ToolError):
        return _fail(result)
    if not isinstance(result, AvailabilityResult):
        return {"ok": False}
    slots = _two_choices(result.slots, single_day=len(s.preference_days) == 1)
    s.offered = [_offered(slot) for slot in slots]
    return {
        "ok": True,
        "slots": [{"slot_id": o.slot_id, "when": o.caller_local} for o in s.offered],
    }


def _two_choices(slots: list[Slot], *, single_day: bool) -> list[Slot]:
    """Two concrete choices: the soonest, and a later one — on another day, unless the caller
    asked for one particular day (then a few hours apart that day)."""
    if len(slots) <= 2:
        return list(slots)

    def local(x: Slot) -> datetime:
        try:
            return x.start.astimezone(ZoneInfo(x.caller_timezone))
        except Exception:
            return x.start

    first = slots[0]
    day = local(first).date()
    if single_day:
        same = [x for x in slots[1:] if local(x).date() == day]
        apart = [x for x in same if (x.start - first.start) >= timedelta(hours=2)]
        if apart or same:
            return [first, (apart or same)[0]]
    other = next((x for x in slots[1:] if local(x).date() != day), slots[1])
    return [first, other]


def _offered(slot: Slot) -> OfferedSlot:
    return OfferedSlot(
        slot_id=slot.slot_id,
        broker_id=slot.broker_id,
        start=slot.start,
        caller_local=slot.caller_local,
        caller_timezone=slot.caller_timezone,
    )


async def book_appointment(turn: Turn, slot_id: str) -> Result:
    """Book one of the slots the dialogue offered (and only those)."""
    s = turn.state
    slot = next((o for o in s.offered if o.slot_id == slot_id), None)
    if slot is None:
        return {"ok": False, "error": "unknown_slot", "say": "Offer one of the open times first."}
    key = turn.idempotency_key("book")
    request: BookAppointment | RescheduleAppointment
    if s.flags.existing_appointment:
        request = RescheduleAppointment(
            session=turn.session(), slot_id=slot_id, idempotency_key=key
        )
    else:
        request = BookAppointment(session=turn.session(), slot_id=slot_id, idempotency_key=key)
    result = await turn.tool(request)
    if isinstance(result, ToolError):
        if result.code == ToolErrorCode.SLOT_TAKEN:
            fresh = list(getattr(result, "alternatives", []) or [])
            if fresh:
                s.offered = [_offered(x) for x in _two_choices(fresh, single_day=False)]
                alternatives = [{"slot_id": o.slot_id, "when": o.caller_local} for o in s.offered]
            else:
                s.offered = [o for o in s.offered if o.slot_id != slot_id]
                alternatives = (await get_availability(turn)).get("slots", [])
            return {"ok": False, "error": "slot_taken", "alternatives": alternatives}
        return _fail(result)
    if not isinstance(result, AppointmentBooked):
        return {"ok": False}
    s.appointment = Appointment(
        appointment_id=result.appointment_id,
        start=result.start,
        caller_local=result.caller_local,
        caller_timezone=result.caller_timezone,
    )
    s.flags.booked = True
    s.flags.ready_to_book = False
    s.flags.wants_callback = False
    return {"ok": True, "booked": True, "when": result.caller_local}


async def cancel_appointment(turn: Turn, reason: str = "") -> Result:
    """Cancel the caller's own upcoming appointment (after they confirmed it)."""
    s = turn.state
    result = await turn.tool(
        CancelAppointment(session=turn.session(), reason=(reason or "caller cancelled")[:200])
    )
    if isinstance(result, ToolError):
        return _fail(result)
    if not isinstance(result, AppointmentCancelled):
        return {"ok": False}
    s.flags.cancelled = True
    s.flags.existing_appointment = False
    s.flags.ready_to_book = False
    s.memory.pop("upcoming_appointment", None)
    return {"ok": True, "cancelled": True}


async def refresh_memory(turn: Turn) -> None:
    """Once the caller is verified, the lookup returns what we remember about them (the
    upcoming appointment's time, their purpose); before that it shares nothing."""
    s = turn.state
    result = await turn.tool(LookupLead(session=turn.session()))
    if isinstance(result, LeadLookupResult) and result.lead_id == s.lead_id:
        s.memory.update(result.memory)
        upcoming = result.memory.get("upcoming_appointment")
        s.flags.existing_appointment = bool(upcoming) or bool(
            result.memory.get("has_upcoming_appointment")
        )


def upcoming_when(turn: Turn) -> str | None:
    """The upcoming appointment in the caller's words (only known once verified)."""
    upcoming = turn.state.memory.get("upcoming_appointment")
    if isinstance(upcoming, dict) and upcoming.get("caller_local"):
        return str(upcoming["caller_local"])
    return None


def area_state_of(turn: Turn) -> str | None:
    """The state of the caller's area code, for a new caller who has not said where the home
    is (a known lead's broker comes from the record)."""
    s = turn.state
    return None if s.lead_found else area_state(s.caller_number)


def caller_zone(turn: Turn) -> ZoneInfo:
    s = turn.state
    name = (
        state_timezone(s.facts.state)
        or state_timezone(area_state_of(turn))
        or (s.broker.timezone if s.broker else None)
    )
    try:
        return ZoneInfo(name or "America/New_York")
    except Exception:
        return ZoneInfo("America/New_York")


async def schedule_callback(turn: Turn, at_local: str, reason: str = "") -> Result:
    """A call back at a time the caller chose, ``at_local`` in their own time
    (``YYYY-MM-DDTHH:MM``)."""
    s = turn.state
    try:
        local = datetime.fromisoformat(at_local)
    except ValueError:
        return {"ok": False, "error": "invalid_time", "say": "Ask for a day and a time."}
    if local.tzinfo is None:
        local = local.replace(tzinfo=caller_zone(turn))
    at = local.astimezone(UTC)
    now = turn.deps.clock.now()
    if at < now - timedelta(minutes=1):
        return {"ok": False, "error": "in_the_past", "say": "Ask for a time later than now."}
    result = await turn.tool(
        ScheduleCallback(
            session=turn.session(),
            at=at,
            idempotency_key=turn.idempotency_key("callback"),
            reason=(reason or "caller asked for a call back")[:500],
        )
    )
    if isinstance(result, ToolError):
        return _fail(result)
    if isinstance(result, CallbackScheduled):
        s.callback_at = result.at
        s.flags.callback = True
        s.flags.wants_callback = False
        return {"ok": True, "scheduled": True}
    return {"ok": False}


async def request_email(turn: Turn, email: str | None = None) -> Result:
    turn.state.flags.email_requested = True
    if email:
        await update_lead(turn, email=email)
    return {"ok": True}


# ---- compliance and endings ----------------------------------------------------------------


async def record_do_not_call(turn: Turn) -> Result:
    """The caller asked us to stop calling: recorded at once, honoured from then on."""
    s = turn.state
    s.flags.do_not_call = True
    if s.lead_id or s.caller_number:
        result = await turn.tool(RecordDoNotCall(session=turn.session()))
        if isinstance(result, ToolError) and result.code != ToolErrorCode.NOT_FOUND:
            log.warning("do-not-call not recorded by tools: %s", result.code.value)
            return {"ok": False, "recorded": False}
        if isinstance(result, DoNotCallRecorded):
            return {"ok": True, "recorded": result.recorded}
    return {"ok": True}


async def request_human(turn: Turn, reason: str = "") -> Result:
    """The caller wants a person: transfer to the broker when we have their line, else a
    call back from a person."""
    s = turn.state
    if s.broker is None and (s.facts.zip or s.facts.state or s.lead_id):
        await find_broker(turn)
    if s.broker is not None and s.broker.phone:
        s.flags.transferred = True
        turn.action = Transfer(
            broker_id=s.broker.broker_id,
            to_number=s.broker.phone,
            reason=(reason or "caller asked for a person")[:200],
        )
        return {"ok": True, "transferring": True}
    s.flags.transfer_requested = True
    s.flags.wants_callback = True
    return {"ok": True, "transferring": False, "offer": "callback"}


ENDINGS = ("not_interested", "bad_timing", "already_working_with_lender", "goodbye")


async def end_call(turn: Turn, reason: str = "goodbye") -> Result:
    f = turn.state.flags
    if reason == "not_interested":
        f.not_interested = True
    elif reason == "bad_timing":
        f.bad_timing = True
    elif reason == "already_working_with_lender":
        f.other_lender = True
    f.ended = True
    return {"ok": True}


# ---- the registry the LLM sees -------------------------------------------------------------


def _schema(
    description: str, properties: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "description": description,
        "parameters": {
            "type": "object",
            "properties": properties,
            "required": list(required),
            "additionalProperties": False,
        },
    }


_S = {"type": "string"}
_I = {"type": "integer"}
_B = {"type": "boolean"}

FUNCTIONS: dict[str, tuple[Handler, dict[str, Any]]] = {
    "identify_caller": (identify_caller, _schema(
        "The caller said their name.", {"first_name": _S, "last_name": _S}, ("first_name",))),
    "verify_caller": (verify_caller, _schema(
        "Check the caller's own words (name, city, state, ZIP) against the record.",
        {"first_name": _S, "last_name": _S, "city": _S, "state": _STATE_OK, "zip": _ZIP_OK})),
    "note_wrong_person": (note_wrong_person, _schema(
        "Someone other than the homeowner answered.",
        {"relation": _S, "coming_to_phone": _B})),
    "take_message": (take_message, _schema(
        "Take a short message for the homeowner.", {"message": _S}, ("message",))),
    "update_lead": (update_lead, _schema(
        "Store facts the caller gave about themselves.",
        {"email": _S, "city": _S, "state": _STATE_OK, "zip": _ZIP_OK, "money_purpose": _S,
         "amount_needed": _I, "timeline": _S})),
    "record_qualification": (record_qualification, _schema(
        "Record the caller's answers for the four checks; leave unknown ones out.",
        {"age": _I, "is_homeowner": _B, "primary_residence": _B, "property_value": _I,
         "mortgage_balance": _I})),
    "search_knowledge": (search_knowledge, _schema(
        "Search the reverse-mortgage knowledge base.", {"query": _S}, ("query",))),
    "note_objection": (note_objection, _schema(
        "The caller raised a concern (scam, losing the home, heirs, fees, existing mortgage, "
        "moving).", {"topic": _S}, ("topic",))),
    "resolve_objection": (resolve_objection, _schema("The concern was answered.", {})),
    "mark_ready_to_book": (mark_ready_to_book, _schema(
        "The caller wants to book a consultation with the broker.", {})),
    "find_broker": (find_broker, _schema(
        "Find the broker for where the home is.",
        {"zip": _ZIP_OK, "city": _S, "state": _STATE_OK})),
    "get_availability": (get_availability, _schema(
        "Open consultation times, honouring the caller's preference.",
        {"days": {"type": "array", "items": {"type": "string", "enum": [d.value for d in Weekday]}},
         "part_of_day": {"type": "string", "enum": ["morning", "afternoon", "any"]}})),
    "book_appointment": (book_appointment, _schema(
        "Book one of the offered times by its slot_id.", {"slot_id": _S}, ("slot_id",))),
    "schedule_callback": (schedule_callback, _schema(
        "Schedule a call back at the caller's chosen local time (YYYY-MM-DDTHH:MM).",
        {"at_local": _S, "reason": _S}, ("at_local",))),
    "request_email": (request_email, _schema(
        "The caller would rather get information by email first.", {"email": _S})),
    "record_do_not_call": (record_do_not_call, _schema(
        "The caller asked us to stop calling them.", {})),
    "request_human": (request_human, _schema(
        "The caller asked for a real person.", {"reason": _S})),
    "end_call": (end_call, _schema(
        "The conversation is over.",
        {"reason": {"type": "string", "enum": list(ENDINGS)}})),
}  # fmt: skip


_SPECS: dict[tuple[str, ...], list[dict[str, Any]]] = {}


def tool_specs(names: list[str]) -> list[dict[str, Any]]:
    """OpenAI ``tools`` for these functions (built once per set of names)."""
    key = tuple(names)
    cached = _SPECS.get(key)
    if cached is None:
        cached = _SPECS[key] = _build_specs(names)
    return cached


def _build_specs(names: list[str]) -> list[dict[str, Any]]:
    return [
        {"type": "function", "function": {"name": name, **FUNCTIONS[name][1]}}
        for name in names
        if name in FUNCTIONS
    ]


def _clean_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Only the declared arguments, of the declared JSON type: anything else is dropped."""
    props = FUNCTIONS[name][1]["parameters"]["properties"]
    clean: dict[str, Any] = {}
    for key, value in args.items():
        spec = props.get(key)
        if spec is None or value is None:
            continue
        kind = spec.get("type")
        if kind == "string" and isinstance(value, str):
            clean[key] = value
        elif kind == "integer" and isinstance(value, int | float) and not isinstance(value, bool):
            clean[key] = int(value)
        elif kind == "boolean" and isinstance(value, bool):
            clean[key] = value
        elif kind == "array" and isinstance(value, list):
            clean[key] = [str(v) for v in value]
    return clean


async def call_function(turn: Turn, name: str, args: dict[str, Any], allowed: set[str]) -> Result:
    """Run one function the LLM asked for, if this node offers it."""
    if name not in FUNCTIONS or name not in allowed:
        return {"ok": False, "error": "not_available_now"}
    clean = _clean_args(name, args)
    required = FUNCTIONS[name][1]["parameters"]["required"]
    if any(r not in clean for r in required):
        return {"ok": False, "error": "missing_arguments", "required": required}
    turn.calls.append((name, clean))
    handler = FUNCTIONS[name][0]
    return await handler(turn, **clean)


DISQUALIFICATION = {r.value: r for r in DisqualificationReason}
