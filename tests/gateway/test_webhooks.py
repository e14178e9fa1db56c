"""LiveKit webhooks in (services/agent_gateway/webhooks.py): signed the way LiveKit signs them,
with the real livekit-api (``AccessToken(...).with_sha256(b64(sha256(body)))``), POSTed over
HTTP to the real receiver on the real bus with the shipped permissions (as ``gateway``)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
import pytest
from google.protobuf.json_format import MessageToJson
from livekit import api
from livekit.protocol import models, webhook
from nats.aio.msg import Msg

from contracts import codec
from contracts.bus import connect, ensure_streams, publish_event, settle_subscriptions
from contracts.calls import (
    CallDirection,
    CallEnded,
    CallStarted,
    EndReason,
    LiveKitEventReceived,
)
from contracts.runtime import Stats
from contracts.subjects import call_subject
from services.agent_gateway import webhooks
from services.agent_gateway.metadata import call_id_for_room
from services.ops.infra import NatsServer
from tests.gateway.fake_livekit import KEY, SECRET  # the gateway's LiveKit key in these tests


def event(kind: str, room_sid: str, *, event_id: str | None = None) -> str:
    """A LiveKit webhook body, as the server's JSON."""
    room = models.Room(sid=room_sid, name=f"call-_+12065550101_{room_sid[-4:]}",
                       creation_time=int(time.time()) - 30)  # fmt: skip
    message = webhook.WebhookEvent(
        event=kind,
        id=event_id or f"EV_{uuid.uuid4().hex[:12]}",
        created_at=int(time.time()),
        room=room,
    )
    return MessageToJson(message)


def sign(body: str, secret: str = SECRET) -> str:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return api.AccessToken(KEY, secret).with_sha256(digest).to_jwt()


