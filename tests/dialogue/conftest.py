"""Fixtures for the dialogue tests.

Unit level: ``talk`` runs the real handlers (graph, offline policy or LLM path, functions,
reply streaming, state commits) in-process against in-memory fakes — no bus.
Bus level: helpers to run the dialogue service in-process on the real nats-server, with the
fake OpenAI-compatible HTTP server for the LLM.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from nats.aio.msg import Msg

from contracts import codec
from contracts.bus import connect, publish_event
from contracts.calls import (
    CallDirection,
    CallEnded,
    CallStarted,
    CallType,
    EndReason,
    OutcomeRecorded,
)
from contracts.conversation import CallerTurn, ReplyChunk, ReplyInterrupted
from contracts.runtime import Stats
from contracts.subjects import call_subject
from services.dialogue import bootstrap as dialogue_bootstrap
from services.dialogue.context import Deps, Tuning
from services.dialogue.handlers import Delivery, Dialogue
from services.dialogue.intake import IntakeConfig
from services.dialogue.language.meaning import shared_reader
from services.dialogue.state import CallState
from services.ops.migrate import service_url
from tests.dialogue.fakes.memory import (
    FakeClock,
    FakeStore,
    MemoryPublisher,
    MemoryStates,
    ScriptedLlm,
)
from tests.dialogue.fakes.tools import FakeTools

_ids = itertools.count(1)


@dataclass
class Conversation:
    """One simulated call against the in-process dialogue."""

    dialogue: Dialogue
    publisher: MemoryPublisher
    states: MemoryStates
    tools: FakeTools
    call_id: str
    turns: int = 0
    replies: list[str] = field(default_factory=list)

    async def start(
        self,
        caller: str = "+12065550101",
        direction: CallDirection = CallDirection.INBOUND,
        call_type: CallType | None = None,
        dialled: str = "+18005550100",
    ) -> str:
        inbound = direction == CallDirection.INBOUND
        event = CallStarted(
            call_id=self.call_id,
            direction=direction,
            from_number=caller if inbound else dialled,
            to_number=dialled if inbound else caller,
            call_type=call_type,
        )
        await self.dialogue.on_started(event, Delivery())
        return self._reply(f"rpl_greet_{self.call_id}")

    async def say(self, text: str, *, turn_id: str | None = None, attempt: int = 1) -> str:
        self.turns += 1
        tid = turn_id or f"t{self.turns}"
        turn = CallerTurn(call_id=self.call_id, turn_id=tid, seq=self.turns, text=text,
                          silence=not text.strip())  # fmt: skip
        await self.dialogue.on_turn(turn, Delivery(attempt=attempt))
        reply = self._reply(f"rpl_{tid}")
        self.replies.append(reply)
        return reply

    async def interrupt(self, reply_id: str, heard: str) -> None:
        event = ReplyInterrupted(call_id=self.call_id, reply_id=reply_id, heard_text=heard)
        await self.dialogue.on_interrupted(event, Delivery())

    async def hang_up(self, reason: EndReason = EndReason.CALLER_HUNG_UP) -> OutcomeRecorded:
        await self.dialogue.on_ended(
            CallEnded(call_id=self.call_id, reason=reason, duration_ms=1000), Delivery()
        )
        return self.outcome

    def _reply(self, reply_id: str) -> str:
        return self.publisher.reply_text(reply_id)

    def chunks(self, reply_id: str | None = None) -> list[ReplyChunk]:
        return [c for c in self.publisher.chunks if reply_id is None or c.reply_id == reply_id]

    def final(self, turn: int | None = None) -> ReplyChunk:
        reply_id = f"rpl_t{turn or self.turns}"
        return next(c for c in self.chunks(reply_id) if c.final)

    @property
    def outcome(self) -> OutcomeRecorded:
        found = [e for _, e in self.publisher.events if isinstance(e, OutcomeRecorded)]
        assert len(found) == 1, f"expected one outcome, got {len(found)}"
        return found[0]

    async def state(self) -> CallState:
        loaded = await self.states.load(self.call_id)
        assert loaded is not None
        return loaded[0]

    def tool_names(self) -> list[str]:
        from services.dialogue.context import TOOL_NAMES

        return [TOOL_NAMES[type(r)].value for r in self.tools.requests]


@dataclass
class Talk:
    tools: FakeTools
    store: FakeStore
    publisher: MemoryPublisher
    states: MemoryStates
    clock: FakeClock
    llm: ScriptedLlm | None = None
    llm_env: dict[str, str] = field(default_factory=dict)

    def deps(self) -> Deps:
        return Deps(tools=self.tools, store=self.store, states=self.states,
                    publisher=self.publisher, clock=self.clock, llm=self.llm,
                    meaning=shared_reader(), llm_env=dict(self.llm_env),
                    tuning=Tuning(filler_after=0.05, llm_retry_delay=0.0))  # fmt: skip

    def call(self, deps: Deps | None = None) -> Conversation:
        dialogue = Dialogue(deps or self.deps())
        return Conversation(dialogue, self.publisher, self.states, self.tools,
                            call_id=f"call_test{next(_ids):05d}")  # fmt: skip


@pytest.fixture
def talk() -> Talk:
    clock = FakeClock()
    return Talk(tools=FakeTools(now=clock.now()), store=FakeStore(), publisher=MemoryPublisher(),
                states=MemoryStates(), clock=clock)  # fmt: skip


Sentences = Callable[[str], int]


def sentence_count(text: str) -> int:
    from services.dialogue.speech.chunker import split_sentences

    return len(split_sentences(text))


def no_digits(text: str) -> bool:
    return not any(ch.isdigit() for ch in text)


# ---- bus level --------------------------------------------------------------------------------

#: The tools service's and the dialogue's "now" in bus tests (a Tuesday, 6 a.m. Pacific).
NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


async def eventually(check: Callable[[], Any], within: float = 10.0) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    value = check()
    assert value, "condition not reached in time"
    return value


@dataclass
class BusCall:
    """A caller on the real bus: publishes what the gateway would, collects the replies."""

    nc: Any
    call_id: str
    chunks: list[ReplyChunk] = field(default_factory=list)
    turns: int = 0
    _sub: Any = None

    async def open(self) -> BusCall:
        async def collect(msg: Msg) -> None:
            self.chunks.append(codec.decode(msg.data, ReplyChunk))

        self._sub = await self.nc.subscribe(call_subject(self.call_id, "reply"), cb=collect)
        return self

    async def close(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()

    async def start(self, caller: str | None = "+12065550101", *,
                    direction: CallDirection = CallDirection.INBOUND,
                    call_type: CallType | None = None, dialled: str = "+18005550100",
                    within: float = 10.0) -> str:  # fmt: skip
        inbound = direction == CallDirection.INBOUND
        event = CallStarted(
            call_id=self.call_id,
            direction=direction,
            from_number=caller if inbound else dialled,
            to_number=dialled if inbound else caller,
            call_type=call_type,
        )
        await publish_event(self.nc.jetstream(), call_subject(self.call_id, "started"), event)
        return await self.reply(f"rpl_greet_{self.call_id}", within)

    async def send(self, text: str, turn_id: str | None = None) -> str:
        self.turns += 1
        tid = turn_id or f"{self.call_id}-t{self.turns}"
        turn = CallerTurn(call_id=self.call_id, turn_id=tid, seq=self.turns, text=text,
                          silence=not text.strip())  # fmt: skip
        await publish_event(self.nc.jetstream(), call_subject(self.call_id, "turn"), turn)
        return f"rpl_{tid}"

    async def say(self, text: str, within: float = 10.0) -> str:
        return await self.reply(await self.send(text), within)

    async def reply(self, reply_id: str, within: float = 10.0) -> str:
        await eventually(lambda: any(c.final for c in self.of(reply_id)), within)
        return " ".join(c.text for c in self.of(reply_id) if c.text and not c.filler)

    def of(self, reply_id: str) -> list[ReplyChunk]:
        return sorted((c for c in self.chunks if c.reply_id == reply_id), key=lambda c: c.seq)

    def final(self, reply_id: str) -> ReplyChunk:
        return next(c for c in self.of(reply_id) if c.final)

    async def hang_up(self, reason: EndReason = EndReason.CALLER_HUNG_UP) -> None:
        event = CallEnded(call_id=self.call_id, reason=reason, duration_ms=60_000)
        await publish_event(self.nc.jetstream(), call_subject(self.call_id, "ended"), event)


@pytest.fixture
async def bus_call(nc: Any) -> AsyncIterator[Callable[..., Any]]:
    opened: list[BusCall] = []

    async def make(call_id: str | None = None) -> BusCall:
        call = await BusCall(nc, call_id or f"call_bus{next(_ids):06d}").open()
        opened.append(call)
        return call

    try:
        yield make
    finally:
        for call in opened:
            await call.close()


@pytest.fixture
async def start_dialogue(nc: Any, nats_url: str) -> AsyncIterator[Callable[..., Any]]:
    """Start in-process dialogue copies on their own connections; stopped at the end."""
    running: list[tuple[Any, Any]] = []

    async def start(env: dict[str, str] | None = None, **over: Any) -> Stats:
        settings = dialogue_bootstrap.Settings.from_env({"NATS_URL": nats_url, **(env or {})})
        settings = dialogue_bootstrap.Settings(
            nats_url=nats_url, intake=IntakeConfig(ack_wait=1.0), tuning=settings.tuning,
            llm_env=settings.llm_env,
        )  # fmt: skip
        conn = await connect(nats_url, "dialogue-under-test")
        stats = Stats(service="dialogue")
        overrides = dialogue_bootstrap.Overrides(clock=over.pop("clock", FakeClock(NOW)), **over)
        stop = await dialogue_bootstrap.start(conn, stats, settings, overrides)
        running.append((stop, conn))
        return stats

    try:
        yield start
    finally:
        for stop, conn in reversed(running):
            await stop()
            await conn.drain()


@pytest.fixture
def seeded(db: str) -> str:
    from services.ops.seeding import seed_all

    seed_all(db)
    return db


@pytest.fixture
async def real_tools(nc: Any, nats_url: str, seeded: str) -> AsyncIterator[Any]:
    """The real tools service in-process, fixed clock, crude offline embeddings."""
    from services.tools import bootstrap as tools_bootstrap
    from services.tools.clock import FixedClock
    from services.tools.kb.embedder import HashEmbedder
    from services.tools.settings import EmbedderKind
    from services.tools.settings import Settings as ToolsSettings

    settings = ToolsSettings(
        nats_url=nats_url,
        database_url=service_url(seeded, "tools"),
        embedder=EmbedderKind.HASH,
        embed_on_start=False,
        db_pool_size=6,
    )
    conn = await connect(nats_url, "tools-for-dialogue-tests")
    service = await tools_bootstrap.start(
        conn, Stats(service="tools"), settings, clock=FixedClock(NOW), embedder=HashEmbedder()
    )
    try:
        yield service
    finally:
        await service.stop()
        await conn.drain()


@pytest.fixture
async def real_persistence(nc: Any, nats_url: str, seeded: str) -> AsyncIterator[Stats]:
    from services.persistence.bootstrap import start
    from services.persistence.settings import Settings as PersistenceSettings

    conn = await connect(nats_url, "persistence-for-dialogue-tests")
    stats = Stats(service="persistence")
    stop = await start(conn, stats, PersistenceSettings(
        nats_url=nats_url, database_url=service_url(seeded, "persistence")))  # fmt: skip
    try:
        yield stats
    finally:
        await stop()
        await conn.drain()


@pytest.fixture
def tools_sql(seeded: str) -> Callable[..., list[tuple[Any, ...]]]:
    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(service_url(seeded, "tools")) as conn:
            return conn.execute(sql, params).fetchall()

    return run


@pytest.fixture
def persistence_sql(seeded: str) -> Callable[..., list[tuple[Any, ...]]]:
    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(service_url(seeded, "persistence")) as conn:
            return conn.execute(sql, params).fetchall()

    return run
