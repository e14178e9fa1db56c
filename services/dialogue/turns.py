"""A turn's bookkeeping: the visit counted (and a node's cap), the caller's words in the
history, and undoing a turn's work when another policy takes it over."""

from __future__ import annotations

from contracts.calls import Node
from services.dialogue.context import Turn
from services.dialogue.graph import over_cap
from services.dialogue.outcome import visited
from services.dialogue.state import CallState, HistoryItem, add_history, copy_state


def begin_turn(turn: Turn) -> None:
    """A turn starts: count the visit (a node over its cap ends the call politely) and add
    what the caller said to the history."""
    s = turn.state
    s.turns += 1
    visited(s, s.node)
    if over_cap(s) and s.node != Node.EXIT:
        f = s.flags
        if (f.qualified or f.ready_to_book) and not f.wants_callback and not f.callback:
            # never hang up on a caller who qualifies or asked to book: offer a call back
            f.wants_callback, f.ready_to_book = True, False
            s.visits[s.node.value] = 0
        else:
            f.capped = s.node.value
    add_history(s, HistoryItem(role="caller", text=turn.text))


def restore_turn(turn: Turn, base: CallState) -> None:
    """Undo the turn's work (no model function ran) before the offline policy takes the turn;
    it reads the same words again and records the same facts — answered from the turn's
    tool answers (:meth:`Turn.tool`), so the tools see each request once."""
    fresh = copy_state(base)
    for name in CallState.__struct_fields__:
        setattr(turn.state, name, getattr(fresh, name))


def blank_state(state: CallState) -> CallState:
    blank = CallState(call_id=state.call_id)
    blank.node = state.node
    blank.state_seq = state.state_seq
    return blank
