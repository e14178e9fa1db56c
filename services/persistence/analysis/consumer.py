"""The analysis consumer: a durable pull consumer on ``calls.*.ended`` (``persistence-analysis``)
that evaluates each ended call once the writer has recorded its end, stores the evaluation and
the call's cost, and publishes ``calls.<id>.analyzed``.

Ack only after the event is published. An ``ended`` the writer has not recorded yet is
redelivered after a short delay; a redelivered ``ended`` of an analysed call publishes the
stored event again with the same ``Nats-Msg-Id`` (JetStream drops the copy) or, once it was
published, nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import nats.errors
import psycopg
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts import codec
from contracts.bus import publish_event
from contracts.calls import CallEnded
from contracts.runtime import Stats
from contracts.subjects import CALLS_STREAM, CallEventName, call_subject, every_call
from services.persistence.analysis.evaluate import Evaluation, evaluate, skipped
from services.persistence.analysis.record import CallRecord, load
from services.persistence.analysis.store import mark_published, save, stored
from services.persistence.connection import HeldConnection, quietly
from services.persistence.settings import Settings

log = logging.getLogger(__name__)

Connect = Callable[[], Awaitable[psycopg.AsyncConnection]]
Evaluator = Callable[[CallRecord], Awaitable[Evaluation]]
GIVE_UP_AFTER = 40  # deliveries of an `ended` whose call is never recorded (dead-lettered)


async def deterministic(call: CallRecord) -> Evaluation:
    return evaluate(call)


class Analyzer(HeldConnection):
    def __init__(
        self,
        js: JetStreamContext,
        connect: Connect,
        settings: Settings,
        stats: Stats,
        evaluator: Evaluator = deterministic,
    ) -> None:
        self.js = js
        self.connect = connect
        self.settings = settings
        self.stats = stats
        self.evaluator = evaluator
        self.conn: psycopg.AsyncConnection | None = None
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.analyzed = 0

    async def start(self) -> None:
        name = self.settings.analysis_consumer
        config = ConsumerConfig(
            durable_name=name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=max(self.settings.ack_wait_s, 2 * self.settings.analysis_llm_timeout_s),
            max_deliver=-1,
            max_ack_pending=256,
            filter_subject=every_call(CallEventName.ENDED),
        )
        self.sub = await self.js.pull_subscribe(
            every_call(CallEventName.ENDED), durable=name, stream=CALLS_STREAM, config=config
        )
        self._task = asyncio.create_task(self._run(), name=name)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task:
            try:
                await asyncio.wait_for(self._task, self.settings.stop_timeout_s)
            except TimeoutError:
                self._task.cancel()  # what is unacknowledged is redelivered
        try:
            await self.sub.unsubscribe()
        except Exception as err:
            log.debug("ignored: %s", err)
        if self.conn is not None:
            await self.conn.close()

    async def _run(self) -> None:
        while not self._stopping.is_set():
            began = time.monotonic()
            try:
                msgs = await self.sub.fetch(16, timeout=0.5)
            except (TimeoutError, nats.errors.TimeoutError):
                # none for now — if the fetch waited (nats-py also raises it at once when the
                # consumer is gone, which must make the copy unready)
                if time.monotonic() - began >= 0.25:
                    self.stats.health.beat(self.settings.analysis_consumer)
                continue
            except Exception as err:
                log.warning("analysis fetch failed (%s); retrying", type(err).__name__)
                await asyncio.sleep(0.5)
                continue
            for msg in msgs:
                # working through what it fetched: ready (an LLM evaluation takes seconds)
                self.stats.health.beat(self.settings.analysis_consumer)
                try:
                    await quietly(msg.in_progress())  # its ack_wait starts now, not at fetch
                    await self.handle(msg)
                except Exception as err:  # the database or the bus: try again later
                    log.warning("analysis failed (%s); will retry", type(err).__name__)
                    await self._reset()
                    await quietly(msg.nak(delay=1.0))

    async def handle(self, msg: Msg) -> None:
        try:
            ended = codec.decode(msg.data, CallEnded)
            subject = call_subject(ended.call_id, CallEventName.ENDED)
        except (codec.ContractError, ValueError):
            await msg.term()  # the writer dead-letters it; nothing to analyse
            return
        if subject != msg.subject:
            await msg.term()
            return
        conn = await self._conn()
        done = await stored(conn, ended.call_id)
        if done is None:
            call = await load(conn, ended.call_id)
            if call is None:  # the writer has not recorded the end yet
                tries = msg.metadata.num_delivered
                if tries >= GIVE_UP_AFTER:
                    log.error("call never recorded; no analysis")
                    await msg.term()
                else:
                    await msg.nak(delay=min(0.2 * tries, 5.0))
                return
            evaluation = skipped(call) or await self.evaluator(call)
            event = await save(conn, call, evaluation, self.settings.llm_price_per_1k_tokens_cents,
                              self.settings.webhook_urls)  # fmt: skip
            done = (event, False)
        event, published = done
        if not published:
            await publish_event(self.js, call_subject(event.call_id, CallEventName.ANALYZED), event)
            await mark_published(conn, event.call_id)
            self.analyzed += 1
        await msg.ack()
