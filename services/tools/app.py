"""``faststream run services.tools.app:app``: the tools service as a FastStream application
(configured by the environment, like ``equity-connect serve tools``)."""

from __future__ import annotations

from contracts.app import service_app
from services.tools.bootstrap import starter
from services.tools.settings import Settings

settings = Settings.from_env()
app = service_app("tools", settings.nats_url, starter(settings))
