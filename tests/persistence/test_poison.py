"""Issue 14 (item 1): a hostile message cannot stop call recording. Against the real
nats-server and Postgres: JSON nested thousands of levels deep, a 900 KB binary payload and
a payload that is not a contract each become ONE dead letter (the oversized one as a
reference: subject, stream sequence, size, hash — never a copy), and the events after them
are still written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import pytest

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import publish_event
from contracts.calls import CallDirection, CallStarted
from contracts.conversation import Speaker, TranscriptSegment
from contracts.deadletter import DeadLetter, DeadLetterKind
from contracts.runtime import Stats
from contracts.subjects import DLQ_STREAM
from tests.persistence.conftest import eventually
from tests.persistence.events import CALLER


def nested(depth: int) -> bytes:
    return b'{"a":' + b"[" * depth + b"]" * depth + b"}"


async def _letters(js: Any) -> list[DeadLetter]:
    info = await js.stream_info(DLQ_STREAM)
    letters = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        if info.state.messages == 0:
            break
        try:
            raw = await js.get_msg(DLQ_STREAM, seq)
        except Exception:
            continue
        letters.append(codec.decode(raw.data, DeadLetter))
    return letters


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (nested(2000), DeadLetterKind.DECODE),  # 4 KB, ~2,000 levels: RecursionError before
        (os.urandom(900_000), DeadLetterKind.OVERSIZED),  # base64 would not fit in 1 MB
        (b'{"call_id": 5}', DeadLetterKind.VALIDATION),
    ],
    ids=["nested-2000-deep", "binary-900kb", "not-the-contract"],
)
async def test_a_poison_message_is_one_dead_letter_and_recording_goes_on(
    nc: Any,
    persistence: Stats,
    query: Callable[..., list[tuple[Any, ...]]],
    payload: bytes,
    kind: DeadLetterKind,
) -> None:
    js = nc.jetstream()
    call = CallStarted(call_id=new_call_id(), direction=CallDirection.INBOUND,
                       from_number=CALLER, to_number="+18005550242")  # fmt: skip
    await publish_event(js, f"calls.{call.call_id}.started", call)
    ack = await js.publish(f"calls.{call.call_id}.transcript", payload)
    after = TranscriptSegment(call_id=call.call_id, seq=1, speaker=Speaker.CALLER,
                              text="still recording")  # fmt: skip
    await publish_event(js, f"calls.{call.call_id}.transcript", after)

    def written() -> bool:
        rows = query("SELECT text FROM transcript_segments WHERE call_id = %s", call.call_id)
        return rows == [("still recording",)]

    await eventually(written)
    letters = [
        x for x in await _letters(js) if x.original_subject == f"calls.{call.call_id}.transcript"
    ]
    assert len(letters) == 1, letters
    letter = letters[0]
    assert letter.kind == kind
    assert letter.consumer == "persistence-writer"
    assert letter.original_seq == ack.seq
    assert letter.payload_bytes == len(payload)
    assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()
    if len(payload) > 64 * 1024:
        assert letter.payload_encoding == "reference" and letter.payload == ""
    # the writer is still fetching: the copy is ready
    assert "persistence-writer" in persistence.health.beats


async def test_a_writer_loop_that_dies_is_restarted_and_counted_and_nothing_is_lost(
    nc: Any,
    settings: Any,
    query: Callable[..., list[tuple[Any, ...]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug met while handling a batch (not one message: the whole ``handle``) kills the fetch
    loop; the supervisor restarts it, counts it, and the unacknowledged batch is redelivered."""
    import dataclasses

    from contracts.observability import metrics
    from services.persistence import writer
    from services.persistence.bootstrap import start

    real = writer.Writer.handle
    failures = [RuntimeError("a bug in the batch path")]

    async def once_broken(self: Any, msgs: Any) -> None:
        if failures:
            raise failures.pop()
        await real(self, msgs)

    monkeypatch.setattr(writer.Writer, "handle", once_broken)
    label = f"{settings.consumer}:fetch"
    before = metrics.CONSUMER_RESTARTS.labels(label)._value.get()
    stats = Stats(service="persistence")
    stop = await start(nc, stats, dataclasses.replace(settings, ack_wait_s=1.0))
    try:
        js = nc.jetstream()
        call = CallStarted(call_id=new_call_id(), direction=CallDirection.INBOUND,
                           from_number=CALLER, to_number="+18005550242")  # fmt: skip
        await publish_event(js, f"calls.{call.call_id}.started", call)
        seg = TranscriptSegment(call_id=call.call_id, seq=1, speaker=Speaker.CALLER,
                                text="said before the bug")  # fmt: skip
        await publish_event(js, f"calls.{call.call_id}.transcript", seg)

        def written() -> bool:
            rows = query("SELECT text FROM transcript_segments WHERE call_id = %s", call.call_id)
            return rows == [("said before the bug",)]

        await eventually(written)
        assert not failures, "the broken batch path was reached"
        assert metrics.CONSUMER_RESTARTS.labels(label)._value.get() == before + 1
    finally:
        await stop()
