"""The persistence service started in-process on the real nats-server and Postgres."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import psycopg
import pytest

from contracts.runtime import Stats
from services.ops.migrate import service_url
from services.persistence.bootstrap import start
from services.persistence.settings import Settings


@pytest.fixture
def settings(nats_url: str, db: str) -> Settings:
    return Settings(nats_url=nats_url, database_url=service_url(db, "persistence"))


@pytest.fixture
async def persistence(nc: Any, settings: Settings) -> AsyncIterator[Stats]:
    stats = Stats(service="persistence")
    stop = await start(nc, stats, settings)
    try:
        yield stats
    finally:
        await stop()


@pytest.fixture
def query(db: str) -> Callable[..., list[tuple[Any, ...]]]:
    """Run a read-only query as the persistence role."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(service_url(db, "persistence")) as conn:
            return conn.execute(sql, params).fetchall()

    return run


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    """Poll until ``check()`` holds; fail with the last state after ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if check():
            return
        await asyncio.sleep(0.05)
    assert check(), "condition not reached in time"
