"""Turn intake: one durable pull consumer on the CALLS stream, shared by every dialogue copy,
consumed by a FastStream pull subscriber (declared in :meth:`Intake.register`).

Filtered to ``calls.*.started|turn|interrupted|ended``; each message goes to one copy. While a
turn runs the copy sends in-progress acks (:func:`contracts.broker.keep_alive_middleware`); if
it dies, the short ``ack_wait`` hands the turn to another copy in about a second. A malformed
message is dead-lettered and terminated (:class:`contracts.broker.DeadLetters`); the service
keeps going. Every copy also listens (core, no queue) to interruptions and hang-ups so that
whichever copy is generating the reply stops at once.

Ack policy: manual. Acked after the handler succeeded; a failed handler is nacked with a delay
(redelivered up to ``max_deliver`` times), then dead-lettered — a failed caller turn with an
apology, never silence.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import nats.errors
from faststream import AckPolicy as Ack
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts.broker import Malformed, Unhandled, contract_decoder, publish_dead_letter
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
    #: messages asked for per fetch (the fetch returns at once with what is there)
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
    def __init__(self, dialogue: Dialogue, stats: Stats, config: IntakeConfig) -> None:
        self._dialogue = dialogue
        self._stats = stats
        self._config = config
        self._handlers: dict[CallEventName, Callable[[Any, Delivery], Awaitable[None]]] = {
            CallEventName.STARTED: dialogue.on_started,
            CallEventName.TURN: dialogue.on_turn,
            CallEventName.INTERRUPTED: dialogue.on_interrupted,
            CallEventName.ENDED: dialogue.on_ended,
        }

    async def register(self, js: JetStreamContext, broker: NatsBroker) -> None:
        """The shared durable consumer (created or updated), its subscriber, and the core
        subscribers for barge-ins, on ``broker``."""
        await ensure_consumer(js, self._config)
        broker.subscriber(
            "calls.*.*",  # the consumer's filter subjects narrow it to EVENTS
            stream=JStream(CALLS_STREAM, declare=False),
            durable=self._config.durable,
            config=self._config.consumer(),
            pull_sub=PullSub(batch_size=self._config.pull_loops, timeout=5.0),
            max_workers=self._config.max_in_flight,
            ack_policy=Ack.MANUAL,
            decoder=contract_decoder(_contract),
            title="dialogue intake",
        )(self._on_event)
        for event in (CallEventName.INTERRUPTED, CallEventName.ENDED):
            broker.subscriber(
                every_call(event),
                no_reply=True,  # a stream subject: never answer into a publisher's ack inbox
                decoder=contract_decoder(EVENTS[event], lenient=True),
                title=f"barge-in {event.value}",
            )(self._on_barge_in)

    async def _on_barge_in(self, body: Any, message: NatsMessage) -> None:
        if isinstance(body, Malformed):
            return  # the durable consumer dead-letters it
        reply_id = body.reply_id if isinstance(body, ReplyInterrupted) else None
        with contextlib.suppress(ValueError):
            call_id, _ = parse_call_subject(message.raw_message.subject)
            self._dialogue.cancel(call_id, reply_id)

    async def _on_event(self, event: Any, message: NatsMessage) -> None:
        msg = message.raw_message
        call_id, event_name = parse_call_subject(msg.subject)
        if event.call_id != call_id:
            raise Unhandled(
                "call_id in the payload does not match the subject", DeadLetterKind.VALIDATION
            )
        meta = msg.metadata
        delivery = Delivery(attempt=meta.num_delivered or 1, stream_seq=meta.sequence.stream or 0)
        self._stats.in_flight += 1
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
            else:
                await message.nack(delay=0.2 * delivery.attempt)
            return
        finally:
            self._stats.in_flight -= 1
            self._stats.handled += 1
        await message.ack()
