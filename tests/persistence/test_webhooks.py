"""Webhooks out against real Postgres (and, for the whole service, real NATS): signed
``call.started`` / ``call.ended`` a local receiver verifies; a receiver that is down gets the
webhook once it is back, after backoff; a redelivered event adds no row; two copies deliver
each row once; hopeless rows end dead."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from contracts.bus import publish_event
from contracts.calls import OutcomeRecorded
from contracts.observability.metrics import REGISTRY
from contracts.settings import SettingsError
from contracts.webhooks import WebhookVerificationError, new_secret, verify
from services.ops.migrate import service_url
from services.persistence.apply import Event, apply_batch
from services.persistence.settings import Settings
from services.persistence.webhooks import http
from services.persistence.webhooks.delivery import Deliverer, RetryPolicy
from services.persistence.webhooks.outbox import HOOKS, Hook, enqueue
from tests.persistence.conftest import eventually
from tests.persistence.events import CALLER, call_events, subject_of
from tests.persistence.receiver import Receiver

SECRET = new_secret()


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def settings(nats_url: str, db: str, receiver: Receiver) -> Settings:
    """The persistence service with the receiver as its one endpoint."""
    return Settings(nats_url=nats_url, database_url=service_url(db, "persistence"),
                    webhook_urls=(receiver.url,), webhook_secret=SECRET)  # fmt: skip


@pytest.fixture
async def connect(db: str) -> AsyncIterator[Callable[[], Any]]:
    opened: list[psycopg.AsyncConnection] = []

    async def open_one() -> psycopg.AsyncConnection:
        conn = await psycopg.AsyncConnection.connect(service_url(db, "persistence"),
                                                     autocommit=True)  # fmt: skip
        opened.append(conn)
        return conn

    yield open_one
    for conn in opened:
        await conn.close()


def events_of(call_id: str | None = None) -> list[Event]:
    return [Event(subject_of(e, n), e.call_id, e) for n, e in call_events(call_id)]


async def test_a_call_sends_signed_started_ended_and_analyzed_webhooks(
    nc: Any, persistence: Any, receiver: Receiver, query: Any
) -> None:
    events = call_events()
    for name, event in events:
        await publish_event(nc.jetstream(), subject_of(event, name), event)
    await eventually(lambda: len(receiver.received) >= 3)
    await asyncio.sleep(0.3)  # nothing more comes
    assert len(receiver.received) == 3
    started, ended, analyzed = receiver.received  # in order, per call and endpoint
    for got in (started, ended, analyzed):
        verify(SECRET, got.body, got.headers)  # signed per Standard Webhooks
        assert got.path == "/hooks/barbara"
        assert got.headers["content-type"] == "application/json"
        text = got.body.decode()
        assert CALLER not in text and "+1800" not in text, "no phone numbers"
        assert "Eleanor" not in text and "Barbara" not in text, "no transcript"
        with pytest.raises(WebhookVerificationError):  # a tampered body fails
            verify(SECRET, got.body.replace(b"call_id", b"call_ix"), got.headers)
    first, last = json.loads(started.body), json.loads(ended.body)
    call_id = events[0][1].call_id
    assert started.headers["webhook-id"] == events[0][1].event_id
    assert ended.headers["webhook-id"] == events[-1][1].event_id
    assert first["type"] == "call.started" and last["type"] == "call.ended"
    assert first["data"]["call_id"] == call_id and first["data"]["direction"] == "inbound"
    assert last["data"] | {"call_id": call_id} == last["data"]
    assert last["data"]["outcome"] == "callback_scheduled"
    assert last["data"]["end_reason"] == "agent_ended" and last["data"]["duration_ms"] == 65_000
    assert datetime.fromisoformat(last["timestamp"]) >= datetime.fromisoformat(first["timestamp"])
    report = json.loads(analyzed.body)
    assert report["type"] == "call.analyzed" and report["data"]["call_id"] == call_id
    assert report["data"]["evaluator"] == "deterministic-v1"
    assert set(report["data"]["scores"]) == {"opening", "property_discussion",
        "objection_handling", "booking_attempt", "tone", "overall_flow"}  # fmt: skip
    assert query("SELECT status::text, attempts FROM webhook_outbox ORDER BY id") == [
        ("delivered", 1), ("delivered", 1), ("delivered", 1)]  # fmt: skip


async def test_receiver_down_retried_with_backoff_then_delivered_once(
    db: str, connect: Any, query: Any
) -> None:
    receiver = Receiver()  # its port: nothing listens yet
    conn = await connect()
    events = events_of()
    await apply_batch(conn, events, [receiver.url])
    clock = Clock()
    policy = RetryPolicy(base_s=5, factor=4, jitter=0.2)
    deliverer = Deliverer(connect, SECRET, policy=policy, clock=clock, rand=lambda: 0.5)

    def pending() -> list[tuple[Any, ...]]:
        return query("SELECT status::text, attempts, next_attempt_at, last_error"
                     " FROM webhook_outbox ORDER BY id")  # fmt: skip

    t0 = clock.now
    assert await deliverer.deliver_due() == 1  # started: refused; ended waits its turn
    (started, ended) = pending()
    assert started[:2] == ("pending", 1) and started[3] == "ConnectionRefusedError"
    assert started[2] == t0 + timedelta(seconds=5), "5 s (rand 0.5: no jitter)"
    assert ended[:2] == ("pending", 0), "a call's webhooks go in order"
    assert await deliverer.deliver_due() == 0, "not before the backoff"
    clock.advance(4.9)
    assert await deliverer.deliver_due() == 0
    clock.advance(0.2)
    assert await deliverer.deliver_due() == 1  # refused again: 20 s now
    assert pending()[0][1:3] == (2, clock.now + timedelta(seconds=20))
    await receiver.start()
    try:
        clock.advance(19)
        assert await deliverer.deliver_due() == 0
        clock.advance(1.1)
        assert await deliverer.deliver_due() == 1  # started, delivered
        assert await deliverer.deliver_due() == 1  # then ended
        sent_at = clock.now.timestamp()
        assert await deliverer.deliver_due() == 0
        clock.advance(3600)
        assert await deliverer.deliver_due() == 0, "delivered rows are never sent again"
    finally:
        await receiver.stop()
        await deliverer.close()
    hooks = [e.event.event_id for e in events if e.subject.endswith((".started", ".ended"))]
    assert [r.headers["webhook-id"] for r in receiver.received] == hooks, "once each, in order"
    for got in receiver.received:
        verify(SECRET, got.body, got.headers, now=sent_at)
    assert [r[:2] for r in pending()] == [("delivered", 3), ("delivered", 1)]
    assert query("SELECT count(*) FROM webhook_outbox WHERE delivered_at IS NULL") == [(0,)]


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy(base_s=5, factor=4, cap_s=3600, jitter=0.2)
    assert [policy.delay(n, 0.5) for n in range(1, 7)] == [5, 20, 80, 320, 1280, 3600]
    assert policy.delay(1, 0.0) == pytest.approx(4.0)
    assert policy.delay(1, 0.999999) == pytest.approx(6.0, abs=1e-4)


async def test_a_redelivered_event_adds_no_outbox_row(connect: Any, query: Any) -> None:
    conn = await connect()
    endpoints = ["http://127.0.0.1:9/a", "https://hooks.example.com/b"]
    events = events_of()
    assert await apply_batch(conn, events, endpoints) == len(events)
    assert await apply_batch(conn, events, endpoints) == 0  # redelivered: processed_events
    started = events[0].event
    async with conn.transaction():  # even past processed_events, (msg_id, endpoint) holds
        assert await enqueue(conn, started, endpoints) == 0
    rows = query("SELECT event_type, count(*) FROM webhook_outbox GROUP BY 1 ORDER BY 1")
    assert rows == [("call.ended", 2), ("call.started", 2)]


async def test_another_event_is_one_hooks_line(
    connect: Any, query: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How ``call.analyzed`` is added: one entry in HOOKS (call-row columns, event fields)."""
    monkeypatch.setitem(HOOKS, OutcomeRecorded, Hook("call.outcome", ("direction",), ("outcome",)))
    await apply_batch(await connect(), events_of(), ["http://127.0.0.1:9/a"])
    rows = query("SELECT event_type, body FROM webhook_outbox ORDER BY id")
    assert [r[0] for r in rows] == ["call.started", "call.outcome", "call.ended"]
    data = json.loads(rows[1][1])["data"]
    assert data == {"call_id": data["call_id"], "direction": "inbound",
                    "outcome": "callback_scheduled"}  # fmt: skip


