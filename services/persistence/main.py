"""``equity-connect serve persistence``: one copy of the persistence service."""

from __future__ import annotations

import asyncio
import functools

from nats.aio.client import Client as NATS

from contracts.runtime import Stats, Stop, serve
from services.persistence.bootstrap import start
from services.persistence.settings import Settings


def main(argv: list[str]) -> int:
    settings = Settings.from_env()
    asyncio.run(
        serve("persistence", settings.nats_url, functools.partial(_start, settings=settings))
    )
    return 0


async def _start(nc: NATS, stats: Stats, *, settings: Settings) -> Stop:
    return await start(nc, stats, settings)
