"""``equity-connect serve gateway [start|dev]``: the LiveKit worker (needs LIVEKIT_URL,
LIVEKIT_API_KEY, LIVEKIT_API_SECRET). Without LiveKit, place calls with ``equity-connect call``.
"""

from __future__ import annotations

import os
import sys

from services.agent_gateway.settings import Settings


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else "start"
    if mode not in ("start", "dev"):
        print("error: serve gateway takes start or dev", file=sys.stderr)
        return 2
    missing = [v for v in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET")
               if not os.environ.get(v)]  # fmt: skip
    if missing:
        print(f"error: the gateway needs {', '.join(missing)} (LiveKit Cloud or your own "
              "server); without LiveKit use `equity-connect call`", file=sys.stderr)  # fmt: skip
        return 1
    settings = Settings.from_env()  # a bad value: SettingsError, one line naming the variable
    from livekit.agents import cli

    from services.agent_gateway.worker import server

    sys.argv = [sys.argv[0], mode]
    cli.run_app(server(settings))
    return 0
