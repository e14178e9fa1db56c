"""The outbox side of webhooks out: which call events become webhooks, and their payloads.

Called by :func:`services.persistence.apply.apply_batch` inside the batch's transaction, after
the event's own effect, so a webhook exists exactly when its event was recorded (and a
redelivered event, already in ``processed_events``, adds nothing; the ``(msg_id, endpoint)``
key guards as well). Payloads carry ids, outcome and durations — never transcript text, never
a phone number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from psycopg import AsyncConnection

from contracts.calls import CallEnded, CallStarted

_CALL = ("direction", "call_type", "lead_id", "template_id", "prompt_version_id", "started_at")
_END = ("ended_at", "end_reason", "duration_ms", "outcome", "outcome_reason")


@dataclass(frozen=True)
class Hook:
    """A call event that becomes a webhook: its ``type`` and the call-row columns it carries."""

    type: str
    columns: tuple[str, ...]


#: event type → webhook. ``call.analyzed`` is one more line here once its contract exists, e.g.
#: ``CallAnalyzed: Hook("call.analyzed", _CALL + _END + ("analysis_id",))`` (plus its columns).
HOOKS: dict[type, Hook] = {
    CallStarted: Hook("call.started", _CALL),
    CallEnded: Hook("call.ended", _CALL + _END),
}


async def enqueue(conn: AsyncConnection, event: Any, endpoints: Sequence[str]) -> int:
    """Add one outbox row per endpoint for ``event`` if it is a webhook; returns how many."""
    hook = HOOKS.get(type(event))
    if hook is None or not endpoints:
        return 0
    body = await payload(conn, hook, event.call_id, event.occurred_at)
    cur = await conn.execute(
        """INSERT INTO webhook_outbox (msg_id, endpoint, event_type, call_id, body)
           SELECT %s, e, %s, %s, %s FROM unnest(%s::text[]) AS u(e)
           ON CONFLICT (msg_id, endpoint) DO NOTHING""",
        (event.event_id, hook.type, event.call_id, body, list(endpoints)),
    )
    return cur.rowcount


async def payload(conn: AsyncConnection, hook: Hook, call_id: str, at: datetime) -> str:
    """``{"type", "timestamp", "data": {"call_id", ...}}`` from the call row as it is now."""
    columns = ", ".join(hook.columns)  # names from HOOKS, never from input
    cur = await conn.execute(f"SELECT {columns} FROM calls WHERE call_id = %s", (call_id,))
    row = await cur.fetchone()
    data: dict[str, Any] = {"call_id": call_id}
    if row is not None:
        data.update(zip(hook.columns, row, strict=True))
    body = {"type": hook.type, "timestamp": at, "data": data}
    return msgspec.json.encode(body, enc_hook=str).decode()
