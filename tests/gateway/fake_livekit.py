"""A small fake of LiveKit's server API (Twirp over HTTP, protobuf bodies) — named as a fake —
so the real ``livekit-api`` client runs in tests: SIP trunks, dispatch rules, room deletion
and SIP transfers, kept in memory."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from livekit import api
from livekit.protocol import room as room_pb
from livekit.protocol import sip as sip_pb


class FakeLiveKit:
    def __init__(self) -> None:
        self.trunks: dict[str, Any] = {}
        self.rules: dict[str, Any] = {}
        self.deleted_rooms: list[str] = []
        self.transfers: list[Any] = []
        self.calls: list[str] = []
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
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

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
    return api.LiveKitAPI(url, "devkey", "a-test-secret-that-is-at-least-32-bytes-long")
