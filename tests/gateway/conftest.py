"""A scripted stand-in for the dialogue service (named as such) on the real bus, so the
gateway's own behaviour — order, fillers, apologies, actions — can be driven exactly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from nats.aio.msg import Msg

from contracts import codec
from contracts.bus import connect
from contracts.calls import CallEnded
from contracts.conversation import Action, CallerTurn, ReplyChunk, TranscriptSegment
from contracts.runtime import Stats
from contracts.subjects import call_subject, parse_call_subject
from services.ops.migrate import service_url
from services.ops.seeding import seed_all
from tests.gateway.fake_livekit import FakeLiveKit


@dataclass
class Script:
    """What the fake dialogue says: ``reply(text or None for the greeting)`` → chunk texts."""

    reply: Callable[[str | None], list[str]]
    action: Callable[[str | None], Action | None] = lambda _: None
    delay_s: float = 0.0
    order: Callable[[list[int]], list[int]] = lambda seqs: seqs
    duplicate: bool = False
    silent: bool = False  # never answers turns (the greeting still comes)


@dataclass
class Recorder:
    turns: list[CallerTurn] = field(default_factory=list)
    transcripts: list[TranscriptSegment] = field(default_factory=list)
    ended: list[CallEnded] = field(default_factory=list)


class ScriptedDialogue:
    def __init__(self, nc: Any, script: Script) -> None:
        self.nc = nc
        self.script = script
        self.seen = Recorder()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        await self.nc.subscribe("calls.*.started", cb=self._on_started)
        await self.nc.subscribe("calls.*.turn", cb=self._on_turn)
        await self.nc.subscribe(
            "calls.*.transcript", cb=self._record(TranscriptSegment, self.seen.transcripts)
        )
        await self.nc.subscribe("calls.*.ended", cb=self._record(CallEnded, self.seen.ended))

    def _record(self, type_: type, into: list[Any]) -> Callable[[Msg], Any]:
        async def cb(msg: Msg) -> None:
            into.append(codec.decode(msg.data, type_))

        return cb

    async def _on_started(self, msg: Msg) -> None:
        call_id, _ = parse_call_subject(msg.subject)
        self._spawn(self._answer(call_id, None, f"rpl_greet_{call_id}", None))

    async def _on_turn(self, msg: Msg) -> None:
        turn = codec.decode(msg.data, CallerTurn)
        self.seen.turns.append(turn)
        if not self.script.silent:
            self._spawn(self._answer(turn.call_id, turn.turn_id, f"rpl_{turn.turn_id}", turn.text))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(
        self, call_id: str, turn_id: str | None, reply_id: str, text: str | None
    ) -> None:
        await asyncio.sleep(self.script.delay_s)
        parts = self.script.reply(text)
        chunks = [
            ReplyChunk(
                call_id=call_id,
                reply_id=reply_id,
                turn_id=turn_id,
                seq=i,
                text=part,
                final=i == len(parts) - 1,
                action=self.script.action(text) if i == len(parts) - 1 else None,
            )
            for i, part in enumerate(parts)
        ]
        for seq in self.script.order(list(range(len(chunks)))):
            copies = 2 if self.script.duplicate else 1
            for _ in range(copies):
                await self.nc.publish(call_subject(call_id, "reply"), codec.encode(chunks[seq]))


@pytest.fixture
async def dialogue_double(nc: Any) -> AsyncIterator[Callable[[Script], Any]]:
    doubles: list[ScriptedDialogue] = []

    async def make(script: Script) -> ScriptedDialogue:
        double = ScriptedDialogue(nc, script)
        await double.start()
        doubles.append(double)
        return double

    yield make


@pytest.fixture
async def livekit() -> AsyncIterator[FakeLiveKit]:
    """The fake LiveKit server (Twirp API and the worker protocol) on a free local port."""
    fake = FakeLiveKit()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def persistence_settings(nats_url: str, db: str) -> Any:
    """The persistence service's settings for ``system`` (a test module may override it)."""
    from services.persistence.settings import Settings

    return Settings(nats_url=nats_url, database_url=service_url(db, "persistence"))


@pytest.fixture
async def system(nc: Any, nats_url: str, db: str, persistence_settings: Any) -> AsyncIterator[str]:
    """Persistence, tools and dialogue, each with its own connection, as deployed."""
    from services.dialogue import bootstrap as dialogue
    from services.persistence import bootstrap as persistence
    from services.tools import bootstrap as tools
    from services.tools.settings import Settings as ToolsSettings

    seed_all(db)
    running: list[tuple[Any, Any]] = []
    conn = await connect(nats_url, "persistence")
    running.append(
        (
            await persistence.start(
                conn,
                Stats(service="persistence"),
                persistence_settings,
            ),
            conn,
        )
    )
    conn = await connect(nats_url, "tools")
    service = await tools.start(
        conn,
        Stats(service="tools"),
        ToolsSettings(nats_url=nats_url, database_url=service_url(db, "tools")),
    )
    running.append((service.stop, conn))
    conn = await connect(nats_url, "dialogue")
    settings = dialogue.Settings.from_env({"NATS_URL": nats_url, "EC_DIALOGUE_POLICY": "offline"})
    running.append((await dialogue.start(conn, Stats(service="dialogue"), settings), conn))
    try:
        yield db
    finally:
        for stop, c in reversed(running):
            await stop()
            await c.drain()
