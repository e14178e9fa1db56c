"""The gateway as a service on the bus: the LiveKit worker answers presence pings
(``ops.ping`` and ``ops.ping.gateway``) with an ``InstancePong``, like every other service,
for as long as the worker runs — so ``equity-connect health gateway``, ``up`` and ``status``
see it.

Which process: livekit-agents runs one long-lived main process per worker
(``AgentServer.run``: the WebSocket to LiveKit, job dispatch, a pool of job processes) and each
call (job) in a job process of its own, started from a forkserver, that ends with the call.
Presence lives in the main process — the only one that lasts the worker's life and sees every
job — so a worker answers once, never once per call. :class:`GatewayServer` is the
``AgentServer`` that ``cli.run_app`` runs: it connects to NATS and answers from the start of
``run()`` and stops answering when the worker is closed (``aclose()``, after the drain on
SIGTERM) or ``run()`` fails.

The pong: ``ready`` — registered with the LiveKit server now and taking calls (not while
starting, reconnecting or draining); ``in_flight`` — calls in progress (the worker's active
jobs, what it reports to LiveKit as its job count); ``handled`` — calls whose job has ended.
No business logic here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import NOT_GIVEN, AgentServer, NotGivenOr
from nats.aio.client import Client as NATS

from contracts.bus import connect, require_streams
from contracts.observability import logs
from contracts.observability.http import observe
from contracts.ops import InstancePong
from contracts.runtime import Stats, answer_presence

log = logging.getLogger(__name__)

SERVICE = "gateway"
#: given the bus connection, serves LiveKit's webhooks; returns the port and ``stop()``
WebhookStarter = Callable[[NATS], Awaitable[tuple[int, Callable[[], Awaitable[None]]]]]
#: given the bus connection, starts background work of the main process; returns ``stop()``
Background = Callable[[NATS], Awaitable[Callable[[], Awaitable[None]]]]


@dataclass
class WorkerStats(Stats):
    """Presence counters read from the worker whenever a ping arrives."""

    worker: GatewayServer | None = field(default=None, repr=False, compare=False)

    def refresh(self) -> None:
        if self.worker is not None:
            self.in_flight = self.worker.calls_in_progress()
            self.ready = self.worker.registered()

    def pong(self) -> InstancePong:
        self.refresh()
        return super().pong()


class GatewayServer(AgentServer):
    """The LiveKit ``AgentServer``, present on the bus as service ``gateway``."""

    def __init__(
        self,
        nats_url: str,
        *,
        webhooks: WebhookStarter | None = None,
        background: Background | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.nats_url = nats_url
        #: starts LiveKit's webhook receiver on the bus connection (webhooks.py); None: none
        self._webhooks = webhooks
        self._unhook: Callable[[], Awaitable[None]] | None = None
        #: e.g. the recordings spool sweep (recording.py); None: nothing
        self._background = background
        self._stop_background: Callable[[], Awaitable[None]] | None = None
        self.stats = WorkerStats(service=SERVICE, ready=False, worker=self)
        self._nc: NATS | None = None
        self._unobserve: Callable[[], Awaitable[None]] | None = None
        self._running = False  # AgentServer.run() entered
        self._started = False
        self._registered_once = False
        self._stopping = False
        self._calls: set[str] = set()  # job ids launched and not yet ended
        self.on("worker_started", self._on_worker_started)
        self.on("worker_registered", self._on_worker_registered)

    # ---- lifecycle (the main process) -----------------------------------------------------

    async def run(self, *, devmode: bool = False, unregistered: bool = False) -> None:
        """Answer on the bus, then run the worker. The bus comes first: until NATS answers
        (``connect`` retries, like every service's), the worker does not register with
        LiveKit, so no call is dispatched to a gateway that cannot reach the bus."""
        self._stopping = False
        await self._answer()
        try:
            self._running = True
            await super().run(devmode=devmode, unregistered=unregistered)
        finally:
            await self._stop_answering()

    async def drain(self, timeout: NotGivenOr[int | None] = NOT_GIVEN) -> None:
        """Still answering (not ready) while the calls in progress finish."""
        if self._running:  # AgentServer.drain() fails if its run() never began
            await super().drain(timeout)

    async def aclose(self) -> None:
        """``cli.run_app`` ends with ``drain()`` then ``aclose()`` and cancels what is left:
        presence ends here, with the worker, not in a cancelled ``run()``."""
        self._stopping = True
        try:
            if self._running:  # AgentServer.aclose() fails if its run() never began
                await super().aclose()
        finally:
            await self._stop_answering()

    async def _answer(self) -> None:
        logs.redact_handlers()  # LiveKit's CLI set up its own log handlers: redact them too
        nc = await connect(self.nats_url, SERVICE)
        try:
            await require_streams(nc.jetstream())
            await answer_presence(nc, self.stats)
            # /health/live, /health/ready (registered with LiveKit, bus up) and /metrics
            self._unobserve = await observe(nc, self.stats, SERVICE)
            if self._webhooks is not None:
                port, self._unhook = await self._webhooks(nc)
                log.info("gateway: LiveKit webhooks on port %d", port)
            if self._background is not None:
                self._stop_background = await self._background(nc)
            self.stats.health.started = True
        except BaseException:
            await nc.close()
            raise
        self._nc = nc
        log.info("gateway %s answering presence", self.stats.instance_id)

    async def _stop_answering(self) -> None:
        nc, self._nc = self._nc, None
        if nc is None:
            return
        unhook, self._unhook = self._unhook, None
        if unhook is not None:
            await unhook()
        stop_background, self._stop_background = self._stop_background, None
        if stop_background is not None:
            await stop_background()
        unobserve, self._unobserve = self._unobserve, None
        if unobserve is not None:
            await unobserve()
        log.info("gateway %s stopping", self.stats.instance_id)
        try:
            await asyncio.wait_for(nc.close(), 5)
        except Exception as err:
            log.warning("gateway: closing the bus connection failed (%s)", type(err).__name__)

    # ---- what the pong reports --------------------------------------------------------------

    def registered(self) -> bool:
        """Registered with the LiveKit server now, and taking calls.

        livekit-agents 1.8 emits ``worker_registered`` but nothing when the connection drops;
        ``AgentServer._connecting`` is its own "not registered now" flag (set from each
        connection attempt until the register response; the worker holds back status updates
        while it is set) and ``_conn_task`` ends when it gives up on LiveKit. Pinned by
        uv.lock; tests/gateway/test_presence.py covers reconnecting.
        """
        if not (self._started and self._registered_once) or self._stopping or self.draining:
            return False
        connection: asyncio.Task[None] | None = getattr(self, "_conn_task", None)
        if connection is None or connection.done():
            return False
        return not getattr(self, "_connecting", True)

    def calls_in_progress(self) -> int:
        """The worker's active jobs (one per call), the job count it reports to LiveKit."""
        return len(self.active_jobs) if self._started else 0

    def _on_worker_started(self) -> None:
        self._started = True
        # Calls handled: counted as each job's process ends. livekit-agents 1.8 has no public
        # event for that; the worker's own job-status reports come from these proc-pool events.
        pool = getattr(self, "_proc_pool", None)
        if pool is None:
            log.warning("gateway: cannot count handled calls with this livekit-agents version")
            return
        pool.on("process_job_launched", self._on_job_launched)
        pool.on("process_closed", self._on_process_closed)

    def _on_worker_registered(self, worker_id: str, _server_info: Any) -> None:
        self._registered_once = True
        log.info("gateway %s registered with LiveKit as %s", self.stats.instance_id, worker_id)

    def _on_job_launched(self, proc: Any) -> None:
        job = proc.running_job
        if job is not None:
            self._calls.add(job.job.id)

    def _on_process_closed(self, proc: Any) -> None:
        job = proc.running_job
        if job is not None and job.job.id in self._calls:
            self._calls.discard(job.job.id)
            self.stats.handled += 1
