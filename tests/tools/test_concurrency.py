"""Races decided by the database, not by read-then-write: a thousand callers after one slot,
and one booking retried concurrently."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import psycopg
import pytest

from contracts.tools import (
    AppointmentBooked,
    AvailabilityResult,
    BookAppointment,
    GetAvailability,
    ToolError,
    ToolErrorCode,
    ToolSession,
)
from services.ops.infra import NatsServer
from services.ops.migrate import service_url
from tests.conftest import migrated_database
from tests.tools.helpers import MARGARET, NOW, broker_id, key, ok, request


@pytest.fixture(scope="module")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A NATS of its own for these races: a thousand requests at once must reach only this
    test's tools copies, never a copy another test left on the shared server."""
    server = NatsServer(tmp_path_factory.mktemp("nats-race"))
    port = server.start()
    try:
        yield f"nats://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def admin_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Postgres of its own as well: the races measure locking, not whatever load earlier
    tests left on the shared database."""
    yield from migrated_database(tmp_path_factory.mktemp("postgres-race"))


CALLERS = 1000
SLOT_START = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)  # Wednesday 10 AM Pacific


def verified_qualified_callers(db: str, n: int) -> list[ToolSession]:
    """``n`` qualified leads, each bound and verified in its own call, each offered the same
    slot of the Pacific broker — as if each had run lookup, verify and availability."""
    pacific = broker_id("brk-pacific")
    sessions: list[ToolSession] = []
    leads, calls, offers = [], [], []
    for i in range(n):
        lead, call_id, phone = uuid.uuid4(), f"call_race{i:05d}", f"+1555400{i:04d}"
        leads.append((lead, phone))
        calls.append((call_id, lead, phone))
        offers.append(
            (
                f"slot_race{i:05d}",
                call_id,
                lead,
                pacific,
                SLOT_START,
                SLOT_START + timedelta(minutes=45),
                "America/Los_Angeles",
                NOW + timedelta(hours=1),
            )
        )
        sessions.append(
            ToolSession(call_id=call_id, lead_id=str(lead), verified=True, caller_number=phone)
        )
    with psycopg.connect(service_url(db, "tools")) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO leads (id, phone, status, gate_age, gate_homeowner,"
            " gate_primary_residence, gate_equity) VALUES (%s, %s, 'qualified', true, true,"
            " true, true)",
            leads,
        )
        cur.executemany(
            "INSERT INTO call_bindings (call_id, lead_id, caller_phone, verified)"
            " VALUES (%s, %s, %s, true)",
            calls,
        )
        cur.executemany(
            "INSERT INTO issued_slots (slot_id, call_id, lead_id, broker_id, starts_at, ends_at,"
            " caller_timezone, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            offers,
        )
    return sessions


@pytest.mark.slow
async def test_a_thousand_callers_racing_for_one_slot_one_wins(
    nc: Any, seeded: str, settings: Any, make_tools: Any, query: Any
) -> None:
    # the race, not the machine's speed: a thousand bookings queue on one slot's lock, so
    # neither the tool deadline nor the statement timeout may cut a loaded machine short
    relaxed = dataclasses.replace(
        settings, deadline_s=60.0, max_queued=CALLERS, statement_timeout_ms=60_000
    )
    await make_tools(relaxed)
    sessions = verified_qualified_callers(seeded, CALLERS)
    requests = [
        BookAppointment(session=s, slot_id=f"slot_race{i:05d}", idempotency_key=key())
        for i, s in enumerate(sessions)
    ]
    results = await asyncio.gather(*(request(nc, r, wait=90) for r in requests))
    winners = [r for r in results if isinstance(r, AppointmentBooked)]
    losers = [r for r in results if isinstance(r, ToolError)]
    assert len(winners) == 1 and len(losers) == CALLERS - 1
    assert {e.code for e in losers} == {ToolErrorCode.SLOT_TAKEN}
    assert all(
        e.alternatives and e.message.startswith("I'm sorry, that time was just taken")
        for e in losers
    )
    assert all(a.start != SLOT_START for e in losers for a in e.alternatives)
    assert query("SELECT count(*) FROM appointments WHERE status = 'scheduled'") == [(1,)]
    assert query("SELECT count(*), sum(amount_cents) FROM billing_events") == [(1, 5000)]
    assert query(
        "SELECT count(*) FROM leads WHERE status = 'appointment_set' AND phone LIKE '+1555400%%'"
    ) == [(1,)]


async def test_one_booking_retried_concurrently_is_booked_and_billed_once(
    call: Any, query: Any
) -> None:
    c = call(MARGARET)
    await c.lookup()
    await c.verify(first_name="Margaret", last_name="Holloway")
    slot = ok(await c.ask(GetAvailability), AvailabilityResult).slots[0]
    same = BookAppointment(session=c.session, slot_id=slot.slot_id, idempotency_key=key())
    retries = [msgspec.structs.replace(same, event_id=f"evt_retry{i:04d}") for i in range(20)]
    results = await asyncio.gather(*(request(c.nc, r) for r in retries))
    ids = {ok(r, AppointmentBooked).appointment_id for r in results}
    assert len(ids) == 1
    assert sum(not ok(r, AppointmentBooked).replayed for r in results) == 1
    assert query("SELECT count(*) FROM appointments") == [(1,)]
    assert query("SELECT count(*) FROM billing_events") == [(1,)]
