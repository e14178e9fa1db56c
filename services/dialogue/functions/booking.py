"""The broker, open times, booking, cancelling, and calls back at the caller's chosen time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from contracts.tools import (
    AppointmentBooked,
    AppointmentCancelled,
    AvailabilityResult,
    BookAppointment,
    BrokerResult,
    CallbackScheduled,
    CancelAppointment,
    FindBroker,
    GetAvailability,
    LeadLookupResult,
    LocalTime,
    LookupLead,
    PartOfDay,
    RescheduleAppointment,
    ScheduleCallback,
    Slot,
    ToolError,
    ToolErrorCode,
    Weekday,
)
from services.dialogue.context import Turn
from services.dialogue.functions.common import (
    StateCode,
    ZipCode,
    area_state_of,
    caller_zone,
    fail,
    location_facts,
)
from services.dialogue.functions.registry import Result, llm_function
from services.dialogue.state import Appointment, Broker, OfferedSlot

log = logging.getLogger(__name__)


@llm_function
async def find_broker(
    turn: Turn,
    zip: ZipCode | None = None,
    city: str | None = None,
    state: StateCode | None = None,
) -> Result:
    """Find the broker for where the home is."""
    s = turn.state
    location_facts(turn, city, state, zip)
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
        return fail(result)
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


@llm_function
async def get_availability(
    turn: Turn,
    days: list[Weekday] | None = None,
    part_of_day: PartOfDay | None = None,
    starts_from: LocalTime | None = None,
    starts_before: LocalTime | None = None,
) -> Result:
    """Open consultation times, honouring the caller's preference.

    The two best of the broker's open times are offered; ``starts_from`` / ``starts_before``
    are the hours the caller said ("after lunch": 13:00), on their own clock.
    """
    s = turn.state
    if starts_from is not None or starts_before is not None:
        s.preference_from, s.preference_before = _minutes(starts_from), _minutes(starts_before)
    if days is not None:
        s.preference_days = [str(d) for d in days if d in Weekday._value2member_map_]
    if part_of_day is not None and part_of_day in PartOfDay._value2member_map_:
        s.preference_part = str(part_of_day)
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
            starts_from=_clock(s.preference_from),
            starts_before=_clock(s.preference_before),
            limit=10,
        )
    )
    if isinstance(result, ToolError):
        return fail(result)
    if not isinstance(result, AvailabilityResult):
        return {"ok": False}
    slots = _two_choices(result.slots, single_day=len(s.preference_days) == 1)
    s.offered = [_offered(slot) for slot in slots]
    return {
        "ok": True,
        "slots": [{"slot_id": o.slot_id, "when": o.caller_local} for o in s.offered],
    }


def _minutes(clock: str | None) -> int | None:
    if not clock or len(clock) != 5 or clock[2] != ":" or not clock.replace(":", "").isdigit():
        return None
    return int(clock[:2]) * 60 + int(clock[3:])


def _clock(minutes: int | None) -> str | None:
    """Minutes after midnight as ``HH:MM`` (``None`` stays ``None``; past midnight is 23:59)."""
    if minutes is None:
        return None
    minutes = max(0, min(minutes, 23 * 60 + 59))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


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


@llm_function
async def book_appointment(turn: Turn, slot_id: str) -> Result:
    """Book one of the offered times by its slot_id.

    Only slots the dialogue offered in this call can be booked.
    """
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
        return fail(result)
    if not isinstance(result, AppointmentBooked):
        return {"ok": False}
    s.appointment = Appointment(
        appointment_id=result.appointment_id,
        start=result.start,
        caller_local=result.caller_local,
        caller_timezone=result.caller_timezone,
    )
    s.flags.booked = True
    s.flags.booking_recapped = False  # a new time is said in full
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
        return fail(result)
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


@llm_function
async def schedule_callback(turn: Turn, at_local: str, reason: str = "") -> Result:
    """Schedule a call back at the caller's chosen local time (YYYY-MM-DDTHH:MM)."""
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
        return fail(result)
    if isinstance(result, CallbackScheduled):
        s.callback_at = result.at
        s.flags.callback = True
        s.flags.wants_callback = False
        return {"ok": True, "scheduled": True}
    return {"ok": False}
