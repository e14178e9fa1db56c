"""The copy's HTTP endpoint: ``/health/live``, ``/health/ready`` and ``/metrics``.

A minimal HTTP/1.1 server on asyncio (GET and HEAD, one request per connection): probes and
Prometheus scrapes need no more, and no web framework is loaded into every service.

The port comes from ``EC_HTTP_PORT`` (default per service, :data:`DEFAULT_PORTS`); ``0`` takes a
free ephemeral port, which the copy reports in its presence pong (``equity-connect status``
shows it). When a fixed port is taken the copy logs an error and takes an ephemeral one rather
than dying: the bus work matters more, and a probe on the fixed port then fails visibly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from contracts.observability.health import DEFAULT_MAX_LAG, DEFAULT_STALE_S, Health
from contracts.observability.logs import watch_problems
from contracts.observability.metrics import REGISTRY
from contracts.settings import Env

log = logging.getLogger(__name__)

#: ``EC_HTTP_PORT`` when it is not set
DEFAULT_PORTS = {"persistence": 9101, "tools": 9102, "dialogue": 9103, "gateway": 9104}
#: the consumers' lag is read this often (seconds)
LAG_EVERY_S = 5.0
READ_TIMEOUT_S = 5.0
MAX_HEAD = 8192

Ready = Callable[[], Awaitable[tuple[bool, dict[str, str]]]]


@dataclass(frozen=True)
class HttpSettings:
    port: int
    host: str = "0.0.0.0"
    stale_s: float = DEFAULT_STALE_S
    max_lag: int = DEFAULT_MAX_LAG

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> HttpSettings:
        """Raises :class:`SettingsError` naming the variable when a value is malformed."""
        e = Env(os.environ if env is None else env)
        return cls(
            port=e.integer("EC_HTTP_PORT", DEFAULT_PORTS.get(service, 0), low=0, high=65535),
            host=e.text("EC_HTTP_HOST", "0.0.0.0"),
            stale_s=e.number("EC_HEALTH_STALE_S", DEFAULT_STALE_S, low=0.1),
            max_lag=e.integer("EC_HEALTH_MAX_LAG", DEFAULT_MAX_LAG, low=1),
        )


class HttpServer:
    def __init__(self, ready: Ready) -> None:
        self._ready = ready
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> int:
        try:
            self._server = await asyncio.start_server(self._serve, host, port)
        except OSError as err:
            if port == 0:
                raise
            log.error("HTTP port %d not available (%s): using an ephemeral port", port, err)
            self._server = await asyncio.start_server(self._serve, host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_S)
            if len(head) > MAX_HEAD:
                raise ValueError("head too large")
            method, target, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            status, ctype, body = await self._route(method, target.split("?", 1)[0])
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                "Cache-Control: no-store\r\nConnection: close\r\n\r\n".encode("latin-1")
            )
            if method != "HEAD":
                writer.write(body)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            pass
        except Exception as err:  # never let a probe take the service down
            log.debug("http: %s", type(err).__name__)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _route(self, method: str, path: str) -> tuple[str, str, bytes]:
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", "text/plain", b"GET only\n"
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, generate_latest(REGISTRY)
        if path in ("/health/live", "/healthz", "/livez"):
            return "200 OK", "application/json", b'{"live": true}\n'
        if path in ("/health/ready", "/readyz", "/health"):
            ready, report = await self._ready()
            body = json.dumps({"ready": ready, "checks": report}).encode() + b"\n"
            status = "200 OK" if ready else "503 Service Unavailable"
            return status, "application/json", body
        return "404 Not Found", "text/plain", b"not found\n"


async def observe(
    nc: Any, stats: Any, service: str, settings: HttpSettings | None = None
) -> Callable[[], Awaitable[None]]:
    """Serve the copy's ``/health/*`` and ``/metrics`` and sample its consumers' lag until the
    returned ``stop()`` is awaited. ``stats`` is the copy's :class:`contracts.runtime.Stats`
    (its ``health`` carries the heartbeats and checks; its ``ready`` says "started")."""
    settings = settings or HttpSettings.from_env(service)
    watch_problems()  # the pong's last error, whoever set up the log handlers
    health: Health = stats.health
    health.stale_s = settings.stale_s
    health.max_lag = settings.max_lag

    async def ready() -> tuple[bool, dict[str, str]]:
        if hasattr(stats, "refresh"):  # e.g. the gateway: registered with LiveKit now?
            stats.refresh()
        return await health.evaluate(nc, started=health.started and bool(stats.ready))

    server = HttpServer(ready)
    health.http_port = await server.start(settings.host, settings.port)
    sampler = asyncio.create_task(health.sample_lag_forever(nc.jetstream(), LAG_EVERY_S))
    log.info("%s: /health and /metrics on port %d", service, health.http_port)

    async def stop() -> None:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sampler
        await server.stop()

    return stop
