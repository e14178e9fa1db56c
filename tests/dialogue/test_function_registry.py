"""The functions the LLM sees are generated from their signatures and docstrings, and what the
LLM sends is checked against the same types."""

from __future__ import annotations

from typing import Any

import pytest

from services.dialogue import functions as fn
from services.dialogue.functions import FUNCTIONS, registered, tool_specs
from services.dialogue.graph import GRAPH


def params(name: str) -> dict[str, Any]:
    return FUNCTIONS[name].schema["parameters"]


def test_every_function_has_a_description_for_the_llm() -> None:
    assert len(FUNCTIONS) == 18
    for function in FUNCTIONS.values():
        assert function.description and "\n" not in function.description, function.name


def test_schemas_come_from_the_signature_types() -> None:
    qualification = params("record_qualification")["properties"]
    assert qualification["age"] == {"type": "integer"}
    assert qualification["is_homeowner"] == {"type": "boolean"}
    assert params("record_qualification")["required"] == []
    assert params("book_appointment")["required"] == ["slot_id"]
    assert params("verify_caller")["properties"]["zip"]["pattern"] == "^[0-9]{5}$"
    days = params("get_availability")["properties"]["days"]
    assert days["type"] == "array" and "mon" in days["items"]["enum"]
    assert sorted(params("get_availability")["properties"]["part_of_day"]["enum"]) == [
        "afternoon", "any", "morning"]  # fmt: skip
    assert "goodbye" in params("end_call")["properties"]["reason"]["enum"]
    for function in FUNCTIONS.values():
        schema = function.schema["parameters"]
        assert schema["additionalProperties"] is False
        assert "turn" not in schema["properties"] and "session" not in schema["properties"]
        assert "null" not in repr(schema) and "$ref" not in repr(schema), function.name


def test_arguments_of_the_wrong_type_are_dropped_and_named() -> None:
    clean, dropped = FUNCTIONS["record_qualification"].arguments(
        {
            "age": "71",
            "is_homeowner": "maybe",
            "lead_id": "lead_someone_else",
            "mortgage_balance": None,
        }
    )
    assert clean == {"age": 71}
    assert dropped == ["is_homeowner"]
    clean, dropped = FUNCTIONS["verify_caller"].arguments({"zip": "8500", "city": "Mesa"})
    assert clean == {"city": "Mesa"} and dropped == ["zip"]


def test_a_node_offers_function_objects_that_are_registered() -> None:
    for spec in GRAPH.values():
        for function in spec.functions:
            assert registered(function).handler is function
    with pytest.raises(KeyError):
        registered(fn.next_gate)  # code's helper, not the LLM's
    assert [t["function"]["name"] for t in tool_specs(["end_call", "no_such"])] == ["end_call"]
