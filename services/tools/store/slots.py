"""Slots offered to a call: only these ids are bookable, only in that call, until expiry."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from services.tools.domain.slots import OpenSlot
from services.tools.store.brokers import BrokerRow


@dataclass(frozen=True)
class IssuedSlot:
    slot_id: str
    call_id: str
    lead_id: uuid.UUID
    broker_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    caller_timezone: str
    expires_at: datetime


def new_slot_id() -> str:
    return f"slot_{secrets.token_hex(6)}"


_ISSUE = """INSERT INTO issued_slots (slot_id, call_id, lead_id, broker_id, starts_at, ends_at,
                                   caller_timezone, expires_at)
           SELECT u.id, %(call)s, %(lead)s, %(broker)s, u.st, u.en, %(tz)s, %(exp)s
           FROM unnest(%(ids)s::text[], %(starts)s::timestamptz[], %(ends)s::timestamptz[])
                AS u(id, st, en)
           ON CONFLICT (call_id, broker_id, starts_at) DO UPDATE
               SET ends_at = EXCLUDED.ends_at, caller_timezone = EXCLUDED.caller_timezone,
                   expires_at = EXCLUDED.expires_at, lead_id = EXCLUDED.lead_id
           RETURNING slot_id, starts_at"""


async def send_issue(
    conn: AsyncConnection,
    *,
    call_id: str,
    lead_id: uuid.UUID,
    broker_id: uuid.UUID,
    caller_timezone: str,
    slots: Sequence[OpenSlot],
    expires_at: datetime,
) -> Any:
    """Record the offer; the same time offered again in the same call keeps its id."""
    if not slots:
        return None
    return await conn.execute(
        _ISSUE,
        {
            "call": call_id,
            "lead": lead_id,
            "broker": broker_id,
            "tz": caller_timezone,
            "exp": expires_at,
            "ids": [new_slot_id() for _ in slots],
            "starts": [s.start for s in slots],
            "ends": [s.end for s in slots],
        },
    )


async def read_issue(cur: Any) -> dict[datetime, str]:
    """Slot id by start time."""
    if cur is None:
        return {}
    return {row[1]: str(row[0]) for row in await cur.fetchall()}


_GET = """SELECT s.slot_id, s.call_id, s.lead_id, s.broker_id, s.starts_at, s.ends_at,
                 s.caller_timezone, s.expires_at,
                 b.id, b.name, b.company, b.nmls, b.timezone, b.is_default, b.appointment_minutes,
                 b.phone
          FROM issued_slots s LEFT JOIN brokers b ON b.id = s.broker_id AND b.status = 'active'
          WHERE s.slot_id = %s"""


async def send_get(conn: AsyncConnection, slot_id: str) -> Any:
    """The offered slot and its broker (if still active), read fresh."""
    return await conn.execute(_GET, (slot_id,))


async def read_get(cur: Any) -> tuple[IssuedSlot, BrokerRow | None] | None:
    row = await cur.fetchone()
    if row is None:
        return None
    return IssuedSlot(*row[:8]), (BrokerRow(*row[8:]) if row[8] is not None else None)


async def get(conn: AsyncConnection, slot_id: str) -> tuple[IssuedSlot, BrokerRow | None] | None:
    return await read_get(await send_get(conn, slot_id))


async def purge_expired(conn: AsyncConnection, before: datetime) -> int:
    cur = await conn.execute("DELETE FROM issued_slots WHERE expires_at < %s", (before,))
    return cur.rowcount
