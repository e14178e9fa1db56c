"""Writing call events to Postgres: one transaction per batch, idempotent by event id.

``processed_events`` records every event id in the same transaction as its effect, so a
redelivered event (crash before ack, duplicate publish) changes nothing the second time.
Bulk rows (transcripts, tool audit) go in with one statement per kind; lifecycle events
(started, state, outcome, ended) are applied one by one in stream order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from contracts.calls import (
    CallDirection,
    CallEnded,
    CallStarted,
    CallStateChanged,
    OutcomeRecorded,
    RecordingStored,
)
from contracts.conversation import TranscriptSegment
from contracts.tools import ToolInvoked
from services.persistence.memory import deep_merge, remembered, split_patch
from services.persistence.webhooks.outbox import enqueue


@dataclass(frozen=True)
class Event:
    """A decoded call event and where it came from."""

    subject: str
    call_id: str
    event: Any  # one of contracts.catalog.CALL_EVENTS' types


async def apply_batch(
    conn: AsyncConnection, batch: list[Event], webhooks: Sequence[str] = ()
) -> int:
    """Apply the events not seen before, in one transaction. Returns how many were new.

    A new event that is a webhook (``webhooks.outbox.HOOKS``) also gets an outbox
    row per endpoint in ``webhooks``, in the same transaction."""
    async with conn.transaction():
        fresh = await _claim(conn, batch)
        if not fresh:
            return 0
        await _ensure_calls(conn, fresh)
        await _insert_transcripts(
            conn, [e.event for e in fresh if isinstance(e.event, TranscriptSegment)]
        )
        await _insert_tools(conn, [e.event for e in fresh if isinstance(e.event, ToolInvoked)])
        for e in fresh:
            handler = _LIFECYCLE.get(type(e.event))
            if handler:
                await handler(conn, e.event)
            await enqueue(conn, e.event, webhooks)  # a webhook only if HOOKS names its type
        return len(fresh)


async def _claim(conn: AsyncConnection, batch: list[Event]) -> list[Event]:
    cur = await conn.execute(
        """INSERT INTO processed_events (event_id, subject, occurred_at)
           SELECT * FROM unnest(%s::text[], %s::text[], %s::timestamptz[])
           ON CONFLICT DO NOTHING RETURNING event_id""",
        (
            [e.event.event_id for e in batch],
            [e.subject for e in batch],
            [e.event.occurred_at for e in batch],
        ),
    )
    new = {row[0] for row in await cur.fetchall()}
    fresh: list[Event] = []
    for e in batch:
        if e.event.event_id in new:
            new.discard(e.event.event_id)  # the first copy inside the batch wins
            fresh.append(e)
    return fresh


async def _ensure_calls(conn: AsyncConnection, events: list[Event]) -> None:
    """A row per call before anything refers to it (events may arrive before `started`)."""
    first: dict[str, datetime] = {}
    for e in events:
        at = e.event.occurred_at
        if e.call_id not in first or at < first[e.call_id]:
            first[e.call_id] = at
    await conn.execute(
        """INSERT INTO calls (call_id, direction, started_at)
           SELECT c, 'inbound', t FROM unnest(%s::text[], %s::timestamptz[]) AS u(c, t)
           ON CONFLICT (call_id) DO NOTHING""",
        (list(first), list(first.values())),
    )


async def _insert_transcripts(conn: AsyncConnection, rows: list[TranscriptSegment]) -> None:
    if not rows:
        return
    await conn.execute(
        """INSERT INTO transcript_segments
               (call_id, seq, speaker, text, heard_text, interrupted, offset_ms, spoken_at,
                event_id)
           SELECT * FROM unnest(%s::text[], %s::int[], %s::speaker[], %s::text[], %s::text[],
                                %s::bool[], %s::int[], %s::timestamptz[], %s::text[])""",
        (
            [r.call_id for r in rows],
            [r.seq for r in rows],
            [r.speaker.value for r in rows],
            [r.text for r in rows],
            [r.heard_text for r in rows],
            [r.interrupted for r in rows],
            [r.offset_ms for r in rows],
            [r.occurred_at for r in rows],
            [r.event_id for r in rows],
        ),
    )


async def _insert_tools(conn: AsyncConnection, rows: list[ToolInvoked]) -> None:
    if not rows:
        return
    await conn.execute(
        """INSERT INTO tool_invocations
               (call_id, tool, request_id, args, result, error, latency_ms, invoked_at, event_id)
           SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::jsonb[], %s::jsonb[],
                                %s::jsonb[], %s::real[], %s::timestamptz[], %s::text[])""",
        (
            [r.call_id for r in rows],
            [r.tool.value for r in rows],
            [r.request_id for r in rows],
            [Jsonb(r.args) for r in rows],
            [Jsonb(r.result) if r.result is not None else None for r in rows],
            [Jsonb(msgspec.to_builtins(r.error)) if r.error else None for r in rows],
            [r.latency_ms for r in rows],
            [r.occurred_at for r in rows],
            [r.event_id for r in rows],
        ),
    )


def caller_of(event: CallStarted) -> str | None:
    return event.from_number if event.direction is CallDirection.INBOUND else event.to_number


async def _started(conn: AsyncConnection, e: CallStarted) -> None:
    await conn.execute(
        """UPDATE calls SET direction = %s, room = %s, from_number = %s, to_number = %s,
               template_id = %s, call_type = %s, started_at = %s
           WHERE call_id = %s""",
        (e.direction.value, e.room, e.from_number, e.to_number, _uuid_or_none(e.template_id),
         e.call_type.value if e.call_type else None, e.occurred_at, e.call_id),
    )  # fmt: skip
    caller = caller_of(e)
    if caller:
        await start_conversation(conn, caller, e.call_id, e.occurred_at)


async def start_conversation(
    conn: AsyncConnection, caller: str, call_id: str, at: datetime
) -> None:
    """A new call resets the per-call memory; a still-active previous call is closed as
    interrupted. Starting the same call twice changes nothing."""
    cur = await conn.execute(
        "SELECT status, active_call_id FROM conversation_state WHERE caller_phone = %s FOR UPDATE",
        (caller,),
    )
    row = await cur.fetchone()
    if row is None:
        await conn.execute(
            """INSERT INTO conversation_state (caller_phone, call_count, status, active_call_id,
                                               updated_at)
               VALUES (%s, 1, 'active', %s, %s)""",
            (caller, call_id, at),
        )
        return
    status, active = row
    if active == call_id:
        return
    interrupted = status == "active"
    await conn.execute(
        """UPDATE conversation_state SET
               call_count = call_count + 1, status = 'active', active_call_id = %s,
               current = '{}',
               last_call_id = CASE WHEN %s THEN active_call_id ELSE last_call_id END,
               last_call_status = CASE WHEN %s THEN 'interrupted'::conversation_status
                                       ELSE last_call_status END,
               updated_at = %s
           WHERE caller_phone = %s""",
        (call_id, interrupted, interrupted, at, caller),
    )


async def _memory_row(
    conn: AsyncConnection, call_id: str
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    cur = await conn.execute(
        """SELECT caller_phone, durable, current FROM conversation_state
           WHERE active_call_id = %s OR last_call_id = %s
           ORDER BY (active_call_id = %s) DESC NULLS LAST LIMIT 1 FOR UPDATE""",
        (call_id, call_id, call_id),
    )
    row = await cur.fetchone()
    return (row[0], row[1], row[2]) if row else None


async def update_memory(
    conn: AsyncConnection,
    call_id: str,
    patch: dict[str, Any],
    lead_id: str | None = None,
    at: datetime | None = None,
) -> None:
    """Deep-merge a patch into the caller's memory (per-call keys into ``current``)."""
    row = await _memory_row(conn, call_id)
    if row is None:
        return
    phone, durable, current = row
    current_patch, durable_patch = split_patch(patch)
    durable = deep_merge(durable, durable_patch)
    current = deep_merge(current, current_patch)
    qualified = durable.get("qualified")
    await conn.execute(
        """UPDATE conversation_state SET durable = %s, current = %s,
               lead_id = coalesce(%s, lead_id),
               qualified = coalesce(%s, qualified),
               updated_at = coalesce(%s, now())
           WHERE caller_phone = %s""",
        (Jsonb(durable), Jsonb(current), _uuid_or_none(lead_id),
         qualified if isinstance(qualified, bool) else None, at, phone),
    )  # fmt: skip


