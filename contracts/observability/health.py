"""Liveness and readiness of one service copy, and its consumers' lag.

A copy is **live** while its event loop answers HTTP. It is **ready** when all of these hold:

- it has finished starting (``Stats.ready``; the gateway: registered with LiveKit);
- its bus connection is up (``nc.is_connected``);
- every consumer loop of the copy is fetching: each loop calls :meth:`Health.beat` after every
  fetch that the server answered (messages or "nothing now"), and a consumer whose last beat is
  older than ``stale_s`` (``EC_HEALTH_STALE_S``, default 15 s) is not fetching — stopped, stuck
  behind a dead database, or failing every fetch;
- no consumer is falling behind: lag above ``EC_HEALTH_MAX_LAG`` (default 5,000) and grown at
  each of the last 3 samples;
- every registered check passes (``database``: a ``SELECT 1`` within 2 s, for the services
  with a database), results cached for a second so that probes cannot pile onto the pool.

The lag sampler reads ``consumer_info`` of each consumer that has beaten, every
``lag_every_s`` seconds (not per message), into the ``ec_consumer_*`` gauges and the pong.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from contracts.observability import metrics

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]  # raises (or times out) when not healthy

DEFAULT_STALE_S = 15.0
DEFAULT_MAX_LAG = 5_000
LAG_SAMPLES = 3
CHECK_TIMEOUT_S = 2.0
CHECK_CACHE_S = 1.0


@dataclass
class ConsumerLag:
    pending: int = 0
    ack_pending: int = 0
    redelivered: int = 0
    waiting: int = 0

    @property
    def lag(self) -> int:
        return self.pending + self.ack_pending


@dataclass
class Health:
    """Per copy: consumer heartbeats, readiness checks, sampled lag, the HTTP port."""

    stale_s: float = DEFAULT_STALE_S
    #: a consumer whose lag is above this and grew over the last LAG_SAMPLES samples is
    #: falling behind: not ready (``EC_HEALTH_MAX_LAG``)
    max_lag: int = DEFAULT_MAX_LAG
    #: consumer (durable) name → (stream, monotonic time of the last fetch answered)
    beats: dict[str, tuple[str, float]] = field(default_factory=dict)
    checks: dict[str, Check] = field(default_factory=dict)
    lags: dict[str, ConsumerLag] = field(default_factory=dict)
    lag_history: dict[str, deque[int]] = field(default_factory=dict)
    http_port: int | None = None
    #: the copy has finished starting (set by ``contracts.runtime.serve``)
    started: bool = False
    _cache: dict[str, tuple[float, str | None]] = field(default_factory=dict)

    # ---- what the services call ---------------------------------------------------------

    def beat(self, consumer: str, stream: str = "CALLS") -> None:
        """A fetch on ``consumer`` was answered (messages, or none for now)."""
        self.beats[consumer] = (stream, time.monotonic())

    def add_check(self, name: str, check: Check) -> None:
        """``check()`` must return within 2 s without raising for the copy to be ready."""
        self.checks[name] = check

    # ---- readiness ----------------------------------------------------------------------

    async def evaluate(self, nc: Any, started: bool = True) -> tuple[bool, dict[str, str]]:
        """``(ready, {check: "ok" | why not})``."""
        report: dict[str, str] = {"started": "ok" if started else "starting"}
        connected = nc is not None and bool(getattr(nc, "is_connected", False))
        report["bus"] = "ok" if connected else "not connected"
        now = time.monotonic()
        for consumer, (_, at) in sorted(self.beats.items()):
            age = now - at
            report[f"consumer:{consumer}"] = (
                "ok" if age <= self.stale_s else f"no fetch for {age:.0f} s"
            )
            behind = self.falling_behind(consumer)
            if behind and report[f"consumer:{consumer}"] == "ok":
                report[f"consumer:{consumer}"] = behind
        if self.checks:
            results = await asyncio.gather(*(self._run(n, c) for n, c in self.checks.items()))
            for name, problem in zip(self.checks, results, strict=True):
                report[name] = problem or "ok"
        return all(v == "ok" for v in report.values()), report

    async def _run(self, name: str, check: Check) -> str | None:
        cached = self._cache.get(name)
        if cached and time.monotonic() - cached[0] < CHECK_CACHE_S:
            return cached[1]
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
            problem = None
        except TimeoutError:
            problem = f"no answer within {CHECK_TIMEOUT_S:.0f} s"
        except Exception as err:
            problem = f"unreachable ({type(err).__name__})"
        self._cache[name] = (time.monotonic(), problem)
        return problem

    # ---- lag ----------------------------------------------------------------------------

    def falling_behind(self, consumer: str) -> str | None:
        """Why ``consumer`` is falling behind (its lag above ``max_lag`` and growing at every
        one of the last samples), else ``None``."""
        history = list(self.lag_history.get(consumer, ()))
        if len(history) < LAG_SAMPLES or history[-1] <= self.max_lag:
            return None
        if all(b > a for a, b in pairwise(history)):
            return f"lag {history[-1]} and growing"
        return None

    def lag(self) -> int | None:
        """Pending + unacknowledged messages of this copy's consumers (last sample)."""
        if not self.lags:
            return None
        return sum(lag.lag for lag in self.lags.values())

    def redelivered(self) -> int | None:
        if not self.lags:
            return None
        return sum(lag.redelivered for lag in self.lags.values())

    async def sample_lag(self, js: Any) -> None:
        for consumer, (stream, _) in list(self.beats.items()):
            try:
                info = await js.consumer_info(stream, consumer, timeout=2.0)
            except Exception as err:
                log.debug("consumer_info %s failed: %s", consumer, type(err).__name__)
                continue
            lag = ConsumerLag(
                pending=int(info.num_pending or 0),
                ack_pending=int(info.num_ack_pending or 0),
                redelivered=int(info.num_redelivered or 0),
                waiting=int(info.num_waiting or 0),
            )
            self.lags[consumer] = lag
            history = self.lag_history.setdefault(consumer, deque(maxlen=LAG_SAMPLES))
            history.append(lag.lag)
            metrics.CONSUMER_PENDING.labels(consumer).set(lag.pending)
            metrics.CONSUMER_ACK_PENDING.labels(consumer).set(lag.ack_pending)
            metrics.CONSUMER_REDELIVERED.labels(consumer).set(lag.redelivered)
            metrics.CONSUMER_LAG.labels(consumer).set(lag.lag)

    async def sample_lag_forever(self, js: Any, every_s: float) -> None:
        while True:
            with contextlib.suppress(Exception):
                await self.sample_lag(js)
            await asyncio.sleep(every_s)


