"""Broker and calendar tools: find a broker, offer slots, book, cancel, reschedule, callback."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg import AsyncConnection

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
    PartOfDay,
    RescheduleAppointment,
    ScheduleCallback,
    Slot,
    ToolErrorCode,
)
from services.tools.auth import CallContext, Need, authorize, begin, claimed_lead
from services.tools.calendar.port import NewAppointment, SlotTaken
from services.tools.deps import Deps
from services.tools.domain.slots import BrokerSchedule, OpenSlot, Preference, open_slots
from services.tools.domain.timezones import say_time, zone
from services.tools.errors import ToolFailure, invalid, not_authorized, not_found
from services.tools.handlers.leads import lead_zone
from services.tools.store import appointments, brokers, leads, slots
from services.tools.store.appointments import AppointmentRow
from services.tools.store.brokers import BrokerRow
from services.tools.store.slots import IssuedSlot

WINDOW = timedelta(days=14)
CALLBACK_WINDOW = timedelta(days=30)
CALLBACK_MIN_NOTICE = timedelta(minutes=10)
CALLBACK_HOURS = (8, 21)
ALTERNATIVES = 3

NO_SPECIALIST = "I'm sorry, I can't find a specialist for your area right now."
SLOT_JUST_TAKEN = "I'm sorry, that time was just taken. Here are the next openings I have."
SLOT_NOT_ON_LIST = "I'm sorry, I don't have that time on my list. Let me check the calendar again."
ALREADY_BOOKED = "You already have a consultation booked for {when}. Would you like to move it?"
NOT_QUALIFIED = "Before I can book the consultation, I need to ask you a few quick questions."
NO_APPOINTMENT = "I don't see an upcoming appointment for you."


def _uuid(value: str | None, field: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as err:
        raise invalid(field, f"{field} is not an id we issued") from err


def _broker_result(broker: BrokerRow, matched_by: str) -> BrokerResult:
    return BrokerResult(
        broker_id=str(broker.id),
        name=broker.name,
        company=broker.company,
        nmls=broker.nmls,
        timezone=broker.timezone,
        is_default=broker.is_default,
        matched_by=matched_by,
        appointment_minutes=broker.appointment_minutes,
        phone=broker.phone,
    )


# ---- brokers -------------------------------------------------------------------------------


async def _broker_for(
    conn: AsyncConnection, zip_code: str | None, city: str | None, state: str | None
) -> tuple[BrokerRow, str]:
    if zip_code or state:
        found = await brokers.for_location(conn, zip_code, city, state)
        if found:
            return found
    fallback = await brokers.default(conn)
    if fallback is None:
        raise not_found("no territory matches and there is no default broker", NO_SPECIALIST)
    return fallback, "default"


async def find_broker(req: FindBroker, deps: Deps) -> BrokerResult:
    if req.city and not req.state:
        raise invalid("state", "a city needs its state", "And which state is that in?")
    async with deps.pool.connection() as conn:
        if req.zip or req.state:
            broker, how = await _broker_for(conn, req.zip, req.city, req.state)
        elif req.session.lead_id:
            lead = (await authorize(conn, req.session, Need.BOUND)).lead
            broker, how = await _broker_for(
                conn, lead.property_zip, lead.property_city, lead.property_state
            )
        else:
            broker, how = await _broker_for(conn, None, None, None)
    return _broker_result(broker, how)


async def _broker_for_lead(
    conn: AsyncConnection, deps: Deps, ctx: CallContext, broker_id: str | None
) -> BrokerRow:
    wanted = _uuid(broker_id, "broker_id")
    if wanted is not None:
        broker = await deps.brokers.get(conn, wanted)
        if broker is None:
            raise not_found("no active broker with that id", NO_SPECIALIST)
        return broker
    lead = ctx.lead
    if lead.assigned_broker_id:
        broker = await deps.brokers.get(conn, lead.assigned_broker_id)
        if broker is not None:
            return broker
    return (await _broker_for(conn, lead.property_zip, lead.property_city, lead.property_state))[0]


# ---- availability --------------------------------------------------------------------------


def _window(deps: Deps, now: datetime) -> tuple[datetime, datetime]:
    """Slots start no sooner than the minimum lead time and end within 14 days."""
    return now + timedelta(minutes=deps.settings.min_lead_minutes), now + WINDOW


def _open(
    deps: Deps,
    schedule: BrokerSchedule,
    caller_tz: str,
    preference: Preference,
    limit: int,
) -> list[OpenSlot]:
    earliest, latest = _window(deps, deps.clock.now())
    return open_slots(
        schedule,
        earliest=earliest,
        latest=latest,
        caller_timezone=caller_tz,
        preference=preference,
        limit=limit,
    )


async def _send_offer(
    conn: AsyncConnection,
    deps: Deps,
    ctx: CallContext,
    broker: BrokerRow,
    caller_tz: str,
    found: list[OpenSlot],
) -> Any:
    """Issue the slots' ids to this call (the reply is read with ``_offered``)."""
    return await slots.send_issue(
        conn,
        call_id=ctx.call_id,
        lead_id=ctx.lead.id,
        broker_id=broker.id,
        caller_timezone=caller_tz,
        slots=found,
        expires_at=deps.clock.now() + timedelta(minutes=deps.settings.slot_ttl_minutes),
    )