async def _state(conn: AsyncConnection, e: CallStateChanged) -> None:
    await conn.execute(
        """INSERT INTO dialogue_state_changes (call_id, seq, node, previous, flags, changed_at,
                                               event_id)
           VALUES (%s, %s, %s, %s, %s, %s, %s)""",
        (e.call_id, e.seq, e.node.value, e.previous.value if e.previous else None,
         Jsonb(e.flags), e.occurred_at, e.event_id),
    )  # fmt: skip
    if e.lead_id or e.prompt_version_id:
        await conn.execute(
            """UPDATE calls SET lead_id = coalesce(%s, lead_id),
                   prompt_version_id = coalesce(%s, prompt_version_id) WHERE call_id = %s""",
            (_uuid_or_none(e.lead_id), _uuid_or_none(e.prompt_version_id), e.call_id),
        )
    if e.memory or e.lead_id:
        await update_memory(conn, e.call_id, e.memory or {}, e.lead_id, e.occurred_at)


async def _outcome(conn: AsyncConnection, e: OutcomeRecorded) -> None:
    reason = e.disqualification_reason.value if e.disqualification_reason else None
    await conn.execute(
        "UPDATE calls SET outcome = %s, outcome_reason = %s, lead_id = coalesce(%s, lead_id),"
        " llm_tokens = %s WHERE call_id = %s",
        (e.outcome.value, reason, _uuid_or_none(e.lead_id), e.llm_tokens, e.call_id),
    )
    await conn.execute(
        """INSERT INTO interactions (call_id, lead_id, outcome, summary, metadata)
           VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (call_id) DO UPDATE SET outcome = EXCLUDED.outcome,
               summary = EXCLUDED.summary, metadata = EXCLUDED.metadata,
               lead_id = coalesce(EXCLUDED.lead_id, interactions.lead_id)""",
        (e.call_id, _uuid_or_none(e.lead_id), e.outcome.value, e.summary,
         Jsonb({"facts": e.facts, "disqualification_reason": reason})),
    )  # fmt: skip
    await update_memory(conn, e.call_id, remembered(e.facts), e.lead_id, e.occurred_at)
    await conn.execute(
        """UPDATE conversation_state SET last_outcome = %s, last_summary = %s
           WHERE active_call_id = %s OR last_call_id = %s""",
        (e.outcome.value, e.summary or None, e.call_id, e.call_id),
    )


