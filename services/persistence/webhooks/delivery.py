"""The delivery loop: claim due outbox rows, POST them signed, record the result.

Claiming is one statement (``FOR UPDATE SKIP LOCKED`` inside an ``UPDATE``): it counts the
attempt and pushes ``next_attempt_at`` a lease ahead, so several copies share the rows and a
copy killed mid-POST leaves its rows to be retried after the lease — with the same
``webhook-id``, so a receiver dedupes (at-least-once over HTTP, once per (event, endpoint) in
the outbox). 2xx → delivered; 410 Gone → dead; anything else (3xx included, no answer, a
timeout) → retried with exponential backoff and jitter (longer if a 429/502/503/504 says so in
``Retry-After``) until ``max_attempts`` or ``max_age_s``, then dead. A call's webhooks reach
an endpoint in order (started, ended, analyzed): a row waits while an earlier one of its call
for that endpoint is pending. Endpoints go in parallel.

A payload whose ``data.recording_path`` is set gets ``data.recording_url``, a Storage URL
signed at each attempt (``sign_recording``), so it is fresh when the receiver reads it; while
Storage cannot sign, the attempt counts as failed and is retried like any other.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from contracts import webhooks
from contracts.observability.metrics import WEBHOOK_DELIVERIES, count_restart
from services.persistence.connection import HeldConnection
from services.persistence.webhooks import http

log = logging.getLogger(__name__)

Connect = Callable[[], Awaitable[psycopg.AsyncConnection]]
Clock = Callable[[], datetime]
#: a recording's object path → a URL anyone may GET for a while
SignRecording = Callable[[str], Awaitable[str]]
TRANSIENT = (psycopg.OperationalError, psycopg.errors.AdminShutdown)
#: answers whose ``Retry-After`` is honoured (the Standard Webhooks spec's throttling codes)
THROTTLED = frozenset({429, 502, 503, 504})


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: ``base_s * factor**(n-1)`` after the n-th failure,
    capped at ``cap_s``, each delay scaled by a random factor in ``[1-jitter, 1+jitter)``.
    The defaults retry for about a day (5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 5.7 h, 6 h…)."""

    base_s: float = 5.0
    factor: float = 4.0
    cap_s: float = 6 * 3600.0
    jitter: float = 0.2
    max_attempts: int = 10
    max_age_s: float = 3 * 86400.0

    def delay(self, failures: int, rand: float) -> float:
        """Seconds to wait after ``failures`` failed attempts; ``rand`` is uniform in [0, 1)."""
        plain = min(self.cap_s, self.base_s * self.factor ** max(0, failures - 1))
        return plain * (1 + self.jitter * (2 * rand - 1))


@dataclass(frozen=True)
class Row:
    id: int
    msg_id: str
    endpoint: str
    body: bytes
    attempts: int
    created_at: datetime