async def test_no_endpoints_no_rows(connect: Any, query: Any) -> None:
    await apply_batch(await connect(), events_of())
    assert query("SELECT count(*) FROM webhook_outbox") == [(0,)]


async def test_two_copies_deliver_each_row_once(connect: Any, query: Any) -> None:
    receiver = Receiver(delay_s=0.002)
    await receiver.start()
    conn = await connect()
    for _ in range(20):
        await apply_batch(conn, events_of(), [receiver.url])
    stopping = asyncio.Event()
    copies = [Deliverer(connect, SECRET, batch_size=7, idle_s=0.05) for _ in range(2)]
    tasks = [asyncio.create_task(c.run(stopping)) for c in copies]
    try:
        await eventually(lambda: query("SELECT count(*) FROM webhook_outbox"
                                       " WHERE status = 'delivered'") == [(40,)])  # fmt: skip
    finally:
        stopping.set()
        await asyncio.gather(*tasks)
        for c in copies:
            await c.close()
        await receiver.stop()
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == 40 and len(set(ids)) == 40, "each row exactly once"
    assert query("SELECT max(attempts) FROM webhook_outbox") == [(1,)]


async def test_hopeless_rows_end_dead(connect: Any, query: Any) -> None:
    statuses: dict[str, int] = {"http://gone.example/": 410, "http://broken.example/": 500}

    async def post(url: str, headers: Mapping[str, str], body: bytes, t: float) -> http.Answer:
        return http.Answer(statuses[url])

    await apply_batch(await connect(), events_of()[:1], list(statuses))
    before = {r: _deliveries(r) for r in ("retry", "dead")}
    clock = Clock()
    deliverer = Deliverer(connect, SECRET, policy=RetryPolicy(max_attempts=2), post=post,
                          clock=clock)  # fmt: skip
    assert await deliverer.deliver_due() == 2
    clock.advance(3600)
    assert await deliverer.deliver_due() == 1  # 410 Gone is not retried
    clock.advance(3600)
    assert await deliverer.deliver_due() == 0
    await deliverer.close()
    rows = query("SELECT endpoint, status::text, attempts, last_status FROM webhook_outbox"
                 " ORDER BY endpoint")  # fmt: skip
    assert rows == [("http://broken.example/", "dead", 2, 500),
                    ("http://gone.example/", "dead", 1, 410)]  # fmt: skip
    assert {r: _deliveries(r) - n for r, n in before.items()} == {"retry": 1, "dead": 2}


