"""A small fake of LiveKit's server API (Twirp over HTTP, protobuf bodies) — named as a fake —
so the real ``livekit-api`` client runs in tests: SIP trunks, dispatch rules, room deletion
and SIP transfers, kept in memory.

It also speaks the agent-worker protocol on ``/agent`` (a WebSocket of protobuf
``WorkerMessage``/``ServerMessage``), so the real LiveKit Agents worker can register, be
offered a job (availability → assignment) and be dropped or refused. There is no media
server: a job's room connection fails, as it would against an unreachable SFU."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from livekit import api
from livekit.protocol import agent as agent_pb
from livekit.protocol import models as models_pb
from livekit.protocol import room as room_pb
from livekit.protocol import sip as sip_pb

KEY = "devkey"
SECRET = "a-test-secret-that-is-at-least-32-bytes-long"


@dataclass
class FakeWorker:
    """One registered agent worker, as the fake server sees it."""

    worker_id: str
    agent_name: str
    ws: web.WebSocketResponse
    #: every ``update_worker`` / ``update_job`` message, in order
    status: list[Any] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)
    answers: dict[str, asyncio.Future[Any]] = field(default_factory=dict)


#: how often a declined job is offered again before the test fails
RE_OFFERS = 20


class FakeLiveKit:
    def __init__(self) -> None:
        self.trunks: dict[str, Any] = {}
        self.rules: dict[str, Any] = {}
        self.deleted_rooms: list[str] = []
        self.transfers: list[Any] = []
        self.calls: list[str] = []
        self.workers: dict[str, FakeWorker] = {}
        #: False: ``/agent`` refuses workers (503), like a server that is down
        self.accept_workers = True
        self.registered = asyncio.Condition()
        #: a job's room connection is held (a call in progress) until this is set, then fails
        self.media_released = asyncio.Event()
        self.media_released.set()
        self._ids = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.routes: dict[str, tuple[type, Callable[[Any], Awaitable[Any]]]] = {
            "livekit.SIP/ListSIPInboundTrunk": (
                sip_pb.ListSIPInboundTrunkRequest,
                self._list_trunks,
            ),
            "livekit.SIP/CreateSIPInboundTrunk": (
                sip_pb.CreateSIPInboundTrunkRequest,
                self._create_trunk,
            ),
            "livekit.SIP/UpdateSIPInboundTrunk": (
                sip_pb.UpdateSIPInboundTrunkRequest,
                self._update_trunk,
            ),
            "livekit.SIP/ListSIPDispatchRule": (
                sip_pb.ListSIPDispatchRuleRequest,
                self._list_rules,
            ),
            "livekit.SIP/CreateSIPDispatchRule": (
                sip_pb.CreateSIPDispatchRuleRequest,
                self._create_rule,
            ),
            "livekit.SIP/UpdateSIPDispatchRule": (
                sip_pb.UpdateSIPDispatchRuleRequest,
                self._update_rule,
            ),
            "livekit.SIP/TransferSIPParticipant": (
                sip_pb.TransferSIPParticipantRequest,
                self._transfer,
            ),
            "livekit.RoomService/DeleteRoom": (room_pb.DeleteRoomRequest, self._delete_room),
        }

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/twirp/{service}/{method}", self._handle)
        app.router.add_get("/agent", self._agent)
        app.router.add_get("/no-media/{tail:.*}", self._no_media)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self.media_released.set()
        await self.drop_workers()
        if self.runner is not None:
            await self.runner.cleanup()

    # ---- the agent-worker protocol (/agent) ---------------------------------------------

    async def wait_for_worker(self, timeout: float = 60.0) -> FakeWorker:
        async with self.registered:
            await asyncio.wait_for(self.registered.wait_for(lambda: bool(self.workers)), timeout)
        return next(iter(self.workers.values()))

    async def drop_workers(self) -> None:
        """Close every worker connection, as a LiveKit server restart would."""
        for worker in list(self.workers.values()):
            await worker.ws.close()

    async def offer_job(
        self, worker: FakeWorker, *, room: str = "call-_+12065550311_abc", metadata: str = ""
    ) -> str:
        """Dispatch a job to ``worker``; once it says it is available, assign it (with a room
        URL that has no media server behind it). Returns the job id. Like LiveKit, a job the
        worker declines (it reports itself loaded when the machine's CPU is busy) is offered
        again a little later; only repeated refusals fail."""
        for _attempt in range(RE_OFFERS):
            job = agent_pb.Job(
                id=self._id("AJ"),
                dispatch_id=self._id("AD"),
                type=agent_pb.JobType.JT_ROOM,
                room=models_pb.Room(sid=self._id("RM"), name=room),
                agent_name=worker.agent_name,
                metadata=metadata,
            )
            answer = worker.answers[job.id] = asyncio.get_running_loop().create_future()
            offer = agent_pb.ServerMessage(availability=agent_pb.AvailabilityRequest(job=job))
            await worker.ws.send_bytes(offer.SerializeToString())
            reply = await asyncio.wait_for(answer, 30)
            if reply.available:
                break
            await asyncio.sleep(1.0)
        else:
            raise AssertionError(f"the worker declined job {job.id} {RE_OFFERS} times")
        token = (
            api.AccessToken(KEY, SECRET)
            .with_identity(reply.participant_identity or "agent")
            .with_kind("agent")
            .with_grants(api.VideoGrants(room_join=True, room=room, agent=True))
            .to_jwt()
        )
        assign = agent_pb.JobAssignment(job=job, url=f"{self.url}/no-media", token=token)
        await worker.ws.send_bytes(agent_pb.ServerMessage(assignment=assign).SerializeToString())
        return job.id

    async def _no_media(self, _: web.Request) -> web.Response:
        await self.media_released.wait()
        return web.Response(status=404, text="no media server in the fake")

    async def _agent(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.Response(status=401, text="no token")
        if not self.accept_workers:
            return web.Response(status=503, text="the fake is refusing workers")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        first = agent_pb.WorkerMessage.FromString(await ws.receive_bytes())
        if not first.HasField("register"):
            await ws.close()
            return ws
        worker = FakeWorker(self._id("AW"), first.register.agent_name, ws)
        info = models_pb.ServerInfo(version="fake", protocol=16, region="test", node_id="fake")
        registered = agent_pb.RegisterWorkerResponse(worker_id=worker.worker_id, server_info=info)
        await ws.send_bytes(agent_pb.ServerMessage(register=registered).SerializeToString())
        async with self.registered:
            self.workers[worker.worker_id] = worker
            self.registered.notify_all()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.BINARY:
                    continue
                message = agent_pb.WorkerMessage.FromString(msg.data)
                which = message.WhichOneof("message")
                if which == "availability":
                    answer = worker.answers.pop(message.availability.job_id, None)
                    if answer is not None and not answer.done():
                        answer.set_result(message.availability)
                elif which == "update_worker":
                    worker.status.append(message.update_worker)
                elif which == "update_job":
                    worker.jobs.append(message.update_job)
        finally:
            self.workers.pop(worker.worker_id, None)
        return ws

    async def _handle(self, request: web.Request) -> web.Response:
        key = f"{request.match_info['service']}/{request.match_info['method']}"
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.json_response({"code": "unauthenticated", "msg": "no token"}, status=401)
        if key not in self.routes:
            return web.json_response({"code": "bad_route", "msg": key}, status=404)
        self.calls.append(key)
        request_type, handler = self.routes[key]
        message = request_type.FromString(await request.read())
        response = await handler(message)
        return web.Response(body=response.SerializeToString(), content_type="application/protobuf")

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids)}"

    async def _list_trunks(self, _: Any) -> Any:
        return sip_pb.ListSIPInboundTrunkResponse(items=list(self.trunks.values()))

    async def _create_trunk(self, req: Any) -> Any:
        trunk = sip_pb.SIPInboundTrunkInfo()
        trunk.CopyFrom(req.trunk)
        trunk.sip_trunk_id = self._id("ST")
        self.trunks[trunk.sip_trunk_id] = trunk
        return trunk

    async def _update_trunk(self, req: Any) -> Any:
        trunk = sip_pb.SIPInboundTrunkInfo()
        trunk.CopyFrom(req.replace)
        trunk.sip_trunk_id = req.sip_trunk_id
        self.trunks[req.sip_trunk_id] = trunk
        return trunk

    async def _list_rules(self, _: Any) -> Any:
        return sip_pb.ListSIPDispatchRuleResponse(items=list(self.rules.values()))

    async def _create_rule(self, req: Any) -> Any:
        rule = sip_pb.SIPDispatchRuleInfo()
        rule.CopyFrom(req.dispatch_rule)
        rule.sip_dispatch_rule_id = self._id("SDR")
        self.rules[rule.sip_dispatch_rule_id] = rule
        return rule

    async def _update_rule(self, req: Any) -> Any:
        rule = sip_pb.SIPDispatchRuleInfo()
        rule.CopyFrom(req.replace)
        rule.sip_dispatch_rule_id = req.sip_dispatch_rule_id
        self.rules[req.sip_dispatch_rule_id] = rule
        return rule

    async def _transfer(self, req: Any) -> Any:
        self.transfers.append(req)
        return sip_pb.TransferSIPParticipantResponse()

    async def _delete_room(self, req: Any) -> Any:
        self.deleted_rooms.append(req.room)
        return room_pb.DeleteRoomResponse()


def client(url: str) -> api.LiveKitAPI:
    return api.LiveKitAPI(url, KEY, SECRET)