async def _offered(
    cur: Any, broker: BrokerRow, caller_tz: str, found: list[OpenSlot]
) -> list[Slot]:
    ids = await slots.read_issue(cur)
    return [
        Slot(
            slot_id=ids[s.start],
            broker_id=str(broker.id),
            start=s.start,
            end=s.end,
            broker_timezone=broker.timezone,
            caller_timezone=caller_tz,
            caller_local=say_time(s.start, caller_tz),
        )
        for s in found
    ]


async def _offer(
    conn: AsyncConnection,
    deps: Deps,
    ctx: CallContext,
    broker: BrokerRow,
    caller_tz: str,
    preference: Preference,
    limit: int,
) -> list[Slot]:
    """Compute open slots and issue their ids to this call."""
    earliest, latest = _window(deps, deps.clock.now())
    schedule = await deps.calendar.schedule(conn, broker, earliest, latest)
    found = _open(deps, schedule, caller_tz, preference, limit)
    cur = await _send_offer(conn, deps, ctx, broker, caller_tz, found)
    return await _offered(cur, broker, caller_tz, found)


async def get_availability(req: GetAvailability, deps: Deps) -> AvailabilityResult:
    """Two round trips when the broker is known (the dialogue passes find_broker's):
    authorization with the broker's busy times, then the offer, sent as the pipeline closes."""
    earliest, latest = _window(deps, deps.clock.now())
    wanted = _uuid(req.broker_id, "broker_id")
    preference = Preference.of(req.days, req.part_of_day, req.starts_from, req.starts_before)
    async with deps.pool.connection() as conn:
        async with conn.pipeline():
            pending = await begin(conn, req.session)
            broker = await deps.brokers.get(conn, wanted) if wanted else None
            schedule = (
                await deps.calendar.schedule(conn, broker, earliest, latest) if broker else None
            )
            ctx = await pending.finish(Need.BOUND)
            if wanted is not None and broker is None:
                raise not_found("no active broker with that id", NO_SPECIALIST)
            if broker is None:
                broker = await _broker_for_lead(conn, deps, ctx, None)
            if schedule is None:
                schedule = await deps.calendar.schedule(conn, broker, earliest, latest)
            caller_tz = lead_zone(req.session, ctx.lead)
            found = _open(deps, schedule, caller_tz, preference, req.limit)
            issued = await _send_offer(conn, deps, ctx, broker, caller_tz, found)
        offered = await _offered(issued, broker, caller_tz, found)
    return AvailabilityResult(slots=offered)


