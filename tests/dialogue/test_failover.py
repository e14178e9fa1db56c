"""Kill a dialogue copy (SIGKILL) in the middle of a turn while another runs: the other copy
answers the turn within 2 s, no chunk is spoken twice, no tool side effect happens twice.

Two copies run as separate processes (``python -m services.ops.cli serve dialogue``) on the real
nats-server, with the real tools service and the fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from contracts import codec
from contracts.calls import CallDirection, CallStarted
from contracts.ops import InstancePong, PingInstances
from contracts.subjects import ops_ping
from services.dialogue.fakes.openai_server import FakeOpenAI, Reply
from services.dialogue.handlers import Delivery

from .conftest import BusCall, Talk, eventually

ROOT = Path(__file__).resolve().parents[2]


async def pongs(nc: Any, wait: float = 0.3) -> list[InstancePong]:
    inbox = nc.new_inbox()
    found: list[InstancePong] = []

    async def collect(msg: Any) -> None:
        found.append(codec.decode(msg.data, InstancePong))

    sub = await nc.subscribe(inbox, cb=collect)
    await nc.publish(ops_ping("dialogue"), codec.encode(PingInstances()), reply=inbox)
    await asyncio.sleep(wait)
    await sub.unsubscribe()
    return found


@pytest.fixture
async def copies(
    nats_url: str, seeded: str, fake_openai: FakeOpenAI, nc: Any
) -> AsyncIterator[Callable[[int], Any]]:
    procs: list[subprocess.Popen[bytes]] = []

    async def spawn(n: int) -> list[subprocess.Popen[bytes]]:
        env = {**os.environ, "NATS_URL": nats_url, "DATABASE_URL": seeded,
               "OPENAI_API_KEY": "sk-test", "EC_LLM_BASE_URL": fake_openai.base_url,
               "EC_DIALOGUE_ACK_WAIT_S": "1.0", "PYTHONUNBUFFERED": "1"}  # fmt: skip
        for _ in range(n):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "services.ops.cli", "serve", "dialogue"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            ))  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if len(await pongs(nc)) >= n:
                return procs
        raise AssertionError("dialogue copies did not start")

    try:
        yield spawn
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.fault
async def test_a_copy_killed_mid_turn_is_replaced_without_repeats(
    real_tools: Any,
    copies: Any,
    bus_call: Any,
    fake_openai: FakeOpenAI,
    nc: Any,
    tools_sql: Any,
) -> None:
    def slot(r: dict[str, Any]) -> str:
        return re.findall(r"slot_id ([^)]+)\)", r["messages"][0]["content"])[0]

    def book(r: dict[str, Any]) -> Reply:
        return Reply(tool_calls=[("book_appointment", {"slot_id": slot(r)})])

    confirmation = ("You're all set for your consultation. It's free and takes about forty "
                    "minutes. Family are welcome to join. Is there anything else?")  # fmt: skip
    fake_openai.script(
        Reply(
            tool_calls=[
                (
                    "verify_caller",
                    {"first_name": "Iris", "last_name": "Stone", "city": "Seattle", "state": "WA"},
                )
            ]
        ),
        Reply(text="Thank you, Iris. How old are you?"),
        Reply(
            tool_calls=[
                (
                    "record_qualification",
                    {
                        "age": 70,
                        "is_homeowner": True,
                        "primary_residence": True,
                        "property_value": 600000,
                        "mortgage_balance": 0,
                    },
                )
            ]
        ),
        Reply(text="You qualify. Shall I book a consultation?"),
        Reply(tool_calls=[("mark_ready_to_book", {})]),
        Reply(tool_calls=[("get_availability", {"part_of_day": "morning"})]),
        Reply(text="I have two morning times. Which works better?"),
        book,  # the turn the first copy will die in
        Reply(text=confirmation, delay=0.5),
        book,  # the same turn, redelivered to the other copy
        Reply(text=confirmation),
    )
    await copies(2)
    call: BusCall = await bus_call()
    await call.start(caller="+12065550444", within=15)
    await call.say("I'm Iris Stone from Seattle, Washington.")
    await call.say("I'm 70, I own it, live there, worth 600 thousand, paid off.")
    await call.say("Yes, any morning.")
    reply_id = await call.send("The first one, please.")
    await eventually(lambda: any(c.text for c in call.of(reply_id)), 10)
    busy = [p for p in await pongs(nc, 0.2) if p.in_flight > 0]
    assert len(busy) == 1, busy
    os.kill(busy[0].pid, signal.SIGKILL)
    killed_at = time.monotonic()
    await eventually(lambda: any(c.final for c in call.of(reply_id)), 5)
    assert time.monotonic() - killed_at < 2.0
    seqs = [c.seq for c in call.of(reply_id)]
    assert len(seqs) == len(set(seqs)), "a chunk was published twice"
    spoken = [c.text for c in call.of(reply_id) if c.text]
    assert len(spoken) == len(set(spoken)), "a sentence was spoken twice"
    assert " ".join(spoken).startswith("You're all set")
    rows = tools_sql("SELECT count(*) FROM appointments a JOIN leads l ON l.id = a.lead_id"
                     " WHERE l.phone = '+12065550444'")  # fmt: skip
    assert rows == [(1,)], "the booking happened twice"
    assert len(await pongs(nc)) == 1


async def test_a_start_redelivered_after_the_call_ended_is_ignored(talk: Talk) -> None:
    """A copy that died holding a call's ``started`` hands it on; by then the caller has hung
    up: no greeting is spoken and no tool runs for a call nobody is on."""
    call = talk.call()
    talk.publisher.ended.add(call.call_id)
    event = CallStarted(call_id=call.call_id, direction=CallDirection.INBOUND,
                        from_number="+12065550101", to_number="+18005550100")  # fmt: skip
    await call.dialogue.on_started(event, Delivery(attempt=2))
    assert call.chunks() == [] and talk.tools.requests == []
    assert await talk.states.load(call.call_id) is None


async def test_a_first_delivery_never_waits_on_the_ended_check(talk: Talk) -> None:
    call = talk.call()
    talk.publisher.ended.add(call.call_id)  # (it would not be there yet; only redeliveries ask)
    event = CallStarted(call_id=call.call_id, direction=CallDirection.INBOUND,
                        from_number="+12065550101", to_number="+18005550100")  # fmt: skip
    await call.dialogue.on_started(event, Delivery(attempt=1))
    assert call.chunks()  # greeted


class _DiesBeforeTheEnd:
    """A publisher whose copy is killed (SIGKILL) the moment it would send a final chunk."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def chunk(self, chunk: Any) -> None:
        if chunk.final:
            raise SystemExit("killed before the final chunk")
        await self.inner.chunk(chunk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.fault
async def test_a_turn_saved_by_a_copy_that_died_before_ending_its_reply_is_ended_once(
    talk: Talk,
) -> None:
    """The window between saving a turn and sending its final chunk: the redelivered turn is
    not run again (it is done), but the gateway still waits — the reply is ended, with nothing
    spoken twice."""
    call = talk.call()
    await call.start()
    await call.say("Hi, my name is Iris Stone.")
    dying = talk.call(talk.deps())
    dying.call_id = call.call_id
    dying.dialogue.deps.publisher = _DiesBeforeTheEnd(talk.publisher)  # type: ignore[assignment]
    with pytest.raises(SystemExit):
        await dying.say("I live in Seattle, Washington.", turn_id="t2")
    spoken_before = [c.text for c in call.chunks("rpl_t2") if c.text]
    assert spoken_before and not any(c.final for c in call.chunks("rpl_t2"))
    assert "t2" in (await call.state()).done_turns  # saved before it died
    await call.say("I live in Seattle, Washington.", turn_id="t2", attempt=2)
    chunks = call.chunks("rpl_t2")
    assert [c.final for c in chunks].count(True) == 1
    assert [c.text for c in chunks if c.text] == spoken_before, "a sentence was spoken twice"
    assert [c.seq for c in chunks] == list(range(len(chunks)))


@pytest.mark.fault
async def test_a_greeting_saved_by_a_copy_that_died_before_ending_it_is_ended_once(
    talk: Talk,
) -> None:
    call = talk.call()
    dying = talk.call(talk.deps())
    dying.call_id = call.call_id
    dying.dialogue.deps.publisher = _DiesBeforeTheEnd(talk.publisher)  # type: ignore[assignment]
    with pytest.raises(SystemExit):
        await dying.start()
    greeting = f"rpl_greet_{call.call_id}"
    spoken_before = [c.text for c in call.chunks(greeting) if c.text]
    assert spoken_before and not any(c.final for c in call.chunks(greeting))
    event = CallStarted(call_id=call.call_id, direction=CallDirection.INBOUND,
                        from_number="+12065550101", to_number="+18005550100")  # fmt: skip
    await call.dialogue.on_started(event, Delivery(attempt=2))
    chunks = call.chunks(greeting)
    assert [c.final for c in chunks].count(True) == 1
    assert [c.text for c in chunks if c.text] == spoken_before


@pytest.mark.fault
async def test_a_reply_left_open_is_not_finished_once_the_call_has_ended(talk: Talk) -> None:
    call = talk.call()
    dying = talk.call(talk.deps())
    dying.call_id = call.call_id
    dying.dialogue.deps.publisher = _DiesBeforeTheEnd(talk.publisher)  # type: ignore[assignment]
    with pytest.raises(SystemExit):
        await dying.start()
    await call.hang_up()
    greeting = f"rpl_greet_{call.call_id}"
    before = len(call.chunks(greeting))
    event = CallStarted(call_id=call.call_id, direction=CallDirection.INBOUND,
                        from_number="+12065550101", to_number="+18005550100")  # fmt: skip
    await call.dialogue.on_started(event, Delivery(attempt=2))
    assert len(call.chunks(greeting)) == before
