"""``faststream run services.dialogue.app:app``: the dialogue service as a FastStream
application (configured by the environment, like ``equity-connect serve dialogue``)."""

from __future__ import annotations

from nats.aio.client import Client as NATS

from contracts.app import service_app
from contracts.runtime import Stats, Stop
from services.dialogue.bootstrap import Settings, start, tune_gc

settings = Settings.from_env()


async def _start(nc: NATS, stats: Stats) -> Stop:
    stop = await start(nc, stats, settings)
    tune_gc()
    return stop


app = service_app("dialogue", settings.nats_url, _start)
