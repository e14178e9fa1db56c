"""Contracts: frozen, keyword-only, identity on every message, readable errors, tolerant of
unknown fields."""

from __future__ import annotations

import inspect
from datetime import datetime

import msgspec
import pytest

from contracts import codec
from contracts.base import Contract, Message
from contracts.calls import CallDirection, CallStarted, CallStateChanged, Node
from contracts.catalog import CALL_EVENTS, DEAD_LETTER, STORE_QUERIES, TOOL_REPLY, TOOL_REQUESTS
from contracts.conversation import EndCall, ReplyChunk, Transfer
from contracts.subjects import (
    CallEventName,
    call_subject,
    dlq_subject,
    every_call,
    parse_call_subject,
)
from contracts.tools import BookAppointment, ToolError, ToolErrorCode, ToolReply, ToolSession

CALL_ID = "call_0a1b2c3d4e"


def all_message_types() -> list[type]:
    types: list[type] = [*CALL_EVENTS.values(), *TOOL_REQUESTS.values(), TOOL_REPLY, DEAD_LETTER]
    for q in STORE_QUERIES.values():
        types.append(q.request)
    return types


@pytest.mark.parametrize("t", all_message_types(), ids=lambda t: t.__name__)
def test_every_bus_message_carries_identity_time_and_version(t: type) -> None:
    assert issubclass(t, Message)
    fields = {f.name for f in msgspec.structs.fields(t)}
    assert {"event_id", "occurred_at", "schema_version"} <= fields
    assert t.__struct_config__.frozen
    params = inspect.signature(t).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)


@pytest.mark.parametrize("event", list(CALL_EVENTS), ids=str)
def test_every_call_event_names_its_call(event: CallEventName) -> None:
    assert "call_id" in {f.name for f in msgspec.structs.fields(CALL_EVENTS[event])}


def test_round_trip_keeps_every_field() -> None:
    started = CallStarted(
        call_id=CALL_ID, direction=CallDirection.INBOUND, from_number="+12065550231", room="r1"
    )
    again = codec.decode(codec.encode(started), CallStarted)
    assert again == started
    assert again.occurred_at.tzinfo is not None


def test_two_messages_get_different_event_ids() -> None:
    a = CallStarted(call_id=CALL_ID, direction=CallDirection.INBOUND)
    b = CallStarted(call_id=CALL_ID, direction=CallDirection.INBOUND)
    assert a.event_id != b.event_id


def test_contracts_are_frozen() -> None:
    started = CallStarted(call_id=CALL_ID, direction=CallDirection.INBOUND)
    with pytest.raises(AttributeError):
        started.room = "other"  # type: ignore[misc]


def test_positional_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        CallStarted(CALL_ID, CallDirection.INBOUND)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (b'{"call_id": "call_0a1b2c3d4e", "direction": 3}', "$.direction"),
        (b'{"call_id": "call_0a1b2c3d4e", "direction": "sideways"}', "$.direction"),
        (b'{"direction": "inbound"}', "call_id"),
        (b'{"call_id": "call_0a1b2c3d4e", "direction": "inbound", "from_number": "206-555"}',
         "$.from_number"),
        (b'{"call_id": "+12065550231", "direction": "inbound"}', "$.call_id"),
        (b'{"call_id": "call_0a1b2c3d4e", "direction": "inbound",'
         b' "occurred_at": "2026-11-25T10:00:00"}', "$.occurred_at"),
    ],
)  # fmt: skip
def test_malformed_payload_gets_a_readable_error_naming_the_field(
    payload: bytes, field: str
) -> None:
    with pytest.raises(codec.ContractError) as err:
        codec.decode(payload, CallStarted)
    assert field in str(err.value)
    assert "CallStarted" in str(err.value)


def test_not_json_is_a_contract_error() -> None:
    with pytest.raises(codec.ContractError, match="not valid JSON"):
        codec.decode(b"{nope", CallStarted)


def test_unknown_fields_from_a_newer_producer_are_tolerated() -> None:
    payload = (
        b'{"call_id": "call_0a1b2c3d4e", "direction": "inbound", "schema_version": 2,'
        b' "brand_new_field": {"x": 1}}'
    )
    started = codec.decode(payload, CallStarted)
    assert started.schema_version == 2
    assert started.direction is CallDirection.INBOUND


def test_reply_actions_are_a_tagged_union() -> None:
    chunk = ReplyChunk(
        call_id=CALL_ID, reply_id="r1", seq=2, text="Goodbye.", final=True,
        action=Transfer(broker_id="b1", to_number="+12065550201", reason="asked for a person"),
    )  # fmt: skip
    raw = codec.encode(chunk)
    assert b'"kind":"transfer"' in raw
    assert codec.decode(raw, ReplyChunk).action == chunk.action
    end = codec.decode(codec.encode(msgspec.structs.replace(chunk, action=EndCall())), ReplyChunk)
    assert isinstance(end.action, EndCall)


def test_tool_reply_carries_a_result_or_a_caller_safe_error() -> None:
    reply = ToolReply(
        request_id="evt_123456789",
        result=ToolError(code=ToolErrorCode.SLOT_TAKEN, message="That time was just taken."),
    )
    decoded = codec.decode(codec.encode(reply), ToolReply)
    assert isinstance(decoded.result, ToolError)
    assert decoded.result.code is ToolErrorCode.SLOT_TAKEN


def test_tool_requests_carry_the_session_not_llm_arguments() -> None:
    fields = {f.name for f in msgspec.structs.fields(BookAppointment)}
    assert "session" in fields and "lead_id" not in fields
    session = ToolSession(call_id=CALL_ID, lead_id="lead-1", verified=True)
    req = BookAppointment(session=session, slot_id="slot-1", idempotency_key="k1")
    assert codec.decode(codec.encode(req), BookAppointment).session.lead_id == "lead-1"


def test_state_change_defaults_are_not_shared_between_instances() -> None:
    a = CallStateChanged(call_id=CALL_ID, seq=0, node=Node.GREET)
    b = CallStateChanged(call_id=CALL_ID, seq=1, node=Node.VERIFY)
    assert a.flags is not b.flags


def test_call_subjects_follow_the_scheme() -> None:
    assert call_subject(CALL_ID, CallEventName.TURN) == f"calls.{CALL_ID}.turn"
    assert parse_call_subject(f"calls.{CALL_ID}.reply") == (CALL_ID, CallEventName.REPLY)
    assert every_call("transcript") == "calls.*.transcript"
    assert dlq_subject(f"calls.{CALL_ID}.turn").startswith("dlq.")
    assert not dlq_subject("x").startswith("calls.")


@pytest.mark.parametrize("bad", ["+12065550231", "12065550231", "a.b.c", "call*", "call >", ""])
def test_subjects_refuse_phone_numbers_and_wildcards_as_call_ids(bad: str) -> None:
    with pytest.raises(ValueError):
        call_subject(bad, CallEventName.STARTED)


def test_unknown_event_name_is_refused() -> None:
    with pytest.raises(ValueError):
        call_subject(CALL_ID, "exploded")


def test_base_contract_is_not_a_message() -> None:
    assert not issubclass(Contract, Message)
    assert isinstance(CallStarted(call_id=CALL_ID, direction="inbound").occurred_at, datetime)  # type: ignore[arg-type]