class Receiver:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}{webhooks.PATH}"

    async def post(self, body: str, authorization: str | None) -> tuple[int, str]:
        headers = {"Content-Type": "application/webhook+json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        async with aiohttp.ClientSession() as http:
            async with http.post(self.url, data=body.encode(), headers=headers) as resp:
                return resp.status, await resp.text()


@pytest.fixture
async def receiver(nc: Any, nats_url: str) -> AsyncIterator[Receiver]:
    gateway = await connect(nats_url, "agent-gateway")  # the gateway's own identity
    port, stop = await webhooks.start(gateway, KEY, SECRET, port=0, host="127.0.0.1")
    try:
        yield Receiver(port)
    finally:
        await stop()
        await gateway.close()


async def start_call(nc: Any, room_sid: str) -> str:
    call_id = call_id_for_room(room_sid)
    await publish_event(nc.jetstream(), call_subject(call_id, "started"), CallStarted(
        call_id=call_id, direction=CallDirection.INBOUND, from_number="+12065550101",
        room="call-room",
    ))  # fmt: skip
    return call_id


async def endings(nc: Any) -> asyncio.Queue[Msg]:
    got: asyncio.Queue[Msg] = asyncio.Queue()
    await nc.subscribe("calls.*.ended", cb=got.put)
    await settle_subscriptions(nc)
    return got


async def stored_endings(nc: Any, call_id: str) -> int:
    info = await nc.jetstream().stream_info("CALLS", subjects_filter=call_subject(call_id, "ended"))
    return sum((info.state.subjects or {}).values())


async def test_room_finished_closes_a_started_call_with_no_ended(
    nc: Any, receiver: Receiver
) -> None:
    call_id = await start_call(nc, "RM_lost0001")
    got = await endings(nc)
    body = event("room_finished", "RM_lost0001")
    assert (await receiver.post(body, sign(body)))[0] == 200
    ended = codec.decode((await asyncio.wait_for(got.get(), 5)).data, CallEnded)
    assert (ended.call_id, ended.reason) == (call_id, EndReason.GATEWAY_LOST)
    assert ended.duration_ms >= 29_000


async def test_room_finished_for_a_call_already_ended_publishes_nothing(
    nc: Any, receiver: Receiver
) -> None:
    call_id = await start_call(nc, "RM_ended001")
    await publish_event(nc.jetstream(), call_subject(call_id, "ended"), CallEnded(
        call_id=call_id, reason=EndReason.CALLER_HUNG_UP, duration_ms=1000,
    ))  # fmt: skip
    got = await endings(nc)
    body = event("room_finished", "RM_ended001")
    assert (await receiver.post(body, sign(body)))[0] == 200
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(got.get(), 0.5)
    assert await stored_endings(nc, call_id) == 1


async def test_room_finished_for_a_room_with_no_call_publishes_nothing(
    nc: Any, receiver: Receiver
) -> None:
    got = await endings(nc)
    body = event("room_finished", "RM_nocall01")
    assert (await receiver.post(body, sign(body)))[0] == 200
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(got.get(), 0.5)


async def test_the_same_event_twice_closes_the_call_once(nc: Any, receiver: Receiver) -> None:
    call_id = await start_call(nc, "RM_twice001")
    body = event("room_finished", "RM_twice001", event_id="EV_sameid0001")
    for _ in range(2):
        assert (await receiver.post(body, sign(body)))[0] == 200
    # a second event id for the same room (another copy, a retry): JetStream drops the repeat
    other = event("room_finished", "RM_twice001")
    assert (await receiver.post(other, sign(other)))[0] == 200
    assert await stored_endings(nc, call_id) == 1


async def test_unsigned_tampered_or_foreign_webhooks_are_refused_without_detail(
    nc: Any, receiver: Receiver
) -> None:
    call_id = await start_call(nc, "RM_tamper01")
    got = await endings(nc)
    body = event("room_finished", "RM_tamper01")
    tampered = body.replace("RM_tamper01", "RM_tamper02")
    for attempt, auth in [(body, None), (body, ""), (tampered, sign(body)),
                          (body, sign(body, secret="someone-else-s-secret-0123456789abcdef")),
                          (body, "Bearer not-a-jwt")]:  # fmt: skip
        assert await receiver.post(attempt, auth) == (401, "unauthorized\n")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(got.get(), 0.5)
    assert await stored_endings(nc, call_id) == 0


async def test_every_rooms_event_goes_on_the_bus_without_who_the_participant_is(
    nc: Any, nats_url: str, receiver: Receiver
) -> None:
    got: asyncio.Queue[Msg] = asyncio.Queue()
    await nc.subscribe("calls.*.livekit", cb=got.put)
    await settle_subscriptions(nc)
    caller = models.ParticipantInfo(
        sid="PA_caller01", identity="sip_+12065550101", name="Margaret Holloway",
        kind=models.ParticipantInfo.Kind.SIP, metadata='{"phone": "+12065550101"}',
        attributes={"sip.phoneNumber": "+12065550101"},
    )  # fmt: skip
    message = webhook.WebhookEvent(
        event="participant_joined", id="EV_joined0001", created_at=int(time.time()),
        room=models.Room(sid="RM_other001", name="call-_+12065550101_0001"),
        participant=caller,
    )  # fmt: skip
    body = MessageToJson(message)
    assert (await receiver.post(body, sign(body)))[0] == 200
    raw = await asyncio.wait_for(got.get(), 5)
    assert raw.subject == f"calls.{call_id_for_room('RM_other001')}.livekit"
    assert b"+1206" not in raw.data and b"Holloway" not in raw.data, "no identity, no name"
    received = codec.decode(raw.data, LiveKitEventReceived)
    assert received.kind == "participant_joined" and received.room_sid == "RM_other001"
    assert received.participant_sid == "PA_caller01" and received.participant_kind == "SIP"
    assert received.event_id == "lk_EV_joined0001"
    # another copy of the gateway gets LiveKit's retry: stored once
    other = await connect(nats_url, "agent-gateway")
    try:
        port, stop = await webhooks.start(other, KEY, SECRET, port=0, host="127.0.0.1")
        try:
            assert (await Receiver(port).post(body, sign(body)))[0] == 200
        finally:
            await stop()
    finally:
        await other.close()
    subject = call_subject(call_id_for_room("RM_other001"), "livekit")
    info = await nc.jetstream().stream_info("CALLS", subjects_filter=subject)
    assert sum((info.state.subjects or {}).values()) == 1


@pytest.mark.slow
@pytest.mark.fault
async def test_bus_down_is_503_and_livekits_retry_closes_the_call(tmp_path: Path) -> None:
    server = NatsServer(tmp_path / "nats")
    port = server.start()
    url = f"nats://127.0.0.1:{port}"
    admin = await connect(url, "tests")
    await ensure_streams(admin.jetstream())
    gateway = await connect(url, "agent-gateway")
    bound, stop = await webhooks.start(gateway, KEY, SECRET, port=0, host="127.0.0.1")
    receiver = Receiver(bound)
    try:
        call_id = await start_call(admin, "RM_busdown1")
        body = event("room_finished", "RM_busdown1")
        server.stop()
        for _ in range(100):
            if not gateway.is_connected:
                break
            await asyncio.sleep(0.05)
        assert await receiver.post(body, sign(body)) == (503, "bus unavailable\n")
        server.start(port)
        for _ in range(200):
            if gateway.is_connected and admin.is_connected:
                break
            await asyncio.sleep(0.05)
        status = 503
        for _ in range(50):  # LiveKit retries; the bus may need a moment after reconnecting
            status, _ = await receiver.post(body, sign(body))
            if status == 200:
                break
            await asyncio.sleep(0.2)
        assert status == 200
        assert await stored_endings(admin, call_id) == 1
    finally:
        await stop()
        await gateway.close()
        await admin.close()
        server.stop()


@pytest.mark.slow
async def test_a_killed_gateways_call_is_closed_in_the_record(
    nc: Any, nats_url: str, db: str, receiver: Receiver
) -> None:
    from services.ops.migrate import service_url
    from services.persistence import bootstrap as persistence
    from services.persistence.settings import Settings as PersistenceSettings

    conn = await connect(nats_url, "persistence")
    settings = PersistenceSettings(nats_url=nats_url,
                                   database_url=service_url(db, "persistence"))  # fmt: skip
    stop = await persistence.start(conn, Stats("persistence"), settings)
    try:
        call_id = await start_call(nc, "RM_killed01")  # then the gateway dies: no ended
        body = event("room_finished", "RM_killed01")
        assert (await receiver.post(body, sign(body)))[0] == 200
        row = None
        with psycopg.connect(service_url(db, "persistence"), autocommit=True) as pg:
            for _ in range(100):
                row = pg.execute("SELECT end_reason::text, ended_at IS NOT NULL FROM calls "
                                 "WHERE call_id = %s", (call_id,)).fetchone()  # fmt: skip
                if row and row[1]:
                    break
                await asyncio.sleep(0.1)
        assert row == ("gateway_lost", True)
    finally:
        await stop()
        await conn.close()


async def test_a_taken_port_falls_back_to_a_free_one(nc: Any, nats_url: str) -> None:
    gateway = await connect(nats_url, "agent-gateway")
    first, stop_first = await webhooks.start(gateway, KEY, SECRET, port=0, host="127.0.0.1")
    second, stop_second = await webhooks.start(gateway, KEY, SECRET, port=first, host="127.0.0.1")
    try:
        assert second not in (0, first)
        body = event("participant_joined", "RM_port0001")
        assert (await Receiver(second).post(body, sign(body)))[0] == 200
    finally:
        await stop_second()
        await stop_first()
        await gateway.close()


def test_a_rooms_call_id_is_fixed_by_its_sid_and_a_valid_call_id() -> None:
    import msgspec

    from contracts.base import CallId

    first, again, other = (call_id_for_room(s) for s in ("RM_a1", "RM_a1", "RM_b2"))
    assert first == again != other
    assert msgspec.convert(first, CallId) == first
