"""Composition root of the persistence service: the writer, post-call analysis, the read
API and (when endpoints are configured) the webhook delivery loop."""

from __future__ import annotations

import asyncio
import contextlib

import psycopg
from nats.aio.client import Client as NATS
from psycopg_pool import AsyncConnectionPool

from contracts.hotpath import HotPath
from contracts.observability.health import pool_check
from contracts.recordings import store_from
from contracts.runtime import Stats, Stop
from contracts.sessions import StreamCalls
from services.persistence.analysis.consumer import Analyzer
from services.persistence.analysis.llm import evaluator_for
from services.persistence.reads import register_reads
from services.persistence.settings import Settings
from services.persistence.webhooks.delivery import Deliverer, RetryPolicy
from services.persistence.writer import Writer


async def start(nc: NATS, stats: Stats, settings: Settings) -> Stop:
    async def connect() -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(
            settings.database_url, autocommit=True, connect_timeout=5
        )

    pool = AsyncConnectionPool(
        settings.database_url,
        min_size=1,
        max_size=settings.read_pool_size,
        kwargs={"autocommit": True},
        open=False,
    )
    await pool.open(wait=False)
    stats.health.add_check("database", pool_check(pool))  # readiness: /health/ready
    writer = Writer(nc.jetstream(), connect, settings, stats)
    await writer.start()
    analyzer = Analyzer(nc.jetstream(), connect, settings, stats, evaluator_for(settings))
    await analyzer.start()
    hot = HotPath(nc, "persistence")
    calls = StreamCalls(nc.jetstream())  # store.caller_context: only for the call's own caller
    register_reads(hot, pool, stats, calls, settings.config_cache_s, settings.memory_cache_s,
                   settings.read_pool_size)  # fmt: skip
    await hot.start()
    stopping = asyncio.Event()
    deliverer: Deliverer | None = None
    delivering: asyncio.Task[None] | None = None
    if settings.webhook_urls:
        policy = RetryPolicy(max_attempts=settings.webhook_max_attempts)
        store = store_from(settings.recordings)
        expiry = settings.recordings.url_expiry_s

        async def sign(path: str) -> str:
            assert store is not None
            return await store.signed_url(path, expiry)

        deliverer = Deliverer(connect, settings.webhook_secret, policy=policy,
                              endpoint_secrets=settings.webhook_endpoint_secrets,
                              sign_recording=sign if store is not None else None)  # fmt: skip
        delivering = asyncio.create_task(deliverer.run(stopping), name="persistence-webhooks")

    async def stop() -> None:
        await hot.stop()  # reads in hand are answered first
        await analyzer.stop()
        await writer.stop()
        stopping.set()
        if delivering is not None and deliverer is not None:
            # a POST in hand may finish; a row cut off is retried after its lease
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(delivering), settings.stop_timeout_s)
            delivering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await delivering
            await deliverer.close()
        await pool.close()

    return stop