class Deliverer(HeldConnection):
    def __init__(
        self,
        connect: Connect,
        secret: str,
        *,
        policy: RetryPolicy | None = None,
        post: http.Post = http.post,
        clock: Clock = utcnow,
        rand: Callable[[], float] = random.random,
        batch_size: int = 50,
        idle_s: float = 0.5,
        timeout_s: float = 15.0,
        lease_s: float = 60.0,
        sign_recording: SignRecording | None = None,
        endpoint_secrets: Mapping[str, str] | None = None,
    ) -> None:
        # a bad secret fails at start, not at the first delivery
        for one in (secret, *(endpoint_secrets or {}).values()):
            webhooks.secret_key(one)
        #: an endpoint's own ``whsec_`` secret; any other endpoint's webhooks use ``secret``
        self.endpoint_secrets = dict(endpoint_secrets or {})
        self.connect = connect
        self.secret = secret
        self.policy = policy or RetryPolicy()
        self.post = post
        self.clock = clock
        self.rand = rand
        self.batch_size = batch_size
        self.idle_s = idle_s
        self.timeout_s = timeout_s
        self.lease_s = max(lease_s, timeout_s * 2)
        self.sign_recording = sign_recording
        self.conn: psycopg.AsyncConnection | None = None

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver until ``stopping`` is set; an error is logged and the loop goes on."""
        while not stopping.is_set():
            claimed = 0
            try:
                claimed = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except TRANSIENT as err:
                log.warning("webhooks: database unavailable (%s)", type(err).__name__)
                await self._reset()
            except Exception as err:
                log.error("webhooks: delivery loop failed (%s); going on", type(err).__name__)
                count_restart("webhooks:deliver")
                await self._reset()
            if claimed == 0:  # else more may be due: the next of a call just delivered
                try:
                    await asyncio.wait_for(stopping.wait(), self.idle_s)
                except TimeoutError:
                    pass

    async def deliver_due(self) -> int:
        """One round: claim the due rows, deliver them, record each result. Returns how many
        rows were claimed."""
        rows = await self._claim()
        by_endpoint: dict[str, list[Row]] = {}
        for row in rows:
            by_endpoint.setdefault(row.endpoint, []).append(row)
        await asyncio.gather(*(self._deliver_in_order(rs) for rs in by_endpoint.values()))
        return len(rows)

    async def _claim(self) -> list[Row]:
        now = self.clock()
        conn = await self._conn()
        cur = await conn.execute(
            """WITH due AS (
                   SELECT id FROM webhook_outbox w
                   WHERE status = 'pending' AND next_attempt_at <= %s
                     AND NOT EXISTS (  -- a call's webhooks in order, per endpoint
                         SELECT 1 FROM webhook_outbox e
                         WHERE e.endpoint = w.endpoint AND e.call_id = w.call_id
                           AND e.status = 'pending' AND e.id < w.id)
                   ORDER BY next_attempt_at, id LIMIT %s
                   FOR UPDATE SKIP LOCKED)
               UPDATE webhook_outbox o SET attempts = o.attempts + 1, next_attempt_at = %s
               FROM due WHERE o.id = due.id
               RETURNING o.id, o.msg_id, o.endpoint, o.body, o.attempts, o.created_at""",
            (now, self.batch_size, now + timedelta(seconds=self.lease_s)),
        )
        rows = [Row(r[0], r[1], r[2], r[3].encode(), r[4], r[5]) for r in await cur.fetchall()]
        return sorted(rows, key=lambda r: r.id)

    async def _deliver_in_order(self, rows: list[Row]) -> None:
        for row in rows:
            answer, error = await self._attempt(row)
            await self._record(row, answer, error)

    async def _attempt(self, row: Row) -> tuple[http.Answer | None, str | None]:
        try:
            body = await self._with_recording_url(row.body)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # Storage could not sign: retried like a failed POST
            return None, type(err).__name__
        timestamp = int(self.clock().timestamp())
        secret = self.endpoint_secrets.get(row.endpoint, self.secret)
        signed = webhooks.headers(secret, row.msg_id, timestamp, body)
        try:
            return await self.post(row.endpoint, signed, body, self.timeout_s), None
        except asyncio.CancelledError:
            raise
        except Exception as err:  # no answer: refused, reset, timed out, not HTTP
            return None, type(err).__name__

    async def _with_recording_url(self, body: bytes) -> bytes:
        if self.sign_recording is None or b'"recording_path"' not in body:
            return body
        message = json.loads(body)
        data = message.get("data") or {}
        path = data.get("recording_path")
        if not path:
            return body
        data["recording_url"] = await self.sign_recording(path)
        return json.dumps(message, separators=(",", ":")).encode()

    async def _record(self, row: Row, answer: http.Answer | None, error: str | None) -> None:
        now = self.clock()
        status = answer.status if answer else None
        if status is not None and 200 <= status < 300:
            state, when = "delivered", now
        elif status == 410:  # the receiver says the endpoint is gone
            state, when = "dead", now
        elif (
            row.attempts >= self.policy.max_attempts
            or (now - row.created_at).total_seconds() >= self.policy.max_age_s
        ):
            state, when = "dead", now
        else:
            state = "pending"
            wait = self.policy.delay(row.attempts, self.rand())
            if answer and answer.status in THROTTLED and answer.retry_after_s is not None:
                wait = min(max(wait, answer.retry_after_s), self.policy.cap_s)  # Retry-After
            when = now + timedelta(seconds=wait)
        WEBHOOK_DELIVERIES.labels("retry" if state == "pending" else state).inc()
        if state != "delivered":
            log.warning("webhook %s (outbox row %s): %s (%s)", row.msg_id, row.id,
                        status or error, state)  # fmt: skip
        conn = await self._conn()
        await conn.execute(
            """UPDATE webhook_outbox SET status = %s, next_attempt_at = %s, last_status = %s,
                   last_error = %s, delivered_at = coalesce(%s, delivered_at)
               WHERE id = %s""",
            (state, when, status, error, now if state == "delivered" else None, row.id),
        )

    async def close(self) -> None:
        await self._reset()
