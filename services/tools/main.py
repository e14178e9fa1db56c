"""``equity-connect serve tools``: run one copy of the tools service until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import sys

from contracts.runtime import serve
from contracts.settings import Env
from services.tools.bootstrap import starter
from services.tools.settings import Settings


def main(argv: list[str]) -> int:
    if argv:
        print("usage: equity-connect serve tools (configured by the environment)", file=sys.stderr)
        return 2
    settings = Settings.from_env()  # a bad value: SettingsError, one line naming the variable
    if not logging.getLogger().handlers:  # `equity-connect serve` sets EC_LOG_LEVEL first
        logging.basicConfig(level=Env().log_level("EC_LOG_LEVEL"),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    if not settings.database_url:
        print("error: EC_TOOLS_DATABASE_URL is not set", file=sys.stderr)
        return 1
    try:
        asyncio.run(serve("tools", settings.nats_url, starter(settings)))
    except KeyboardInterrupt:
        return 130
    return 0
