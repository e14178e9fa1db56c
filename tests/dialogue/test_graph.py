"""The graph is code: nodes declare their section, functions and transitions; the router reads
flags only."""

from __future__ import annotations

import itertools

import pytest

from contracts.calls import Node
from services.dialogue import functions as fn
from services.dialogue.functions import FUNCTIONS
from services.dialogue.graph import GLOBAL_FUNCTIONS, GRAPH, over_cap, route
from services.dialogue.state import CallState, Flags


def state(node: Node = Node.GREET, found: bool = True, **flags: object) -> CallState:
    s = CallState(call_id="call_graph01", node=node, lead_found=found)
    s.flags = Flags(**flags)  # type: ignore[arg-type]
    return s


def test_every_node_declares_a_section_functions_and_a_cap() -> None:
    assert set(GRAPH) == set(Node)
    for node, spec in GRAPH.items():
        assert spec.section == node.value and spec.max_visits > 0
        assert spec.function_names <= set(FUNCTIONS)
        assert all(FUNCTIONS[f.__name__].handler is f for f in (*spec.functions, *GLOBAL_FUNCTIONS))


def test_sensitive_functions_are_only_offered_where_they_belong() -> None:
    assert [n for n, s in GRAPH.items() if s.offers(fn.book_appointment)] == [Node.BOOK]
    # callers volunteer their age or that they own the home while being greeted or verified:
    # recorded there too (held until they are verified)
    assert [n for n, s in GRAPH.items() if s.offers(fn.record_qualification)] == [
        Node.GREET, Node.VERIFY, Node.QUALIFY]  # fmt: skip


FLAG_CHOICES = {
    "identified": (False, True), "verified": (False, True), "qualified": (None, True, False),
    "wrong_person": (False, True), "ready_to_book": (False, True), "objection": (None, "scam"),
    "booked": (False, True), "do_not_call": (False, True), "wants_callback": (False, True),
}  # fmt: skip


@pytest.mark.parametrize("node", list(Node))
def test_the_router_only_takes_declared_transitions(node: Node) -> None:
    for found, values in itertools.product(
        (True, False), itertools.product(*FLAG_CHOICES.values())
    ):
        s = state(node, found=found, **dict(zip(FLAG_CHOICES, values, strict=True)))
        assert GRAPH[node].allows(route(s)), (node, values, route(s))


@pytest.mark.parametrize(
    ("flags", "node"),
    [
        ({}, Node.GREET),
        ({"identified": True}, Node.VERIFY),
        ({"identified": True, "verified": True}, Node.QUALIFY),
        ({"identified": True, "verified": True, "qualified": True}, Node.ANSWER),
        (
            {"identified": True, "verified": True, "qualified": True, "ready_to_book": True},
            Node.BOOK,
        ),
        ({"identified": True, "verified": True, "ready_to_book": True}, Node.QUALIFY),
        (
            {"identified": True, "verified": True, "qualified": True, "objection": "fees"},
            Node.OBJECTIONS,
        ),
        ({"identified": True, "verified": True, "qualified": False}, Node.EXIT),
        ({"wrong_person": True}, Node.WRONG_PERSON),
        ({"do_not_call": True, "ready_to_book": True}, Node.EXIT),
        ({"identified": True, "verified": True, "booked": True}, Node.EXIT),
        ({"wants_callback": True}, Node.BOOK),
    ],
)
def test_routing_from_flags(flags: dict[str, object], node: Node) -> None:
    start = Node.VERIFY if flags.get("identified") else Node.GREET
    assert route(state(start, **flags)) == node


def test_a_verified_new_caller_qualifies_without_being_asked_where_the_home_is() -> None:
    # where the home is matters for booking only (asked then, else the area code's state)
    assert route(state(Node.VERIFY, found=False, identified=True, verified=True)) == Node.QUALIFY
    assert route(state(Node.VERIFY, found=False, identified=True)) == Node.VERIFY


def test_visit_caps() -> None:
    s = state(Node.VERIFY)
    s.visits = {"verify": GRAPH[Node.VERIFY].max_visits}
    assert not over_cap(s)
    s.visits["verify"] += 1
    assert over_cap(s)
