"""Composition root: settings → database pool, clock, calendar, embedder → the bus server.

Tests and the benchmark call :func:`start` with their own clock / embedder / calendar;
``main`` passes only the settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from nats.aio.client import Client as NATS
from pgvector.psycopg import register_vector_async
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from contracts.hotpath import HotPath
from contracts.observability.health import pool_check
from contracts.runtime import Stats, Stop
from contracts.sessions import StreamCalls
from services.tools.calendar.port import Calendar
from services.tools.calendar.postgres import PostgresCalendar
from services.tools.clock import Clock, SystemClock
from services.tools.deps import Deps
from services.tools.kb.embedder import Embedder, HashEmbedder, UnavailableEmbedder
from services.tools.kb.search import embed_missing
from services.tools.kb.terms import TermStats
from services.tools.server import ToolServer
from services.tools.settings import EmbedderKind, Settings
from services.tools.store import slots
from services.tools.store.brokers import BrokerCache

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY_S = 600.0
BINDINGS_KEPT = timedelta(days=2)


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedder is EmbedderKind.OPENAI:
        from services.tools.kb.openai_compat import OpenAICompatibleEmbedder

        if not settings.embeddings_url:
            raise ValueError("EC_TOOLS_EMBEDDER=openai needs EC_TOOLS_EMBEDDINGS_URL")
        return OpenAICompatibleEmbedder(
            settings.embeddings_url, settings.embeddings_model, settings.embeddings_api_key
        )
    if settings.embedder is EmbedderKind.HASH:
        return HashEmbedder()
    from services.tools.kb.onnx import OnnxMiniLM

    return OnnxMiniLM(threads=settings.embed_threads)


async def open_pool(settings: Settings) -> AsyncConnectionPool:
    async def configure(conn: AsyncConnection) -> None:
        await register_vector_async(conn)
        await conn.execute(f"SET statement_timeout = {int(settings.statement_timeout_ms)}")
        await conn.set_autocommit(True)

    pool = AsyncConnectionPool(
        settings.database_url,
        min_size=min(2, settings.db_pool_size),
        max_size=settings.db_pool_size,
        configure=configure,
        kwargs={"autocommit": True},
        timeout=settings.deadline_s,
        name="tools",
        open=False,
    )
    await pool.open(wait=True, timeout=10)
    return pool


@dataclass
class ToolsService:
    """A running copy: the bus server plus its background work."""

    deps: Deps
    server: ToolServer
    hot: HotPath
    owns_embedder: bool
    background: list[asyncio.Task[Any]] = field(default_factory=list)
    embedding: asyncio.Task[Any] | None = None

    async def kb_ready(self) -> None:
        """Wait for the start-up embedding of passages that lacked vectors."""
        if self.embedding is not None:
            await asyncio.shield(self.embedding)

    async def stop(self) -> None:
        await self.hot.stop()  # no new requests; those in hand are answered
        await self.server.stop()
        for task in self.background:
            task.cancel()
        for task in self.background:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.owns_embedder:
            await self.deps.embedder.aclose()
        await self.deps.pool.close()


async def start(
    nc: NATS,
    stats: Stats,
    settings: Settings,
    *,
    clock: Clock | None = None,
    calendar: Calendar | None = None,
    embedder: Embedder | None = None,
) -> ToolsService:
    pool = await open_pool(settings)
    stats.health.add_check("database", pool_check(pool))  # readiness: /health/ready
    owns_embedder = embedder is None
    if embedder is None:
        try:
            embedder = await asyncio.to_thread(build_embedder, settings)
        except Exception as err:  # the other tools must not go down with the knowledge base
            log.error("knowledge base unavailable: %s: %s", type(err).__name__, err)
            embedder = UnavailableEmbedder(type(err).__name__)
    deps = Deps(
        pool=pool,
        clock=clock or SystemClock(),
        calendar=calendar or PostgresCalendar(),
        embedder=embedder,
        settings=settings,
        terms=TermStats(),
        brokers=BrokerCache(),
        calls=StreamCalls(nc.jetstream()),
    )
    server = ToolServer(deps=deps, stats=stats)
    hot = HotPath(nc, "tools")
    server.register(hot)
    await hot.start()
    service = ToolsService(deps=deps, server=server, hot=hot, owns_embedder=owns_embedder)
    if settings.embed_on_start and not isinstance(embedder, UnavailableEmbedder):
        service.embedding = asyncio.create_task(_embed_on_start(deps))
        service.background.append(service.embedding)
    else:
        await refresh_terms(deps)
    service.background.append(asyncio.create_task(_housekeeping(deps)))
    return service


def starter(settings: Settings) -> Any:
    """``start(nc, stats) -> stop`` for :func:`contracts.runtime.serve`."""

    async def start_service(nc: NATS, stats: Stats) -> Stop:
        service = await start(nc, stats, settings)
        return service.stop

    return start_service


async def _embed_on_start(deps: Deps) -> None:
    try:
        await embed_missing(deps.pool, deps.embedder)
    except Exception as err:  # search still works on what is embedded; `kb embed` retries
        log.warning("knowledge base: start-up embedding failed: %s", type(err).__name__)
    await refresh_terms(deps)


async def refresh_terms(deps: Deps) -> None:
    try:
        async with deps.pool.connection() as conn:
            await deps.terms.refresh(conn)
    except Exception as err:
        log.warning("knowledge base: word statistics not refreshed: %s", type(err).__name__)


async def _housekeeping(deps: Deps) -> None:
    """Forget expired slot offers and old call bindings; refresh the word statistics."""
    while True:
        await refresh_terms(deps)
        try:
            async with deps.pool.connection() as conn:
                now = deps.clock.now()
                await slots.purge_expired(conn, now - timedelta(hours=1))
                await conn.execute(  # database time: bindings are stamped by the database
                    "DELETE FROM call_bindings WHERE updated_at < now() - %s", (BINDINGS_KEPT,)
                )
        except Exception as err:
            log.warning("housekeeping failed: %s", type(err).__name__)
        await asyncio.sleep(HOUSEKEEPING_EVERY_S)
