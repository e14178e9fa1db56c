"""Streams declared in code, de-duplication by event id — against a real nats-server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import nats.errors
import pytest
from nats.js.api import StorageType

from contracts import codec
from contracts.bus import (
    BusUnavailable,
    connect,
    ensure_streams,
    publish_event,
    require_streams,
    settle_subscriptions,
    stream_specs,
)
from contracts.calls import CallDirection, CallStarted
from contracts.subjects import (
    ALL_CALLS,
    CALLS_STREAM,
    DLQ_STREAM,
    Header,
    call_subject,
    dlq_subject,
)

CALL_ID = "call_bus0001"


async def test_streams_are_declared_with_file_storage_and_a_duplicate_window(nc: Any) -> None:
    js = nc.jetstream()
    await ensure_streams(js)  # twice is fine
    info = await js.stream_info(CALLS_STREAM)
    assert info.config.subjects == [ALL_CALLS]
    assert info.config.storage == StorageType.FILE
    assert info.config.duplicate_window >= 120
    dlq = await js.stream_info(DLQ_STREAM)
    assert dlq.config.subjects == ["dlq.>"]


async def test_changed_retention_is_applied_on_the_next_start(nc: Any) -> None:
    js = nc.jetstream()
    await ensure_streams(js, stream_specs({"EC_CALLS_RETENTION_DAYS": "2"}))
    info = await js.stream_info(CALLS_STREAM)
    assert round(info.config.max_age) == 2 * 24 * 3600


async def test_the_same_event_published_twice_is_stored_once(nc: Any) -> None:
    js = nc.jetstream()
    event = CallStarted(call_id=CALL_ID, direction=CallDirection.INBOUND)
    first = await publish_event(js, call_subject(CALL_ID, "started"), event)
    again = await publish_event(js, call_subject(CALL_ID, "started"), event)
    assert not first.duplicate and again.duplicate and again.seq == first.seq
    info = await js.stream_info(CALLS_STREAM)
    assert info.state.messages == 1


async def test_published_events_are_json_with_their_id_in_the_header(nc: Any) -> None:
    js = nc.jetstream()
    event = CallStarted(call_id=CALL_ID, direction=CallDirection.INBOUND, room="room-1")
    await publish_event(js, call_subject(CALL_ID, "started"), event)
    msg = await js.get_last_msg(CALLS_STREAM, call_subject(CALL_ID, "started"))
    assert msg.headers is not None and msg.headers[Header.MSG_ID] == event.event_id
    assert codec.decode(msg.data, CallStarted) == event


async def test_dead_letters_do_not_land_in_the_calls_stream(nc: Any) -> None:
    js = nc.jetstream()
    ack = await js.publish(dlq_subject(call_subject(CALL_ID, "turn")), b"{}")
    assert ack.stream == DLQ_STREAM
    assert (await js.stream_info(CALLS_STREAM)).state.messages == 0


async def test_a_service_waits_for_the_admins_streams_and_says_how_to_make_them(
    nc: Any, nats_url: str
) -> None:
    """Services may not create streams (deploy/nats/auth.conf): they wait for the admin's,
    and without them fail with a line naming the command that declares them."""
    js = nc.jetstream()
    for spec in stream_specs():
        await js.delete_stream(spec.name)
    tools = await connect(nats_url, "tools")
    try:
        with pytest.raises(BusUnavailable, match="equity-connect streams"):
            await require_streams(tools.jetstream(), wait=0.3)
        waiting = asyncio.create_task(require_streams(tools.jetstream(), wait=10))
        await asyncio.sleep(0.6)
        assert not waiting.done()
        await ensure_streams(js)  # the admin declares them
        await asyncio.wait_for(waiting, 5)
    finally:
        await tools.close()


async def test_equity_connect_streams_declares_them_as_the_admin(nc: Any, nats_url: str) -> None:
    js = nc.jetstream()
    for spec in stream_specs():
        await js.delete_stream(spec.name)
    env = {k: v for k, v in os.environ.items() if k != "NATS_URL"} | {"NATS_URL": nats_url}
    done = subprocess.run([sys.executable, "-m", "services.ops.cli", "streams"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (await js.stream_info(CALLS_STREAM)).config.subjects == [ALL_CALLS]


@pytest.mark.slow
async def test_a_settled_subscription_is_reachable_from_another_connection(
    nc: Any, nats_url: str
) -> None:
    """A new connection subscribes and settles; a request from another connection right after
    always finds it (with one flush only, this test failed in each of 3 runs)."""
    no_responders = 0
    for i in range(300):
        responder = await connect(nats_url, "tests-responder")
        subject = f"ops.ping.settle{i}"

        async def answer(msg: Any) -> None:
            await msg.respond(b"here")

        await responder.subscribe(subject, cb=answer)
        await settle_subscriptions(responder)
        try:
            await nc.request(subject, b"", timeout=2)
        except nats.errors.NoRespondersError:
            no_responders += 1
        finally:
            await responder.close()
    assert no_responders == 0
