"""The tools service started in-process (its own NATS connection) on the real nats-server and
Postgres, with a fixed clock; seed data loaded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import numpy as np
import psycopg
import pytest

from contracts.bus import connect
from contracts.runtime import Stats
from services.ops.migrate import service_url
from services.ops.seeding import seed_all
from services.tools import bootstrap
from services.tools.bootstrap import ToolsService
from services.tools.clock import FixedClock
from services.tools.kb.embedder import Embedder, HashEmbedder
from services.tools.kb.onnx import OnnxMiniLM
from services.tools.settings import EmbedderKind, Settings
from tests.tools.helpers import NOW, Call


@pytest.fixture(scope="session")
def minilm() -> Iterator[OnnxMiniLM]:
    """The real local model, loaded once for the session."""
    yield OnnxMiniLM(threads=2)


class Remembering:
    """The real model, remembering what it embedded: each test database is re-seeded, but
    the same passages need embedding only once per session."""

    def __init__(self, inner: OnnxMiniLM) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.seen: dict[str, Any] = {}

    async def embed(self, texts: Sequence[str]) -> Any:
        missing = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if missing:
            for text, row in zip(missing, await self.inner.embed(missing), strict=True):
                self.seen[text] = row
        return np.stack([self.seen[t] for t in texts])

    async def aclose(self) -> None:
        return None


@pytest.fixture(scope="session")
def remembering_minilm(minilm: OnnxMiniLM) -> Remembering:
    return Remembering(minilm)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def seeded(db: str) -> str:
    seed_all(db)
    return db


@pytest.fixture
def settings(nats_url: str, seeded: str) -> Settings:
    return Settings(
        nats_url=nats_url,
        database_url=service_url(seeded, "tools"),
        embedder=EmbedderKind.HASH,
        embed_on_start=False,
        db_pool_size=8,
    )


@pytest.fixture
async def make_tools(
    nc: Any, nats_url: str, clock: FixedClock
) -> AsyncIterator[Callable[..., Any]]:
    """Start copies of the service: ``await make_tools(settings, embedder=...)``; all are
    stopped at the end of the test."""
    running: list[tuple[ToolsService, Any]] = []

    async def make(settings: Settings, embedder: Embedder | None = None, **kw: Any) -> ToolsService:
        conn = await connect(nats_url, "tools-under-test")
        service = await bootstrap.start(
            conn,
            Stats(service="tools"),
            settings,
            clock=clock,
            embedder=embedder or HashEmbedder(),
            **kw,
        )
        running.append((service, conn))
        return service

    try:
        yield make
    finally:
        for service, conn in reversed(running):
            await service.stop()
            await conn.drain()


@pytest.fixture
async def tools(settings: Settings, make_tools: Callable[..., Any]) -> ToolsService:
    service: ToolsService = await make_tools(settings)
    return service


@pytest.fixture
def call(nc: Any, tools: ToolsService) -> Callable[..., Call]:
    def make(caller_number: str | None, **kw: Any) -> Call:
        return Call(nc=nc, caller_number=caller_number, **kw)

    return make


@pytest.fixture
def query(seeded: str) -> Callable[..., list[tuple[Any, ...]]]:
    """Read-only SQL as the tools role."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(service_url(seeded, "tools")) as conn:
            return conn.execute(sql, params).fetchall()

    return run
