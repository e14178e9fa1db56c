"""`equity-connect calls …` and `dlq …` as an engineer runs them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from contracts.bus import publish_event, settle_subscriptions
from contracts.subjects import DLQ_STREAM
from tests.persistence.conftest import eventually
from tests.persistence.events import call_events, subject_of

_EMPTY_DATA_DIR = Path(tempfile.gettempdir()) / "ec-test-cli-no-stack"


def ec(nats_url: str, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    # a data dir of its own: never the developer's running stack (its fake Storage, say)
    env |= {"NATS_URL": nats_url, "DATABASE_URL": db, "EC_DATA_DIR": str(_EMPTY_DATA_DIR)}
    return subprocess.run([sys.executable, "-m", "services.ops.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


async def test_calls_show_displays_a_call_written_by_a_test(
    nc: Any, persistence: Any, query: Any, nats_url: str, db: str
) -> None:
    js = nc.jetstream()
    events = call_events()
    call_id = events[0][1].call_id
    for name, event in events:
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: query("SELECT count(*) FROM interactions")[0][0] == 1)
    await eventually(lambda: query("SELECT ended_at IS NOT NULL FROM calls") == [(True,)])
    shown = ec(nats_url, db, "calls", "show", call_id)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert call_id in out and "callback_scheduled" in out
    assert "Hello, this is Barbara." in out and "Hi, I'm Eleanor." in out
    assert "lookup_lead" in out and "65.0s" in out
    listed = ec(nats_url, db, "calls", "list")
    assert call_id in listed.stdout and "…0277" in listed.stdout
    assert "+12065550277" not in listed.stdout
    missing = ec(nats_url, db, "calls", "show", "call_nosuchcall")
    assert missing.returncode == 1 and "no call" in missing.stderr


async def test_dead_letters_can_be_listed_and_replayed(
    nc: Any, persistence: Any, query: Any, nats_url: str, db: str
) -> None:
    js = nc.jetstream()
    _, started = call_events()[0]
    # a producer bug: the right event on a subject for another event kind
    await nc.publish(
        f"calls.{started.call_id}.ended", b'{"call_id": "%s"}' % started.call_id.encode()
    )
    await nc.publish(f"calls.{started.call_id}.nonsense", b"{}")
    await nc.flush()
    for _ in range(100):
        if (await js.stream_info(DLQ_STREAM)).state.messages == 2:
            break
        await asyncio.sleep(0.05)
    listed = ec(nats_url, db, "dlq", "list")
    assert listed.returncode == 0, listed.stderr
    assert "$.reason" in listed.stdout or "reason" in listed.stdout
    assert f"calls.{started.call_id}.nonsense" in listed.stdout
    replayed = ec(nats_url, db, "dlq", "replay")
    assert "replayed 2" in replayed.stdout
    # replayed messages are still bad: they come back to the dead-letter stream, nothing is lost
    for _ in range(100):
        if (await js.stream_info(DLQ_STREAM)).state.messages == 2:
            break
        await asyncio.sleep(0.05)
    assert (await js.stream_info(DLQ_STREAM)).state.messages == 2
    assert query("SELECT count(*) FROM calls") == [(0,)]


async def test_an_oversized_dead_letter_is_replayed_from_its_stream_byte_for_byte(
    nc: Any, persistence: Any, nats_url: str, db: str
) -> None:
    """A payload too big to copy is dead-lettered as a reference; ``dlq replay`` reads the
    original back from CALLS, checks its hash, and republishes exactly those bytes."""
    import hashlib
    import os

    js = nc.jetstream()
    _, started = call_events()[0]
    subject = f"calls.{started.call_id}.transcript"
    payload = os.urandom(200_000)  # over the 64 KiB a dead letter copies
    await js.publish(subject, payload)
    for _ in range(100):
        if (await js.stream_info(DLQ_STREAM)).state.messages == 1:
            break
        await asyncio.sleep(0.05)
    seen: asyncio.Queue[bytes] = asyncio.Queue()

    async def capture(msg: Any) -> None:
        await seen.put(msg.data)

    sub = await nc.subscribe(subject, cb=capture)
    await settle_subscriptions(nc)
    replayed = ec(nats_url, db, "dlq", "replay")
    assert "replayed 1" in replayed.stdout, replayed.stdout + replayed.stderr
    again = await asyncio.wait_for(seen.get(), 5)
    assert hashlib.sha256(again).digest() == hashlib.sha256(payload).digest()
    await sub.unsubscribe()


async def test_dead_webhooks_can_be_listed_and_sent_again(
    query: Any, nats_url: str, db: str
) -> None:
    import psycopg

    from services.ops.migrate import service_url
    from services.persistence.apply import Event, apply_batch

    async with await psycopg.AsyncConnection.connect(service_url(db, "persistence"),
                                                     autocommit=True) as conn:  # fmt: skip
        events = call_events()
        call_id = events[0][1].call_id
        batch = [Event(subject_of(e, n), call_id, e) for n, e in events]
        await apply_batch(conn, batch, ["http://127.0.0.1:9/hooks"])
        await conn.execute(
            """UPDATE webhook_outbox SET status = 'dead', attempts = 10, last_status = 500
               WHERE event_type = 'call.ended'"""
        )
    listed = ec(nats_url, db, "webhooks", "list", "--status", "dead")
    assert listed.returncode == 0, listed.stderr
    assert "dead 1" in listed.stdout and "pending 1" in listed.stdout
    assert "call.ended" in listed.stdout and "HTTP 500" in listed.stdout
    assert "call.started" not in listed.stdout.split("\n", 2)[2]  # only the dead rows listed
    assert "callback_scheduled" not in listed.stdout, "bodies are not printed"
    refused = ec(nats_url, db, "webhooks", "retry")
    assert refused.returncode == 2 and "--dead" in refused.stderr
    retried = ec(nats_url, db, "webhooks", "retry", "--dead")
    assert retried.returncode == 0 and retried.stdout.startswith("1 dead")
    assert query("SELECT status::text, attempts FROM webhook_outbox ORDER BY id") == [
        ("pending", 0), ("pending", 0)]  # fmt: skip
    again = ec(nats_url, db, "webhooks", "retry", "--dead")
    assert again.stdout.startswith("0 dead"), "delivered and pending rows are left alone"


async def test_calls_recording_prints_a_url_that_serves_it_and_retention_deletes_it(
    query: Any, nats_url: str, db: str, tmp_path: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    import httpx
    import psycopg

    from contracts.storage_supabase import SupabaseRecordingStore
    from services.ops.fake_storage import FakeStorage
    from services.ops.migrate import service_url
    from services.persistence.apply import Event, apply_batch
    from tests.persistence.test_recordings import AUDIO, recording_of

    key = "local-key-for-the-cli-test"
    storage = FakeStorage(tmp_path / "storage", key)
    storage.start()
    try:
        events = call_events()
        call_id = events[0][1].call_id
        async with await psycopg.AsyncConnection.connect(service_url(db, "persistence"),
                                                         autocommit=True) as conn:  # fmt: skip
            batch = [Event(subject_of(e, n), call_id, e) for n, e in events]
            batch.append(Event(f"calls.{call_id}.recording", call_id, recording_of(call_id)))
            await apply_batch(conn, batch)
        store = SupabaseRecordingStore(storage.url, key, "recordings")
        await store.upload(recording_of(call_id).path, AUDIO)
        await store.aclose()
        os.environ["SUPABASE_URL"], os.environ["SUPABASE_SERVICE_ROLE_KEY"] = storage.url, key
        try:
            shown = ec(nats_url, db, "calls", "show", call_id)
            assert "recording calls/" in shown.stdout and "65.0s" in shown.stdout
            url = ec(nats_url, db, "calls", "recording", call_id, "--expires", "120")
            assert url.returncode == 0, url.stderr
            async with httpx.AsyncClient() as http:
                assert (await http.get(url.stdout.strip())).content == AUDIO
            young = ec(nats_url, db, "retention", "--days", "30")
            assert young.returncode == 0 and "deleted 0 recordings" in young.stdout
            old = datetime.now(UTC) - timedelta(days=40)
            with psycopg.connect(service_url(db, "persistence"), autocommit=True) as c:
                c.execute("UPDATE calls SET started_at = %s, ended_at = %s", (old, old))
            dry = ec(nats_url, db, "retention", "--days", "30", "--dry-run")
            assert "would delete 1 recordings and 2 transcript lines" in dry.stdout
            assert storage.objects("recordings")
            done = ec(nats_url, db, "retention", "--days", "30")
            assert done.returncode == 0 and "deleted 1 recordings" in done.stdout, done.stdout
            assert storage.objects("recordings") == []
            gone = ec(nats_url, db, "calls", "recording", call_id)
            assert gone.returncode == 1 and "deleted by retention" in gone.stderr
        finally:
            os.environ.pop("SUPABASE_URL")
            os.environ.pop("SUPABASE_SERVICE_ROLE_KEY")
    finally:
        storage.stop()
    off = ec(nats_url, db, "calls", "recording", call_id)
    assert off.returncode == 1 and "recordings are off" in off.stderr


async def test_calls_scores_compares_prompt_versions_without_empty_calls(
    nc: Any, persistence: Any, query: Any, nats_url: str, db: str
) -> None:
    from tests.persistence.events import publish_call

    js = nc.jetstream()
    await publish_call(js)
    silent = [(n, e) for n, e in call_events()
              if not (n == "transcript" and e.speaker.value == "caller")]  # fmt: skip
    await publish_call(js, silent)
    await eventually(lambda: query("SELECT count(*) FROM evaluations")[0][0] == 2)
    out = ec(nats_url, db, "calls", "scores").stdout
    (row,) = [line for line in out.splitlines() if line.startswith("(none)")]
    assert row.split()[3] == "1", "one call with a conversation; the silent one left out"
    assert row.split()[-1] == "deterministic-v1"
