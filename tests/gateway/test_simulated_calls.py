"""Simulated calls end to end: the gateway's session code in text mode against the real
dialogue (offline policy), tools and persistence services on the real bus and database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from contracts.bus import connect
from contracts.calls import EndReason
from services.agent_gateway.simulate import CallResult, run_call, script_lines
from services.ops.migrate import service_url

pytestmark = pytest.mark.slow


async def lines(*said: str) -> AsyncIterator[str]:
    for line in said:
        yield line


async def call(nats_url: str, caller: str, *said: str) -> CallResult:
    nc = await connect(nats_url, "simulated-call")
    try:
        return await run_call(nc, caller, lines(*said), outcome_wait_s=5)
    finally:
        await nc.drain()


async def written(db: str, query: str, *params: Any, expect: Any = None) -> list[tuple[Any, ...]]:
    """The persistence row once the writer has committed it (it is asynchronous)."""
    run = sql(db, "persistence")
    for _ in range(100):
        rows = run(query, *params)
        if expect is not None and rows == expect:
            return rows
        if expect is None and rows and all(v is not None for v in rows[0]):
            return rows
        await asyncio.sleep(0.05)
    return run(query, *params)


def sql(db: str, service: str) -> Callable[..., list[tuple[Any, ...]]]:
    def run(query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(service_url(db, service)) as conn:
            return conn.execute(query, params).fetchall()

    return run


UNKNOWN_WHO_BOOKS = (
    "Hi, I'm calling about the reverse mortgage letter.",
    "My name is Walter Greene.",
    "Spokane, Washington, 99201.",
    "I'm sixty-eight years old.",
    "Yes, I own it.",
    "Yes, it's my primary residence.",
    "It's worth about four hundred thousand and I owe fifty thousand.",
    "Sure, let's set that up.",
    "Any weekday afternoon.",
    "The first one works.",
    "That's all, thank you. Goodbye.",
)


async def test_an_unknown_caller_books(nats_url: str, system: str) -> None:
    result = await call(nats_url, "+15095550461", *UNKNOWN_WHO_BOOKS)
    assert result.outcome == "booked", result.transcript
    assert result.appointment is not None and result.appointment["start"]
    tools = sql(system, "tools")
    rows = tools(
        "SELECT a.status, be.amount_cents FROM appointments a JOIN leads l"
        " ON l.id = a.lead_id JOIN billing_events be ON be.appointment_id = a.id"
        " WHERE l.phone = '+15095550461'"
    )
    assert rows == [("scheduled", 5000)]
    assert result.transcript[0]["role"] == "agent" and "AI" in result.transcript[0]["text"]


async def test_an_under_62_caller_is_told_kindly_and_not_booked(nats_url: str, system: str) -> None:
    result = await call(
        nats_url,
        "+15095550462",
        "Hello, I saw your ad.",
        "Tom Baker.",
        "Boise, Idaho 83702.",
        "I'm fifty-eight.",
        "Okay, thanks anyway.",
    )
    assert result.outcome == "not_qualified", result.transcript
    rows = await written(
        system, "SELECT outcome, outcome_reason FROM calls WHERE call_id = %s", result.call_id
    )
    assert rows == [("not_qualified", "age_below_62")]


async def test_a_renter_is_not_qualified(nats_url: str, system: str) -> None:
    result = await call(
        nats_url,
        "+15095550463",
        "Hi there.",
        "Maria Lopez.",
        "Fresno, California, 93721.",
        "I'm seventy.",
        "No, we rent our apartment.",
        "Alright, bye.",
    )
    assert result.outcome == "not_qualified", result.transcript
    assert await written(
        system, "SELECT outcome_reason FROM calls WHERE call_id = %s", result.call_id
    ) == [("not_homeowner",)]


async def test_a_returning_qualified_caller_is_recognised(nats_url: str, system: str) -> None:
    # Margaret is seeded as a qualified caller who spoke with Barbara twice before
    result = await call(
        nats_url,
        "+12065550231",
        "Hi, this is Margaret Holloway.",
        "What happens to the house when I pass away?",
        "Thank you, bye.",
    )
    greeting_and_reply = " ".join(t["text"] for t in result.transcript[:3])
    assert "Margaret" in greeting_and_reply, result.transcript
    assert result.lead_id is not None
    assert "goodbye" in result.transcript[-1]["text"].lower(), "a goodbye ends the call politely"
    assert result.end_reason is EndReason.AGENT_ENDED
    memory = await written(
        system,
        "SELECT call_count FROM conversation_state WHERE caller_phone = '+12065550231'",
        expect=[(3,)],
    )
    assert memory == [(3,)]


async def test_a_caller_who_hangs_up_mid_qualification(nats_url: str, system: str) -> None:
    result = await call(
        nats_url,
        "+15095550464",
        "Hello.",
        "Ruth Adams.",
        "Tulsa, Oklahoma 74103.",
        "<hangup>",
        "never said",
    )
    assert result.outcome == "caller_hung_up"
    assert result.turns == 3
    ended = await written(system, "SELECT end_reason FROM calls WHERE call_id = %s", result.call_id)
    assert ended == [("caller_hung_up",)]


async def test_a_caller_who_says_nothing_is_not_left_hanging(nats_url: str, system: str) -> None:
    result = await call(
        nats_url, "+15095550465", "<silence>", "<silence>", "<silence>", "<silence>"
    )
    agent_lines = [t["text"] for t in result.transcript if t["role"] == "agent"]
    assert len(agent_lines) >= 3, "every silence gets a prompt, not silence back"
    assert result.outcome == "no_response", result.transcript  # nothing was ever said


async def test_the_call_command_ends_with_one_json_line(
    nats_url: str, system: str, tmp_path: Path
) -> None:
    script = tmp_path / "books.txt"
    script.write_text("# an unknown caller who books\n\n" + "\n".join(UNKNOWN_WHO_BOOKS) + "\n")
    assert script_lines(script.read_text()) == list(UNKNOWN_WHO_BOOKS)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {"NATS_URL": nats_url, "DATABASE_URL": system}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.ops.cli",
        "call",
        "--from",
        "(509) 555-0466",
        "--script",
        str(script),
        "--json",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    text = out.decode()
    assert "Barbara:" in text and "Caller:  My name is Walter Greene." in text
    result = json.loads(text.strip().splitlines()[-1])
    assert set(result) == {
        "call_id",
        "outcome",
        "lead_id",
        "appointment",
        "callback",
        "turns",
        "transcript",
    }
    assert result["outcome"] == "booked"
    assert set(result["appointment"]) >= {"broker", "start", "timezone"}
    assert result["turns"] == len(UNKNOWN_WHO_BOOKS)


async def test_asking_for_a_person_transfers_to_the_brokers_line(
    nats_url: str, system: str
) -> None:
    result = await call(
        nats_url,
        "+12065550231",
        "Hi, this is Margaret Holloway.",
        "I would like to talk to a real person please.",
    )
    assert result.outcome == "transferred", result.transcript
    broker_phone = sql(system, "tools")(
        "SELECT b.phone FROM brokers b JOIN leads l ON l.assigned_broker_id = b.id"
        " WHERE l.phone = '+12065550231'"
    )[0][0]
    ended = await written(system, "SELECT end_reason FROM calls WHERE call_id = %s", result.call_id)
    assert ended == [("transferred",)]
    assert broker_phone.startswith("+1")
