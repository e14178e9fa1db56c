"""Running one copy of a service: connect, declare streams, answer presence pings, stop
cleanly on SIGTERM/SIGINT (drain: finish in-flight work, then close).

A service supplies ``start(nc, stats) -> stop`` from its composition root; everything else
here is the same for every service.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from contracts.base import new_id, utcnow
from contracts.bus import connect, require_streams
from contracts.observability.health import Health, observed
from contracts.observability.http import observe
from contracts.ops import InstancePong
from contracts.subjects import OPS_PING, ops_ping

log = logging.getLogger(__name__)


@dataclass
class Stats:
    """Counters a service updates and presence reports."""

    service: str
    instance_id: str = field(default_factory=lambda: new_id("inst_")[:17])
    started_at: datetime = field(default_factory=utcnow)
    in_flight: int = 0
    handled: int = 0
    ready: bool = True
    #: heartbeats, readiness checks, sampled lag, HTTP port (contracts.observability.health)
    health: Health = field(default_factory=Health, repr=False, compare=False)

    def pong(self) -> InstancePong:
        return InstancePong(
            service=self.service,
            instance_id=self.instance_id,
            pid=os.getpid(),
            started_at=self.started_at,
            in_flight=self.in_flight,
            handled=self.handled,
            ready=self.ready,
            **observed(self.health),
        )


Stop = Callable[[], Awaitable[None]]
Start = Callable[[NATS, Stats], Awaitable[Stop]]


def add_presence(broker: NatsBroker, stats: Stats) -> None:
    """Declare the presence subscribers (``ops.ping``, ``ops.ping.<service>``) on ``broker``:
    each answers with this copy's :class:`InstancePong`."""
    for subject in (OPS_PING, ops_ping(stats.service)):

        async def pong() -> Any:  # no return type: FastStream would convert it
            return stats.pong()

        pong.__name__ = f"presence_{subject.replace('.', '_')}"
        broker.subscriber(subject, title=f"presence {subject}")(pong)


async def answer_presence(nc: NATS, stats: Stats) -> NatsBroker:
    """Answer presence pings on ``nc`` (a FastStream broker of their own, started; its
    ``stop()`` stops answering, the connection's owner drains it)."""
    from contracts.broker import ServiceBroker

    broker = ServiceBroker(stats.service, connection=nc)
    add_presence(broker, stats)
    await broker.start()
    return broker


async def serve(service: str, nats_url: str, start: Start) -> None:
    """Run until SIGTERM/SIGINT, then stop the service's own work and drain the connection."""
    nc = await connect(nats_url, service)
    stats = Stats(service=service)
    await require_streams(nc.jetstream())
    unobserve = await observe(nc, stats, service)  # /health/live, /health/ready, /metrics
    stop = await start(nc, stats)
    stats.health.started = True
    await answer_presence(nc, stats)
    log.info("%s %s ready", service, stats.instance_id)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    try:
        await stopping.wait()
    finally:
        log.info("%s %s stopping", service, stats.instance_id)
        await unobserve()
        await stop()
        try:
            await nc.drain()
        except Exception as err:
            log.warning("%s: drain failed (%s); closing", service, type(err).__name__)
            await nc.close()
