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
from typing import Any

import msgspec
from psycopg import AsyncConnection

from contracts.calls import CallAnalyzed, CallEnded, CallStarted, RecordingStored

_CALL = ("direction", "call_type", "lead_id", "template_id", "prompt_version_id", "started_at")
_END = ("ended_at", "end_reason", "duration_ms", "outcome", "outcome_reason")


@dataclass(frozen=True)
class Hook:
    """A call event that becomes a webhook: its ``type``, the call-row ``columns`` and the
    event's own ``fields`` its ``data`` carries (ids, outcomes, numbers: nothing said in the
    call, no phone number)."""

    type: str
    columns: tuple[str, ...]
    fields: tuple[str, ...] = ()


#: a payload whose ``data`` has ``recording_path`` set gets ``recording_url``, signed when it is
#: delivered (``webhooks.deliver``): a URL that expires must not wait in the outbox
_RECORDING = ("recording_path", "recording_duration_ms", "recording_offset_ms")

#: event type → webhook
HOOKS: dict[type, Hook] = {
    CallStarted: Hook("call.started", _CALL),
    CallEnded: Hook("call.ended", _CALL + _END),
    # written by the analysis (analysis/store.py), in the transaction that stores it
    CallAnalyzed: Hook("call.analyzed", _CALL + _RECORDING, ("evaluator", "scores", "cost_cents")),
    RecordingStored: Hook("call.recorded", _CALL + _RECORDING),
}


async def enqueue(conn: AsyncConnection, event: Any, endpoints: Sequence[str]) -> int:
    """Add one outbox row per endpoint for ``event`` if it is a webhook; returns how many."""
    hook = HOOKS.get(type(event))
    if hook is None or not endpoints:
        return 0
    body = await payload(conn, hook, event)
    cur = await conn.execute(
        """INSERT INTO webhook_outbox (msg_id, endpoint, event_type, call_id, body)
           SELECT %s, e, %s, %s, %s FROM unnest(%s::text[]) AS u(e)
           ON CONFLICT (msg_id, endpoint) DO NOTHING""",
        (event.event_id, hook.type, event.call_id, body, list(endpoints)),
    )
    return cur.rowcount


async def payload(conn: AsyncConnection, hook: Hook, event: Any) -> str:
    """``{"type", "timestamp", "data": {"call_id", ...}}``: the call row as it is now, then the
    event's fields."""
    columns = ", ".join(hook.columns)  # names from HOOKS, never from input
    cur = await conn.execute(f"SELECT {columns} FROM calls WHERE call_id = %s", (event.call_id,))
    row = await cur.fetchone()
    data: dict[str, Any] = {"call_id": event.call_id}
    if row is not None:
        data.update(zip(hook.columns, row, strict=True))
    data.update((name, msgspec.to_builtins(getattr(event, name))) for name in hook.fields)
    body = {"type": hook.type, "timestamp": event.occurred_at, "data": data}
    return msgspec.json.encode(body, enc_hook=str).decode()