def _deliveries(result: str) -> float:
    return REGISTRY.get_sample_value("ec_webhook_deliveries_total", {"result": result}) or 0.0


async def test_retry_after_is_honoured_when_throttled(connect: Any, query: Any) -> None:
    answers = [http.Answer(429, 600.0), http.Answer(503, 1.0), http.Answer(500, 900.0)]

    async def post(url: str, headers: Mapping[str, str], body: bytes, t: float) -> http.Answer:
        return answers.pop(0)

    await apply_batch(await connect(), events_of()[:1], ["http://busy.example/"])
    clock = Clock()
    deliverer = Deliverer(connect, SECRET, post=post, clock=clock, rand=lambda: 0.5)
    waits = []
    for _ in range(3):
        clock.advance(7200)
        assert await deliverer.deliver_due() == 1
        due = query("SELECT next_attempt_at FROM webhook_outbox")[0][0]
        waits.append((due - clock.now).total_seconds())
    await deliverer.close()
    # 429 asks for 600 s (more than the 5 s backoff); 503's 1 s is less than the 20 s backoff;
    # a 500's Retry-After is not a throttle: the 80 s backoff
    assert waits == [600, 20, 80]


def test_settings_demand_a_secret_with_endpoints() -> None:
    base = {"NATS_URL": "nats://x", "EC_PERSISTENCE_DATABASE_URL": "postgresql://x"}
    assert Settings.from_env(base).webhook_urls == ()
    urls = " http://a.example/h , https://b.example/h "
    with pytest.raises(SettingsError, match="EC_WEBHOOK_SECRET"):
        Settings.from_env({**base, "EC_WEBHOOK_URLS": urls})
    with pytest.raises(SettingsError, match="EC_WEBHOOK_URLS"):
        Settings.from_env({**base, "EC_WEBHOOK_URLS": "ftp://a", "EC_WEBHOOK_SECRET": SECRET})
    s = Settings.from_env({**base, "EC_WEBHOOK_URLS": urls, "EC_WEBHOOK_SECRET": SECRET})
    assert s.webhook_urls == ("http://a.example/h", "https://b.example/h")


