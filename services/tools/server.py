"""The bus entrypoint: ``tools.<tool>`` request/reply, one queue group per tool, served by
responders declared here (:meth:`ToolServer.register`) on the service's
:class:`~contracts.hotpath.HotPath` (nats-py: FastStream's subscriber cost 7 times its CPU
per request, see that module).

Each request runs in its own task, so a slow tool never holds up another call's tool; per
tool at most ``max_in_flight`` run at once and ``max_queued`` more wait (beyond that: a
"busy, retry" answer at once). Every request is answered by its deadline — a result, a typed
error, or a timeout error — and audited on
``calls.<call_id>.tool``. The payload is decoded to the tool's request Struct by the
responder's msgspec decoder; one that is not the contract gets a typed INVALID_ARGUMENTS.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

import msgspec
import psycopg
import psycopg_pool

from contracts.codec import ContractError
from contracts.hotpath import HotPath, Malformed
from contracts.observability.logs import bind_call
from contracts.observability.metrics import observe_tool
from contracts.runtime import Stats
from contracts.subjects import CallEventName, call_subject, tool_queue, tool_subject
from contracts.telemetry import call_span
from contracts.tools import (
    REQUESTS,
    ToolError,
    ToolErrorCode,
    ToolInvoked,
    ToolName,
    ToolOutcome,
    ToolReply,
    ToolRequest,
)
from services.tools.deps import Deps
from services.tools.errors import (
    SORRY_AGAIN,
    TAKING_TOO_LONG,
    TRY_AGAIN_SHORTLY,
    ToolFailure,
)
from services.tools.handlers.table import HANDLERS, WRITES, Handler
from services.tools.kb.openai_compat import EmbeddingsUnavailable

log = logging.getLogger(__name__)
#: how often a transaction rolled back by a deadlock or serialization conflict is retried
TRANSACTION_RETRIES = 5
#: handlers that may run at once per tool beyond its capacity: they only answer "busy"
BUSY_SLACK = 64

_AT = re.compile(r"at `\$\.([^`]+)`")
_MISSING = re.compile(r"missing required field `([^`]+)`")
_CALL_ID = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9_-]{6,64}$")
_IDENTITY = ("session", "event_id", "occurred_at", "schema_version")
AUDIT_ATTEMPTS = 3


@dataclass
class Lane:
    """One tool's concurrency: a semaphore for running work and a cap on waiting work."""

    running: asyncio.Semaphore
    capacity: int
    pending: int = 0


