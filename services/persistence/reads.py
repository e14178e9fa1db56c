"""Reads served on ``store.<query>`` (queue group ``store``): caller context, template for a
dialled number, active prompt with the variables the request gives filled (others are left for
the dialogue), a call's transcript.

A miss is a typed ``NotFound``; a request that does not decode gets a typed ``BadRequest``.
Served by responders on the service's :class:`~contracts.hotpath.HotPath` (nats-py, not
FastStream: every call start reads here, and FastStream's subscriber cost 2.5 times the store
read latency under load, see that module); each request is decoded to its contract by msgspec.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from contracts.calls import Outcome
from contracts.hotpath import HotPath, Malformed
from contracts.phone import to_e164
from contracts.runtime import Stats
from contracts.sessions import Calls
from contracts.store import (
    BadRequest,
    CallerContext,
    GetActivePrompt,
    GetCallerContext,
    GetTemplate,
    GetTranscript,
    NotFound,
    RenderedPrompt,
    StoreReply,
    Template,
    Transcript,
    TranscriptLine,
)
from contracts.subjects import STORE_QUEUE, StoreQuery, store_subject
from contracts.telemetry import call_span

log = logging.getLogger(__name__)
VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")

Handler = Callable[[AsyncConnectionPool, Any], Awaitable[StoreReply]]


class TtlCache:
    """Configuration (templates, prompts) changes rarely and is read at every call start:
    keep answers for ``ttl_s`` seconds. A changed template or prompt is served within that."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._items: dict[Any, tuple[float, StoreReply]] = {}

    def wrap(self, handler: Handler, key: Callable[[Any], Any]) -> Handler:
        async def cached(pool: AsyncConnectionPool, request: Any) -> StoreReply:
            k = (handler.__name__, key(request))
            now = self.clock()
            hit = self._items.get(k)
            if hit is not None and hit[0] > now:
                return hit[1]
            reply = await handler(pool, request)
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[k] = (now + self.ttl_s, reply)
            return reply

        return cached


async def caller_context(pool: AsyncConnectionPool, req: GetCallerContext) -> StoreReply:
    async with pool.connection() as conn:
        cur = await conn.cursor(row_factory=dict_row).execute(
            """SELECT lead_id, call_count, qualified, durable, last_outcome, last_summary,
                      last_call_at FROM conversation_state WHERE caller_phone = %s""",
            (req.caller_number,),
        )
        row = await cur.fetchone()
    if row is None:
        return NotFound(what="caller")
    return CallerContext(
        lead_id=str(row["lead_id"]) if row["lead_id"] else None,
        call_count=row["call_count"],
        qualified=row["qualified"],
        memory=row["durable"],
        last_outcome=Outcome(row["last_outcome"]) if row["last_outcome"] else None,
        last_call_summary=row["last_summary"],
        last_call_at=row["last_call_at"],
    )


_TEMPLATE_COLUMNS = [f for f in Template.__struct_fields__ if f not in ("template_id",)]


async def template(pool: AsyncConnectionPool, req: GetTemplate) -> StoreReply:
    cols = ", ".join(f"t.{c}" for c in _TEMPLATE_COLUMNS)
    async with pool.connection() as conn:
        cur = await conn.cursor(row_factory=dict_row).execute(
            f"""SELECT t.id AS template_id, {cols} FROM ai_templates t
                LEFT JOIN phone_number_assignments a ON a.template_id = t.id AND a.phone = %s
                WHERE a.phone IS NOT NULL OR t.is_default
                ORDER BY (a.phone IS NOT NULL) DESC LIMIT 1""",
            (req.dialled_number,),
        )
        row = await cur.fetchone()
    if row is None:
        return NotFound(what="template")
    row["template_id"] = str(row["template_id"])
    for key in ("tts_speed", "tts_stability", "llm_temperature", "vad_threshold",
                "est_cost_per_min_cents"):  # fmt: skip
        row[key] = float(row[key])
    return Template(**row)


def fill(text: str, variables: dict[str, str]) -> str:
    """``{{name}}`` → its value when the request gave one. Any other variable is left as
    ``{{name}}``: the dialogue fills it per turn as it learns it (the broker once matched, a
    neutral phrase before) — never an empty gap ("it is  of , NMLS ,")."""
    return VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


