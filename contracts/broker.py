"""FastStream for every service: the broker, msgspec as the codec, dead letters, keep-alive.

- :class:`ServiceBroker`: a FastStream ``NatsBroker`` on the connection
  :func:`contracts.bus.connect` makes (the service's connection name, reconnecting for ever,
  quick dead-link detection) — its own, or one it is handed (the in-process stack, tests). It
  encodes with msgspec (``MsgSpecSerializer``: no pydantic anywhere), has the bus middlewares
  of :mod:`contracts.telemetry` (Prometheus always, OpenTelemetry when tracing is on) and
  FastStream's own per-message logger off (hot path; failures are logged here, once).
- :func:`contract_decoder`: a subscriber's custom decoder — the payload straight to its
  contract Struct (one msgspec pass, strict), a :class:`~contracts.codec.ContractError` naming
  the field otherwise; ``lenient=True`` hands request/reply handlers a :class:`Malformed`
  instead, so they answer with a typed error.
- :class:`DeadLetters`: middleware. A JetStream message whose payload can never be valid
  (:class:`~contracts.codec.ContractError`, :class:`Unhandled`) goes to ``dlq.<subject>`` with
  the reason (:func:`contracts.bus.dead_letter`) and is terminated; the service keeps going.

The messages of a turn do not come through here: :mod:`contracts.hotpath` says why (measured)
and what it keeps of FastStream (its metrics, the decoding, the trace spans).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fast_depends.msgspec import MsgSpecSerializer
from faststream._internal.middlewares import BaseMiddleware
from faststream.nats import NatsBroker, NatsMessage
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from contracts import codec
from contracts.bus import connect, dead_letter, error_kind, settle_subscriptions
from contracts.deadletter import DeadLetterKind
from contracts.hotpath import Malformed, decode_contract
from contracts.telemetry import bus_middlewares

log = logging.getLogger(__name__)


class Unhandled(ValueError):
    """A valid message this consumer can never handle (an unknown event, a mismatched id)."""

    def __init__(self, reason: str, kind: DeadLetterKind = DeadLetterKind.UNHANDLED) -> None:
        super().__init__(reason)
        self.kind = kind


def kind_of(err: Exception) -> DeadLetterKind:
    if isinstance(err, Unhandled):
        return err.kind
    return error_kind(err)


def contract_decoder(
    contract: type | Callable[[str], type], *, lenient: bool = False
) -> Callable[[NatsMessage], Awaitable[Any]]:
    """A FastStream custom decoder: the body as ``contract`` (or as the type
    ``contract(subject)`` names; it raises :class:`Unhandled` for a subject it does not
    know)."""
    fixed: type | None = contract if isinstance(contract, type) else None
    resolve: Callable[[str], type] = contract  # used only when ``fixed`` is None

    async def decode(msg: NatsMessage) -> Any:
        data = msg.body
        try:
            target = fixed if fixed is not None else resolve(msg.raw_message.subject)
            return decode_contract(data, target)
        except codec.ContractError as err:
            if lenient:
                return Malformed(err, data)
            raise

    return decode


class DeadLetters(BaseMiddleware):
    """Dead-letter what can never be processed (JetStream messages); log other failures once
    (by type: a message text may quote the payload) and let the ack policy take them."""

    async def consume_scope(self, call_next: Any, msg: Any) -> Any:
        try:
            return await call_next(msg)
        except (codec.ContractError, Unhandled) as err:
            raw: Msg = msg.raw_message
            if raw.reply and raw.reply.startswith("$JS.ACK."):
                await publish_dead_letter(raw, kind_of(err), str(err))
            else:
                log.warning("dropped a malformed message on %s", raw.subject)
            return None
        except Exception as err:
            log.error("handling %s failed: %s", msg.raw_message.subject, type(err).__name__)
            raise


async def publish_dead_letter(
    msg: Msg, kind: DeadLetterKind, reason: str, consumer: str | None = None
) -> None:
    """Dead-letter ``msg`` (reason, consumer: from the JetStream metadata unless given)."""
    try:
        who = consumer or msg.metadata.consumer
        await dead_letter(msg._client.jetstream(), msg, who, kind, reason)
    except Exception as err:
        log.warning("dead letter not published (%s)", type(err).__name__)


class ServiceBroker(NatsBroker):
    """A service's FastStream broker (see the module docstring). ``connection``: a nats-py
    connection to use (its owner drains it; :meth:`stop` then only stops consuming); without
    it the broker connects to ``url`` with :func:`contracts.bus.connect`."""

    def __init__(
        self,
        service: str,
        *,
        connection: NATS | None = None,
        url: str = "nats://127.0.0.1:4222",
        middlewares: Sequence[Any] = (),
        **options: Any,
    ) -> None:
        super().__init__(
            url,
            name=service,
            serializer=MsgSpecSerializer(use_fastdepends_errors=False),
            middlewares=[*bus_middlewares(service), DeadLetters, *middlewares],
            logger=None,
            graceful_timeout=options.pop("graceful_timeout", 5.0),
            **options,
        )
        self.service = service
        self._url = url
        self._borrowed = connection

    async def _connect(self) -> Any:
        connection = self._borrowed or await connect(self._url, self.service)
        self.config.connect(connection)
        return connection

    @property
    def nc(self) -> NATS:
        """The nats-py connection (after :meth:`connect`)."""
        assert self._connection is not None, "connect() first"
        return self._connection

    async def start(self) -> None:
        """Subscribe every handler, then wait until the server has the subscriptions: a copy
        that says it is ready must already be reachable (else a request sent right after
        gets "no responders")."""
        await super().start()
        await settle_subscriptions(self.nc)

    async def stop(self, *exc: Any) -> None:
        """Stop consuming: every subscriber stops taking messages and lets those in hand
        finish (up to ``graceful_timeout``). A connection of its own is then drained."""
        if self._borrowed is not None:
            self._connection = None  # not ours to drain
        await super().stop(*exc)
