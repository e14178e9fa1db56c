"""The per-turn hot paths on nats-py directly, with FastStream's metrics and our trace spans.

**Why not FastStream here** (issue 13 allows raw nats-py where FastStream's cost is measured
and unacceptable). ``python bench/hotpath_cost.py`` (``bench/results/hotpath_cost.json``): a
server process answers request/reply while a client process sends 6,000 requests, 20 at a
time, on the same 2-core machine; the server's own CPU time per request:

=====================================================  =============  ===========
path                                                   CPU / request  requests/s
=====================================================  =============  ===========
nats-py callback, msgspec decode + respond                     40 µs       10,002
the same, each request in its own task                         54 µs        7,675
**this module** (task, metrics, decode, slots)                 82 µs        8,182
FastStream subscriber, no middleware                          272 µs        3,206
FastStream + our dead-letter middleware                       270 µs        3,299
FastStream + Prometheus + dead letters (ServiceBroker)        391 µs        2,533
the same, concurrent (``max_workers``), as tools ran          578 µs        1,653
=====================================================  =============  ===========

and a publish costs 7 µs through nats-py, 17 µs here, 87 µs through ``broker.publish``. On the
turn path (intake, tool and store requests, reply chunks, audits) FastStream's version cost
+49 % turn overhead in ``make bench`` (5.63 → 8.40 ms, one call) and 60 % of the capacity;
with this module the turn overhead is back to the pre-FastStream figure (8.16 ms against
8.47 ms, the same machine, the same hour). So the messages of a turn go through here;
FastStream keeps the application (``faststream run``), presence and the barge-in listeners,
where a message's cost does not matter.

What a FastStream subscriber gave, kept here at a few microseconds:

- **Decoding** with msgspec to the contract Struct (:func:`decode_contract`); a payload that is not
  the contract reaches the handler as :class:`Malformed` (request/reply answers with a typed
  error), JSON nested too deeply included.
- **Metrics**: the very series FastStream's Prometheus middleware records
  (``faststream_received_*`` and ``faststream_published_*``, labels ``app_name``, ``broker``,
  ``handler``/``destination``, ``status``), in the same registry, subjects templated.
- **Traces** when tracing is on (:mod:`contracts.telemetry`): ``<subject template> process``
  around a handler, with the parent from the message's ``traceparent``; ``<template> create``
  around a publish or request, whose context goes in the headers. Off: nothing is paid.
- **Concurrency**: each request in its own task, at most ``max_in_flight`` per responder
  running; stopping lets those in hand finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from faststream.prometheus.container import MetricsContainer
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from opentelemetry import trace

from contracts import codec
from contracts.base import Message
from contracts.bus import settle_subscriptions
from contracts.subjects import CALLS_STREAM, Header
from contracts.telemetry import (
    CALL_ID,
    call_id_of,
    call_span,
    extract,
    inject,
    subject_template,
    tracer,
)

log = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[Message]]


class Malformed:
    """What a lenient decoder hands over for a payload that is not its contract."""

    __slots__ = ("data", "error")

    def __init__(self, error: codec.ContractError, data: bytes) -> None:
        self.error = error
        self.data = data


def decode_contract(data: bytes, contract: type) -> Any:
    """``data`` as ``contract``; a :class:`~contracts.codec.ContractError` otherwise (bounded
    in size and depth: :func:`contracts.codec.decode`)."""
    return codec.decode(data, contract)


# ---- metrics: FastStream's series -------------------------------------------------------------


@cache
def _container() -> MetricsContainer:
    from contracts.observability.metrics import REGISTRY

    # finds the families FastStream's middleware registered (or registers them, same names)
    return MetricsContainer(REGISTRY, custom_label_names=())


@dataclass
class Meter:
    """One service's bus metrics, children cached per subject template."""

    service: str
    _children: dict[tuple[str, str], Any] = field(default_factory=dict)

    def _child(self, family: str, *labels: str) -> Any:
        key = (family, "\x00".join(labels))
        child = self._children.get(key)
        if child is None:
            metric = getattr(_container(), family)
            child = metric.labels(self.service, "nats", *labels)
            self._children[key] = child
        return child

    def received(self, handler: str, size: int) -> None:
        self._child("received_messages_total", handler).inc()
        self._child("received_messages_size_bytes", handler).observe(size)
        self._child("received_messages_in_process", handler).inc()

    def processed(self, handler: str, status: str, started: float, error: str | None) -> None:
        self._child("received_messages_in_process", handler).dec()
        self._child("received_processed_messages_duration_seconds", handler).observe(
            time.perf_counter() - started
        )
        self._child("received_processed_messages_total", handler, status).inc()
        if error:
            self._child("received_processed_messages_exceptions_total", handler, error).inc()

    def published(self, destination: str, started: float, error: str | None) -> None:
        self._child("published_messages_duration_seconds", destination).observe(
            time.perf_counter() - started
        )
        status = "error" if error else "success"
        self._child("published_messages_total", destination, status).inc()
        if error:
            self._child("published_messages_exceptions_total", destination, error).inc()


# ---- the hot path of one service --------------------------------------------------------------


@dataclass
class _Responder:
    subject: str
    queue: str | None
    contract: type
    handler: Handler
    slots: asyncio.Semaphore
    template: str


