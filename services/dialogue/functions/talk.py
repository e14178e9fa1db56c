"""Questions, concerns, wishes and endings: the knowledge base, objections, email, do-not-call,
a person, goodbye."""

from __future__ import annotations

import logging
import typing
from typing import Literal

from contracts.conversation import Transfer
from contracts.tools import (
    DoNotCallRecorded,
    KnowledgeResult,
    RecordDoNotCall,
    SearchKnowledge,
    ToolError,
    ToolErrorCode,
)
from services.dialogue.context import Turn
from services.dialogue.functions.booking import find_broker
from services.dialogue.functions.common import (
    append_unique,
    fail,
)
from services.dialogue.functions.facts import update_lead
from services.dialogue.functions.registry import Result, llm_function

log = logging.getLogger(__name__)


@llm_function
async def search_knowledge(turn: Turn, query: str, topic: str | None = None) -> Result:
    """Search the reverse-mortgage knowledge base."""
    f = turn.state.facts
    append_unique(f.questions, query[:200])
    del f.questions[:-20]
    append_unique(f.topics, topic)
    result = await turn.tool(SearchKnowledge(session=turn.session(), query=query[:500], top_k=3))
    if isinstance(result, ToolError):
        return fail(result)
    if not isinstance(result, KnowledgeResult) or not result.answered or not result.passages:
        fallback = getattr(result, "fallback", "") if isinstance(result, KnowledgeResult) else ""
        return {"ok": True, "answered": False, "say": fallback}
    append_unique(f.topics, result.passages[0].section.lower()[:60] if not topic else None)
    return {"ok": True, "answered": True, "passages": [p.text for p in result.passages[:3]]}


@llm_function
async def note_objection(turn: Turn, topic: str) -> Result:
    """The caller raised a concern (scam, losing the home, heirs, fees, existing mortgage,
    moving)."""
    turn.state.flags.objection = topic[:60]
    append_unique(turn.state.facts.objections, topic[:60])
    return {"ok": True}


@llm_function
async def resolve_objection(turn: Turn) -> Result:
    """The concern was answered."""
    turn.state.flags.objection = None
    return {"ok": True}


@llm_function
async def mark_ready_to_book(turn: Turn) -> Result:
    """The caller wants to book a consultation with the broker."""
    s = turn.state
    s.flags.ready_to_book = True
    s.flags.objection = None
    return {"ok": True, "qualified": s.flags.qualified}


@llm_function
async def request_email(turn: Turn, email: str | None = None) -> Result:
    """The caller would rather get information by email first."""
    turn.state.flags.email_requested = True
    if email:
        await update_lead(turn, email=email)
    return {"ok": True}


@llm_function
async def record_do_not_call(turn: Turn) -> Result:
    """The caller asked us to stop calling them.

    Recorded at once, honoured from then on.
    """
    s = turn.state
    s.flags.do_not_call = True
    if s.lead_id or s.caller_number:
        result = await turn.tool(RecordDoNotCall(session=turn.session()))
        if isinstance(result, ToolError) and result.code != ToolErrorCode.NOT_FOUND:
            log.warning("do-not-call not recorded by tools: %s", result.code.value)
            return {"ok": False, "recorded": False}
        if isinstance(result, DoNotCallRecorded):
            return {"ok": True, "recorded": result.recorded}
    return {"ok": True}


@llm_function
async def request_human(turn: Turn, reason: str = "") -> Result:
    """The caller asked for a real person.

    Transferred to the broker when we have their line, else a call back from a person.
    """
    s = turn.state
    if s.broker is None and (s.facts.zip or s.facts.state or s.lead_id):
        await find_broker(turn)
    if s.broker is not None and s.broker.phone:
        s.flags.transferred = True
        turn.action = Transfer(
            broker_id=s.broker.broker_id,
            to_number=s.broker.phone,
            reason=(reason or "caller asked for a person")[:200],
        )
        return {"ok": True, "transferring": True}
    s.flags.transfer_requested = True
    s.flags.wants_callback = True
    return {"ok": True, "transferring": False, "offer": "callback"}


Ending = Literal["not_interested", "bad_timing", "already_working_with_lender", "goodbye"]
ENDINGS: tuple[str, ...] = typing.get_args(Ending)


@llm_function
async def end_call(turn: Turn, reason: Ending = "goodbye") -> Result:
    """The conversation is over."""
    f = turn.state.flags
    if reason == "not_interested":
        f.not_interested = True
    elif reason == "bad_timing":
        f.bad_timing = True
    elif reason == "already_working_with_lender":
        f.other_lender = True
    f.ended = True
    return {"ok": True}