@dataclass
class ToolServer:
    deps: Deps
    stats: Stats
    handlers: dict[ToolName, Handler] = field(default_factory=lambda: dict(HANDLERS))
    _lanes: dict[ToolName, Lane] = field(default_factory=dict)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _hot: HotPath | None = None

    def register(self, hot: HotPath) -> None:
        """Declare one responder per tool on ``hot`` (queue group ``tools.<tool>``)."""
        self._hot = hot
        s = self.deps.settings
        for tool in ToolName:
            lane = Lane(asyncio.Semaphore(s.max_in_flight), s.max_in_flight + s.max_queued)
            self._lanes[tool] = lane
            hot.responder(
                tool_subject(tool),
                queue=tool_queue(tool),
                contract=REQUESTS[tool],
                max_in_flight=lane.capacity + BUSY_SLACK,
            )(self._receiver(tool, lane))

    async def stop(self, grace_s: float = 5.0) -> None:
        """After the hot path stopped taking requests: let background work finish (writes
        past their deadline, audits)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace_s)

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _receiver(self, tool: ToolName, lane: Lane) -> Any:
        async def receive(body: Any) -> ToolReply:
            received = time.monotonic()
            if isinstance(body, Malformed):
                return self._refuse_malformed(tool, body, received)
            if lane.pending >= lane.capacity:
                busy = ToolError(
                    code=ToolErrorCode.UNAVAILABLE,
                    message=TRY_AGAIN_SHORTLY,
                    retryable=True,
                    detail="tools service is at capacity",
                )
                return ToolReply(request_id=body.event_id, result=busy)
            bind_call(body.session.call_id)  # log records carry the call id
            lane.pending += 1
            self.stats.in_flight += 1
            try:
                result = await self._run(tool, body, received, lane)
            finally:
                lane.pending -= 1
                self.stats.in_flight -= 1
                self.stats.handled += 1
            observe_tool(tool.value, _error_code(result), received)  # metrics
            log.debug(
                "tool %s: %s in %.1f ms", tool.value, _error_code(result) or "ok", _ms(received)
            )
            self._spawn(self._audit(tool, body, result, received))
            return ToolReply(request_id=body.event_id, result=result)

        receive.__name__ = f"tool_{tool.value}"
        return receive

    async def _run(
        self, tool: ToolName, request: ToolRequest, received: float, lane: Lane
    ) -> ToolOutcome:
        remaining = max(self.deps.settings.deadline_s - (time.monotonic() - received), 0.001)
        if tool not in WRITES:  # a read is simply cut off at its deadline
            try:
                async with asyncio.timeout(remaining):
                    return await self._guarded(tool, request, lane, None)
            except TimeoutError:
                return self._timed_out(tool, received)
        started = asyncio.Event()
        work = asyncio.ensure_future(self._guarded(tool, request, lane, started))
        try:
            return await asyncio.wait_for(asyncio.shield(work), timeout=remaining)
        except TimeoutError:
            if not started.is_set():
                work.cancel()  # still waiting for its turn: nothing to finish
            else:  # a write finishes its transaction in the background
                self._tasks.add(work)
                work.add_done_callback(self._tasks.discard)
            return self._timed_out(tool, received)

    def _timed_out(self, tool: ToolName, received: float) -> ToolError:
        log.warning("tool %s missed its deadline (%.0f ms)", tool, _ms(received))
        return ToolError(
            code=ToolErrorCode.TIMEOUT,
            message=TAKING_TOO_LONG,
            retryable=True,
            detail=f"no answer within {self.deps.settings.deadline_s:.1f} s",
        )

    async def _with_retries(self, tool: ToolName, request: ToolRequest) -> ToolOutcome:
        """Run the handler; a transaction Postgres rolled back to break a deadlock or a
        serialization conflict is run again (Postgres's advice: such conflicts are expected
        under concurrency). Every write is idempotent, so a retry never doubles anything."""
        with call_span("tools", f"tools.{tool.value} handler", attributes={"ec.tool": tool.value,
                       "db.system": "postgresql"}):  # fmt: skip
            for attempt in range(TRANSACTION_RETRIES):
                try:
                    return await self.handlers[tool](request, self.deps)
                except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                    await asyncio.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
            return await self.handlers[tool](request, self.deps)

    async def _guarded(
        self, tool: ToolName, request: ToolRequest, lane: Lane, started: asyncio.Event | None
    ) -> ToolOutcome:
        async with lane.running:
            if started is not None:
                started.set()
            try:
                return await self._with_retries(tool, request)
            except ToolFailure as failure:
                if failure.code is ToolErrorCode.NOT_AUTHORIZED:
                    log.warning(
                        "tool %s refused for call %s: %s",
                        tool,
                        request.session.call_id,
                        failure.detail,
                    )
                return failure.to_error()
            except (
                psycopg.OperationalError,
                psycopg_pool.PoolTimeout,
                EmbeddingsUnavailable,
            ) as err:
                log.warning("tool %s: dependency unavailable (%s)", tool, type(err).__name__)
                return ToolError(
                    code=ToolErrorCode.UNAVAILABLE,
                    message=TRY_AGAIN_SHORTLY,
                    retryable=True,
                    detail=type(err).__name__,
                )
            except Exception as err:
                # never the message: database errors quote the values (PII) that caused them
                state = getattr(err, "sqlstate", None)
                log.error("tool %s failed: %s %s", tool, type(err).__name__, state or "")
                log.debug("tool %s failure", tool, exc_info=True)
                return ToolError(
                    code=ToolErrorCode.INTERNAL,
                    message=TRY_AGAIN_SHORTLY,
                    retryable=True,
                    detail=type(err).__name__,
                )

    def _refuse_malformed(self, tool: ToolName, bad: Malformed, received: float) -> ToolReply:
        error = ToolError(
            code=ToolErrorCode.INVALID_ARGUMENTS,
            message=SORRY_AGAIN,
            field=field_of(bad.error),
            detail=str(bad.error)[:500],
        )
        request_id = _request_id(bad.data)
        call_id = _call_id(bad.data)
        if call_id:
            audit = ToolInvoked(
                event_id=_audit_id(request_id or hashlib.sha1(bad.data).hexdigest()),
                call_id=call_id,
                tool=tool,
                request_id=request_id,
                error=error,
                latency_ms=_ms(received),
            )
            self._spawn(self._publish(audit))
        return ToolReply(request_id=request_id, result=error)

    async def _audit(
        self, tool: ToolName, request: ToolRequest, result: ToolOutcome, received: float
    ) -> None:
        args = {
            k: v
            for k, v in msgspec.to_builtins(request).items()
            if k not in _IDENTITY and v is not None
        }
        error = result if isinstance(result, ToolError) else None
        event = ToolInvoked(
            event_id=_audit_id(request.event_id),
            call_id=request.session.call_id,
            tool=tool,
            request_id=request.event_id,
            args=args,
            result=None if error else msgspec.to_builtins(result),
            error=error,
            latency_ms=_ms(received),
        )
        await self._publish(event)

    async def _publish(self, event: ToolInvoked) -> None:
        subject = call_subject(event.call_id, CallEventName.TOOL)
        for attempt in range(AUDIT_ATTEMPTS):
            try:
                assert self._hot is not None
                await self._hot.publish_event(subject, event, ack_timeout=2.0)
                return
            except Exception as err:
                if attempt == AUDIT_ATTEMPTS - 1:
                    log.warning(
                        "audit event lost for call %s: %s", event.call_id, type(err).__name__
                    )
                    return
                await asyncio.sleep(0.2 * (attempt + 1))


def field_of(err: ContractError) -> str | None:
    """The argument a decode error is about: ``limit``, ``session.call_id``, ``session``."""
    text = str(err)
    at, missing = _AT.search(text), _MISSING.search(text)
    parts = [m.group(1) for m in (at, missing) if m]
    return ".".join(parts) or None


def _ms(since: float) -> float:
    return round((time.monotonic() - since) * 1000, 3)


def _audit_id(request_id: str) -> str:
    """Deterministic, so a retried request's audit is de-duplicated by the stream."""
    return "tool_" + hashlib.sha256(request_id.encode()).hexdigest()[:40]


def _loose(data: bytes) -> dict[str, Any]:
    try:
        value = msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError):  # RecursionError: JSON nested too deeply
        return {}
    return value if isinstance(value, dict) else {}


def _request_id(data: bytes) -> str:
    value = _loose(data).get("event_id")
    return value[:128] if isinstance(value, str) else ""


def _call_id(data: bytes) -> str | None:
    session = _loose(data).get("session")
    call_id = session.get("call_id") if isinstance(session, dict) else None
    return call_id if isinstance(call_id, str) and _CALL_ID.match(call_id) else None


def _error_code(result: ToolOutcome) -> str | None:
    return result.code.value if isinstance(result, ToolError) else None
