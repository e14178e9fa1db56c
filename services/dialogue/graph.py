"""The conversation graph, as code.

Each node declares its prompt section (the active prompt version's node text), the functions
the LLM may call there, the nodes it may move to, and a visit cap. Facts callers volunteer early
(their age, that they own the home, an email) may be recorded from the first node on: before
verification they are held and recorded once the caller is verified. :func:`route` picks the next
node from flags that tools and rules set — never from what the LLM said.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.calls import CallType, Node
from services.dialogue import functions as fn
from services.dialogue.functions import Handler, registered
from services.dialogue.state import CallState

#: Functions every node offers (compliance and escape hatches).
GLOBAL_FUNCTIONS: tuple[Handler, ...] = (fn.record_do_not_call, fn.request_human, fn.end_call)
#: Nodes any node may jump to: booking intent, "stop calling", a hang-up.
GLOBAL_JUMPS = frozenset({Node.BOOK, Node.EXIT})


@dataclass(frozen=True)
class NodeSpec:
    node: Node
    task: str
    functions: tuple[Handler, ...]
    transitions: frozenset[Node]
    max_visits: int

    @property
    def section(self) -> str:
        """The key of this node's text in the prompt version's ``nodes``."""
        return self.node.value

    def allows(self, target: Node) -> bool:
        return target == self.node or target in self.transitions or target in GLOBAL_JUMPS

    @property
    def function_names(self) -> frozenset[str]:
        """The names of the functions the LLM may call here (this node's and the global ones)."""
        return frozenset(registered(f).name for f in (*self.functions, *GLOBAL_FUNCTIONS))

    def offers(self, function: Handler) -> bool:
        return function in self.functions or function in GLOBAL_FUNCTIONS


def _spec(
    node: Node, task: str, functions: tuple[Handler, ...], to: set[Node], cap: int
) -> NodeSpec:
    for function in functions:
        registered(function)  # a node offers only functions the LLM may call
    return NodeSpec(node, task, functions, frozenset(to), cap)


GRAPH: dict[Node, NodeSpec] = {
    spec.node: spec
    for spec in (
        _spec(
            Node.GREET, "disclose, learn who is calling",
            (fn.identify_caller, fn.verify_caller, fn.note_wrong_person, fn.search_knowledge,
             fn.record_qualification, fn.update_lead),
            {Node.VERIFY, Node.QUALIFY, Node.ANSWER, Node.OBJECTIONS, Node.WRONG_PERSON}, 5,
        ),
        _spec(
            Node.VERIFY, "confirm who is calling without revealing anything",
            (fn.identify_caller, fn.verify_caller, fn.note_wrong_person, fn.search_knowledge,
             fn.record_qualification, fn.update_lead),
            {Node.QUALIFY, Node.ANSWER, Node.OBJECTIONS, Node.WRONG_PERSON}, 5,
        ),
        _spec(
            Node.QUALIFY, "the four gates, one question at a time",
            (fn.record_qualification, fn.update_lead, fn.search_knowledge, fn.note_objection,
             fn.mark_ready_to_book),
            {Node.ANSWER, Node.OBJECTIONS, Node.VERIFY, Node.WRONG_PERSON}, 10,
        ),
        _spec(
            Node.ANSWER, "answer from the knowledge base, offer the consultation",
            (fn.search_knowledge, fn.note_objection, fn.mark_ready_to_book, fn.update_lead,
             fn.request_email, fn.schedule_callback),
            {Node.QUALIFY, Node.OBJECTIONS, Node.VERIFY, Node.WRONG_PERSON}, 8,
        ),
        _spec(
            Node.OBJECTIONS, "acknowledge, reassure from the knowledge base, no pressure",
            (fn.search_knowledge, fn.note_objection, fn.resolve_objection, fn.mark_ready_to_book,
             fn.request_email, fn.schedule_callback),
            {Node.ANSWER, Node.QUALIFY, Node.VERIFY, Node.WRONG_PERSON}, 4,
        ),
        _spec(
            Node.BOOK, "broker, preference, two slots, book; else a callback",
            (fn.find_broker, fn.get_availability, fn.book_appointment, fn.schedule_callback,
             fn.request_email, fn.search_knowledge, fn.update_lead),
            {Node.ANSWER, Node.QUALIFY, Node.OBJECTIONS, Node.VERIFY, Node.WRONG_PERSON}, 8,
        ),
        _spec(
            Node.EXIT, "recap, thank, goodbye",
            (fn.search_knowledge, fn.schedule_callback),
            {Node.ANSWER, Node.QUALIFY, Node.OBJECTIONS, Node.VERIFY, Node.WRONG_PERSON}, 4,
        ),
        _spec(
            Node.WRONG_PERSON, "share nothing; wait for the right person, or take a callback",
            (fn.identify_caller, fn.schedule_callback, fn.take_message),
            {Node.GREET, Node.VERIFY, Node.QUALIFY, Node.ANSWER, Node.OBJECTIONS}, 4,
        ),
    )
}  # fmt: skip


def terminal(state: CallState) -> bool:
    """The call has reached an end the caller cannot talk us out of."""
    f = state.flags
    return (
        f.do_not_call
        or f.transferred
        or f.ended
        or f.qualified is False
        or f.not_interested
        or f.other_lender
        or f.capped is not None
    )


def route(state: CallState) -> Node:
    """The next node, from flags only."""
    f = state.flags
    if terminal(state):
        return Node.EXIT
    if f.booked or f.callback or f.email_requested:
        return Node.EXIT
    if f.wrong_person:
        return Node.WRONG_PERSON
    if f.wants_callback or f.bad_timing:
        return Node.BOOK
    if not f.identified and state.node == Node.GREET:
        return Node.GREET
    if not f.verified:
        return Node.VERIFY  # where the home is matters only for booking: asked then, if at all
    if f.ready_to_book and not f.no_sales:
        return Node.BOOK if f.qualified else Node.QUALIFY
    if f.qualified is None and not f.no_sales:
        return Node.QUALIFY  # a concern is answered in the same breath; the gates come first
    if f.objection:
        return Node.OBJECTIONS
    return Node.ANSWER


def skips_qualification(call_type: CallType) -> bool:
    return call_type == CallType.INBOUND_QUALIFIED


def move(state: CallState, target: Node) -> bool:
    """Go to ``target`` if the current node allows it; returns whether the node changed."""
    if target == state.node:
        return False
    if not GRAPH[state.node].allows(target):
        # The router only produces declared transitions; a test proves it. Be safe anyway.
        target = Node.EXIT
    state.previous, state.node = state.node, target
    return True


def over_cap(state: CallState) -> bool:
    spec = GRAPH[state.node]
    return state.visit_count(state.node) > spec.max_visits
