"""``faststream run services.persistence.app:app``: the persistence service as a FastStream
application (configured by the environment, like ``equity-connect serve persistence``)."""

from __future__ import annotations

import functools

from contracts.app import service_app
from services.persistence.main import _start
from services.persistence.settings import Settings

settings = Settings.from_env()
app = service_app("persistence", settings.nats_url, functools.partial(_start, settings=settings))