async def _alternatives(
    conn: AsyncConnection, deps: Deps, ctx: CallContext, slot: IssuedSlot
) -> list[Slot]:
    """Fresh slots with the same broker, at the same part of the caller's day if possible.

    Uses the handler's own connection: taking a second one from the pool while holding the
    first could deadlock a busy pool."""
    local = slot.starts_at.astimezone(zone(slot.caller_timezone))
    part = PartOfDay.MORNING if local.hour < 12 else PartOfDay.AFTERNOON
    broker = await deps.brokers.get(conn, slot.broker_id)
    if broker is None:
        return []
    for preference in (Preference(part_of_day=part), Preference()):
        offered = await _offer(
            conn, deps, ctx, broker, slot.caller_timezone, preference, ALTERNATIVES
        )
        if offered:
            return offered
    return []


# ---- booking -------------------------------------------------------------------------------


def _check_offer(
    found: tuple[IssuedSlot, BrokerRow | None] | None, ctx: CallContext, now: datetime
) -> tuple[IssuedSlot, BrokerRow]:
    if found is None:
        raise ToolFailure(
            ToolErrorCode.NOT_FOUND, SLOT_NOT_ON_LIST, field="slot_id", detail="unknown slot id"
        )
    slot, broker = found
    if slot.call_id != ctx.call_id or slot.lead_id != ctx.lead.id:
        raise not_authorized("slot_id was not offered in this call")
    if slot.expires_at <= now or slot.starts_at <= now:
        raise ToolFailure(
            ToolErrorCode.NOT_FOUND,
            SLOT_NOT_ON_LIST,
            field="slot_id",
            detail="the slot offer expired or its time has passed: call get_availability again",
        )
    if broker is None:
        raise not_found("the broker is no longer active", NO_SPECIALIST)
    return slot, broker


def _booked(a: AppointmentRow, *, replayed: bool = False) -> AppointmentBooked:
    return AppointmentBooked(
        appointment_id=str(a.id),
        broker_id=str(a.broker_id),
        start=a.starts_at,
        end=a.ends_at,
        broker_timezone=a.broker_timezone,
        caller_timezone=a.caller_timezone,
        caller_local=say_time(a.starts_at, a.caller_timezone),
        replaces_id=str(a.replaces_id) if a.replaces_id else None,
        replayed=replayed,
    )


def _appointment(
    ctx: CallContext, slot: IssuedSlot, broker: BrokerRow, key: str, replaces: uuid.UUID | None
) -> NewAppointment:
    return NewAppointment(
        id=uuid.uuid4(),
        lead_id=ctx.lead.id,
        broker_id=broker.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        broker_timezone=broker.timezone,
        caller_timezone=slot.caller_timezone,
        idempotency_key=key,
        call_id=ctx.call_id,
        replaces_id=replaces,
    )


