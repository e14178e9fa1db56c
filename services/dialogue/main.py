"""``equity-connect serve dialogue``: run one copy of the dialogue service."""

from __future__ import annotations

import asyncio
import logging

from nats.aio.client import Client as NATS

from contracts.runtime import Stats, Stop, serve
from contracts.settings import Env
from services.dialogue.bootstrap import Settings, start, tune_gc


def main(argv: list[str]) -> int:
    settings = Settings.from_env()  # a bad value: SettingsError, one line naming the variable
    if not logging.getLogger().handlers:  # `equity-connect serve` sets EC_LOG_LEVEL first
        logging.basicConfig(level=Env().log_level("EC_LOG_LEVEL"),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip

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
