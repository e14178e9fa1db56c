"""`equity-connect calls …` and `dlq …` as an engineer runs them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

from contracts.bus import publish_event, settle_subscriptions
from contracts.subjects import DLQ_STREAM
from tests.persistence.conftest import eventually
from tests.persistence.events import call_events, subject_of


def ec(nats_url: str, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {"NATS_URL": nats_url, "DATABASE_URL": db}
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
