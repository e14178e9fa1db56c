"""Turn intake: one durable pull consumer on the CALLS stream, shared by every dialogue copy.

Filtered to ``calls.*.started|turn|interrupted|ended``; each message goes to one copy. The
consumer is fetched by nats-py pull loops (:meth:`Intake.start`), not a FastStream subscriber:
every caller turn passes here, and FastStream's concurrent subscriber cost 7 times the CPU per
message (see :mod:`contracts.hotpath`); the loops record FastStream's metrics and the trace
spans all the same. While a turn runs the copy sends in-progress acks; if it dies, the short
``ack_wait`` hands the turn to another copy in about a second. A malformed message is
dead-lettered and terminated; the service keeps going. Every copy also listens (core, no
queue; FastStream subscribers, :meth:`Intake.register`) to interruptions and hang-ups so that
whichever copy is generating the reply stops at once.

Ack policy: manual. Acked after the handler succeeded; a failed handler is nacked with a delay
(redelivered up to ``max_deliver`` times), then dead-lettered — a failed caller turn with an
apology, never silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import nats.errors
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts import codec
from contracts.broker import Malformed, Unhandled, contract_decoder, kind_of, publish_dead_letter
from contracts.calls import CallEnded, CallStarted
from contracts.conversation import CallerTurn, ReplyInterrupted
from contracts.deadletter import DeadLetterKind
from contracts.hotpath import HotPath, decode_contract
from contracts.observability.health import Health, watch_fetches
from contracts.runtime import Stats
from contracts.subjects import CALLS_STREAM, CallEventName, every_call, parse_call_subject
from contracts.telemetry import subject_template
from services.dialogue.handlers import Delivery, Dialogue

log = logging.getLogger(__name__)

DURABLE = "dialogue"
#: an idle fetch lasts this long (s), drawn afresh each time. nats-py asks the server to expire
#: the pull request 0.1 s before its own timeout, so each loop has a 0.1 s gap with no pull
#: request pending. Idle loops started together would share that gap every cycle (2 % of the
#: time no copy is asking, and a ``started`` arriving then waits up to 0.1 s); drawn at random,
#: the gaps of a copy's loops do not line up.
FETCH_TIMEOUT_S = (4.5, 5.5)
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
    #: pull loops per copy, each fetching one message at a time
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

    @property
    def keep_alive_period(self) -> float:
        return max(self.ack_wait / 3, 0.05)


async def ensure_consumer(js: JetStreamContext, config: IntakeConfig) -> None:
    """Create the shared durable consumer, or bring an existing one up to date."""
    try:
        await js.add_consumer(CALLS_STREAM, config=config.consumer())
    except nats.js.errors.BadRequestError as err:
        log.warning("consumer %s not updated: %s", config.durable, err.description)


def _contract(subject: str) -> type:
    try:
        return EVENTS[parse_call_subject(subject)[1]]
    except (ValueError, KeyError) as err:
        raise Unhandled(str(err)) from err


class Intake:
    def __init__(
        self, hot: HotPath, dialogue: Dialogue, stats: Stats, config: IntakeConfig
    ) -> None:
        self._hot = hot
        self._js = hot.nc.jetstream()
        self._dialogue = dialogue
        self._stats = stats
        self._config = config
        self._slots = asyncio.Semaphore(config.max_in_flight)
        self._loops: list[asyncio.Task[None]] = []
        self._work: set[asyncio.Task[None]] = set()
        self._subs: list[Any] = []
        self._running = False
        self._handlers: dict[CallEventName, Callable[[Any, Delivery], Awaitable[None]]] = {
            CallEventName.STARTED: dialogue.on_started,
            CallEventName.TURN: dialogue.on_turn,
            CallEventName.INTERRUPTED: dialogue.on_interrupted,
            CallEventName.ENDED: dialogue.on_ended,
        }

    def register(self, broker: NatsBroker) -> None:
        """The core subscribers for barge-ins and hang-ups, on ``broker``."""
        for event in (CallEventName.INTERRUPTED, CallEventName.ENDED):
            broker.subscriber(
                every_call(event),
                no_reply=True,  # a stream subject: never answer into a publisher's ack inbox
                decoder=contract_decoder(EVENTS[event], lenient=True),
                title=f"barge-in {event.value}",
            )(self._on_barge_in)

    async def start(self, health: Health) -> None:
        """The shared durable consumer (created or updated) and the pull loops; every fetch
        the server answers beats ``health``'s heartbeat for the consumer."""
        await ensure_consumer(self._js, self._config)
        self._running = True
        for _ in range(self._config.pull_loops):
            sub = await self._js.pull_subscribe_bind(
                durable=self._config.durable, stream=CALLS_STREAM
            )
            watch_fetches(sub, health, self._config.durable, CALLS_STREAM)
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
        for sub in self._subs:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _pull(self, sub: Any) -> None:
        backoff = 0.2
        while self._running:
            await self._slots.acquire()
            try:
                msgs = await sub.fetch(1, timeout=random.uniform(*FETCH_TIMEOUT_S))
            except (TimeoutError, nats.errors.TimeoutError):
                self._slots.release()
                continue
            except asyncio.CancelledError:
                self._slots.release()
                raise
            except Exception as err:  # the consumer gone, JetStream unavailable: not ready
                self._slots.release()
                log.warning("fetch failed: %s; again in %.1f s", type(err).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.2
            for msg in msgs:
                task = asyncio.create_task(self._handle(msg))
                self._work.add(task)
                task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._work.discard(task)
        self._slots.release()

    async def _on_barge_in(self, body: Any) -> None:
        # no ``NatsMessage`` parameter: FastStream resolves one lazily, and its first time
        # held the event loop 66–113 ms (measured) — the next call's greeting waited for it
        if isinstance(body, Malformed):
            return  # the durable consumer dead-letters it
        reply_id = body.reply_id if isinstance(body, ReplyInterrupted) else None
        self._dialogue.cancel(body.call_id, reply_id)

    async def _handle(self, msg: Msg) -> None:
        template = subject_template(msg.subject)
        started = time.perf_counter()
        meter = self._hot.meter
        meter.received(template, len(msg.data))
        self._stats.in_flight += 1
        alive = asyncio.create_task(self._keep_alive(msg))
        status, error = "acked", None
        try:
            with self._hot.consuming(template, msg):
                status = await self._dispatch(msg)
        except Exception as err:  # a bug here must not kill the loop; redelivered later
            status, error = "error", type(err).__name__
            log.error("handling %s failed: %s", template, error)
        finally:
            alive.cancel()
            self._stats.in_flight -= 1
            self._stats.handled += 1
            meter.processed(template, status, started, error)

    async def _dispatch(self, msg: Msg) -> str:
        """Handle one message; returns the FastStream processing status it ended with."""
        try:
            contract = _contract(msg.subject)  # Unhandled: a subject it does not know
            call_id, event_name = parse_call_subject(msg.subject)
            event: Any = decode_contract(msg.data, contract)
            if event.call_id != call_id:
                raise Unhandled(
                    "call_id in the payload does not match the subject", DeadLetterKind.VALIDATION
                )
        except (codec.ContractError, Unhandled) as err:
            await publish_dead_letter(msg, kind_of(err), str(err), self._config.durable)
            return "rejected"
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
                reason = f"{type(err).__name__} after {delivery.attempt} attempts"
                await publish_dead_letter(
                    msg, DeadLetterKind.UNHANDLED, reason, self._config.durable
                )
                return "rejected"
            await msg.nak(delay=0.2 * delivery.attempt)
            return "nacked"
        await msg.ack()
        return "acked"

    async def _keep_alive(self, msg: Msg) -> None:
        """In-progress acks while a turn runs, so a slow LLM is not taken for a dead copy."""
        period = self._config.keep_alive_period
        with contextlib.suppress(asyncio.CancelledError, Exception):
            while True:
                await asyncio.sleep(period)
                await msg.in_progress()