async def _ended(conn: AsyncConnection, e: CallEnded) -> None:
    # LiveKit's room_finished closes a call the gateway lost (webhooks.py); when the gateway's
    # own `ended` comes too (it ended the call just as the webhook read the stream), the
    # gateway's wins whichever is applied first: it knows why the call ended
    await conn.execute(
        """UPDATE calls SET ended_at = greatest(%s, started_at), end_reason = %s,
               duration_ms = %s, outcome = coalesce(outcome, %s)
           WHERE call_id = %s
             AND (%s <> 'gateway_lost' OR ended_at IS NULL OR end_reason = 'gateway_lost')""",
        (e.occurred_at, e.reason.value, e.duration_ms, e.outcome.value if e.outcome else None,
         e.call_id, e.reason.value),
    )  # fmt: skip
    # completing is idempotent: only the call that is active is closed
    await conn.execute(
        """UPDATE conversation_state SET status = 'completed', active_call_id = NULL,
               last_call_id = %s, last_call_status = 'completed', last_call_at = %s,
               updated_at = %s
           WHERE active_call_id = %s""",
        (e.call_id, e.occurred_at, e.occurred_at, e.call_id),
    )


async def _recording(conn: AsyncConnection, e: RecordingStored) -> None:
    """The call's recording is in Storage: where, how long, where the call's clock is in it.
    A later upload of the same call (a retry) overwrites the same object, so the last wins."""
    await conn.execute(
        """UPDATE calls SET recording_bucket = %s, recording_path = %s,
               recording_duration_ms = %s, recording_offset_ms = %s, recording_bytes = %s,
               recording_sha256 = %s, recording_generated = %s
           WHERE call_id = %s""",
        (e.bucket, e.path, e.duration_ms, e.offset_ms, e.size_bytes, e.sha256, e.generated,
         e.call_id),
    )  # fmt: skip


def _uuid_or_none(value: str | None) -> str | None:
    """Ids from other services are UUIDs; anything else is not stored as a reference."""
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


_LIFECYCLE: dict[type, Any] = {
    CallStarted: _started,
    CallStateChanged: _state,
    OutcomeRecorded: _outcome,
    CallEnded: _ended,
    RecordingStored: _recording,
}
