"""The one database connection a persistence loop keeps: opened on first use, dropped after a
failure (``reset``) and opened again on the next use."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import psycopg

log = logging.getLogger(__name__)


class HeldConnection:
    """Mixin for the writer, the analysis consumer and the webhook deliverer: they set
    ``connect`` (how to open one) and ``conn`` (None until then)."""

    connect: Callable[[], Awaitable[psycopg.AsyncConnection]]
    conn: psycopg.AsyncConnection | None

    async def _conn(self) -> psycopg.AsyncConnection:
        if self.conn is None or self.conn.closed:
            self.conn = await self.connect()
        return self.conn

    async def _reset(self) -> None:
        if self.conn is not None:
            await quietly(self.conn.close())
        self.conn = None


async def quietly(aw: Awaitable[object]) -> None:
    """Await ``aw``; a failure (closing a dead connection, acking on a lost link) is logged at
    debug level only."""
    try:
        await aw
    except Exception as err:
        log.debug("ignored: %s", err)
