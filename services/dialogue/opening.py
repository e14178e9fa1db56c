"""A call's opening: its first state from ``started``, and what is read once at the start —
who is calling (the lead and what we remember), consent, the voice template and the prompt."""

from __future__ import annotations

import asyncio

from contracts.calls import CallDirection, CallStarted, CallType
from contracts.store import CallerContext, RenderedPrompt, Template
from contracts.tools import CheckConsent, ConsentResult, LeadLookupResult, LookupLead
from services.dialogue.context import Turn
from services.dialogue.policy.llm import variables
from services.dialogue.state import CallState, LlmSettings, Prompt


def initial_state(event: CallStarted) -> CallState:
    inbound = event.direction == CallDirection.INBOUND
    return CallState(
        call_id=event.call_id,
        direction=event.direction,
        call_type=event.call_type
        or (CallType.INBOUND_UNKNOWN if inbound else CallType.OUTBOUND_COLD),
        caller_number=event.from_number if inbound else event.to_number,
        dialled_number=event.to_number if inbound else event.from_number,
        template_id=event.template_id,
        started_at=event.occurred_at,
    )


async def may_call(turn: Turn) -> bool:
    result = await turn.tool(CheckConsent(session=turn.session()))
    return not isinstance(result, ConsentResult) or result.may_call


async def load_context(turn: Turn, event: CallStarted) -> None:
    """Who is calling, what we remember, the voice template and the prompt — read once."""
    s, deps = turn.state, turn.deps
    caller = s.caller_number
    lookup_task = asyncio.ensure_future(turn.tool(LookupLead(session=turn.session())))
    ctx_task = asyncio.ensure_future(
        deps.store.caller_context(s.call_id, caller) if caller else _none()
    )
    template_task = asyncio.ensure_future(deps.store.template(s.dialled_number))
    lookup, ctx, template = await asyncio.gather(lookup_task, ctx_task, template_task)
    if isinstance(lookup, LeadLookupResult) and lookup.lead_id:
        s.lead_id, s.lead_found, s.lead_status = lookup.lead_id, lookup.found, lookup.status
        s.memory.update(lookup.memory)
        if lookup.qualified:
            s.flags.qualified = True
        if lookup.do_not_call and s.direction == CallDirection.INBOUND:
            s.flags.no_sales = True
        if lookup.status == "appointment_set":
            s.flags.existing_appointment = True
    if isinstance(ctx, CallerContext):
        s.memory.update(ctx.memory)
        s.returning = ctx.call_count > 0 or bool(ctx.last_outcome)
        if ctx.lead_id and not s.lead_id:
            s.lead_id = ctx.lead_id
        if ctx.qualified and s.lead_id:
            s.flags.qualified = True
    contacted = isinstance(lookup, LeadLookupResult) and lookup.memory.get("contacted_before")
    s.returning = s.lead_found and (s.returning or bool(contacted))
    if event.call_type is None and s.direction == CallDirection.INBOUND:
        s.call_type = (
            CallType.INBOUND_QUALIFIED if s.flags.qualified
            else CallType.INBOUND_UNQUALIFIED if s.lead_found
            else CallType.INBOUND_UNKNOWN
        )  # fmt: skip
    elif event.call_type is None and s.lead_status == "callback_scheduled":
        s.call_type = CallType.OUTBOUND_WARM
    if isinstance(template, Template):
        s.template_id = template.template_id
        s.llm = LlmSettings(
            provider=template.llm_provider,
            model=template.llm_model,
            fallback_model=template.llm_fallback_model,
            base_url=template.llm_base_url,
            temperature=template.llm_temperature,
            max_tokens=template.llm_max_tokens,
        )
    # only the fixed variables: the rest ({{broker_name}}…) is filled per turn as it is learned
    fixed = variables(s, deps.clock.now().strftime("%A, %B %d, %Y"))
    prompt = await deps.store.prompt(
        s.call_type, {"call_type": fixed["call_type"], "today": fixed["today"]}
    )
    if isinstance(prompt, RenderedPrompt):
        s.prompt = Prompt(version_id=prompt.prompt_version_id, sections=dict(prompt.sections),
                          nodes=dict(prompt.nodes))  # fmt: skip


async def _none() -> None:
    return None
