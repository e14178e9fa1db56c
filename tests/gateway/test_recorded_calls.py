"""After the call, end to end: a simulated call through the gateway's session code against the
real services, with the real supabase client uploading to the fake Storage server and
persistence sending webhooks to a local receiver — the call gets a recording object, an
evaluation, a cost and signed webhooks whose recording URL works. Storage down never holds up
the end of a call; what could not go up goes up later. And the LiveKit job's glue: the
recorder's file and offset from the session report."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from contracts import codec
from contracts.bus import connect, settle_subscriptions
from contracts.calls import RecordingStored
from contracts.conversation import Speaker
from contracts.recordings import RecordingSettings, StorageError
from contracts.storage_supabase import SupabaseRecordingStore
from contracts.webhooks import new_secret, verify
from services.agent_gateway import worker
from services.agent_gateway.recording import Spoken, generated_audio, recorder_for, sweep_spool
from services.agent_gateway.settings import Settings as GatewaySettings
from services.agent_gateway.simulate import HANGUP, CallResult, run_call
from services.ops.fake_storage import FakeStorage
from services.ops.migrate import service_url
from services.persistence.recordings import signed_url
from services.persistence.settings import Settings
from tests.persistence.receiver import Receiver

pytestmark = pytest.mark.slow

KEY = "local-service-role-key-for-tests"
SECRET = new_secret()
CALLER = "+12065550388"


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[FakeStorage]:
    server = FakeStorage(tmp_path / "storage", KEY)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def recordings(storage: FakeStorage) -> RecordingSettings:
    return RecordingSettings(supabase_url=storage.url, service_key=KEY, upload_attempts=2)


@pytest.fixture
def persistence_settings(
    nats_url: str, db: str, receiver: Receiver, recordings: RecordingSettings
) -> Settings:
    """``system``'s persistence: webhooks to the receiver, Storage to sign their URLs."""
    return Settings(nats_url=nats_url, database_url=service_url(db, "persistence"),
                    webhook_urls=(receiver.url,), webhook_secret=SECRET,
                    recordings=recordings)  # fmt: skip


async def lines(*said: str) -> AsyncIterator[str]:
    for line in said:
        yield line


