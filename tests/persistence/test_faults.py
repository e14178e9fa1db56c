"""Fault tests: kill the writer, stop Postgres, restart NATS — nothing acknowledged is lost,
nothing is written twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from contracts.base import new_call_id
from contracts.bus import connect, ensure_streams, publish_event
from contracts.calls import CallDirection, CallEnded, CallStarted, EndReason
from contracts.conversation import Speaker, TranscriptSegment
from contracts.runtime import Stats
from services.ops.infra import NatsServer, PostgresCluster, free_port
from services.ops.migrate import migrate, service_url
from services.ops.stack import create_database
from services.persistence.bootstrap import start
from services.persistence.settings import Settings
from tests.persistence.conftest import eventually

pytestmark = [pytest.mark.fault, pytest.mark.slow]


def burst(calls: int, per_call: int) -> list[tuple[str, Any]]:
    """``calls`` calls of ``per_call`` events each (started, transcripts, ended), interleaved."""
    out: list[list[tuple[str, Any]]] = []
    for i in range(calls):
        cid = new_call_id()
        events: list[tuple[str, Any]] = [
            (
                f"calls.{cid}.started",
                CallStarted(
                    call_id=cid, direction=CallDirection.INBOUND, from_number=f"+1206555{3000 + i}"
                ),
            )
        ]
        for seq in range(per_call - 2):
            events.append(
                (
                    f"calls.{cid}.transcript",
                    TranscriptSegment(
                        call_id=cid,
                        seq=seq,
                        speaker=Speaker.CALLER if seq % 2 else Speaker.AGENT,
                        text=f"line {seq} of call {i}",
                    ),
                )
            )
        events.append(
            (
                f"calls.{cid}.ended",
                CallEnded(call_id=cid, reason=EndReason.AGENT_ENDED, duration_ms=1000),
            )
        )
        out.append(events)
    return [call[k] for k in range(per_call) for call in out]  # fmt: skip


async def publish_all(js: Any, events: list[tuple[str, Any]], concurrency: int = 64) -> None:
    for i in range(0, len(events), concurrency):
        await asyncio.gather(*(publish_event(js, s, e) for s, e in events[i : i + concurrency]))


def count(dsn: str, sql: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0


def serve_persistence(nats_url: str, db: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {"NATS_URL": nats_url, "DATABASE_URL": db, "EC_PERSISTENCE_BATCH_SIZE": "200"}
    return subprocess.Popen(
        [sys.executable, "-m", "services.ops.cli", "serve", "persistence"],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def assert_exactly_once(dsn: str, calls: int, per_call: int) -> None:
    assert count(dsn, "SELECT count(*) FROM processed_events") == calls * per_call
    assert count(dsn, "SELECT count(*) FROM transcript_segments") == calls * (per_call - 2)
    assert count(dsn, "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL") == calls
    assert count(dsn, "SELECT count(*) FROM conversation_state WHERE status = 'completed'") == calls


async def test_sigkill_in_the_middle_of_a_burst_loses_and_duplicates_nothing(
    nc: Any, nats_url: str, db: str, tmp_path: Path
) -> None:
    calls, per_call = 50, 100  # 5,000 events
    dsn = service_url(db, "persistence")
    proc = serve_persistence(nats_url, db, tmp_path / "p1.log")
    try:
        await publish_all(nc.jetstream(), burst(calls, per_call))
        await eventually(lambda: count(dsn, "SELECT count(*) FROM processed_events") > 400, 20)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        written_at_kill = count(dsn, "SELECT count(*) FROM processed_events")
        assert written_at_kill < calls * per_call, "killed mid-burst"
    finally:
        if proc.poll() is None:
            proc.kill()
    again = serve_persistence(nats_url, db, tmp_path / "p2.log")
    try:
        await eventually(
            lambda: count(dsn, "SELECT count(*) FROM processed_events") == calls * per_call, 60
        )
        await asyncio.sleep(0.5)  # let redeliveries (if any) arrive: they must change nothing
        assert_exactly_once(dsn, calls, per_call)
    finally:
        again.terminate()
        again.wait(15)


@pytest.fixture
def private_postgres(tmp_path: Path) -> Any:
    cluster = PostgresCluster(tmp_path / "pg")
    port = free_port()
    cluster.start(port, fast=True)
    create_database(cluster.admin_url(port, "postgres"), "equity_connect")
    migrate(cluster.admin_url(port))
    yield cluster, port
    cluster.stop()


async def test_postgres_down_for_30s_then_everything_lands_once(
    nc: Any, nats_url: str, private_postgres: Any, tmp_path: Path
) -> None:
    cluster, port = private_postgres
    admin = cluster.admin_url(port)
    dsn = service_url(admin, "persistence")
    proc = serve_persistence(nats_url, admin, tmp_path / "p.log")
    js = nc.jetstream()
    calls, per_call = 20, 40
    events = burst(calls, per_call)
    try:
        await publish_all(js, events[:200])
        await eventually(lambda: count(dsn, "SELECT count(*) FROM processed_events") == 200, 20)
        cluster.stop(mode="fast")
        deadline = time.monotonic() + 30
        rest = events[200:]
        step = max(1, len(rest) // 25)
        while rest and time.monotonic() < deadline:  # events keep arriving during the outage
            await publish_all(js, rest[:step])
            rest = rest[step:]
            await asyncio.sleep(1)
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))
        await publish_all(js, rest)
        assert proc.poll() is None, "the service never exits"
        cluster.start(port, fast=True)
        await eventually(
            lambda: count(dsn, "SELECT count(*) FROM processed_events") == calls * per_call, 60
        )
        assert_exactly_once(dsn, calls, per_call)
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(15)


async def test_nats_restart_mid_burst_loses_no_acknowledged_event(db: str, tmp_path: Path) -> None:
    server = NatsServer(tmp_path / "nats")
    port = server.start()
    url = f"nats://127.0.0.1:{port}"
    publisher = await connect(url, "publisher")
    js = publisher.jetstream()
    await ensure_streams(js)
    dsn = service_url(db, "persistence")
    service = await connect(url, "persistence")
    stats = Stats(service="persistence")
    stop = await start(service, stats, Settings(nats_url=url, database_url=dsn))
    calls, per_call = 30, 60
    events = burst(calls, per_call)
    acked: set[str] = set()
    try:
        for i, (subject, event) in enumerate(events):
            if i == len(events) // 2:
                server.stop()
                assert server.start(port) == port  # same port, same store dir
            for _ in range(200):  # a publisher retries until JetStream acknowledges
                try:
                    await publish_event(js, subject, event, ack_timeout=1)
                    acked.add(event.event_id)
                    break
                except Exception:
                    await asyncio.sleep(0.05)
        assert len(acked) == len(events)
        await eventually(
            lambda: count(dsn, "SELECT count(*) FROM processed_events") == len(events), 60
        )
        with psycopg.connect(dsn) as conn:
            stored = {r[0] for r in conn.execute("SELECT event_id FROM processed_events")}
        assert acked <= stored
        assert_exactly_once(dsn, calls, per_call)
    finally:
        await stop()
        await service.close()
        await publisher.close()
        server.stop()
