"""``equity-connect serve tools``: run one copy of the tools service until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import sys

from contracts.runtime import serve
from services.tools.bootstrap import starter
from services.tools.settings import Settings


def main(argv: list[str]) -> int:
    if argv:
        print("usage: equity-connect serve tools (configured by the environment)", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.from_env()
    if not settings.database_url:
        print("error: EC_TOOLS_DATABASE_URL is not set", file=sys.stderr)
        return 1
    try:
        asyncio.run(serve("tools", settings.nats_url, starter(settings)))
    except KeyboardInterrupt:
        return 130
    return 0