async def book_appointment(req: BookAppointment, deps: Deps) -> AppointmentBooked:
    """Appointment + billing event + lead activity + lead status in one transaction, in
    three round trips: (authorization + earlier booking + offer + current appointment), the
    appointment (where a race is lost), then the rest with the commit."""
    now = deps.clock.now()
    claim = claimed_lead(req.session)
    key = f"book:{claim}:{req.idempotency_key}"
    ctx: CallContext | None = None
    slot: IssuedSlot | None = None
    async with deps.pool.connection() as conn:
        try:
            async with conn.pipeline(), conn.transaction():
                pending = await begin(conn, req.session, lock=True)
                prior_q = await appointments.send_by_key(conn, key)
                offer_q = await slots.send_get(conn, req.slot_id)
                current_q = await appointments.send_upcoming(conn, claim, now, None)
                ctx = await pending.finish(Need.VERIFIED)
                prior = await appointments.read_one(prior_q)
                if prior is not None:
                    return _booked(prior, replayed=True)
                slot, broker = _check_offer(await slots.read_get(offer_q), ctx, now)
                if not ctx.lead.qualified:
                    raise ToolFailure(
                        ToolErrorCode.NOT_QUALIFIED,
                        NOT_QUALIFIED,
                        detail="all four gates must pass",
                    )
                current = await appointments.read_one(current_q)
                if current is not None:
                    when = say_time(current.starts_at, current.caller_timezone)
                    raise ToolFailure(
                        ToolErrorCode.CONFLICT,
                        ALREADY_BOOKED.format(when=when),
                        detail="the lead already has an upcoming appointment: reschedule it",
                    )
                new = _appointment(ctx, slot, broker, key, None)
                await deps.calendar.reserve(conn, new)
                await appointments.bill(conn, new.id, broker.id, ctx.lead.id)
                await leads.add_activity(
                    conn,
                    ctx.lead.id,
                    "appointment_set",
                    ctx.call_id,
                    {
                        "appointment_id": str(new.id),
                        "broker_id": str(broker.id),
                        "starts_at": new.starts_at.isoformat(),
                    },
                )
                await leads.update(
                    conn,
                    ctx.lead.id,
                    {
                        "status": "appointment_set",
                        "assigned_broker_id": broker.id,
                        "last_contact_at": now,
                    },
                )
        except psycopg.errors.UniqueViolation:
            # the same idempotency key committed concurrently: answer with that booking
            replay = await appointments.by_key(conn, key) if ctx is not None else None
            if replay is None:
                raise
            return _booked(replay, replayed=True)
        except SlotTaken:
            assert ctx is not None and slot is not None
            raise ToolFailure(
                ToolErrorCode.SLOT_TAKEN,
                SLOT_JUST_TAKEN,
                field="slot_id",
                detail="another booking took this time",
                alternatives=await _alternatives(conn, deps, ctx, slot),
            ) from None
    return _booked_new(new)


def _booked_new(a: NewAppointment) -> AppointmentBooked:
    return AppointmentBooked(
        appointment_id=str(a.id),
        broker_id=str(a.broker_id),
        start=a.starts_at,
        end=a.ends_at,
        broker_timezone=a.broker_timezone,
        caller_timezone=a.caller_timezone,
        caller_local=say_time(a.starts_at, a.caller_timezone),
        replaces_id=str(a.replaces_id) if a.replaces_id else None,
    )


async def cancel_appointment(req: CancelAppointment, deps: Deps) -> AppointmentCancelled:
    now = deps.clock.now()
    wanted = _uuid(req.appointment_id, "appointment_id")
    async with deps.pool.connection() as conn, conn.transaction():
        ctx = await authorize(conn, req.session, Need.VERIFIED, lock=True)
        current = await appointments.upcoming(conn, ctx.lead.id, now, wanted)
        if current is None:
            if wanted is not None:
                own = await appointments.get_for_lead(conn, wanted, ctx.lead.id)
                if own is not None and own.status == "cancelled":
                    return AppointmentCancelled(appointment_id=str(own.id))  # already done
            raise not_found("no upcoming appointment of this lead", NO_APPOINTMENT)
        await deps.calendar.release(conn, current.id)
        await appointments.void_billing(conn, current.id)
        await leads.add_activity(
            conn,
            ctx.lead.id,
            "appointment_cancelled",
            ctx.call_id,
            {"appointment_id": str(current.id), "reason": req.reason},
        )
        if ctx.lead.status == "appointment_set":
            status = "qualified" if ctx.lead.qualified else "contacted"
            await leads.update(conn, ctx.lead.id, {"status": status})
    return AppointmentCancelled(appointment_id=str(current.id))


