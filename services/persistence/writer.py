"""The durable writer: a pull consumer on ``calls.>`` that writes every event to Postgres.

Ack only after commit. A transient database error (connection lost, server restarting) →
retry the same batch with backoff, keeping the messages in progress; never drop, never exit.
A message that can never be valid → dead letter with the reason, then terminate it.

This consumer stays on nats-py rather than a FastStream subscriber (see the README, "Why the
writer is not a FastStream subscriber"): its fetch loop keeps fetching and decoding the next
batch while the previous one commits, and merges what is waiting into one transaction.
With tracing on, each written event gets a span in its call's trace (parent: the
``traceparent`` its publisher put in the headers), spanning the batch's commit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import nats.errors
import psycopg
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts import codec
from contracts.bus import dead_letter, error_kind
from contracts.calls import CallAnalyzed, LiveKitEventReceived
from contracts.catalog import CALL_EVENTS
from contracts.deadletter import DeadLetterKind
from contracts.observability.metrics import count_restart
from contracts.runtime import Stats
from contracts.subjects import ALL_CALLS, CALLS_STREAM, parse_call_subject
from contracts.telemetry import CALL_ID, extract, subject_template, tracer
from services.persistence.apply import Event, apply_batch
from services.persistence.connection import HeldConnection, quietly
from services.persistence.settings import Settings

log = logging.getLogger(__name__)

Connect = Callable[[], Awaitable[psycopg.AsyncConnection]]
TRANSIENT = (psycopg.OperationalError, psycopg.errors.AdminShutdown)


def decode(msg: Msg) -> Event:
    """Decode one message; ``ValueError`` / ``ContractError`` when it can never be valid."""
    call_id, name = parse_call_subject(msg.subject)
    event: Any = codec.decode(msg.data, CALL_EVENTS[name])
    if event.call_id != call_id:
        raise ValueError(f"call_id {event.call_id!r} does not match the subject")
    return Event(subject=msg.subject, call_id=call_id, event=event)


class Writer(HeldConnection):
    def __init__(self, js: JetStreamContext, connect: Connect, settings: Settings, stats: Stats):
        self.js = js
        self.connect = connect
        self.settings = settings
        self.stats = stats
        self.conn: psycopg.AsyncConnection | None = None
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._writer_task: asyncio.Task[None] | None = None
        # decoded batches waiting for the database: fetching and decoding the next batch
        # overlaps with committing this one
        self._ready: asyncio.Queue[tuple[list[Event], list[Msg]] | None] = asyncio.Queue(2)
        self._tracer = tracer("persistence")

    async def start(self) -> None:
        config = ConsumerConfig(
            durable_name=self.settings.consumer,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.settings.ack_wait_s,
            max_deliver=-1,
            max_ack_pending=self.settings.max_ack_pending,
            filter_subject=ALL_CALLS,
        )
        self.sub = await self.js.pull_subscribe(
            ALL_CALLS, durable=self.settings.consumer, stream=CALLS_STREAM, config=config
        )
        self._writer_task = asyncio.create_task(
            self._supervised("db", self._write_loop), name="persistence-db"
        )
        self._task = asyncio.create_task(
            self._supervised("fetch", self._run), name="persistence-fetch"
        )

    async def _supervised(self, part: str, loop: Callable[[], Awaitable[None]]) -> None:
        """Run ``loop``; if it dies of anything but a stop, say so (log, metric) and run it
        again — a bug met by one message must not end recording for every call. What it held
        unacknowledged is redelivered."""
        while True:
            try:
                await loop()
                return
            except asyncio.CancelledError:
                raise
            except Exception as err:
                if self._stopping.is_set() and part == "fetch":
                    return
                log.error("writer %s loop died (%s); restarting", part, type(err).__name__)
                count_restart(f"{self.settings.consumer}:{part}")
                await asyncio.sleep(0.5)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task:
            await self._task
        if self._writer_task:
            # finish what is fetched; if the database is down, give up after a while: the
            # unacknowledged messages are redelivered to the next copy
            try:
                await asyncio.wait_for(self._finish(), self.settings.stop_timeout_s)
            except TimeoutError:
                log.warning("stopped with writes pending; they will be redelivered")
                self._writer_task.cancel()
        await quietly(self.sub.unsubscribe())
        if self.conn is not None:
            await self.conn.close()

    async def _finish(self) -> None:
        await self._ready.put(None)
        if self._writer_task:
            await self._writer_task

    async def _run(self) -> None:
        backoff = 0.05
        while not self._stopping.is_set():
            try:
                msgs = await self.sub.fetch(self.settings.batch_size, timeout=0.5)
            except (TimeoutError, nats.errors.TimeoutError):
                self.stats.health.beat(self.settings.consumer)  # fetching: ready (health)
                continue
            except Exception as err:
                log.warning("fetch failed (%s); retrying", type(err).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            backoff = 0.05
            self.stats.health.beat(self.settings.consumer)
            await self.handle(msgs)  # never raises for a message: it is dead-lettered
            if len(msgs) < self.settings.batch_size // 10:
                # a trickle: let events gather for a moment, so the next fetch and the next
                # transaction (one commit, one WAL flush) carry many instead of one or two.
                # Never under load: a fetch of a tenth of a batch or more does not wait.
                await asyncio.sleep(self.settings.batch_wait_s)

    async def handle(self, msgs: list[Msg]) -> None:
        self.stats.in_flight = len(msgs)
        events: list[Event] = []
        good: list[Msg] = []
        for msg in msgs:
            try:
                event = decode(msg)
                if isinstance(event.event, CallAnalyzed | LiveKitEventReceived):
                    # our own output (analysis/): already stored with its evaluation; LiveKit's
                    # room events: in the stream for who needs them, not on the call record
                    await quietly(msg.ack())
                    continue
                events.append(event)
                good.append(msg)
            except codec.ContractError as err:
                await self._dead_letter(msg, error_kind(err), str(err))
            except (ValueError, KeyError) as err:
                await self._dead_letter(msg, DeadLetterKind.VALIDATION, str(err))
            except Exception as err:  # anything else one message can cause: not us, it
                reason = f"{type(err).__name__} while decoding"
                await self._dead_letter(msg, DeadLetterKind.UNHANDLED, reason)
        if events:
            await self._ready.put((events, good))

    async def _write_loop(self) -> None:
        while True:
            item = await self._ready.get()
            if item is None:
                return
            events, msgs = item
            # take whatever else is already decoded: one bigger transaction
            while not self._ready.empty() and len(events) < 4 * self.settings.batch_size:
                more = self._ready.get_nowait()
                if more is None:
                    await self._write(events, msgs)
                    return
                events, msgs = events + more[0], msgs + more[1]
            await self._write(events, msgs)
            self.stats.in_flight = self._ready.qsize()

    async def _write(self, events: list[Event], msgs: list[Msg]) -> None:
        began = time.time_ns()
        backoff = 0.1
        while True:
            try:
                conn = await self._conn()
                await apply_batch(conn, events, self.settings.webhook_urls)
                break
            except TRANSIENT as err:
                log.warning(
                    "database unavailable (%s); retrying in %.1fs", type(err).__name__, backoff
                )
                await self._reset()
                for msg in msgs:  # keep them ours while we wait
                    await quietly(msg.in_progress())
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception:  # a row the database refuses (data, integrity), or a bug: find it
                await self._one_by_one(events, msgs)
                return
        for msg in msgs:
            await quietly(msg.ack())
        self.stats.handled += len(msgs)
        if self._tracer is not None:
            self._trace(events, msgs, began)

    def _trace(self, events: list[Event], msgs: list[Msg], began: int) -> None:
        """One span per written event, in the trace its publisher started (none when the
        message carries no trace context)."""
        assert self._tracer is not None
        for event, msg in zip(events, msgs, strict=True):
            parent = extract(msg.headers)
            if parent is None:
                continue
            where = subject_template(event.subject)
            self._tracer.start_span(
                f"{where} persist",
                context=parent,
                start_time=began,
                attributes={
                    "messaging.system": "nats",
                    "messaging.destination.name": where,
                    "messaging.batch.message_count": len(msgs),
                    "db.system": "postgresql",
                    CALL_ID: event.call_id,
                },
            ).end()

    async def _one_by_one(self, events: list[Event], msgs: list[Msg]) -> None:
        """A batch with a row the database refuses: write the rest, dead-letter that one."""
        for event, msg in zip(events, msgs, strict=True):
            while True:
                try:
                    await apply_batch(await self._conn(), [event], self.settings.webhook_urls)
                    await quietly(msg.ack())
                    self.stats.handled += 1
                    break
                except TRANSIENT:
                    await self._reset()
                    await asyncio.sleep(0.5)
                except Exception as err:  # the database refuses this row, or a bug meets it
                    await self._dead_letter(msg, DeadLetterKind.UNHANDLED, _line(err))
                    break

    async def _dead_letter(self, msg: Msg, kind: DeadLetterKind, reason: str) -> None:
        try:
            await dead_letter(self.js, msg, self.settings.consumer, kind, reason)
        except Exception as err:
            log.warning("dead letter not published (%s)", type(err).__name__)


def _line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
