"""The dialogue on the real bus: shared durable intake, streamed chunks, KV state, dead letters."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest

from contracts import codec
from contracts.bus import publish_event
from contracts.calls import CallStateChanged
from contracts.conversation import CallerTurn, ReplyChunk
from contracts.deadletter import DeadLetter, DeadLetterKind
from contracts.subjects import CALLS_STREAM, DLQ_STREAM, Header, call_subject, dlq_subject
from services.dialogue.adapters.kv import BUCKET, KvStates
from services.dialogue.intake import DURABLE, SUBJECTS
from tests.dialogue.fakes.tools import FakeTools, serve_fake_tools

from .conftest import NOW, BusCall, eventually


@pytest.fixture
async def fake_tools(nc: Any) -> AsyncIterator[FakeTools]:
    tools = FakeTools(now=NOW)
    subs = await serve_fake_tools(nc, tools)
    try:
        yield tools
    finally:
        for sub in subs:
            await sub.unsubscribe()


async def stream_chunks(nc: Any, call_id: str) -> list[tuple[str, ReplyChunk]]:
    js = nc.jetstream()
    sub = await js.subscribe(call_subject(call_id, "reply"), ordered_consumer=True)
    out: list[tuple[str, ReplyChunk]] = []
    while True:
        try:
            msg = await sub.next_msg(timeout=0.3)
        except Exception:
            break
        out.append((msg.headers[Header.MSG_ID], codec.decode(msg.data, ReplyChunk)))
    await sub.unsubscribe()
    return out


async def test_the_greeting_streams_as_chunks_the_stream_keeps_once(
    start_dialogue: Any, bus_call: Any, fake_tools: FakeTools, nc: Any
) -> None:
    await start_dialogue()
    call: BusCall = await bus_call()
    greeting = await call.start()
    assert "AI assistant" in greeting
    reply = await call.say("My name is Eleanor Price.")
    assert "how old" in reply  # where the home is matters only for booking
    stored = await stream_chunks(nc, call.call_id)
    assert [msg_id for msg_id, _ in stored] == [c.event_id for _, c in stored]
    assert len({(c.reply_id, c.seq) for _, c in stored}) == len(stored)
    finals = [c for _, c in stored if c.final]
    assert len(finals) == 2 and all(not c.text for c in finals)


async def test_state_lives_in_kv_and_changes_are_published(
    start_dialogue: Any, bus_call: Any, fake_tools: FakeTools, nc: Any
) -> None:
    await start_dialogue()
    call: BusCall = await bus_call()
    seen: list[CallStateChanged] = []

    async def collect(msg: Any) -> None:
        seen.append(codec.decode(msg.data, CallStateChanged))

    sub = await nc.subscribe(call_subject(call.call_id, "state"), cb=collect)
    await call.start()
    await call.say("I'm Eleanor Price")
    await call.say("Seattle, Washington")
    states = KvStates(await nc.jetstream().key_value(BUCKET))
    loaded = await states.load(call.call_id)
    assert loaded is not None
    state, revision = loaded
    assert revision >= 3 and state.flags.verified and len(state.done_turns) == 2
    await eventually(lambda: len(seen) >= 3)
    assert [e.node.value for e in seen][:2] == ["greet", "qualify"]
    await sub.unsubscribe()


async def test_the_shared_consumer_is_filtered_and_fails_over_quickly(
    start_dialogue: Any, nc: Any, fake_tools: FakeTools
) -> None:
    await start_dialogue()
    info = await nc.jetstream().consumer_info(CALLS_STREAM, DURABLE)
    assert sorted(info.config.filter_subjects) == sorted(SUBJECTS)
    assert info.config.ack_wait <= 2 and 1 < info.config.max_deliver <= 10
    assert info.config.max_ack_pending >= 1000


async def test_malformed_turns_are_dead_lettered_and_the_service_keeps_going(
    start_dialogue: Any, bus_call: Any, nc: Any, fake_tools: FakeTools
) -> None:
    await start_dialogue()
    call: BusCall = await bus_call()
    await call.start()
    js = nc.jetstream()
    subject = call_subject(call.call_id, "turn")
    await js.publish(subject, b"{not json", headers={Header.MSG_ID: "bad-1-xyz"})
    await js.publish(subject, b'{"call_id": "%s", "text": "hi"}' % call.call_id.encode(),
                     headers={Header.MSG_ID: "bad-2-xyz"})  # fmt: skip
    await js.publish(subject, codec.encode(CallerTurn(call_id="call_someoneelse", turn_id="x1",
                     seq=1, text="hi")), headers={Header.MSG_ID: "bad-3-xyz"})  # fmt: skip
    deep = b'{"a":' + b"[" * 2000 + b"]" * 2000 + b"}"  # 4 KB, 2,000 levels
    await js.publish(subject, deep, headers={Header.MSG_ID: "bad-4-xyz"})
    big = os.urandom(900_000)  # 900 KB of binary: a copy in base64 would not fit in NATS
    await js.publish(subject, big, headers={Header.MSG_ID: "bad-5-xyz"})
    dlq = await js.subscribe(dlq_subject(subject), ordered_consumer=True)
    letters = [codec.decode((await dlq.next_msg(timeout=5)).data, DeadLetter) for _ in range(5)]
    assert [x.kind for x in letters] == [DeadLetterKind.DECODE, DeadLetterKind.VALIDATION,
                                         DeadLetterKind.VALIDATION, DeadLetterKind.DECODE,
                                         DeadLetterKind.OVERSIZED]  # fmt: skip
    assert letters[0].payload == "{not json" and "turn_id" in letters[1].reason
    assert "nested too deeply" in letters[3].reason
    assert letters[4].payload_encoding == "reference" and letters[4].payload == ""
    assert letters[4].payload_bytes == len(big)
    assert letters[4].payload_sha256 == hashlib.sha256(big).hexdigest()
    assert all(x.consumer == DURABLE and x.original_subject == subject for x in letters)
    assert (await js.stream_info(DLQ_STREAM)).state.messages == 5
    assert "how old" in await call.say("My name is Eleanor Price.")


async def test_a_turn_published_twice_is_answered_once(
    start_dialogue: Any, bus_call: Any, nc: Any, fake_tools: FakeTools
) -> None:
    await start_dialogue()
    call: BusCall = await bus_call()
    await call.start()
    turn = CallerTurn(call_id=call.call_id, turn_id="same-turn", seq=1, text="I'm Eleanor Price")
    again = CallerTurn(call_id=call.call_id, turn_id="same-turn", seq=1, text="I'm Eleanor Price")
    js = nc.jetstream()
    await publish_event(js, call_subject(call.call_id, "turn"), turn)
    await call.reply("rpl_same-turn")
    await publish_event(js, call_subject(call.call_id, "turn"), again)
    await asyncio.sleep(0.3)
    assert len(call.of("rpl_same-turn")) == len({c.seq for c in call.of("rpl_same-turn")})
    assert len(fake_tools.calls_to("verify_caller")) == 1


async def test_two_copies_share_the_work_and_every_turn_is_answered_once(
    start_dialogue: Any, bus_call: Any, fake_tools: FakeTools
) -> None:
    first = await start_dialogue()
    second = await start_dialogue()
    calls: list[BusCall] = [await bus_call() for _ in range(8)]

    async def talk(call: BusCall) -> None:
        await call.start()
        for line in ("I'm Ann Lee", "Denver, Colorado", "seventy", "yes", "yes"):
            await call.say(line)

    await asyncio.gather(*(talk(c) for c in calls))
    for call in calls:
        keys = [(c.reply_id, c.seq) for c in call.chunks]
        assert len(keys) == len(set(keys))
    assert first.handled > 0 and second.handled > 0


async def test_a_turn_that_keeps_failing_ends_with_an_apology_not_silence(
    nc: Any, nats_url: str, fake_tools: FakeTools, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contracts.bus import connect
    from contracts.runtime import Stats
    from services.dialogue import bootstrap, handlers
    from services.dialogue.intake import IntakeConfig
    from tests.dialogue.fakes.memory import FakeClock

    async def bug(turn: Any) -> None:
        raise RuntimeError("a bug in the policy")

    monkeypatch.setattr(handlers, "offline_turn", bug)
    conn = await connect(nats_url, "dialogue-with-a-bug")
    settings = bootstrap.Settings(
        nats_url=nats_url, intake=IntakeConfig(ack_wait=1.0, max_deliver=2)
    )
    overrides = bootstrap.Overrides(clock=FakeClock(NOW))
    stop = await bootstrap.start(conn, Stats(service="dialogue"), settings, overrides)
    call = await BusCall(nc, "call_broken01").open()
    try:
        await call.start()
        reply_id = await call.send("hello?", turn_id="boom")
        assert "say that once more" in await call.reply(f"{reply_id}-sorry", within=10)
        assert (await nc.jetstream().stream_info(DLQ_STREAM)).state.messages == 1
    finally:
        await call.close()
        await stop()
        await conn.drain()