class HotPath:
    """One service's hot-path messaging on its nats-py connection: request/reply responders
    (declared with :meth:`responder`, subscribed by :meth:`start`), and publishing and
    requesting with metrics and trace context."""

    def __init__(self, nc: NATS, service: str) -> None:
        self.nc = nc
        self.service = service
        self.meter = Meter(service)
        self._responders: list[_Responder] = []
        self._subs: list[Subscription] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._js: JetStreamContext | None = None

    # ---- serving ------------------------------------------------------------------------

    def responder(
        self, subject: str, *, contract: type, queue: str | None = None, max_in_flight: int = 256
    ) -> Callable[[Handler], Handler]:
        """Declare ``handler(body) -> reply`` for requests on ``subject`` (queue group
        ``queue``): ``body`` is the payload as ``contract``, or :class:`Malformed`."""

        def declare(handler: Handler) -> Handler:
            slots = asyncio.Semaphore(max_in_flight)
            template = subject_template(subject)
            route = _Responder(subject, queue, contract, handler, slots, template)
            self._responders.append(route)
            return handler

        return declare

    async def start(self) -> None:
        """Subscribe every responder; when this returns the server has the subscriptions."""
        for responder in self._responders:
            self._subs.append(
                await self.nc.subscribe(
                    responder.subject, queue=responder.queue or "", cb=self._on_request(responder)
                )
            )
        await settle_subscriptions(self.nc)

    async def stop(self, grace_s: float = 5.0) -> None:
        """Stop taking requests; those in hand are answered (up to ``grace_s``)."""
        for sub in self._subs:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        self._subs.clear()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace_s)

    def spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _on_request(self, responder: _Responder) -> Callable[[Msg], Awaitable[None]]:
        async def on_request(msg: Msg) -> None:
            self.spawn(self._serve(responder, msg))

        return on_request

    async def _serve(self, responder: _Responder, msg: Msg) -> None:
        started = time.perf_counter()
        self.meter.received(responder.template, len(msg.data))
        error: str | None = None
        try:
            async with responder.slots:
                with self.consuming(responder.template, msg):
                    try:
                        body: Any = decode_contract(msg.data, responder.contract)
                    except codec.ContractError as err:
                        body = Malformed(err, msg.data)
                    reply = await responder.handler(body)
                    if msg.reply:
                        await self.nc.publish(msg.reply, codec.encode(reply))
        except Exception as err:
            error = type(err).__name__
            log.error("handling %s failed: %s", responder.template, error)
        finally:
            self.meter.processed(responder.template, "error" if error else "acked", started,
                                 error)  # fmt: skip

    @contextlib.contextmanager
    def consuming(self, template: str, msg: Msg) -> Any:
        """The ``<template> process`` span of handling ``msg`` (tracing on), its parent the
        message's trace context."""
        if tracer(self.service) is None:
            yield None
            return
        attributes = {"messaging.system": "nats", "messaging.destination.name": template,
                      "messaging.operation": "process"}  # fmt: skip
        call_id = call_id_of(msg.subject)
        if call_id:
            attributes[CALL_ID] = call_id
        with call_span(self.service, f"{template} process", parent=extract(msg.headers),
                       kind=trace.SpanKind.CONSUMER, attributes=attributes) as span:  # fmt: skip
            yield span

    # ---- sending ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _producing(self, subject: str, headers: dict[str, str]) -> Any:
        template = subject_template(subject)
        started = time.perf_counter()
        error: str | None = None
        try:
            if tracer(self.service) is None:
                yield
            else:
                attributes = {"messaging.system": "nats", "messaging.destination.name": template,
                              "messaging.operation": "create"}  # fmt: skip
                call_id = call_id_of(subject)
                if call_id:
                    attributes[CALL_ID] = call_id
                with call_span(self.service, f"{template} create",
                               kind=trace.SpanKind.PRODUCER, attributes=attributes):  # fmt: skip
                    inject(headers)
                    yield
        except Exception as err:
            error = type(err).__name__
            raise
        finally:
            self.meter.published(template, started, error)

    async def publish(
        self, subject: str, data: bytes, headers: Mapping[str, str] | None = None
    ) -> None:
        """A core publish (a stream bound to ``subject`` still stores it)."""
        all_headers = dict(headers or {})
        with self._producing(subject, all_headers):
            await self.nc.publish(subject, data, headers=all_headers or None)

    async def request(self, subject: str, data: bytes, *, timeout: float) -> Msg:
        """Request/reply (``nats.errors.TimeoutError`` / ``NoRespondersError`` as nats-py)."""
        headers: dict[str, str] = {}
        with self._producing(subject, headers):
            return await self.nc.request(subject, data, timeout=timeout, headers=headers or None)

    async def publish_event(
        self, subject: str, event: Message, *, stream: str = CALLS_STREAM,
        ack_timeout: float = 5.0,
    ) -> Any:  # fmt: skip
        """To a stream, acknowledged by JetStream, ``Nats-Msg-Id`` = ``event_id`` (a repeat is
        de-duplicated)."""
        headers = {Header.MSG_ID: event.event_id, Header.CONTRACT: type(event).__name__}
        with self._producing(subject, headers):
            if self._js is None:
                self._js = self.nc.jetstream()
            return await self._js.publish(
                subject, codec.encode(event), stream=stream, timeout=ack_timeout, headers=headers
            )