async def reschedule_appointment(req: RescheduleAppointment, deps: Deps) -> AppointmentBooked:
    """Cancel the old and book the new in one transaction: both happen or neither does."""
    now = deps.clock.now()
    wanted = _uuid(req.appointment_id, "appointment_id")
    claim = claimed_lead(req.session)
    key = f"reschedule:{claim}:{req.idempotency_key}"
    ctx: CallContext | None = None
    slot: IssuedSlot | None = None
    async with deps.pool.connection() as conn:
        try:
            async with conn.pipeline(), conn.transaction():
                pending = await begin(conn, req.session, lock=True)
                prior_q = await appointments.send_by_key(conn, key)
                current_q = await appointments.send_upcoming(conn, claim, now, wanted)
                offer_q = await slots.send_get(conn, req.slot_id)
                ctx = await pending.finish(Need.VERIFIED)
                prior = await appointments.read_one(prior_q)
                if prior is not None:
                    return _booked(prior, replayed=True)
                current = await appointments.read_one(current_q)
                if current is None:
                    raise not_found("no upcoming appointment of this lead", NO_APPOINTMENT)
                slot, broker = _check_offer(await slots.read_get(offer_q), ctx, now)
                await deps.calendar.release(conn, current.id)
                new = _appointment(ctx, slot, broker, key, current.id)
                await deps.calendar.reserve(conn, new)
                await appointments.move_billing(conn, current.id, new.id)
                await leads.add_activity(
                    conn,
                    ctx.lead.id,
                    "appointment_rescheduled",
                    ctx.call_id,
                    {
                        "appointment_id": str(new.id),
                        "replaces_id": str(current.id),
                        "starts_at": new.starts_at.isoformat(),
                    },
                )
                await leads.update(conn, ctx.lead.id, {"assigned_broker_id": broker.id})
        except psycopg.errors.UniqueViolation:
            replay = await appointments.by_key(conn, key) if ctx is not None else None
            if replay is None:
                raise
            return _booked(replay, replayed=True)
        except SlotTaken:
            assert ctx is not None and slot is not None
            raise ToolFailure(
                ToolErrorCode.SLOT_TAKEN,
                SLOT_JUST_TAKEN,
                field="slot_id",
                detail="another booking took this time; the old appointment stands",
                alternatives=await _alternatives(conn, deps, ctx, slot),
            ) from None
    return _booked_new(new)


# ---- callbacks -----------------------------------------------------------------------------

CALLBACK_PAST = "That time has already passed. What time would work for you?"
CALLBACK_TOO_FAR = "I can only schedule a call back within the next month. What day works?"
CALLBACK_HOURS_MSG = (
    "We can only call between eight in the morning and nine at night your time. "
    "What time in that window works for you?"
)
CALLBACK_DNC = (
    "You asked us not to call you, so I won't schedule a call. You're always welcome to call us."
)


async def schedule_callback(req: ScheduleCallback, deps: Deps) -> CallbackScheduled:
    now = deps.clock.now()
    if req.at < now + CALLBACK_MIN_NOTICE:
        raise invalid("at", "the time is in the past or too soon", CALLBACK_PAST)
    if req.at > now + CALLBACK_WINDOW:
        raise invalid("at", "more than 30 days ahead", CALLBACK_TOO_FAR)
    async with deps.pool.connection() as conn, conn.transaction():
        ctx = await authorize(conn, req.session, Need.BOUND, lock=True)
        if ctx.lead.do_not_call:
            raise ToolFailure(ToolErrorCode.CONFLICT, CALLBACK_DNC, detail="lead is do-not-call")
        tz = lead_zone(req.session, ctx.lead)
        local = req.at.astimezone(zone(tz))
        if not CALLBACK_HOURS[0] <= local.hour < CALLBACK_HOURS[1]:
            raise invalid("at", "outside 8 AM to 9 PM the caller's time", CALLBACK_HOURS_MSG)
        row, created = await appointments.add_callback(
            conn,
            lead_id=ctx.lead.id,
            due_at=req.at,
            timezone=tz,
            reason=req.reason,
            key=f"callback:{ctx.lead.id}:{req.idempotency_key}",
            call_id=ctx.call_id,
        )
        if created:
            await leads.add_activity(
                conn,
                ctx.lead.id,
                "callback_scheduled",
                ctx.call_id,
                {"callback_id": str(row.id), "due_at": row.due_at.isoformat()},
            )
            if ctx.lead.status in ("new", "contacted", "qualified"):
                await leads.update(conn, ctx.lead.id, {"status": "callback_scheduled"})
    return CallbackScheduled(
        callback_id=str(row.id),
        at=row.due_at,
        timezone=row.timezone,
        caller_local=say_time(row.due_at, row.timezone),
    )
