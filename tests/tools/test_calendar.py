"""Brokers, availability, booking, cancel, reschedule and callbacks over the real bus and DB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

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
    ToolErrorCode,
    Weekday,
)
from services.ops.migrate import service_url
from tests.tools.helpers import (
    GEORGE,
    MARGARET,
    RUTH,
    WALTER,
    Call,
    broker_id,
    key,
    lead_id,
    ok,
    refused,
)

PACIFIC = broker_id("brk-pacific")


async def verified(call: Any, number: str, full_name: str, **kw: Any) -> Call:
    c: Call = call(number, **kw)
    await c.lookup()
    first_name, last_name = full_name.split(" ", 1)
    assert (await c.verify(first_name=first_name, last_name=last_name)).verified
    return c


async def slots(c: Call, **args: Any) -> AvailabilityResult:
    return ok(await c.ask(GetAvailability, **args), AvailabilityResult)


# ---- brokers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "broker", "how"),
    [
        ({"zip": "98103"}, "brk-pacific", "zip"),
        ({"city": "Phoenix", "state": "AZ"}, "brk-mountain", "city"),
        ({"state": "TX"}, "brk-central", "state"),
        ({"zip": "80206", "state": "CO"}, "brk-mountain", "zip"),
        ({"state": "ME"}, "brk-eastern", "default"),
        ({}, "brk-eastern", "default"),
    ],
)
async def test_broker_by_zip_city_state_else_the_default(
    call: Any, args: dict[str, str], broker: str, how: str
) -> None:
    result = ok(await call(None).ask(FindBroker, **args), BrokerResult)
    assert (result.broker_id, result.matched_by) == (broker_id(broker), how)
    assert result.is_default == (broker == "brk-eastern")


async def test_broker_for_the_callers_own_location(call: Any) -> None:
    c = call(WALTER)
    await c.lookup()
    result = ok(await c.ask(FindBroker), BrokerResult)
    assert result.broker_id == broker_id("brk-central") and result.matched_by == "zip"
    assert result.appointment_minutes == 30 and result.timezone == "America/Chicago"


async def test_a_city_without_a_state_asks_for_the_state(call: Any) -> None:
    error = refused(await call(None).ask(FindBroker, city="Springfield"))
    assert error.code is ToolErrorCode.INVALID_ARGUMENTS and error.field == "state"


# ---- availability --------------------------------------------------------------------------


async def test_slots_are_in_the_brokers_hours_and_said_in_the_callers_zone(call: Any) -> None:
    c = call(MARGARET)  # Seattle, Pacific broker: 10:00-17:00 Pacific, 45 minutes
    await c.lookup()
    offered = (await slots(c)).slots
    assert len(offered) == 5
    first = offered[0]
    assert first.start == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert first.end - first.start == timedelta(minutes=45)
    assert first.caller_local == "Tuesday, December 1 at 10 AM Pacific"
    assert first.broker_timezone == first.caller_timezone == "America/Los_Angeles"
    assert [s.start for s in offered] == sorted(s.start for s in offered)
    assert len({s.slot_id for s in offered}) == 5


async def test_an_eastern_caller_hears_eastern_times_for_a_pacific_broker(call: Any) -> None:
    c = call(MARGARET, caller_timezone="America/New_York")
    await c.lookup()
    first = (await slots(c, limit=1)).slots[0]
    assert first.caller_local == "Tuesday, December 1 at 1 PM Eastern"
    assert first.broker_timezone == "America/Los_Angeles"
    mornings = await slots(c, part_of_day=PartOfDay.MORNING)
    assert mornings.slots == []  # no Pacific working hour is an Eastern morning


async def test_preferences_reach_across_the_fortnight_and_stop_at_its_end(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    fridays = await slots(c, days=[Weekday.FRI], part_of_day=PartOfDay.AFTERNOON, limit=10)
    assert {s.caller_local.split(" at ")[0] for s in fridays.slots} == {
        "Friday, December 4",
        "Friday, December 11",
    }
    tuesday_mornings = await slots(c, days=[Weekday.TUE], part_of_day=PartOfDay.MORNING, limit=10)
    days = [s.caller_local.split(" at ")[0] for s in tuesday_mornings.slots]
    assert days == ["Tuesday, December 1"] * 3 + ["Tuesday, December 8"] * 3  # not the 15th


async def test_saturday_hours_of_a_broker_who_works_them(call: Any) -> None:
    c = call("16025550239")  # Charles in Phoenix: the Mountain broker works Saturday 9-12
    await c.lookup()
    sat = await slots(c, days=[Weekday.SAT])
    assert [s.caller_local for s in sat.slots] == [
        "Saturday, December 5 at 9 AM Arizona",
        "Saturday, December 5 at 10 AM Arizona",
        "Saturday, December 5 at 11 AM Arizona",
        "Saturday, December 12 at 9 AM Arizona",
        "Saturday, December 12 at 10 AM Arizona",
    ]


async def test_booked_and_blocked_times_and_the_lead_time_are_respected(
    call: Any, seeded: str, clock: Any
) -> None:
    with psycopg.connect(service_url(seeded, "tools"), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO broker_blocked_time (broker_id, during, reason) VALUES"
            " (%s, tstzrange('2026-12-01 18:00Z', '2026-12-01 19:00Z'), 'dentist')",
            (PACIFIC,),
        )
    c = call(MARGARET)
    await c.lookup()
    first = (await slots(c, limit=1)).slots[0]
    assert first.caller_local == "Tuesday, December 1 at 11:30 AM Pacific"  # 10:00, 10:45 blocked
    clock.set(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))  # noon Pacific: nothing before 2 PM
    later = (await slots(c, limit=1)).slots[0]
    assert later.caller_local == "Tuesday, December 1 at 2:30 PM Pacific"


async def test_an_unknown_broker_id_is_a_typed_error(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    assert refused(await c.ask(GetAvailability, broker_id="nope")).field == "broker_id"
    missing = refused(
        await c.ask(GetAvailability, broker_id="6c97003d-9639-5fb8-93b3-3565deb3d75e")
    )
    assert missing.code is ToolErrorCode.NOT_FOUND


# ---- booking -------------------------------------------------------------------------------


async def test_booking_writes_appointment_billing_activity_and_status_together(
    call: Any, query: Any
) -> None:
    c = await verified(call, MARGARET, "Margaret Holloway")
    slot = (await slots(c)).slots[1]
    booked = ok(
        await c.ask(BookAppointment, slot_id=slot.slot_id, idempotency_key=key()), AppointmentBooked
    )
    assert (booked.start, booked.end, booked.broker_id) == (slot.start, slot.end, PACIFIC)
    assert booked.caller_local == "Tuesday, December 1 at 10:45 AM Pacific" and not booked.replayed
    margaret = lead_id("lead-margaret")
    assert query("SELECT status, lead_id::text, call_id FROM appointments") == [
        ("scheduled", margaret, c.call_id)
    ]
    assert query(
        "SELECT event_type::text, amount_cents, status::text, appointment_id::text"
        " FROM billing_events"
    ) == [("appointment_set", 5000, "pending", booked.appointment_id)]
    assert query("SELECT status::text FROM leads WHERE id = %s", margaret) == [("appointment_set",)]
    assert ("appointment_set",) in query("SELECT kind::text FROM lead_activity")
    assert (await c.lookup()).memory["upcoming_appointment"]["caller_local"] == booked.caller_local


async def test_a_retried_booking_is_one_appointment_and_one_bill(call: Any, query: Any) -> None:
    c = await verified(call, MARGARET, "Margaret Holloway")
    slot_id, k = (await slots(c)).slots[0].slot_id, key()
    first = ok(await c.ask(BookAppointment, slot_id=slot_id, idempotency_key=k), AppointmentBooked)
    again = ok(await c.ask(BookAppointment, slot_id=slot_id, idempotency_key=k), AppointmentBooked)
    assert again.appointment_id == first.appointment_id and again.replayed
    assert query("SELECT count(*) FROM appointments") == [(1,)]
    assert query("SELECT count(*) FROM billing_events") == [(1,)]


async def test_a_slot_taken_meanwhile_is_refused_with_fresh_alternatives(
    call: Any, query: Any
) -> None:
    george = await verified(
        call, GEORGE, "George Castellanos"
    )  # Sacramento: the same Pacific broker
    margaret = await verified(call, MARGARET, "Margaret Holloway")
    wanted = (await slots(george)).slots[0]
    mine = (await slots(margaret)).slots[0]
    assert mine.start == wanted.start
    ok(
        await margaret.ask(BookAppointment, slot_id=mine.slot_id, idempotency_key=key()),
        AppointmentBooked,
    )
    taken = refused(
        await george.ask(BookAppointment, slot_id=wanted.slot_id, idempotency_key=key())
    )
    assert taken.code is ToolErrorCode.SLOT_TAKEN and "just taken" in taken.message
    assert taken.alternatives and all(a.start != wanted.start for a in taken.alternatives)
    again = ok(
        await george.ask(
            BookAppointment, slot_id=taken.alternatives[0].slot_id, idempotency_key=key()
        ),
        AppointmentBooked,
    )
    assert again.start == taken.alternatives[0].start
    assert query("SELECT count(*) FROM billing_events") == [(2,)]


async def test_booking_needs_a_qualified_lead_and_no_other_upcoming_appointment(call: Any) -> None:
    walter = await verified(call, WALTER, "Walter Brennan-Cole")
    error = refused(
        await walter.ask(
            BookAppointment, slot_id=(await slots(walter)).slots[0].slot_id, idempotency_key=key()
        )
    )
    assert error.code is ToolErrorCode.NOT_QUALIFIED
    c = await verified(call, MARGARET, "Margaret Holloway")
    offered = (await slots(c)).slots
    ok(
        await c.ask(BookAppointment, slot_id=offered[0].slot_id, idempotency_key=key()),
        AppointmentBooked,
    )
    twice = refused(await c.ask(BookAppointment, slot_id=offered[2].slot_id, idempotency_key=key()))
    assert twice.code is ToolErrorCode.CONFLICT and "already have a consultation" in twice.message


async def test_unknown_expired_and_past_slots_are_refused(call: Any, clock: Any) -> None:
    c = await verified(call, MARGARET, "Margaret Holloway")
    unknown = refused(
        await c.ask(BookAppointment, slot_id="slot_000000000000", idempotency_key=key())
    )
    assert unknown.code is ToolErrorCode.NOT_FOUND and unknown.field == "slot_id"
    offered = (await slots(c)).slots[0]
    clock.advance(timedelta(minutes=61))  # the offer expired
    expired = refused(await c.ask(BookAppointment, slot_id=offered.slot_id, idempotency_key=key()))
    assert expired.code is ToolErrorCode.NOT_FOUND and "get_availability" in expired.detail
    clock.set(offered.start + timedelta(minutes=1))  # and now it has begun
    past = refused(await c.ask(BookAppointment, slot_id=offered.slot_id, idempotency_key=key()))
    assert past.code is ToolErrorCode.NOT_FOUND


# ---- cancel and reschedule -----------------------------------------------------------------


async def test_cancel_the_lead_s_own_appointment(call: Any, query: Any) -> None:
    c = await verified(call, MARGARET, "Margaret Holloway")
    none_yet = refused(await c.ask(CancelAppointment))
    assert none_yet.code is ToolErrorCode.NOT_FOUND
    booked = ok(
        await c.ask(
            BookAppointment, slot_id=(await slots(c)).slots[0].slot_id, idempotency_key=key()
        ),
        AppointmentBooked,
    )
    done = ok(await c.ask(CancelAppointment, reason="changed my mind"), AppointmentCancelled)
    assert done.appointment_id == booked.appointment_id
    again = ok(
        await c.ask(CancelAppointment, appointment_id=booked.appointment_id), AppointmentCancelled
    )
    assert again.appointment_id == booked.appointment_id
    assert query("SELECT status::text FROM appointments") == [("cancelled",)]
    assert query("SELECT status::text FROM billing_events") == [("void",)]
    assert query("SELECT status::text FROM leads WHERE id = %s", lead_id("lead-margaret")) == [
        ("qualified",)
    ]


async def test_reschedule_moves_the_appointment_in_one_step(call: Any, query: Any) -> None:
    c = await verified(call, MARGARET, "Margaret Holloway")
    offered = (await slots(c)).slots
    old = ok(
        await c.ask(BookAppointment, slot_id=offered[0].slot_id, idempotency_key=key()),
        AppointmentBooked,
    )
    k = key()
    new = ok(
        await c.ask(RescheduleAppointment, slot_id=offered[3].slot_id, idempotency_key=k),
        AppointmentBooked,
    )
    assert new.replaces_id == old.appointment_id and new.start == offered[3].start
    retry = ok(
        await c.ask(RescheduleAppointment, slot_id=offered[3].slot_id, idempotency_key=k),
        AppointmentBooked,
    )
    assert retry.appointment_id == new.appointment_id and retry.replayed
    rows = query("SELECT id::text, status::text FROM appointments ORDER BY created_at")
    assert rows == [(old.appointment_id, "cancelled"), (new.appointment_id, "scheduled")]
    assert query("SELECT appointment_id::text FROM billing_events") == [(new.appointment_id,)]


async def test_a_reschedule_onto_a_taken_slot_keeps_the_old_appointment(
    call: Any, query: Any
) -> None:
    george = await verified(call, GEORGE, "George Castellanos")
    margaret = await verified(call, MARGARET, "Margaret Holloway")
    g_slots, m_slots = (await slots(george)).slots, (await slots(margaret)).slots
    ok(
        await george.ask(BookAppointment, slot_id=g_slots[4].slot_id, idempotency_key=key()),
        AppointmentBooked,
    )
    ok(
        await margaret.ask(BookAppointment, slot_id=m_slots[0].slot_id, idempotency_key=key()),
        AppointmentBooked,
    )
    taken = refused(
        await margaret.ask(RescheduleAppointment, slot_id=m_slots[4].slot_id, idempotency_key=key())
    )
    assert taken.code is ToolErrorCode.SLOT_TAKEN and taken.alternatives
    assert query("SELECT count(*) FROM appointments WHERE status = 'scheduled'") == [(2,)]


# ---- callbacks -----------------------------------------------------------------------------


async def test_a_callback_at_the_time_the_caller_chose(call: Any, query: Any) -> None:
    c = call(WALTER)  # Chicago; a callback needs no verification (a spouse may ask for one)
    await c.lookup()
    at = datetime(2026, 12, 2, 15, 0, tzinfo=UTC) + timedelta(hours=6)  # 3 PM Central
    k = key()
    done = ok(
        await c.ask(ScheduleCallback, at=at, idempotency_key=k, reason="after lunch"),
        CallbackScheduled,
    )
    assert done.caller_local == "Wednesday, December 2 at 3 PM Central"
    assert done.timezone == "America/Chicago"
    again = ok(await c.ask(ScheduleCallback, at=at, idempotency_key=k), CallbackScheduled)
    assert again.callback_id == done.callback_id
    assert query("SELECT count(*) FROM callbacks") == [(1,)]
    assert query("SELECT status::text FROM leads WHERE id = %s", lead_id("lead-walter")) == [
        ("callback_scheduled",)
    ]


@pytest.mark.parametrize(
    ("at", "says"),
    [
        (datetime(2026, 12, 1, 13, 0, tzinfo=UTC), "already passed"),
        (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "eight in the morning"),  # 6 AM Central
        (datetime(2027, 1, 15, 18, 0, tzinfo=UTC), "next month"),
    ],
)
async def test_callbacks_in_the_past_at_night_or_too_far_out_are_refused(
    call: Any, at: datetime, says: str
) -> None:
    c = call(WALTER)
    await c.lookup()
    error = refused(await c.ask(ScheduleCallback, at=at, idempotency_key=key()))
    assert error.code is ToolErrorCode.INVALID_ARGUMENTS and error.field == "at"
    assert says in error.message


async def test_no_callback_is_scheduled_for_a_do_not_call_lead(call: Any) -> None:
    c = call(RUTH)
    await c.lookup()
    at = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    error = refused(await c.ask(ScheduleCallback, at=at, idempotency_key=key()))
    assert error.code is ToolErrorCode.CONFLICT
