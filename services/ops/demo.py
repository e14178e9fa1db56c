"""``equity-connect demo``: two simulated calls through the whole system, then what was written.

The calls go through the gateway's own session code in text mode (no LiveKit, no keys) against
the running services (``equity-connect up``): dialogue (offline policy unless an LLM key is
set), tools and persistence, over the real bus and database.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from contracts.access import Identity
from contracts.bus import connect_resilient
from services.agent_gateway.recording import recorder_for
from services.agent_gateway.settings import Settings
from services.agent_gateway.simulate import CallResult, Printer, run_call, script_lines
from services.ops.migrate import service_url
from services.ops.stack import resolve_urls

CALLS = Path(__file__).resolve().parent / "demo_calls"


def fresh_number(tools_dsn: str) -> str:
    """A Seattle 555 number no lead has yet, so the first call really is a new caller."""
    with psycopg.connect(tools_dsn) as conn:
        taken = {r[0] for r in conn.execute("SELECT phone FROM leads")}
    while True:
        number = f"+1206555{random.randint(1000, 9999)}"
        if number not in taken:
            return number


async def _lines(path: Path) -> AsyncIterator[str]:
    for line in script_lines(await asyncio.to_thread(path.read_text)):
        yield line


def _heading(text: str) -> None:
    print(f"\n\033[1m{text}\033[0m" if sys.stdout.isatty() else f"\n{text}")
    print("─" * len(text))


async def run() -> int:
    urls = resolve_urls()
    tools_dsn = service_url(urls.database, "tools")
    persistence_dsn = service_url(urls.database, "persistence")
    number = fresh_number(tools_dsn)
    nc = await connect_resilient(urls.nats, "demo", identity=Identity.GATEWAY)  # the caller side
    settings = Settings.from_env()
    recorder = recorder_for(settings.recordings, settings.recording_spool, nc)
    results: list[CallResult] = []
    try:
        for title, script in (("First call: a new caller", "first-call.txt"),
                              ("Second call: the same number, a returning caller",
                               "second-call.txt")):  # fmt: skip
            _heading(f"{title} (from …{number[-4:]})")
            result = await run_call(nc, number, _lines(CALLS / script), printer=Printer(),
                                    recorder=recorder)  # fmt: skip
            print(f"→ outcome: {result.outcome}")
            results.append(result)
    finally:
        await nc.drain()
    report(tools_dsn, persistence_dsn, number, results, recordings_on=recorder is not None)
    return 0 if results and results[0].outcome == "booked" else 1


def report(
    tools_dsn: str,
    persistence_dsn: str,
    number: str,
    results: list[CallResult],
    recordings_on: bool = False,
) -> None:
    _heading("What was written")
    with psycopg.connect(tools_dsn) as conn:
        row = conn.execute(
            """SELECT l.first_name, l.status, a.starts_at, a.broker_timezone, a.caller_timezone,
                      b.name, b.company, be.amount_cents, be.status
               FROM leads l
               LEFT JOIN appointments a ON a.lead_id = l.id AND a.status = 'scheduled'
               LEFT JOIN brokers b ON b.id = a.broker_id
               LEFT JOIN billing_events be ON be.appointment_id = a.id
               WHERE l.phone = %s ORDER BY a.starts_at DESC NULLS LAST LIMIT 1""",
            (number,),
        ).fetchone()
    if row is None:
        print("no lead was created for the demo number")
        return
    name, status, start, broker_tz, caller_tz, broker, company, cents, bill = row
    print(f"lead            {name or '(no name)'}, status {status}")
    if start is not None:
        at_broker = start.astimezone(ZoneInfo(broker_tz))
        at_caller = start.astimezone(ZoneInfo(caller_tz))
        print(f"appointment     with {broker} ({company})")
        print(f"                {at_broker:%A %B %d, %I:%M %p} {broker_tz} (broker)")
        print(f"                {at_caller:%A %B %d, %I:%M %p} {caller_tz} (caller)")
        print(f"billing event   appointment_set ${cents / 100:.2f}, {bill}")
    else:
        print("appointment     none")
    with psycopg.connect(persistence_dsn) as conn:
        uploaded = sum(1 for r in results if r.recorded)
        for _ in range(50):  # the writer records the last call's end and recording just after
            done = conn.execute(
                """SELECT count(*) FILTER (WHERE ended_at IS NOT NULL),
                          count(*) FILTER (WHERE recording_path IS NOT NULL)
                   FROM calls WHERE from_number = %s""",
                (number,),
            ).fetchone()
            if done is None or (done[0] >= len(results) and done[1] >= uploaded):
                break
            time.sleep(0.1)
        memory = conn.execute(
            """SELECT call_count, qualified, last_outcome, last_summary, durable
               FROM conversation_state WHERE caller_phone = %s""",
            (number,),
        ).fetchone()
        calls = conn.execute(
            "SELECT count(*) FROM calls WHERE from_number = %s", (number,)
        ).fetchone()
        recorded = conn.execute(
            """SELECT count(*), coalesce(sum(recording_duration_ms), 0) FROM calls
               WHERE from_number = %s AND recording_path IS NOT NULL""",
            (number,),
        ).fetchone()
    if memory is not None:
        count, qualified, outcome, summary, durable = memory
        topics = ", ".join(durable.get("topics_discussed", [])) or "-"
        print(f"memory          {count} calls, qualified={qualified}, last outcome {outcome}")
        print(f"                topics: {topics}")
        if summary:
            print(f"                last summary: {summary}")
    print(f"call records    {calls[0] if calls else 0} calls with transcripts and tool audit; "
          f"see `equity-connect calls show {results[-1].call_id}`")  # fmt: skip
    if not recordings_on:
        print("recordings      off (no SUPABASE_URL)")
    elif recorded is not None:
        print(f"recordings      {recorded[0]} in Storage (generated audio of the text calls, "
              f"{recorded[1] / 1000:.1f} s); a signed URL: "
              f"`equity-connect calls recording {results[-1].call_id}`")  # fmt: skip
    print("\nTry a call yourself:   .venv/bin/equity-connect call --from +12065550199")
    print("Watch the bus live:    .venv/bin/equity-connect tap")


def main() -> int:
    return asyncio.run(run())
