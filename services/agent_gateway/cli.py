"""``equity-connect call --from +1NXXNXXXXXX [--to NUMBER] [--script FILE] [--json]``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from contracts.bus import BusUnavailable, connect_resilient
from contracts.phone import to_e164
from services.agent_gateway.settings import Settings


def main(argv: list[str], prepare: Callable[[], None] = lambda: None) -> int:
    """``prepare`` runs once the arguments parse (``--help`` needs nothing running): the
    operator CLI passes the step that finds the infrastructure."""
    parser = argparse.ArgumentParser(
        prog="equity-connect call",
        description="Place a simulated (text) call through the gateway's own session code "
        "against the running services. Script lines may be <silence> or <hangup>.",
    )
    parser.add_argument("--from", dest="caller", required=True, help="the caller's number")
    parser.add_argument("--to", dest="dialled", help="the number they dialled")
    parser.add_argument("--script", type=Path, help="caller lines, one per line")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv[1:] if argv and argv[0] == "call" else argv)
    try:
        caller = to_e164(args.caller)
        dialled = to_e164(args.dialled) if args.dialled else None
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.script and not args.script.exists():
        print(f"error: no such script {args.script}", file=sys.stderr)
        return 2
    prepare()
    settings = Settings.from_env()
    try:
        return asyncio.run(_call(args, settings, caller, dialled))
    except BusUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


async def _lines(script: Path | None) -> AsyncIterator[str]:
    from services.agent_gateway.simulate import script_lines

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


async def _call(
    args: argparse.Namespace, settings: Settings, caller: str, dialled: str | None
) -> int:
    # Fails at once when NATS is down; once the call is under way it rides out a NATS restart
    # (the gateway's record outbox retries until JetStream acknowledges).
    nc = await connect_resilient(settings.nats_url, "simulated-call")
    # LiveKit's session code loads in about 2 s: only once the bus is known to answer
    from services.agent_gateway.recording import recorder_for
    from services.agent_gateway.simulate import Printer, run_call

    recorder = recorder_for(settings.recordings, settings.recording_spool, nc)
    try:
        result = await run_call(
            nc, caller, _lines(args.script), dialled=dialled, timing=settings.timing,
            printer=Printer(stream=sys.stdout), recorder=recorder,
        )  # fmt: skip
        if recorder is not None and result.recorded:
            # Storage answers again: what an earlier call could not upload, one try each (the
            # call is over; a caller never waits on this)
            await recorder.upload_spooled(attempts=1)
    finally:
        try:
            await asyncio.wait_for(nc.drain(), 10)
        except Exception:
            await nc.close()
    print(f"\noutcome: {result.outcome or 'unknown'}  ({result.turns} caller turns, call "
          f"{result.call_id})")  # fmt: skip
    if result.recorded is False:
        print("recording: not uploaded yet (kept for a retry: equity-connect recordings retry)")
    if args.json:
        print(json.dumps(result.as_json()))
    return 0
