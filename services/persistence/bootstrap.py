"""Composition root of the persistence service: the writer and the read API."""

from __future__ import annotations

import psycopg
from nats.aio.client import Client as NATS
from psycopg_pool import AsyncConnectionPool

from contracts.runtime import Stats, Stop
from services.persistence.reads import serve_reads
from services.persistence.settings import Settings
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
    writer = Writer(nc.jetstream(), connect, settings, stats)
    await writer.start()
    subs = await serve_reads(nc, pool, stats, settings.config_cache_s, settings.memory_cache_s)

    async def stop() -> None:
        for sub in subs:
            await sub.unsubscribe()
        await writer.stop()
        await pool.close()

    return stop
