"""A service as a FastStream application, for ``faststream run services.<service>.app:app``.

The same start-up as ``equity-connect serve <service>`` (:func:`contracts.runtime.serve`):
the connection :func:`contracts.bus.connect` makes (the broker's own), the streams declared,
health/metrics over HTTP, the service's ``start(nc, stats) -> stop``, presence pings; on
SIGTERM/SIGINT FastStream runs the shutdown hook (the service stops taking work and finishes
what it holds), then stops the broker, which drains the connection.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from faststream import FastStream

from contracts.broker import ServiceBroker
from contracts.bus import require_streams
from contracts.observability.http import observe
from contracts.runtime import Start, Stats, add_presence

log = logging.getLogger(__name__)


def service_app(service: str, nats_url: str, start: Start) -> FastStream:
    broker = ServiceBroker(service, url=nats_url)
    app = FastStream(broker, logger=log)
    stats = Stats(service=service)
    stops: list[Callable[[], Awaitable[None]]] = []

    @app.on_startup
    async def started() -> None:
        nc = await broker.connect()
        await require_streams(nc.jetstream())
        stops.append(await observe(nc, stats, service))  # /health/live, /health/ready, /metrics
        stops.append(await start(nc, stats))
        stats.health.started = True
        add_presence(broker, stats)  # started with the broker, right after this hook
        log.info("%s %s ready", service, stats.instance_id)

    @app.on_shutdown
    async def stopping() -> None:
        log.info("%s %s stopping", service, stats.instance_id)
        for stop in stops:
            await stop()

    return app