async def test_the_http_client_times_out_and_refuses_what_is_not_http() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(2)
        writer.close()

    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH\r\n")
        await writer.drain()
        writer.close()

    async def throttled(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 429 Slow down\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(throttled, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        answer = await http.post(f"http://127.0.0.1:{port}/h", {}, b"{}", 2)
        assert answer == http.Answer(429, 120.0)
    finally:
        server.close()
    for handler, error in ((silent, TimeoutError), (garbage, ValueError)):
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            with pytest.raises(error):
                await http.post(f"http://127.0.0.1:{port}/h?x=1", {}, b"{}", 0.3)
        finally:
            server.close()
    with pytest.raises(ValueError):
        await http.post("ftp://127.0.0.1/h", {}, b"{}", 0.3)


def test_each_endpoint_may_have_its_own_secret() -> None:
    base = {"NATS_URL": "nats://x", "EC_PERSISTENCE_DATABASE_URL": "postgresql://x",
            "EC_WEBHOOK_URLS": "http://a.example/h,http://b.example/h"}  # fmt: skip
    a, b = new_secret(), new_secret()
    s = Settings.from_env({**base, "EC_WEBHOOK_SECRETS": f"{a}, {b}"})
    assert s.webhook_endpoint_secrets == {"http://a.example/h": a, "http://b.example/h": b}
    with pytest.raises(SettingsError, match="one per EC_WEBHOOK_URLS entry"):
        Settings.from_env({**base, "EC_WEBHOOK_SECRETS": a})
    with pytest.raises(SettingsError, match="EC_WEBHOOK_SECRETS"):
        Settings.from_env({**base, "EC_WEBHOOK_SECRETS": f"{a},not-a-secret"})


async def test_each_receiver_verifies_with_its_own_secret(connect: Any) -> None:
    crm, broker = Receiver(), Receiver()
    await crm.start()
    await broker.start()
    crm_secret, broker_secret = new_secret(), new_secret()
    crm_url = crm.url.replace("barbara", "crm")
    deliverer = Deliverer(connect, SECRET, endpoint_secrets={crm_url: crm_secret})
    try:
        events = events_of()[:1]  # call.started
        await apply_batch(await connect(), events, [crm_url, broker.url])
        assert await deliverer.deliver_due() == 2
    finally:
        await deliverer.close()
        await crm.stop()
        await broker.stop()
    (to_crm,), (to_broker,) = crm.received, broker.received
    verify(crm_secret, to_crm.body, to_crm.headers)
    verify(SECRET, to_broker.body, to_broker.headers)  # no secret of its own: the shared one
    with pytest.raises(WebhookVerificationError):
        verify(broker_secret, to_crm.body, to_crm.headers)
    with pytest.raises(WebhookVerificationError):
        verify(SECRET, to_crm.body, to_crm.headers)