def watch_fetches(subscription: Any, health: Health, consumer: str, stream: str = "CALLS") -> None:
    """Make every fetch on ``subscription`` (a nats-py JetStream pull subscription) that the
    server answered — messages, or a timeout meaning "none for now" — beat ``consumer``'s
    heartbeat. A failing fetch does not beat."""
    if getattr(subscription, "_ec_watched", False):
        return
    fetch = subscription.fetch

    async def beating_fetch(*args: Any, **kwargs: Any) -> Any:
        began = time.monotonic()
        try:
            messages = await fetch(*args, **kwargs)
        except TimeoutError:  # nats.errors.TimeoutError is one too
            # nats-py also raises it at once for a 408/409 status (the consumer deleted, say):
            # only a fetch that waited out most of its time means "none for now"
            waited = time.monotonic() - began
            if waited >= min(1.0, float(kwargs.get("timeout", 5.0)) / 2):
                health.beat(consumer, stream)
            raise
        health.beat(consumer, stream)
        for msg in messages or ():
            with contextlib.suppress(Exception):
                if (msg.metadata.num_delivered or 1) > 1:
                    metrics.REDELIVERIES.labels(consumer).inc()
        return messages

    subscription.fetch = beating_fetch
    subscription._ec_watched = True
    health.beat(consumer, stream)


def observed(health: Health) -> dict[str, Any]:
    """The optional presence-pong fields: HTTP port, lag, redeliveries, dead letters, last
    problem logged (see :class:`contracts.ops.InstancePong`)."""
    from contracts.observability.logs import last_problem

    problem = last_problem()
    return {
        "http_port": health.http_port,
        "consumer_lag": health.lag(),
        "redelivered": health.redelivered(),
        "dead_letters": metrics.dead_letters(list(health.beats) or None),
        "last_error": problem[1] if problem else None,
        "last_error_at": datetime.fromtimestamp(problem[0], UTC) if problem else None,
    }


def pool_check(pool: Any) -> Check:
    """A ``SELECT 1`` through a psycopg async pool (waits at most 2 s for a connection)."""

    async def check() -> None:
        async with pool.connection(timeout=CHECK_TIMEOUT_S) as conn:
            await conn.execute("SELECT 1")

    return check


def connection_check(url: str) -> Check:
    """A ``SELECT 1`` on a fresh connection (for a service without a pool)."""

    async def check() -> None:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(url, connect_timeout=2, autocommit=True)
        try:
            await conn.execute("SELECT 1")
        finally:
            await conn.close()

    return check
