"""The dialogue's functions: what the LLM (or the offline policy) may ask for, per node.

Each function takes only what the caller said (names, ages, amounts, a slot id the dialogue
offered...). The call's session — call id, bound lead, verified — is added by the dialogue,
so no argument can point a tool at another lead. Results set state flags in code; the router
reads those flags. Each returns a small JSON-able dict for the LLM, without stored PII.

The functions the LLM may call are registered with :func:`registry.llm_function`; their JSON
schemas come from their signatures (:mod:`services.dialogue.functions.registry`).
"""

from services.dialogue.functions.booking import (
    book_appointment,
    cancel_appointment,
    find_broker,
    get_availability,
    refresh_memory,
    schedule_callback,
    upcoming_when,
)
from services.dialogue.functions.common import GATE_NAMES, area_state_of, caller_zone
from services.dialogue.functions.facts import (
    hold_lead_facts,
    hold_qualification,
    holds_gate_facts,
    next_gate,
    record_qualification,
    update_lead,
    youngest_age,
)
from services.dialogue.functions.identity import (
    bind_lead,
    identify_caller,
    note_wrong_person,
    take_message,
    verify_caller,
)
from services.dialogue.functions.registry import (
    FUNCTIONS,
    Function,
    Handler,
    Result,
    call_function,
    clean_args,
    llm_function,
    registered,
    tool_specs,
)
from services.dialogue.functions.talk import (
    ENDINGS,
    end_call,
    mark_ready_to_book,
    note_objection,
    record_do_not_call,
    request_email,
    request_human,
    resolve_objection,
    search_knowledge,
)

__all__ = [
    "ENDINGS",
    "FUNCTIONS",
    "GATE_NAMES",
    "Function",
    "Handler",
    "Result",
    "area_state_of",
    "bind_lead",
    "book_appointment",
    "call_function",
    "caller_zone",
    "cancel_appointment",
    "clean_args",
    "end_call",
    "find_broker",
    "get_availability",
    "hold_lead_facts",
    "hold_qualification",
    "holds_gate_facts",
    "identify_caller",
    "llm_function",
    "mark_ready_to_book",
    "next_gate",
    "note_objection",
    "note_wrong_person",
    "record_do_not_call",
    "record_qualification",
    "refresh_memory",
    "registered",
    "request_email",
    "request_human",
    "resolve_objection",
    "schedule_callback",
    "search_knowledge",
    "take_message",
    "tool_specs",
    "upcoming_when",
    "update_lead",
    "verify_caller",
    "youngest_age",
]
