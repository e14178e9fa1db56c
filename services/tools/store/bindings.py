"""Which lead each call is bound to, and whether the caller has been verified in that call."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection, sql

from services.tools.store.leads import SELECT_LEAD, LeadRow


@dataclass(frozen=True)
class Binding:
    call_id: str
    lead_id: uuid.UUID
    caller_phone: str
    verified: bool
    created_lead: bool
    failed_verifications: int


_BINDING = (
    "b.call_id, b.lead_id, b.caller_phone, b.verified, b.created_lead, b.failed_verifications"
)


_LOAD = sql.SQL(
    "SELECT " + _BINDING + ", {} FROM call_bindings b JOIN leads l ON l.id = b.lead_id"
    " WHERE b.call_id = %s"
).format(SELECT_LEAD)
_LOAD_FOR_UPDATE = _LOAD + sql.SQL(" FOR UPDATE OF l")


async def send_load(conn: AsyncConnection, call_id: str, *, lock_lead: bool = False) -> Any:
    """Send the binding query (in pipeline mode it travels with what follows)."""
    return await conn.execute(_LOAD_FOR_UPDATE if lock_lead else _LOAD, (call_id,))


async def read_load(cur: Any) -> tuple[Binding, LeadRow] | None:
    row = await cur.fetchone()
    if row is None:
        return None
    return Binding(*row[:6]), LeadRow.from_row(row[6:])


async def load(
    conn: AsyncConnection, call_id: str, *, lock_lead: bool = False
) -> tuple[Binding, LeadRow] | None:
    """The call's binding and its lead in one round trip (``lock_lead``: FOR UPDATE)."""
    return await read_load(await send_load(conn, call_id, lock_lead=lock_lead))


async def bind(
    conn: AsyncConnection, call_id: str, lead_id: uuid.UUID, phone: str, created_lead: bool
) -> Binding:
    """Bind the call to the lead (first binding wins: a call never changes lead)."""
    await conn.execute(
        """INSERT INTO call_bindings (call_id, lead_id, caller_phone, verified, created_lead)
           VALUES (%s, %s, %s, %s, %s) ON CONFLICT (call_id) DO NOTHING""",
        (call_id, lead_id, phone, created_lead, created_lead),
    )
    cur = await conn.execute(
        "SELECT " + _BINDING + " FROM call_bindings b WHERE b.call_id = %s", (call_id,)
    )
    row = await cur.fetchone()
    assert row is not None
    return Binding(*row)


async def set_verified(conn: AsyncConnection, call_id: str) -> None:
    await conn.execute(
        "UPDATE call_bindings SET verified = true, updated_at = now() WHERE call_id = %s",
        (call_id,),
    )


async def count_failure(conn: AsyncConnection, call_id: str) -> int:
    cur = await conn.execute(
        """UPDATE call_bindings SET failed_verifications = failed_verifications + 1,
               updated_at = now() WHERE call_id = %s RETURNING failed_verifications""",
        (call_id,),
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def recent_failures(conn: AsyncConnection, lead_id: uuid.UUID, window_s: float) -> int:
    """Failed verifications of ``lead_id`` over all its calls whose last failure is less than
    ``window_s`` seconds old: the lockout is per lead (a new call id does not reset it) and
    expires."""
    cur = await conn.execute(
        """SELECT coalesce(sum(failed_verifications), 0) FROM call_bindings
           WHERE lead_id = %s AND failed_verifications > 0
             AND updated_at > now() - make_interval(secs => %s)""",
        (lead_id, window_s),
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0
