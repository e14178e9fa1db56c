"""``equity-connect call --from +1NXXNXXXXXX [--to NUMBER] [--script FILE] [--json]``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from contracts.bus import connect
from services.agent_gateway.settings import Settings
from services.agent_gateway.simulate import Printer, run_call, script_lines
from services.tools.phone import to_e164


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="equity-connect call",
                                     description="Place a simulated (text) call.")  # fmt: skip
    parser.add_argument("call")
    parser.add_argument("--from", dest="caller", required=True, help="the caller's number")
    parser.add_argument("--to", dest="dialled", help="the number they dialled")
    parser.add_argument("--script", type=Path, help="caller lines, one per line")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    try:
        caller = to_e164(args.caller)
        dialled = to_e164(args.dialled) if args.dialled else None
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.script and not args.script.exists():
        print(f"error: no such script {args.script}", file=sys.stderr)
        return 2
    return asyncio.run(_call(args, caller, dialled))


async def _lines(script: Path | None) -> AsyncIterator[str]:
    if script is not None:
        for line in script_lines(await asyncio.to_thread(script.read_text)):
            yield line
        return
    print("(type what the caller says; an empty line = silence; Ctrl-D hangs up)", flush=True)
    while True:
        try:
            line = await asyncio.to_thread(input, "> ")
        except EOFError:
            return
        yield line.strip() or "<silence>"


async def _call(args: argparse.Namespace, caller: str, dialled: str | None) -> int:
    settings = Settings.from_env()
    nc = await connect(os.environ["NATS_URL"], "simulated-call", max_reconnect_attempts=3)
    try:
        result = await run_call(
            nc, caller, _lines(args.script), dialled=dialled, timing=settings.timing,
            printer=Printer(stream=sys.stdout),
        )  # fmt: skip
    finally:
        await nc.drain()
    print(f"\noutcome: {result.outcome or 'unknown'}  ({result.turns} caller turns, call "
          f"{result.call_id})")  # fmt: skip
    if args.json:
        print(json.dumps(result.as_json()))
    return 0
