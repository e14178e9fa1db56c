"""Conversation memory: one row per caller; durable vs per-call fields; deep merge;
idempotent completion; a new call while one is active closes it as interrupted."""

from __future__ import annotations

from typing import Any

from contracts.base import new_call_id
from contracts.bus import publish_event
from contracts.calls import CallDirection, CallEnded, CallStarted, CallStateChanged, EndReason, Node
from services.persistence.memory import deep_merge, split_patch
from tests.persistence.conftest import eventually
from tests.persistence.events import CALLER, subject_of


def test_deep_merge_overwrites_scalars_merges_maps_appends_unique_to_lists() -> None:
    base = {"a": 1, "m": {"x": 1, "y": {"z": 1}}, "l": ["heirs"], "keep": True}
    patch = {"a": 2, "m": {"y": {"w": 2}}, "l": ["heirs", "fees"], "new": "v"}
    assert deep_merge(base, patch) == {
        "a": 2, "m": {"x": 1, "y": {"z": 1, "w": 2}}, "l": ["heirs", "fees"], "keep": True,
        "new": "v",
    }  # fmt: skip
    assert base["l"] == ["heirs"], "the input is not modified"


def test_per_call_keys_are_split_from_durable_ones() -> None:
    current, durable = split_patch({"verified": True, "node_visits": {"verify": 1},
                                    "qualified": True, "topics_discussed": ["fees"]})  # fmt: skip
    assert current == {"verified": True, "node_visits": {"verify": 1}}
    assert durable == {"qualified": True, "topics_discussed": ["fees"]}


async def _publish(js: Any, name: str, event: Any) -> None:
    await publish_event(js, subject_of(event, name), event)


def _started(call_id: str) -> CallStarted:
    return CallStarted(call_id=call_id, direction=CallDirection.INBOUND, from_number=CALLER)


def _state(
    call_id: str, seq: int, memory: dict[str, Any], lead: str | None = None
) -> CallStateChanged:
    return CallStateChanged(call_id=call_id, seq=seq, node=Node.ANSWER, memory=memory, lead_id=lead)


async def test_memory_survives_calls_and_per_call_fields_reset(
    nc: Any, persistence: Any, query: Any
) -> None:
    js = nc.jetstream()
    lead = "5b0c7b1e-2a55-4c1e-9a53-000000000001"
    first, second = new_call_id(), new_call_id()
    await _publish(js, "started", _started(first))
    remember = {"verified": True, "qualified": True, "topics_discussed": ["heirs"]}
    await _publish(js, "state", _state(first, 0, remember, lead))
    more = {"topics_discussed": ["fees", "heirs"], "objections": ["scam"]}
    await _publish(js, "state", _state(first, 1, more))
    await _publish(
        js, "ended", CallEnded(call_id=first, reason=EndReason.AGENT_ENDED, duration_ms=9)
    )
    await eventually(lambda: query("SELECT status FROM conversation_state") == [("completed",)])
    row = query("SELECT durable, current, qualified, lead_id::text FROM conversation_state")[0]
    assert row[0]["topics_discussed"] == ["heirs", "fees"]
    assert row[1] == {"verified": True, "objections": ["scam"]}
    assert row[2] is True and row[3] == lead

    await _publish(js, "started", _started(second))
    await eventually(lambda: query("SELECT call_count FROM conversation_state") == [(2,)])
    row = query("SELECT durable, current, qualified, status FROM conversation_state")[0]
    assert row[1] == {}, "per-call memory starts empty"
    assert row[0]["topics_discussed"] == ["heirs", "fees"] and row[2] is True
    assert row[3] == "active"


async def test_completing_a_call_twice_is_idempotent(nc: Any, persistence: Any, query: Any) -> None:
    js = nc.jetstream()
    call = new_call_id()
    await _publish(js, "started", _started(call))
    ended = CallEnded(call_id=call, reason=EndReason.CALLER_HUNG_UP, duration_ms=5)
    await _publish(js, "ended", ended)
    other = CallEnded(call_id=call, reason=EndReason.CALLER_HUNG_UP, duration_ms=5)  # new event id
    await _publish(js, "ended", other)
    await eventually(lambda: query("SELECT count(*) FROM processed_events")[0][0] == 3)
    assert query("SELECT status, call_count, last_call_id FROM conversation_state") == [
        ("completed", 1, call)
    ]


async def test_a_new_call_while_one_is_active_closes_it_as_interrupted(
    nc: Any, persistence: Any, query: Any
) -> None:
    js = nc.jetstream()
    dropped, fresh = new_call_id(), new_call_id()
    await _publish(js, "started", _started(dropped))  # never ends: the line dropped
    await _publish(js, "started", _started(fresh))
    await eventually(lambda: query("SELECT call_count FROM conversation_state") == [(2,)])
    assert query(
        "SELECT status, active_call_id, last_call_id, last_call_status FROM conversation_state"
    ) == [("active", fresh, dropped, "interrupted")]
    await _publish(js, "started", _started(fresh))  # the same call again: nothing changes
    await eventually(lambda: query("SELECT count(*) FROM processed_events")[0][0] == 3)
    assert query("SELECT call_count FROM conversation_state") == [(2,)]
