"""The service on the bus: typed errors for bad input, deadlines, a slow tool that blocks no
one else, load shedding, audit events (de-duplicated), queue groups, the real process."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

import pytest

from contracts import codec
from contracts.base import new_call_id
from contracts.subjects import CALLS_STREAM
from contracts.tools import (
    AvailabilityResult,
    GetAvailability,
    KnowledgeResult,
    LookupLead,
    SearchKnowledge,
    ToolError,
    ToolErrorCode,
    ToolInvoked,
    ToolSession,
)
from services.ops.migrate import service_url
from services.tools import main as tools_main
from services.tools.kb.embedder import HashEmbedder, Vectors
from tests.tools.helpers import (
    MARGARET,
    WALTER,
    Call,
    ok,
    raw,
    refused,
    request,
    start_call,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class SlowEmbedder:
    """The hash embedder, after a pause: a knowledge base that has become slow."""

    model_id = HashEmbedder.model_id

    def __init__(self, delay: float) -> None:
        self.delay = delay

    async def embed(self, texts: Sequence[str]) -> Vectors:
        await asyncio.sleep(self.delay)
        return await HashEmbedder().embed(texts)

    async def aclose(self) -> None:
        return None


def search(text: str = "what is a HECM") -> SearchKnowledge:
    return SearchKnowledge(session=ToolSession(call_id=new_call_id()), query=text)


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (b"not json at all", None),
        (b"[1, 2, 3]", None),
        (b'{"a":' + b"[" * 2000 + b"]" * 2000 + b"}", None),  # too deep even to read loosely
        (b"{}", "session"),
        (b'{"session": {}}', "session.call_id"),
        (b'{"session": {"call_id": "+12065550231"}}', "session.call_id"),
        (b'{"session": {"call_id": "call_abc123"}, "limit": 50}', "limit"),
        (b'{"session": {"call_id": "call_abc123"}, "part_of_day": "evening"}', "part_of_day"),
        (b'{"session": {"call_id": "call_abc123"}, "days": ["someday"]}', "days[0]"),
    ],
)
async def test_malformed_requests_get_a_typed_error_naming_the_field(
    nc: Any, tools: Any, payload: bytes, field: str | None
) -> None:
    reply = await raw(nc, "get_availability", payload)
    assert isinstance(reply.result, ToolError)
    assert reply.result.code is ToolErrorCode.INVALID_ARGUMENTS
    assert reply.result.field == field
    assert reply.result.message and "$" not in reply.result.message  # caller-safe words


async def test_the_service_stays_up_after_garbage(nc: Any, call: Any) -> None:
    for payload in (b"\xff\xfe", b"null", b'{"session": 5}', b"{" * 1000):
        await raw(nc, "lookup_lead", payload)
    assert (await call(MARGARET).lookup()).found


async def test_the_reply_carries_the_request_id(nc: Any, tools: Any) -> None:
    reply = await raw(nc, "get_availability", b'{"event_id": "evt_12345678", "limit": 99}')
    assert reply.request_id == "evt_12345678"


# ---- deadlines and concurrency -------------------------------------------------------------


async def test_a_tool_past_its_deadline_answers_a_timeout(
    nc: Any, settings: Any, make_tools: Any
) -> None:
    await make_tools(dataclasses.replace(settings, deadline_s=0.3), embedder=SlowEmbedder(3.0))
    started = time.monotonic()
    error = refused(await request(nc, search()))
    assert error.code is ToolErrorCode.TIMEOUT and error.retryable
    assert time.monotonic() - started < 1.0


async def test_a_slow_tool_does_not_hold_up_other_calls(
    nc: Any, settings: Any, make_tools: Any
) -> None:
    await make_tools(dataclasses.replace(settings, deadline_s=2.0), embedder=SlowEmbedder(1.5))
    slow = [asyncio.create_task(request(nc, search())) for _ in range(40)]
    await asyncio.sleep(0.05)
    c = Call(nc=nc, caller_number=MARGARET)
    started = time.monotonic()
    await c.lookup()
    ok(await c.ask(GetAvailability), AvailabilityResult)
    assert time.monotonic() - started < 0.5
    assert not any(t.done() for t in slow)
    results = await asyncio.gather(*slow)
    # 32 run at once (max_in_flight); the 8 that waited behind them miss the 2 s deadline
    assert sum(isinstance(r, KnowledgeResult) for r in results) == settings.max_in_flight
    late = [r for r in results if isinstance(r, ToolError)]
    assert len(late) == 8 and all(r.code is ToolErrorCode.TIMEOUT for r in late)


async def test_past_its_queue_a_tool_says_busy_at_once(
    nc: Any, settings: Any, make_tools: Any
) -> None:
    tight = dataclasses.replace(settings, max_in_flight=1, max_queued=1, deadline_s=5.0)
    await make_tools(tight, embedder=SlowEmbedder(0.5))
    results = await asyncio.gather(*(request(nc, search()) for _ in range(3)))
    busy = [r for r in results if isinstance(r, ToolError)]
    assert len(busy) == 1 and busy[0].code is ToolErrorCode.UNAVAILABLE and busy[0].retryable
    assert sum(isinstance(r, KnowledgeResult) for r in results) == 2


# ---- audit ---------------------------------------------------------------------------------


async def stream_messages(nc: Any, expected: int, within: float = 3.0) -> int:
    js = nc.jetstream()
    deadline = time.monotonic() + within
    count = 0
    while time.monotonic() < deadline:
        count = (await js.stream_info(CALLS_STREAM)).state.messages
        if count >= expected:
            await asyncio.sleep(0.2)  # and no more arrive
            return (await js.stream_info(CALLS_STREAM)).state.messages
        await asyncio.sleep(0.05)
    return count


async def test_every_call_is_audited_once_even_when_retried(nc: Any, call: Any) -> None:
    c = call(MARGARET)
    await c.start()
    req = LookupLead(session=c.session)
    first = await request(nc, req)
    await request(nc, req)  # the dialogue retried the very same request
    c.lead_id = getattr(first, "lead_id", None)
    await c.verify(first_name="Margaret", last_name="Holloway")
    assert await stream_messages(nc, 3) == 3  # the gateway's started + one audit per request
    msg = await nc.jetstream().get_last_msg(CALLS_STREAM, f"calls.{c.call_id}.tool")
    audit = codec.decode(msg.data, ToolInvoked)
    assert audit.tool == "verify_caller" and audit.args == {
        "first_name": "Margaret",
        "last_name": "Holloway",
    }
    assert audit.result and audit.result["verified"] is True and audit.latency_ms > 0


async def test_a_refused_request_is_audited_with_its_error(nc: Any, tools: Any) -> None:
    call_id = new_call_id()
    await raw(
        nc, "get_availability", b'{"session": {"call_id": "%s"}, "limit": 0}' % call_id.encode()
    )
    assert await stream_messages(nc, 1) == 1
    msg = await nc.jetstream().get_last_msg(CALLS_STREAM, f"calls.{call_id}.tool")
    audit = codec.decode(msg.data, ToolInvoked)
    assert audit.error is not None and audit.error.field == "limit"


# ---- copies and the process ----------------------------------------------------------------


async def test_copies_share_the_work_through_queue_groups(
    call: Any, settings: Any, make_tools: Any, tools: Any
) -> None:
    second = await make_tools(settings)
    for _ in range(30):
        await call(WALTER).lookup()
    assert tools.server.stats.handled > 0 and second.server.stats.handled > 0
    assert tools.server.stats.handled + second.server.stats.handled == 30


def test_main_refuses_arguments_and_a_missing_database(monkeypatch: Any) -> None:
    assert tools_main.main(["--nope"]) == 2
    monkeypatch.delenv("EC_TOOLS_DATABASE_URL", raising=False)
    assert tools_main.main([]) == 1


@pytest.mark.slow
async def test_equity_connect_serve_tools_runs_answers_and_stops(
    nc: Any, nats_url: str, seeded: str
) -> None:
    env = {
        **os.environ,
        "NATS_URL": nats_url,
        "DATABASE_URL": seeded,
        "EC_TOOLS_DATABASE_URL": service_url(seeded, "tools"),
        "EC_TOOLS_EMBEDDER": "hash",
    }
    proc = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "services.ops.cli", "-v", "serve", "tools"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        result: Any = None
        for _ in range(100):
            try:
                call_id = new_call_id()
                await start_call(nc, call_id, MARGARET)
                result = await request(
                    nc,
                    LookupLead(session=ToolSession(call_id=call_id, caller_number=MARGARET)),
                    wait=0.2,
                )
                break
            except Exception:
                await asyncio.sleep(0.1)
        assert result is not None and result.found
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode == 0, out.decode()
    assert b"tools inst_" in out and b"ready" in out  # it logs...
    assert b"555" not in out and b"Margaret" not in out  # ...but no caller's details