async def until(check: Any, within: float = 15.0) -> Any:
    """Poll ``check()`` until it returns something truthy; return that."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if found := check():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("not reached in time")


def row(db: str, sql: str, *params: Any) -> tuple[Any, ...] | None:
    with psycopg.connect(service_url(db, "persistence")) as conn:
        return conn.execute(sql, params).fetchone()


async def place_call(nats_url: str, recordings: RecordingSettings, spool: Path) -> CallResult:
    nc = await connect(nats_url, "simulated-call")
    try:
        recorder = recorder_for(recordings, spool, nc)
        assert recorder is not None
        recorder.backoff_s = 0.01
        said = ("Hi, I got a letter about a reverse mortgage.", "I'm 71 and I own my home.")
        return await run_call(nc, CALLER, lines(*said, HANGUP), recorder=recorder,
                              outcome_wait_s=5)  # fmt: skip
    finally:
        await nc.drain()


async def test_a_call_ends_with_a_recording_an_evaluation_a_cost_and_signed_webhooks(
    system: str, nats_url: str, storage: FakeStorage, receiver: Receiver,
    recordings: RecordingSettings, tmp_path: Path,
) -> None:  # fmt: skip
    result = await place_call(nats_url, recordings, tmp_path / "spool")
    assert result.recorded is True
    path = f"calls/{time.gmtime().tm_year}/{time.gmtime().tm_mon:02d}/{result.call_id}.ogg"
    assert storage.objects("recordings") == [path]
    stored = await until(lambda: row(system, """SELECT recording_path,
        recording_duration_ms, recording_generated, recording_bytes FROM calls
        WHERE call_id = %s AND recording_path IS NOT NULL""", result.call_id))  # fmt: skip
    assert stored[0] == path and stored[1] > 0 and stored[2] is True
    # the post-call analysis and the cost, on the same call
    evaluation = await until(lambda: row(system,
        "SELECT evaluator FROM evaluations WHERE call_id = %s", result.call_id))  # fmt: skip
    assert evaluation == ("deterministic-v1",)
    cost = row(system, "SELECT cost_cents FROM calls WHERE call_id = %s", result.call_id)
    assert cost is not None and cost[0] is not None
    # webhooks: signed, the recording's with a URL that serves the object
    types = await until(lambda: [json.loads(r.body)["type"] for r in receiver.received]
                        if len(receiver.received) >= 4 else None)  # fmt: skip
    assert sorted(types) == ["call.analyzed", "call.ended", "call.recorded", "call.started"]
    for got in receiver.received:
        verify(SECRET, got.body, got.headers)
        assert "reverse mortgage" not in got.body.decode() and CALLER not in got.body.decode()
    recorded = next(json.loads(r.body) for r in receiver.received
                    if json.loads(r.body)["type"] == "call.recorded")  # fmt: skip
    assert recorded["data"]["recording_path"] == path
    async with httpx.AsyncClient() as http:
        audio = (await http.get(recorded["data"]["recording_url"])).content
        assert audio[:4] == b"OggS" and len(audio) == stored[3]
        # `equity-connect calls recording ID`: the same object
        store = SupabaseRecordingStore(storage.url, KEY, "recordings")
        async with await psycopg.AsyncConnection.connect(service_url(system, "persistence")) as c:
            url = await signed_url(c, store, result.call_id, 60)
        await store.aclose()
        assert (await http.get(url)).content == audio


async def test_storage_down_never_holds_up_the_end_of_a_call_and_the_upload_comes_later(
    system: str, nats_url: str, storage: FakeStorage, recordings: RecordingSettings,
    tmp_path: Path,
) -> None:  # fmt: skip
    storage.fail_next(2, status=503)  # both attempts of this call's upload
    spool = tmp_path / "spool"
    result = await place_call(nats_url, recordings, spool)
    assert result.recorded is False and result.end_reason is not None
    ended = await until(lambda: row(system,
        "SELECT end_reason FROM calls WHERE call_id = %s AND ended_at IS NOT NULL",
        result.call_id))  # fmt: skip
    assert ended is not None  # the call was closed while its recording waited
    assert storage.objects("recordings") == []
    assert sorted(p.suffix for p in spool.iterdir()) == [".json", ".ogg"]
    # Storage is back: the spool sweep (worker, `equity-connect recordings retry`) uploads it
    nc = await connect(nats_url, "gateway-recordings")
    try:
        recorder = recorder_for(recordings, spool, nc)
        assert recorder is not None
        assert await recorder.upload_spooled() == 1
    finally:
        await nc.drain()
    assert len(storage.objects("recordings")) == 1 and list(spool.iterdir()) == []
    await until(lambda: row(system, """SELECT 1 FROM calls WHERE call_id = %s
        AND recording_path IS NOT NULL""", result.call_id))  # fmt: skip


@dataclass
class Report:
    audio_recording_path: Path | None
    audio_recording_started_at: float | None


class JobContextDouble:
    """Only what ``session_ended`` reads of LiveKit's JobContext: the session report."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def make_session_report(self) -> Report:
        return self.report


