"""Leads: read, create for an unknown caller, and update."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from psycopg import AsyncConnection, sql


@dataclass(frozen=True)
class LeadRow:
    id: uuid.UUID
    phone: str
    first_name: str | None
    last_name: str | None
    email: str | None
    property_address: str | None
    property_city: str | None
    property_state: str | None
    property_zip: str | None
    property_value: int | None
    mortgage_balance: int | None
    age: int | None
    co_borrower_age: int | None
    is_homeowner: bool | None
    owner_occupied: bool | None
    money_purpose: str | None
    timeline: str | None
    status: str
    gate_age: bool | None
    gate_homeowner: bool | None
    gate_primary_residence: bool | None
    gate_equity: bool | None
    qualified: bool
    disqualification_reason: str | None
    consent: bool
    do_not_call: bool
    assigned_broker_id: uuid.UUID | None
    last_contact_at: datetime | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> LeadRow:
        values: list[Any] = [int(v) if isinstance(v, Decimal) else v for v in row]
        return cls(*values)

    def identity(self) -> dict[str, str | None]:
        """What verification compares against (never sent anywhere)."""
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "address": self.property_address,
            "zip": self.property_zip,
        }


LEAD_COLUMNS = [f.name for f in fields(LeadRow)]
SELECT_LEAD = sql.SQL(", ").join(sql.Identifier("l", c) for c in LEAD_COLUMNS)


async def by_phone(conn: AsyncConnection, phone: str) -> LeadRow | None:
    cur = await conn.execute(
        sql.SQL("SELECT {} FROM leads l WHERE l.phone = %s").format(SELECT_LEAD), (phone,)
    )
    row = await cur.fetchone()
    return LeadRow.from_row(row) if row else None


async def create_for_caller(conn: AsyncConnection, phone: str) -> tuple[LeadRow, bool]:
    """The lead for ``phone``, created (status ``new``) if there is none; True if created."""
    cur = await conn.execute(
        "INSERT INTO leads (id, phone) VALUES (%s, %s) ON CONFLICT (phone) DO NOTHING RETURNING id",
        (uuid.uuid4(), phone),
    )
    created = await cur.fetchone() is not None
    lead = await by_phone(conn, phone)
    if lead is None:  # pragma: no cover - the row exists after the upsert
        raise RuntimeError("lead vanished after upsert")
    return lead, created


async def update(conn: AsyncConnection, lead_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Set columns (names from code, never from a request) and ``updated_at``."""
    if not values:
        return
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in values
    )
    await conn.execute(
        sql.SQL("UPDATE leads SET {}, updated_at = now() WHERE id = %(lead_id)s").format(
            assignments
        ),
        {**values, "lead_id": lead_id},
    )


async def add_activity(
    conn: AsyncConnection,
    lead_id: uuid.UUID,
    kind: str,
    call_id: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    from psycopg.types.json import Jsonb

    await conn.execute(
        "INSERT INTO lead_activity (lead_id, kind, call_id, detail) VALUES (%s, %s, %s, %s)",
        (lead_id, kind, call_id, Jsonb(detail or {})),
    )
