"""Storing an evaluation and the call's cost, once per call.

The first evaluation written for a call wins (``ON CONFLICT DO NOTHING``); the
``calls.<id>.analyzed`` event is kept with it, so a redelivered ``ended`` or a second copy of
the service publishes that same event (same ``Nats-Msg-Id``) rather than a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from contracts.calls import CallAnalyzed
from services.persistence.analysis.evaluate import Evaluation
from services.persistence.analysis.record import CallRecord
from services.persistence.webhooks.outbox import enqueue


def cost_cents(call: CallRecord, tokens: int, price_per_1k_tokens_cents: float) -> float:
    """Minutes × the template's cost per minute, plus LLM tokens × the configured price."""
    minutes = call.duration_ms / 60_000
    return round(minutes * call.cost_per_min_cents + tokens / 1000 * price_per_1k_tokens_cents, 3)


async def stored(conn: AsyncConnection, call_id: str) -> tuple[CallAnalyzed, bool] | None:
    """The call's analysis event and whether it was published; ``None`` if not analysed."""
    cur = await conn.execute(
        "SELECT event, published_at IS NOT NULL FROM evaluations WHERE call_id = %s",
        (call_id,),
    )
    row = await cur.fetchone()
    if row is None or row[0] is None:
        return None
    return msgspec.convert(row[0], CallAnalyzed, strict=False), bool(row[1])


async def save(
    conn: AsyncConnection,
    call: CallRecord,
    ev: Evaluation,
    price_per_1k_tokens_cents: float,
    webhook_urls: Sequence[str] = (),
) -> CallAnalyzed:
    """Write the evaluation and the cost unless the call already has one, and (same
    transaction) the ``call.analyzed`` webhooks to send; the stored event."""
    async with conn.transaction():
        cur = await conn.execute(
            "SELECT llm_tokens FROM calls WHERE call_id = %s FOR UPDATE", (call.call_id,)
        )
        row = await cur.fetchone()
        dialogue_tokens = int(row[0]) if row else 0
        tokens = dialogue_tokens + ev.llm_tokens
        cost = cost_cents(call, tokens, price_per_1k_tokens_cents)
        event = CallAnalyzed(
            call_id=call.call_id, evaluator=ev.evaluator, scores=ev.scores, summary=ev.summary,
            strengths=ev.strengths, weaknesses=ev.weaknesses, red_flags=ev.red_flags,
            facts=ev.facts, prompt_version_id=call.prompt_version_id, cost_cents=cost,
            llm_tokens=tokens,
        )  # fmt: skip
        s = ev.scores
        cur = await conn.execute(
            """INSERT INTO evaluations (call_id, prompt_version_id, opening, property_discussion,
                   objection_handling, booking_attempt, tone, overall_flow, strengths,
                   weaknesses, red_flags, summary, evaluator, facts, llm_tokens, event)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (call_id) DO NOTHING RETURNING call_id""",
            (call.call_id, call.prompt_version_id, s.opening, s.property_discussion,
             s.objection_handling, s.booking_attempt, s.tone, s.overall_flow, ev.strengths,
             ev.weaknesses, ev.red_flags, ev.summary, ev.evaluator, Jsonb(ev.facts),
             ev.llm_tokens, Jsonb(msgspec.to_builtins(event))),
        )  # fmt: skip
        if await cur.fetchone() is not None:
            await conn.execute(
                """UPDATE calls SET cost_per_min_cents = %s, cost_cents = %s
                   WHERE call_id = %s""",
                (call.cost_per_min_cents, cost, call.call_id),
            )
            await enqueue(conn, event, webhook_urls)
            return event
    again = await stored(conn, call.call_id)
    assert again is not None
    return again[0]


async def mark_published(conn: AsyncConnection, call_id: str) -> None:
    await conn.execute(
        "UPDATE evaluations SET published_at = now() WHERE call_id = %s AND published_at IS NULL",
        (call_id,),
    )