async def test_a_livekit_call_uploads_the_recorders_file_with_its_offset(
    nc: Any, nats_url: str, storage: FakeStorage, recordings: RecordingSettings, tmp_path: Path
) -> None:
    got: asyncio.Queue[Any] = asyncio.Queue()
    await nc.subscribe("calls.*.recording", cb=got.put)
    await settle_subscriptions(nc)
    session_dir = tmp_path / "job"
    session_dir.mkdir()
    audio = session_dir / "audio.ogg"  # what RecorderIO writes
    audio.write_bytes(generated_audio([Spoken(Speaker.CALLER, 0, 40)], 2500))
    started_wall = time.time() - 10
    settings = GatewaySettings(nats_url=nats_url, recordings=recordings,
                               recording_spool=tmp_path / "spool")  # fmt: skip
    worker._bus["call"] = ("call_lk0000001", started_wall)
    worker._bus["nc"] = await connect(nats_url, "agent-gateway")
    try:
        await worker.session_ended(
            JobContextDouble(Report(audio, started_wall + 0.75)),
            settings,  # type: ignore[arg-type]
        )
    finally:
        await worker._bus.pop("nc").drain()
    event = codec.decode((await asyncio.wait_for(got.get(), 5)).data, RecordingStored)
    assert event.call_id == "call_lk0000001" and event.offset_ms == 750
    assert abs(event.duration_ms - 2500) <= 40 and event.generated is False
    assert storage.objects("recordings") == [event.path]
    assert "call" not in worker._bus


async def test_recordings_off_records_nothing(tmp_path: Path, nats_url: str) -> None:
    settings = GatewaySettings(nats_url=nats_url, recording_spool=tmp_path / "spool")
    worker._bus["call"] = ("call_lk0000002", time.time())
    ctx = JobContextDouble(Report(None, None))
    await worker.session_ended(ctx, settings)  # type: ignore[arg-type]
    assert not (tmp_path / "spool").exists()
    assert recorder_for(settings.recordings, tmp_path, None) is None  # type: ignore[arg-type]


async def spool_one(tmp_path: Path, recordings: RecordingSettings, nats_url: str) -> Path:
    """A recording left in the spool: Storage refused every attempt."""
    spool = tmp_path / "spool"
    nc = await connect(nats_url, "gateway-recordings")
    try:
        recorder = recorder_for(recordings, spool, nc)
        assert recorder is not None
        recorder.backoff_s = 0.01

        async def refuse(*_: Any) -> None:
            raise StorageError("Storage is unavailable", status=503)

        recorder.store.upload = refuse  # type: ignore[method-assign]
        audio = generated_audio([Spoken(Speaker.CALLER, 0, 10)], 1000)
        assert not await recorder.keep("call_spool0001", audio, started_at=datetime.now(UTC))
    finally:
        await nc.drain()
    return spool


async def test_the_workers_sweep_uploads_what_the_spool_holds(
    nc: Any, nats_url: str, storage: FakeStorage, recordings: RecordingSettings, tmp_path: Path
) -> None:
    spool = await spool_one(tmp_path, recordings, nats_url)
    stop = await sweep_spool(nc, settings=recordings, spool=spool, every_s=0.05)
    try:
        await until(lambda: not list(spool.glob("*.json")))
    finally:
        await stop()
    assert [p.rsplit("/", 1)[-1] for p in storage.objects("recordings")] == ["call_spool0001.ogg"]


def test_recordings_list_and_retry_from_the_command_line(
    nats_url: str, storage: FakeStorage, recordings: RecordingSettings, tmp_path: Path
) -> None:
    spool = asyncio.run(spool_one(tmp_path, recordings, nats_url))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")}  # fmt: skip
    env |= {"NATS_URL": nats_url, "EC_RECORDING_SPOOL_DIR": str(spool),
            "SUPABASE_URL": storage.url, "SUPABASE_SERVICE_ROLE_KEY": KEY}  # fmt: skip

    def ec(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "services.ops.cli", "recordings", *args],
                              env=env, capture_output=True, text=True, timeout=60)  # fmt: skip

    listed = ec("list")
    assert listed.returncode == 0 and "1 waiting" in listed.stdout
    assert "call_spool0001.ogg" in listed.stdout
    retried = ec("retry")
    assert retried.returncode == 0 and "uploaded 1 of 1" in retried.stdout, retried.stderr
    assert "0 waiting" in ec("list").stdout
    assert len(storage.objects("recordings")) == 1
