"""``equity-connect recordings list|retry``: recordings waiting in this machine's spool
(``EC_RECORDING_SPOOL_DIR``) because their upload failed; ``retry`` uploads them now (the
worker's main process also does, every few minutes)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from contracts.bus import BusUnavailable, connect_once
from services.agent_gateway.recording import Spooled, recorder_for
from services.agent_gateway.settings import Settings


def main(argv: list[str], prepare: Callable[[], None] = lambda: None) -> int:
    parser = argparse.ArgumentParser(prog="equity-connect recordings")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="recordings waiting in the spool")
    sub.add_parser("retry", help="upload what the spool holds now")
    args = parser.parse_args(argv[1:] if argv and argv[0] == "recordings" else argv)
    prepare()
    settings = Settings.from_env()
    spool = settings.recording_spool
    waiting = sorted(spool.glob("*.json")) if spool.exists() else []
    if args.action == "list":
        print(f"spool {spool}: {len(waiting)} waiting")
        for sidecar in waiting:
            try:
                print(f"  {Spooled.read(sidecar).path}")
            except (OSError, ValueError, KeyError):
                print(f"  {sidecar.name} (unreadable)")
        return 0
    if not settings.recordings.enabled:
        print("error: recordings are off (set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY)",
              file=sys.stderr)  # fmt: skip
        return 1
    try:
        return asyncio.run(_retry(settings, len(waiting)))
    except BusUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


async def _retry(settings: Settings, waiting: int) -> int:
    nc = await connect_once(settings.nats_url, "gateway-recordings")
    try:
        recorder = recorder_for(settings.recordings, settings.recording_spool, nc)
        assert recorder is not None
        done = await recorder.upload_spooled()
    finally:
        await nc.drain()
    print(f"uploaded {done} of {waiting}")
    return 0 if done == waiting else 1