async def prompt(pool: AsyncConnectionPool, req: GetActivePrompt) -> StoreReply:
    async with pool.connection() as conn:
        cur = await conn.execute(
            """SELECT v.id, v.version, v.sections, v.nodes FROM prompt_versions v
               JOIN prompts p ON p.id = v.prompt_id
               WHERE p.call_type = %s AND v.status = 'active'""",
            (req.call_type.value,),
        )
        row = await cur.fetchone()
    if row is None:
        return NotFound(what="prompt")
    variables = {"call_type": req.call_type.value, **req.variables}
    return RenderedPrompt(
        prompt_version_id=str(row[0]),
        call_type=req.call_type,
        version=row[1],
        sections={k: fill(v, variables) for k, v in row[2].items()},
        nodes={k: fill(v, variables) for k, v in row[3].items()},
    )


async def transcript(pool: AsyncConnectionPool, req: GetTranscript) -> StoreReply:
    async with pool.connection() as conn:
        exists = await (
            await conn.execute("SELECT 1 FROM calls WHERE call_id = %s", (req.call_id,))
        ).fetchone()
        if exists is None:
            return NotFound(what="call")
        cur = await conn.execute(
            """SELECT seq, speaker, text, heard_text, interrupted FROM transcript_segments
               WHERE call_id = %s ORDER BY seq""",
            (req.call_id,),
        )
        rows = await cur.fetchall()
    return Transcript(
        call_id=req.call_id,
        lines=[
            TranscriptLine(seq=r[0], speaker=r[1], text=r[2], heard_text=r[3], interrupted=r[4])
            for r in rows
        ],
    )


def for_the_call(calls: Calls, handler: Handler) -> Handler:
    """A caller's memory only for a call in progress from that number (the gateway's
    ``started`` on the CALLS stream, no ``ended``): never to whoever names a phone number."""

    async def checked(pool: AsyncConnectionPool, req: GetCallerContext) -> StoreReply:
        call = await calls.started(req.call_id)
        try:
            claimed = to_e164(req.caller_number)
        except ValueError:
            return BadRequest(reason="caller_number is not a phone number")
        if call is None or call.ended or call.caller_phone != claimed:
            log.warning("caller context refused: not a call in progress from that number")
            return NotFound(what="caller")
        return await handler(pool, req)

    return checked


def routes(
    config_ttl_s: float, memory_ttl_s: float, calls: Calls
) -> dict[StoreQuery, tuple[type, Handler]]:
    """Transcripts are always read fresh; configuration and caller memory (read once at call
    start, written at the end of the previous call) through short caches."""
    cache = TtlCache(config_ttl_s)
    memory = TtlCache(memory_ttl_s)
    return {
        StoreQuery.CALLER_CONTEXT: (
            GetCallerContext,
            for_the_call(calls, memory.wrap(caller_context, lambda r: r.caller_number)),
        ),
        StoreQuery.TEMPLATE: (GetTemplate, cache.wrap(template, lambda r: r.dialled_number)),
        StoreQuery.PROMPT: (
            GetActivePrompt,
            cache.wrap(prompt, lambda r: (r.call_type, tuple(sorted(r.variables.items())))),
        ),
        StoreQuery.TRANSCRIPT: (GetTranscript, transcript),
    }


def register_reads(
    hot: HotPath,
    pool: AsyncConnectionPool,
    stats: Stats,
    calls: Calls,
    config_ttl_s: float = 5.0,
    memory_ttl_s: float = 1.0,
    max_in_flight: int = 4,
) -> None:
    """Declare every read on ``hot``, in the ``store`` queue group; per query at most
    ``max_in_flight`` run at once (the read pool's size: more would only queue inside the pool,
    at a higher cost — measured, 50 readers: p50 39.7 ms with 64 at once, 29.7 ms one at a
    time)."""
    for query, (request_type, handler) in routes(config_ttl_s, memory_ttl_s, calls).items():
        hot.responder(
            store_subject(query),
            queue=STORE_QUEUE,
            contract=request_type,
            max_in_flight=max_in_flight,
        )(_responder(pool, stats, query, handler))


def _responder(
    pool: AsyncConnectionPool, stats: Stats, query: StoreQuery, handler: Handler
) -> Callable[[Any], Awaitable[Any]]:
    async def respond(body: Any) -> StoreReply:
        if isinstance(body, Malformed):
            return BadRequest(reason=str(body.error))
        try:
            with call_span("persistence", f"store.{query.value} db",
                           attributes={"db.system": "postgresql"}):  # fmt: skip
                reply = await handler(pool, body)
        except Exception as err:
            log.warning("store read %s failed: %s", query.value, type(err).__name__)
            reply = BadRequest(reason="temporarily unavailable, try again")
        stats.handled += 1
        return reply

    respond.__name__ = f"store_{query.value}"
    return respond
