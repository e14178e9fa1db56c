"""Builders for a realistic call's events."""

from __future__ import annotations

from typing import Any

from contracts.base import new_call_id
from contracts.calls import (
    CallDirection,
    CallEnded,
    CallStarted,
    CallStateChanged,
    EndReason,
    Node,
    Outcome,
    OutcomeRecorded,
)
from contracts.conversation import Speaker, TranscriptSegment
from contracts.subjects import CallEventName
from contracts.tools import ToolInvoked, ToolName

CALLER = "+12065550277"


def call_events(call_id: str | None = None, caller: str = CALLER) -> list[tuple[str, Any]]:
    """(event name, event) for one short call, one of every kind that is written."""
    cid = call_id or new_call_id()
    return [
        ("started", CallStarted(call_id=cid, direction=CallDirection.INBOUND, room="room-1",
                                from_number=caller, to_number="+18005550242")),
        ("transcript", TranscriptSegment(call_id=cid, seq=0, speaker=Speaker.AGENT,
                                         text="Hello, this is Barbara.")),
        ("transcript", TranscriptSegment(call_id=cid, seq=1, speaker=Speaker.CALLER,
                                         text="Hi, I'm Eleanor.")),
        ("tool", ToolInvoked(call_id=cid, tool=ToolName.LOOKUP_LEAD, request_id="req-1",
                             args={}, result={"found": False}, latency_ms=2.5)),
        ("state", CallStateChanged(call_id=cid, seq=0, node=Node.VERIFY, previous=Node.GREET,
                                   flags={"verified": True},
                                   memory={"verified": True, "topics_discussed": ["heirs"]})),
        ("outcome", OutcomeRecorded(call_id=cid, outcome=Outcome.CALLBACK_SCHEDULED,
                                    summary="Wants to talk to her son first.",
                                    facts={"timeline": "this spring", "age": 71})),
        ("ended", CallEnded(call_id=cid, reason=EndReason.AGENT_ENDED, duration_ms=65_000)),
    ]  # fmt: skip


def subject_of(event: Any, name: str) -> str:
    return f"calls.{event.call_id}.{CallEventName(name).value}"


async def publish_call(js: Any, events: list[tuple[str, Any]] | None = None) -> str:
    """Publish a whole call's events (``call_events()`` by default); returns its call id."""
    from contracts.bus import publish_event

    events = events or call_events()
    for name, event in events:
        await publish_event(js, subject_of(event, name), event)
    return str(events[0][1].call_id)
