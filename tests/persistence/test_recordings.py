"""Recordings on the call record, against real NATS and Postgres: the writer puts
``calls.<id>.recording`` on the call row (once), a ``call.recorded`` webhook carries a URL
signed when it is sent, ``calls recording`` signs one, and retention deletes old recordings
and transcripts (Storage first). Storage here is the unit fake of tests/gateway/test_recording."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import psycopg
import pytest

from contracts import codec
from contracts.calls import RecordingStored
from contracts.deadletter import DeadLetter
from contracts.recordings import StorageError
from contracts.subjects import DLQ_STREAM
from contracts.webhooks import new_secret, verify
from services.ops.migrate import service_url
from services.persistence.apply import Event, apply_batch
from services.persistence.recordings import NoRecording, apply_retention, signed_url
from services.persistence.webhooks.delivery import Deliverer
from tests.gateway.test_recording import MemoryStore
from tests.persistence.conftest import eventually
from tests.persistence.events import call_events, publish_call, subject_of
from tests.persistence.receiver import Receiver

SECRET = new_secret()
AUDIO = b"OggS stand-in"


def recording_of(call_id: str, path: str | None = None) -> RecordingStored:
    return RecordingStored(
        event_id=f"{call_id}.recording", call_id=call_id, bucket="recordings",
        path=path or f"calls/2026/11/{call_id}.ogg", duration_ms=65_000, offset_ms=-250,
        size_bytes=len(AUDIO), sha256=hashlib.sha256(AUDIO).hexdigest(),
    )  # fmt: skip


@pytest.fixture
async def conn(db: str) -> AsyncIterator[psycopg.AsyncConnection]:
    c = await psycopg.AsyncConnection.connect(service_url(db, "persistence"), autocommit=True)
    try:
        yield c
    finally:
        await c.close()


async def a_call(
    conn: psycopg.AsyncConnection, started: datetime | None = None, endpoints: tuple[str, ...] = ()
) -> str:
    """A whole call written (started … ended, 2 transcript lines) plus its recording."""
    events = call_events()
    call_id = events[0][1].call_id
    batch = [Event(subject_of(e, n), call_id, e) for n, e in events]
    batch.append(Event(f"calls.{call_id}.recording", call_id, recording_of(call_id)))
    await apply_batch(conn, batch, endpoints)
    if started is not None:
        await conn.execute(
            "UPDATE calls SET started_at = %s, ended_at = %s WHERE call_id = %s",
            (started, started + timedelta(minutes=1), call_id),
        )
    return call_id


async def test_the_recording_lands_on_the_call_row_once(
    nc: Any, persistence: Any, query: Any
) -> None:
    events = call_events()
    call_id = await publish_call(nc.jetstream(), events)
    stored = recording_of(call_id)
    for _ in range(2):  # a repeat without the stream's dedupe: the writer's own
        await nc.publish(f"calls.{call_id}.recording", codec.encode(stored))
    await eventually(lambda: query("SELECT recording_path FROM calls")[0][0] is not None
                     if query("SELECT 1 FROM calls") else False)  # fmt: skip
    await eventually(lambda: persistence.handled >= len(events) + 2)
    row = query("""SELECT recording_bucket, recording_path, recording_duration_ms,
                          recording_offset_ms, recording_bytes, recording_sha256,
                          recording_generated FROM calls""")  # fmt: skip
    assert row == [("recordings", stored.path, 65_000, -250, len(AUDIO), stored.sha256, False)]
    assert query("SELECT count(*) FROM processed_events WHERE event_id = %s",
                 stored.event_id) == [(1,)]  # fmt: skip


@pytest.mark.parametrize(
    "path", ["calls/2026/11/../../secrets.ogg", "other/2026/11/call_badrec01.ogg", ""]
)
async def test_a_recording_that_breaks_the_contract_is_dead_lettered(
    nc: Any, persistence: Any, query: Any, path: str
) -> None:
    """Everything else valid: only the path is hostile (it would be signed and deleted)."""
    js = nc.jetstream()
    body = msgspec.json.decode(codec.encode(recording_of("call_badrec01")))
    await nc.publish("calls.call_badrec01.recording", msgspec.json.encode({**body, "path": path}))
    for _ in range(200):
        if (await js.stream_info(DLQ_STREAM)).state.messages >= 1:
            break
        await asyncio.sleep(0.05)
    letter = codec.decode((await js.get_msg(DLQ_STREAM, 1)).data, DeadLetter)
    assert letter.original_subject == "calls.call_badrec01.recording"
    assert "path" in letter.reason
    assert query("SELECT count(*) FROM calls WHERE recording_path IS NOT NULL") == [(0,)]


async def test_calls_recording_signs_a_url_and_says_when_there_is_none(
    conn: psycopg.AsyncConnection,
) -> None:
    call_id = await a_call(conn)
    store = MemoryStore()
    url = await signed_url(conn, store, call_id, 600)
    assert url == f"http://storage.invalid/calls/2026/11/{call_id}.ogg?expires=600"
    with pytest.raises(NoRecording, match="no call"):
        await signed_url(conn, store, "call_nosuch01", 600)
    await conn.execute("UPDATE calls SET recording_path = NULL WHERE call_id = %s", (call_id,))
    with pytest.raises(NoRecording, match="none uploaded"):
        await signed_url(conn, store, call_id, 600)


async def test_a_recorded_webhook_carries_a_url_signed_when_it_is_sent(
    conn: psycopg.AsyncConnection, db: str, query: Any
) -> None:
    receiver = Receiver()
    await receiver.start()
    signed: list[str] = []

    async def sign(path: str) -> str:
        signed.append(path)
        return f"https://storage.example/sign/{path}?token=t{len(signed)}"

    async def connect() -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(service_url(db, "persistence"),
                                                     autocommit=True)  # fmt: skip

    deliverer = Deliverer(connect, SECRET, sign_recording=sign)
    try:
        call_id = await a_call(conn, endpoints=(receiver.url,))
        for _ in range(4):
            await deliverer.deliver_due()
    finally:
        await deliverer.close()
        await receiver.stop()
    types = [json.loads(r.body)["type"] for r in receiver.received]
    assert types == ["call.started", "call.ended", "call.recorded"]
    recorded = receiver.received[-1]
    verify(SECRET, recorded.body, recorded.headers)  # signed after the URL went in
    data = json.loads(recorded.body)["data"]
    path = f"calls/2026/11/{call_id}.ogg"
    assert data["recording_path"] == path and data["recording_url"].endswith("?token=t1")
    assert data["recording_duration_ms"] == 65_000 and data["recording_offset_ms"] == -250
    assert signed == [path]
    # the outbox keeps the unsigned body: a retry is signed afresh, never a stale URL
    (body,) = query("SELECT body FROM webhook_outbox WHERE event_type = 'call.recorded'")[0]
    assert "recording_url" not in body


async def test_storage_that_cannot_sign_retries_the_webhook(
    conn: psycopg.AsyncConnection, db: str, query: Any
) -> None:
    async def sign(path: str) -> str:
        raise StorageError("Storage is unavailable", status=503)

    async def connect() -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(service_url(db, "persistence"),
                                                     autocommit=True)  # fmt: skip

    call_id = await a_call(conn, endpoints=("http://127.0.0.1:9/hooks",))
    await conn.execute(
        "DELETE FROM webhook_outbox WHERE call_id = %s AND event_type <> 'call.recorded'",
        (call_id,),
    )
    deliverer = Deliverer(connect, SECRET, sign_recording=sign)
    try:
        await deliverer.deliver_due()
    finally:
        await deliverer.close()
    assert query("SELECT status::text, attempts, last_error FROM webhook_outbox") == [
        ("pending", 1, "StorageError")]  # fmt: skip


async def test_retention_deletes_old_recordings_then_transcripts_and_nothing_newer(
    conn: psycopg.AsyncConnection, query: Any
) -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    old = await a_call(conn, started=now - timedelta(days=100))
    new = await a_call(conn, started=now - timedelta(days=10))
    store = MemoryStore()
    for call_id in (old, new):
        store.objects[f"calls/2026/11/{call_id}.ogg"] = AUDIO
    dry = await apply_retention(conn, store, days=30, now=now, dry_run=True)
    assert (dry.recordings_deleted, dry.transcript_lines_deleted, dry.calls) == (1, 2, 1)
    assert len(store.objects) == 2 and query("SELECT count(*) FROM transcript_segments") == [(4,)]

    report = await apply_retention(conn, store, days=30, now=now)
    assert (report.recordings_deleted, report.transcript_lines_deleted, report.calls) == (1, 2, 1)
    assert list(store.objects) == [f"calls/2026/11/{new}.ogg"]
    rows = query("SELECT call_id, recording_path IS NULL, retention_at IS NOT NULL FROM calls"
                 " ORDER BY started_at")  # fmt: skip
    assert rows == [(old, True, True), (new, False, False)]
    assert query("SELECT DISTINCT call_id FROM transcript_segments") == [(new,)]
    with pytest.raises(NoRecording, match="deleted by retention"):
        await signed_url(conn, store, old, 60)
    again = await apply_retention(conn, store, days=30, now=now)
    assert (again.recordings_deleted, again.transcript_lines_deleted, again.calls) == (0, 0, 0)


async def test_a_recording_storage_would_not_delete_is_kept_for_the_next_run(
    conn: psycopg.AsyncConnection, query: Any
) -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    old = await a_call(conn, started=now - timedelta(days=400))

    class Refusing(MemoryStore):
        async def remove(self, paths: Any) -> None:
            raise StorageError("Storage is unavailable", status=503)

    report = await apply_retention(conn, Refusing(), days=365, now=now)
    assert report.recordings_left == 1 and report.recordings_deleted == 0
    assert query("SELECT recording_path IS NOT NULL FROM calls") == [(True,)]
    assert query("SELECT count(*) FROM transcript_segments") == [(0,)]  # the transcript goes
    store = MemoryStore()
    store.objects[f"calls/2026/11/{old}.ogg"] = AUDIO
    assert (await apply_retention(conn, store, days=365, now=now)).recordings_deleted == 1
    assert not store.objects
