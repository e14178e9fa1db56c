"""Brokers and their territories."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from psycopg import AsyncConnection

_COLUMNS = (
    "b.id, b.name, b.company, b.nmls, b.timezone, b.is_default, b.appointment_minutes, b.phone"
)


@dataclass(frozen=True)
class BrokerRow:
    id: uuid.UUID
    name: str
    company: str
    nmls: str
    timezone: str
    is_default: bool
    appointment_minutes: int
    phone: str


async def get(conn: AsyncConnection, broker_id: uuid.UUID) -> BrokerRow | None:
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM brokers b WHERE b.id = %s AND b.status = 'active'",
        (broker_id,),
    )
    row = await cur.fetchone()
    return BrokerRow(*row) if row else None


async def default(conn: AsyncConnection) -> BrokerRow | None:
    cur = await conn.execute(
        f"SELECT {_COLUMNS} FROM brokers b WHERE b.is_default AND b.status = 'active'"
    )
    row = await cur.fetchone()
    return BrokerRow(*row) if row else None


async def for_location(
    conn: AsyncConnection, zip_code: str | None, city: str | None, state: str | None
) -> tuple[BrokerRow, str] | None:
    """The most specific territory match: ZIP, then city + state, then state."""
    cur = await conn.execute(
        f"""SELECT {_COLUMNS},
                   CASE WHEN t.zip IS NOT NULL THEN 'zip'
                        WHEN t.city IS NOT NULL THEN 'city' ELSE 'state' END AS matched_by
            FROM broker_territories t JOIN brokers b ON b.id = t.broker_id
            WHERE b.status = 'active' AND (
                  t.zip = %(zip)s
               OR (t.zip IS NULL AND t.city IS NOT NULL AND t.state = %(state)s
                   AND lower(t.city) = lower(%(city)s))
               OR (t.zip IS NULL AND t.city IS NULL AND t.state = %(state)s))
            ORDER BY CASE WHEN t.zip IS NOT NULL THEN 0 WHEN t.city IS NOT NULL THEN 1 ELSE 2 END,
                     b.is_default DESC, b.id
            LIMIT 1""",
        {"zip": zip_code, "city": city, "state": state},
    )
    row = await cur.fetchone()
    return (BrokerRow(*row[:8]), str(row[8])) if row else None


@dataclass
class BrokerCache:
    """Active brokers by id, kept ``ttl_s`` seconds: brokers change rarely and availability
    asks on every call. A deactivated broker may be offered for up to ``ttl_s``; booking
    re-reads the broker in its transaction."""

    ttl_s: float = 30.0
    _rows: dict[uuid.UUID, tuple[float, BrokerRow]] = field(default_factory=dict)

    async def get(self, conn: AsyncConnection, broker_id: uuid.UUID) -> BrokerRow | None:
        now = time.monotonic()
        cached = self._rows.get(broker_id)
        if cached and now - cached[0] < self.ttl_s:
            return cached[1]
        row = await get(conn, broker_id)
        if row is None:
            self._rows.pop(broker_id, None)
        else:
            self._rows[broker_id] = (now, row)
        return row
