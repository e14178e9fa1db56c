"""The durable writer against real NATS and Postgres: every event once, in order, bad input
dead-lettered with its reason."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import publish_event
from contracts.conversation import Speaker, TranscriptSegment
from contracts.deadletter import DeadLetter
from contracts.subjects import DLQ_STREAM
from tests.persistence.conftest import eventually
from tests.persistence.events import CALLER, call_events, publish_call, subject_of

TABLES = ["calls", "transcript_segments", "tool_invocations", "dialogue_state_changes",
          "interactions", "conversation_state"]  # fmt: skip


def counts(query: Any) -> dict[str, int]:
    return {t: query(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


async def test_every_event_of_a_call_is_written(nc: Any, persistence: Any, query: Any) -> None:
    js = nc.jetstream()
    events = call_events()
    call_id = events[0][1].call_id
    for name, event in events:
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: query("SELECT ended_at FROM calls")[0][0] is not None
                     if query("SELECT 1 FROM calls") else False)  # fmt: skip
    assert counts(query) == {"calls": 1, "transcript_segments": 2, "tool_invocations": 1,
                             "dialogue_state_changes": 1, "interactions": 1,
                             "conversation_state": 1}  # fmt: skip
    row = query("SELECT from_number, room, outcome, end_reason, duration_ms FROM calls")[0]
    assert row == (CALLER, "room-1", "callback_scheduled", "agent_ended", 65_000)
    memory = query(
        "SELECT status, call_count, durable, last_outcome, last_summary, last_call_id"
        " FROM conversation_state"
    )[0]
    assert memory[0] == "completed" and memory[1] == 1
    assert memory[2]["topics_discussed"] == ["heirs"] and memory[2]["timeline"] == "this spring"
    assert memory[3] == "callback_scheduled" and memory[5] == call_id
    assert "age" not in memory[2], "only remembered facts go to memory"


async def test_duplicate_delivery_of_every_event_type_writes_one_row(
    nc: Any, persistence: Any, query: Any
) -> None:
    events = call_events()
    for _ in range(2):  # no Nats-Msg-Id: the stream stores both copies, the writer must dedupe
        for name, event in events:
            await nc.publish(subject_of(event, name), codec.encode(event))
    await nc.flush()
    await eventually(lambda: query("SELECT count(*) FROM processed_events")[0][0] == len(events))
    await eventually(lambda: persistence.handled >= 2 * len(events))
    assert counts(query) == {"calls": 1, "transcript_segments": 2, "tool_invocations": 1,
                             "dialogue_state_changes": 1, "interactions": 1,
                             "conversation_state": 1}  # fmt: skip
    assert query("SELECT call_count FROM conversation_state")[0][0] == 1


async def test_transcript_order_follows_seq_not_arrival(
    nc: Any, persistence: Any, query: Any
) -> None:
    js = nc.jetstream()
    call_id = new_call_id()
    for seq in (2, 0, 1):  # arrives out of order, and before `started`
        segment = TranscriptSegment(
            call_id=call_id, seq=seq, speaker=Speaker.CALLER, text=f"t{seq}"
        )
        await publish_event(js, subject_of(segment, "transcript"), segment)
    name, started = call_events(call_id)[0]
    await publish_event(js, subject_of(started, name), started)
    await eventually(lambda: query("SELECT count(*) FROM processed_events")[0][0] == 4)
    rows = query("SELECT text FROM transcript_segments WHERE call_id = %s ORDER BY seq", call_id)
    assert [r[0] for r in rows] == ["t0", "t1", "t2"]
    assert query("SELECT room FROM calls WHERE call_id = %s", call_id) == [("room-1",)]


def _malformed(i: int, call_id: str) -> tuple[str, bytes]:
    kinds = [
        (f"calls.{call_id}.transcript", b"{not json"),
        (f"calls.{call_id}.transcript", b'{"seq": "first", "speaker": "caller", "text": "x"}'),
        (f"calls.{call_id}.started", b'{"call_id": "call_other1", "direction": "inbound"}'),
        (f"calls.{call_id}.ended", b'{"call_id": "%s", "reason": "boredom", "duration_ms": 1}'
         % call_id.encode()),
        ("calls.12065550101.started", b'{"call_id": "12065550101", "direction": "inbound"}'),
    ]  # fmt: skip
    return kinds[i % len(kinds)]


async def test_malformed_messages_go_to_the_dead_letter_stream_with_reasons(
    nc: Any, persistence: Any, query: Any
) -> None:
    js = nc.jetstream()
    valid_calls = [call_events(new_call_id(), caller=f"+1206555{1000 + i}") for i in range(20)]
    bad_call = new_call_id()
    sent = 0
    for i in range(1000):
        subject, payload = _malformed(i, bad_call)
        await nc.publish(subject, payload)
        if i % 7 == 0 and sent < len(valid_calls):
            for name, event in valid_calls[sent]:
                await publish_event(js, subject_of(event, name), event)
            sent += 1
    for events in valid_calls[sent:]:
        for name, event in events:
            await publish_event(js, subject_of(event, name), event)
    await nc.flush()

    async def dlq_count() -> int:
        return (await js.stream_info(DLQ_STREAM)).state.messages

    for _ in range(200):
        if await dlq_count() >= 1000:
            break
        await asyncio.sleep(0.05)
    assert await dlq_count() == 1000
    await eventually(lambda: query("SELECT count(*) FROM calls WHERE ended_at IS NOT NULL")[0][0]
                     == 20)  # fmt: skip
    assert query("SELECT count(*) FROM transcript_segments")[0][0] == 40
    letter = codec.decode((await js.get_msg(DLQ_STREAM, 1)).data, DeadLetter)
    assert letter.reason and letter.original_subject.startswith("calls.")
    reasons = set()
    for seq in range(1, 6):
        reasons.add(codec.decode((await js.get_msg(DLQ_STREAM, seq)).data, DeadLetter).reason)
    assert any("not valid JSON" in r for r in reasons)
    assert any("$.seq" in r for r in reasons)
    assert any("does not match the subject" in r for r in reasons)
    assert any("$.reason" in r for r in reasons)


async def test_a_row_the_database_refuses_is_dead_lettered_and_the_rest_written(
    nc: Any, persistence: Any, query: Any
) -> None:
    js = nc.jetstream()
    call_id = new_call_id()
    first = TranscriptSegment(call_id=call_id, seq=0, speaker=Speaker.CALLER, text="hello")
    clash = msgspec.structs.replace(first, event_id="evt_clash_000000", text="same seq")
    after = TranscriptSegment(call_id=call_id, seq=1, speaker=Speaker.AGENT, text="hi there")
    for event in (first, clash, after):
        await publish_event(js, subject_of(event, "transcript"), event)
    await eventually(lambda: query("SELECT count(*) FROM transcript_segments")[0][0] == 2)
    info = await js.stream_info(DLQ_STREAM)
    for _ in range(100):
        if info.state.messages:
            break
        await asyncio.sleep(0.05)
        info = await js.stream_info(DLQ_STREAM)
    letter = codec.decode((await js.get_msg(DLQ_STREAM, 1)).data, DeadLetter)
    assert letter.kind == "unhandled" and "duplicate key" in letter.reason
    assert codec.decode(letter.payload, TranscriptSegment).text == "same seq"


async def test_a_trickle_of_events_is_written_in_a_few_transactions(
    nc: Any, persistence: Any, query: Any
) -> None:
    """Events arriving one by one wait a moment for each other: one commit carries many."""
    js = nc.jetstream()
    name, started = call_events()[0]
    await publish_event(js, subject_of(started, name), started)
    for seq in range(8):
        segment = TranscriptSegment(call_id=started.call_id, seq=seq, speaker=Speaker.CALLER,
                                    text="Well, I have been thinking about it.")  # fmt: skip
        await publish_event(js, subject_of(segment, "transcript"), segment)
        await asyncio.sleep(0.01)
    await eventually(lambda: query("SELECT count(*) FROM transcript_segments")[0][0] == 8)
    transactions = query("SELECT count(DISTINCT xmin::text) FROM processed_events")[0][0]
    assert transactions <= 3, f"9 events written in {transactions} transactions"


async def test_the_gateways_own_end_wins_over_room_finished_in_either_order(
    db: str, query: Any
) -> None:
    """LiveKit's room_finished can close a call (gateway_lost) just as the gateway ends it."""
    import psycopg

    from contracts.calls import CallEnded, EndReason
    from services.ops.migrate import service_url
    from services.persistence.apply import Event, apply_batch

    async with await psycopg.AsyncConnection.connect(service_url(db, "persistence"),
                                                     autocommit=True) as conn:  # fmt: skip
        for lost_first in (True, False):
            events = call_events()[:-1]
            call_id = events[0][1].call_id
            own = CallEnded(call_id=call_id, reason=EndReason.CALLER_HUNG_UP, duration_ms=9_000)
            lost = CallEnded(call_id=call_id, reason=EndReason.GATEWAY_LOST, duration_ms=9_500,
                             event_id=f"{call_id}.gateway_lost")  # fmt: skip
            batch = [Event(subject_of(e, n), call_id, e) for n, e in events]
            await apply_batch(conn, batch)
            for end in (lost, own) if lost_first else (own, lost):
                await apply_batch(conn, [Event(subject_of(end, "ended"), call_id, end)])
            row = query("SELECT end_reason, duration_ms FROM calls WHERE call_id = %s", call_id)
            assert row == [("caller_hung_up", 9_000)], f"lost first: {lost_first}"


async def test_livekit_room_events_are_not_call_records(
    nc: Any, persistence: Any, query: Any
) -> None:
    from contracts.calls import LiveKitEventReceived

    event = LiveKitEventReceived(call_id="call_lkroom0001", event_id="lk_EV_room0001",
                                 kind="room_started", livekit_event_id="EV_room0001",
                                 room_sid="RM_room0001")  # fmt: skip
    js = nc.jetstream()
    await publish_event(js, "calls.call_lkroom0001.livekit", event)
    await publish_call(js)  # a call after it: once written, the event was read
    await eventually(lambda: query("SELECT count(*) FROM calls WHERE ended_at IS NOT NULL")
                     == [(1,)])  # fmt: skip
    assert query("SELECT count(*) FROM calls") == [(1,)], "no call row for a room's event"
    assert (await nc.jetstream().stream_info(DLQ_STREAM)).state.messages == 0
