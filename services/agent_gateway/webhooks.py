"""LiveKit webhooks in: ``POST /livekit/webhook`` on the gateway's own small aiohttp server
(``EC_GATEWAY_WEBHOOK_PORT``), run by the worker's main process next to ``/health``.

- **Verified** with livekit-api's ``WebhookReceiver(TokenVerifier(key, secret))``: the
  ``Authorization`` JWT must be signed with our API secret and carry the body's sha256.
  Unsigned, tampered, expired or unparsable → ``401`` with no detail.
- **Deduplicated** by the LiveKit event id: an LRU of the ids this copy has handled (a repeat →
  ``200``, nothing done again), and across copies by JetStream itself — what is published
  carries a ``Nats-Msg-Id`` fixed by the call, so a second copy's publish is dropped by the
  stream's dedupe window.
- **``room_finished``** for a call whose ``calls.<id>.ended`` is not in the CALLS stream closes
  it: ``CallEnded(reason=gateway_lost)`` on ``calls.<id>.ended`` (the job died with the call,
  e.g. a killed gateway). The room → call id mapping is :func:`metadata.call_id_for_room`.
- **Bus down** (not connected, or the read or publish fails) → ``503``, and the event id is not
  remembered, so LiveKit's retry is handled in full.

- **Every event of a room is published** as ``LiveKitEventReceived`` on
  ``calls.<id>.livekit`` (the room's call; event id ``lk_<LiveKit's id>``, so copies and
  retries are stored once): the event name, LiveKit's sids, the participant's kind, the track
  type, an egress's id and status, the room's end reason — never an identity, a name,
  attributes or metadata. Persistence does not store them (they are in the CALLS stream, and
  ``equity-connect tap`` shows them); a consumer that needs them (``egress_ended`` for
  recordings made by Egress) subscribes.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web
from livekit.api import TokenVerifier, WebhookReceiver
from livekit.protocol.egress import EgressStatus
from livekit.protocol.models import ParticipantInfo, RoomEndReason, TrackType
from livekit.protocol.webhook import WebhookEvent

from contracts.bus import publish_event
from contracts.calls import CallEnded, EndReason, LiveKitEventReceived
from contracts.sessions import Calls
from contracts.subjects import CallEventName, call_subject
from services.agent_gateway.metadata import call_id_for_room

log = logging.getLogger(__name__)

PATH = "/livekit/webhook"
MAX_BODY = 1 << 20  # LiveKit's events are a few kB
PUBLISH_TIMEOUT_S = 2.0


class Bus(Protocol):
    @property
    def is_connected(self) -> bool: ...

    def jetstream(self) -> Any: ...


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


class Seen:
    """The event ids this copy has handled, the newest ``size`` of them."""

    def __init__(self, size: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ids

    def add(self, event_id: str) -> None:
        self._ids[event_id] = None
        self._ids.move_to_end(event_id)
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)


def gateway_lost(event: WebhookEvent, now_s: float | None = None) -> CallEnded:
    """The ``ended`` for the call of ``event``'s room; its event id (the ``Nats-Msg-Id``) is
    fixed by the call, so any number of copies and retries publish it once."""
    call_id = call_id_for_room(event.room.sid)
    now_s = time.time() if now_s is None else now_s
    created = event.room.creation_time or int(now_s)
    return CallEnded(
        call_id=call_id,
        event_id=f"{call_id}.gateway_lost",
        reason=EndReason.GATEWAY_LOST,
        duration_ms=max(0, int((now_s - created) * 1000)),
        detail="room_finished without an ended from the gateway",
    )


def _enum_name(enum: Any, value: int) -> str | None:
    try:
        return str(enum.Name(value))
    except ValueError:
        return None


def livekit_event(event: WebhookEvent) -> LiveKitEventReceived | None:
    """``event`` as a call event of its room's call (None: no room to tie it to). Only LiveKit's
    ids, kinds and states: never an identity, a name, attributes or metadata."""
    room_sid = event.room.sid or (event.egress_info.room_id if event.HasField("egress_info")
                                  else "")  # fmt: skip
    if not room_sid or not event.event:
        return None
    participant = event.participant if event.HasField("participant") else None
    track = event.track if event.HasField("track") else None
    egress = event.egress_info if event.HasField("egress_info") else None
    return LiveKitEventReceived(
        call_id=call_id_for_room(room_sid),
        event_id=f"lk_{event.id}"[:128],
        kind=event.event,
        livekit_event_id=event.id[:64],
        room_sid=room_sid[:64],
        created_at=max(0, int(event.created_at)),
        participant_sid=participant.sid[:64] if participant and participant.sid else None,
        participant_kind=_enum_name(ParticipantInfo.Kind, participant.kind) if participant
        else None,
        track_type=_enum_name(TrackType, track.type) if track else None,
        egress_id=egress.egress_id[:64] if egress and egress.egress_id else None,
        egress_status=_enum_name(EgressStatus, egress.status) if egress else None,
        room_end_reason=(_enum_name(RoomEndReason, event.room_end_reason)
                         if event.room_end_reason else None),
    )  # fmt: skip


class WebhookHandler:
    """What one webhook does; the HTTP layer only passes the body and header in."""

    def __init__(self, receiver: WebhookReceiver, nc: Bus, calls: Calls, seen: Seen) -> None:
        self._receiver = receiver
        self._nc = nc
        self._calls = calls
        self._seen = seen

    async def handle(self, body: bytes, authorization: str) -> Answer:
        try:
            event = self._receiver.receive(body.decode("utf-8"), authorization)
        except Exception:  # any failure of the signature, claims, hash or JSON: no details
            return Answer(401, "unauthorized\n")
        if not event.id:
            return Answer(400, "no event id\n")
        if event.id in self._seen:
            return Answer(200, "duplicate\n")
        if not self._nc.is_connected:
            return Answer(503, "bus unavailable\n")
        try:
            if event.event == "room_finished" and event.room.sid:
                await self._close_if_open(event)
            received = livekit_event(event)
            if received is not None:  # every event of a room, for whoever listens on calls.>
                await publish_event(self._nc.jetstream(),
                                    call_subject(received.call_id, CallEventName.LIVEKIT),
                                    received, ack_timeout=PUBLISH_TIMEOUT_S)  # fmt: skip
        except Exception as err:
            log.warning("webhook %s not handled: %s", event.event, type(err).__name__)
            return Answer(503, "bus unavailable\n")
        self._seen.add(event.id)
        return Answer(200, "ok\n")

    async def _close_if_open(self, event: WebhookEvent) -> None:
        ended = gateway_lost(event)
        call = await self._calls.started(ended.call_id)
        if call is None or call.ended:
            return
        await publish_event(self._nc.jetstream(), call_subject(ended.call_id, "ended"), ended,
                            ack_timeout=PUBLISH_TIMEOUT_S)  # fmt: skip
        log.warning("call %s closed by room_finished: the gateway never ended it", ended.call_id)


def application(handler: WebhookHandler) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        answer = await handler.handle(body, request.headers.get("Authorization", ""))
        return web.Response(status=answer.status, text=answer.text)

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(PATH, receive)
    return app


def receiver(api_key: str, api_secret: str) -> WebhookReceiver:
    return WebhookReceiver(TokenVerifier(api_key, api_secret))


async def serve(
    handler: WebhookHandler, host: str, port: int
) -> tuple[int, Callable[[], Awaitable[None]]]:
    """Serve ``POST /livekit/webhook`` until the returned ``stop()``; returns the port too
    (``0`` takes a free one; a taken fixed port is logged as an error and a free one taken)."""
    runner = web.AppRunner(application(handler), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as err:  # like /health: a taken fixed port must not stop the calls
        if port == 0:
            await runner.cleanup()
            raise
        log.error("webhook port %d not available (%s): using an ephemeral port", port, err)
        site = web.TCPSite(runner, host, 0)
        await site.start()
    server = getattr(site, "_server", None)
    sockets = getattr(server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port

    async def stop() -> None:
        with contextlib.suppress(Exception):
            await runner.cleanup()

    return bound, stop


Stop = Callable[[], Awaitable[None]]


async def start(
    nc: Any, api_key: str, api_secret: str, port: int, host: str = "0.0.0.0"
) -> tuple[int, Stop]:
    """The receiver for this copy of the gateway, on its bus connection ``nc``."""
    from contracts.sessions import StreamCalls

    handler = WebhookHandler(receiver(api_key, api_secret), nc, StreamCalls(nc.jetstream()),
                             Seen())  # fmt: skip
    return await serve(handler, host, port)
