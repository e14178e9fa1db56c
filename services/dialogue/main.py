"""``equity-connect serve dialogue``: run one copy of the dialogue service."""

from __future__ import annotations

import asyncio
import logging
import os

from nats.aio.client import Client as NATS

from contracts.runtime import Stats, Stop, serve
from services.dialogue.bootstrap import Settings, start, tune_gc


def main(argv: list[str]) -> int:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=os.environ.get("EC_LOG_LEVEL", "WARNING"),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    settings = Settings.from_env()

    async def run(nc: NATS, stats: Stats) -> Stop:
        stop = await start(nc, stats, settings)
        tune_gc()
        return stop

    runner = asyncio.run
    try:
        import uvloop  # a faster event loop: lower tail latency under many calls

        runner = uvloop.run
    except ImportError:
        pass
    runner(serve("dialogue", settings.nats_url, run))
    return 0
