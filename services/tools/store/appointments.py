"""Appointments (of record), billing events and callbacks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

BOOKING_FEE_CENTS = 5000  # $50 per appointment set, billed to the broker

_COLUMNS = (
    "id, lead_id, broker_id, starts_at, ends_at, broker_timezone, caller_timezone, status,"
    " replaces_id"
)


@dataclass(frozen=True)
class AppointmentRow:
    id: uuid.UUID
    lead_id: uuid.UUID
    broker_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    broker_timezone: str
    caller_timezone: str
    status: str
    replaces_id: uuid.UUID | None


async def read_one(cur: Any) -> AppointmentRow | None:
    row = await cur.fetchone()
    return AppointmentRow(*row) if row else None


async def send_by_key(conn: AsyncConnection, key: str) -> Any:
    return await conn.execute(
        f"SELECT {_COLUMNS} FROM appointments WHERE idempotency_key = %s", (key,)
    )


async def by_key(conn: AsyncConnection, key: str) -> AppointmentRow | None:
    return await read_one(await send_by_key(conn, key))


async def send_upcoming(
    conn: AsyncConnection, lead_id: uuid.UUID, now: datetime, appointment_id: uuid.UUID | None
) -> Any:
    return await conn.execute(
        f"""SELECT {_COLUMNS} FROM appointments
            WHERE lead_id = %(lead)s AND status = 'scheduled' AND ends_at > %(now)s
              AND (%(id)s::uuid IS NULL OR id = %(id)s::uuid)
            ORDER BY starts_at LIMIT 1 FOR UPDATE""",
        {"lead": lead_id, "now": now, "id": appointment_id},
    )


async def upcoming(
    conn: AsyncConnection, lead_id: uuid.UUID, now: datetime, appointment_id: uuid.UUID | None
) -> AppointmentRow | None:
    """The lead's next scheduled appointment (or the given one, if it is the lead's own)."""
    return await read_one(await send_upcoming(conn, lead_id, now, appointment_id))


async def get_for_lead(
    conn: AsyncConnection, appointment_id: uuid.UUID, lead_id: uuid.UUID
) -> AppointmentRow | None:
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM appointments WHERE id = %s AND lead_id = %s",
        (appointment_id, lead_id),
    )
    row = await cur.fetchone()
    return AppointmentRow(*row) if row else None


async def bill(
    conn: AsyncConnection, appointment_id: uuid.UUID, broker_id: uuid.UUID, lead_id: uuid.UUID
) -> None:
    await conn.execute(
        """INSERT INTO billing_events (id, broker_id, lead_id, appointment_id, event_type,
                                       amount_cents)
           VALUES (%s, %s, %s, %s, 'appointment_set', %s)""",
        (uuid.uuid4(), broker_id, lead_id, appointment_id, BOOKING_FEE_CENTS),
    )


async def move_billing(conn: AsyncConnection, old: uuid.UUID, new: uuid.UUID) -> None:
    """A rescheduled appointment keeps its one billing event."""
    await conn.execute(
        "UPDATE billing_events SET appointment_id = %s WHERE appointment_id = %s", (new, old)
    )


async def void_billing(conn: AsyncConnection, appointment_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE billing_events SET status = 'void' WHERE appointment_id = %s"
        " AND status = 'pending'",
        (appointment_id,),
    )


@dataclass(frozen=True)
class CallbackRow:
    id: uuid.UUID
    lead_id: uuid.UUID
    due_at: datetime
    timezone: str


async def add_callback(
    conn: AsyncConnection,
    *,
    lead_id: uuid.UUID,
    due_at: datetime,
    timezone: str,
    reason: str,
    key: str,
    call_id: str,
) -> tuple[CallbackRow, bool]:
    """Insert (idempotent on ``key``); returns the row and whether it is new."""
    cur = await conn.execute(
        """INSERT INTO callbacks (id, lead_id, due_at, timezone, reason, idempotency_key, call_id)
           VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id""",
        (uuid.uuid4(), lead_id, due_at, timezone, reason, key, call_id),
    )
    created = await cur.fetchone() is not None
    cur = await conn.execute(
        "SELECT id, lead_id, due_at, timezone FROM callbacks WHERE idempotency_key = %s", (key,)
    )
    row = await cur.fetchone()
    assert row is not None
    return CallbackRow(*row), created


async def cancel_callbacks(conn: AsyncConnection, lead_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE callbacks SET status = 'cancelled' WHERE lead_id = %s AND status = 'scheduled'",
        (lead_id,),
    )


async def pending_callback(conn: AsyncConnection, lead_id: uuid.UUID, now: datetime) -> bool:
    cur = await conn.execute(
        "SELECT 1 FROM callbacks WHERE lead_id = %s AND status = 'scheduled' AND due_at > %s"
        " LIMIT 1",
        (lead_id, now),
    )
    return await cur.fetchone() is not None
