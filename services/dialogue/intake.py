"""Turn intake: one durable pull consumer on the CALLS stream, shared by every dialogue copy.

Filtered to ``calls.*.started|turn|interrupted|ended``; each message goes to one copy. While a
turn runs the copy sends in-progress acks; if it dies, the short ``ack_wait`` hands the turn to
another copy in about a second. A malformed message is dead-lettered and terminated; the
service keeps going. Every copy also listens (core, no queue) to interruptions and hang-ups so
that whichever copy is generating the reply stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts import codec
from contracts.bus import dead_letter
from contracts.calls import CallEnded, CallStarted
from contracts.conversation import CallerTurn, ReplyInterrupted
from contracts.deadletter import DeadLetterKind
from contracts.runtime import Stats
from contracts.subjects import CALLS_STREAM, CallEventName, every_call, parse_call_subject
from services.dialogue.handlers import Delivery, Dialogue

log = logging.getLogger(__name__)

DURABLE = "dialogue"
EVENTS: dict[CallEventName, type] = {
    CallEventName.STARTED: CallStarted,
    CallEventName.TURN: CallerTurn,
    CallEventName.INTERRUPTED: ReplyInterrupted,
    CallEventName.ENDED: CallEnded,
}
SUBJECTS = [every_call(event) for event in EVENTS]


@dataclass(frozen=True)
class IntakeConfig:
    durable: str = DURABLE
    pull_loops: int = 4
    max_in_flight: int = 512
    ack_wait: float = 1.0
    max_deliver: int = 5
    max_ack_pending: int = 20_000

    def consumer(self) -> ConsumerConfig:
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            description="Dialogue copies share this: one turn, one copy.",
            filter_subjects=list(SUBJECTS),
            deliver_policy=DeliverPolicy.NEW,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            max_deliver=self.max_deliver,
            max_ack_pending=self.max_ack_pending,
            max_waiting=4096,
        )


async def ensure_consumer(js: JetStreamContext, config: IntakeConfig) -> None:
    """Create the shared durable consumer, or bring an existing one up to date."""
    try:
        await js.add_consumer(CALLS_STREAM, config=config.consumer())
    except nats.js.errors.BadRequestError as err:
        log.warning("consumer %s not updated: %s", config.durable, err.description)


class Intake:
    def __init__(self, nc: NATS, dialogue: Dialogue, stats: Stats, config: IntakeConfig) -> None:
        self._nc = nc
        self._js = nc.jetstream()
        self._dialogue = dialogue
        self._stats = stats
        self._config = config
        self._slots = asyncio.Semaphore(config.max_in_flight)
        self._loops: list[asyncio.Task[None]] = []
        self._work: set[asyncio.Task[None]] = set()
        self._subs: list[Any] = []
        self._core: list[Subscription] = []
        self._running = False
        self._handlers: dict[CallEventName, Callable[[Any, Delivery], Awaitable[None]]] = {
            CallEventName.STARTED: dialogue.on_started,
            CallEventName.TURN: dialogue.on_turn,
            CallEventName.INTERRUPTED: dialogue.on_interrupted,
            CallEventName.ENDED: dialogue.on_ended,
        }

    async def start(self) -> None:
        await ensure_consumer(self._js, self._config)
        self._core.append(await self._nc.subscribe(every_call("interrupted"), cb=self._on_barge_in))
        self._core.append(await self._nc.subscribe(every_call("ended"), cb=self._on_barge_in))
        self._running = True
        for _ in range(self._config.pull_loops):
            sub = await self._js.pull_subscribe_bind(
                durable=self._config.durable, stream=CALLS_STREAM
            )
            self._subs.append(sub)
            self._loops.append(asyncio.create_task(self._pull(sub)))

    async def stop(self, grace: float = 5.0) -> None:
        """Stop taking work, let turns in progress finish (unacked ones go to another copy)."""
        self._running = False
        for task in self._loops:
            task.cancel()
        for task in self._loops:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._work:
            await asyncio.wait(self._work, timeout=grace)
        for sub in self._core:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        for sub in self._subs:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _pull(self, sub: Any) -> None:
        while self._running:
            await self._slots.acquire()
            try:
                msgs = await sub.fetch(1, timeout=5.0)
            except (TimeoutError, nats.errors.TimeoutError):
                self._slots.release()
                continue
            except asyncio.CancelledError:
                self._slots.release()
                raise
            except Exception as err:
                self._slots.release()
                log.warning("fetch failed: %s", type(err).__name__)
                await asyncio.sleep(0.2)
                continue
            for msg in msgs:
                task = asyncio.create_task(self._handle(msg))
                self._work.add(task)
                task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._work.discard(task)
        self._slots.release()

    async def _on_barge_in(self, msg: Msg) -> None:
        try:
            call_id, event = parse_call_subject(msg.subject)
            reply_id = None
            if event == CallEventName.INTERRUPTED:
                reply_id = codec.decode(msg.data, ReplyInterrupted).reply_id
            self._dialogue.cancel(call_id, reply_id)
        except (ValueError, codec.ContractError):
            pass  # the durable consumer dead-letters it

    async def _handle(self, msg: Msg) -> None:
        self._stats.in_flight += 1
        alive = asyncio.create_task(self._keep_alive(msg))
        try:
            await self._dispatch(msg)
        finally:
            alive.cancel()
            self._stats.in_flight -= 1
            self._stats.handled += 1

    async def _dispatch(self, msg: Msg) -> None:
        try:
            call_id, event_name = parse_call_subject(msg.subject)
            contract = EVENTS[event_name]
        except (ValueError, KeyError) as err:
            await dead_letter(
                self._js, msg, self._config.durable, DeadLetterKind.UNHANDLED, str(err)
            )
            return
        try:
            event: Any = codec.decode(msg.data, contract)
        except codec.ContractError as err:
            kind = (
                DeadLetterKind.DECODE if "not valid JSON" in str(err) else DeadLetterKind.VALIDATION
            )
            await dead_letter(self._js, msg, self._config.durable, kind, str(err))
            return
        if event.call_id != call_id:
            reason = "call_id in the payload does not match the subject"
            await dead_letter(
                self._js, msg, self._config.durable, DeadLetterKind.VALIDATION, reason
            )
            return
        meta = msg.metadata
        delivery = Delivery(attempt=meta.num_delivered or 1, stream_seq=meta.sequence.stream or 0)
        try:
            async with self._dialogue.lock(call_id):
                await self._handlers[event_name](event, delivery)
        except Exception as err:
            log.exception(
                "call %s: %s failed (attempt %d)", call_id, event_name.value, delivery.attempt
            )
            if delivery.attempt >= self._config.max_deliver:
                if isinstance(event, CallerTurn):
                    with contextlib.suppress(Exception):
                        await self._dialogue.apologise(event)
                await dead_letter(
                    self._js,
                    msg,
                    self._config.durable,
                    DeadLetterKind.UNHANDLED,
                    f"{type(err).__name__} after {delivery.attempt} attempts",
                )
            else:
                await msg.nak(delay=0.2 * delivery.attempt)
            return
        await msg.ack()

    async def _keep_alive(self, msg: Msg) -> None:
        """In-progress acks while a turn runs, so a slow LLM is not taken for a dead copy."""
        period = max(self._config.ack_wait / 3, 0.05)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            while True:
                await asyncio.sleep(period)
                await msg.in_progress()
