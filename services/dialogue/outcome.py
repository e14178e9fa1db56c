"""The one outcome of a call, its summary, the structured facts, and the memory patches."""

from __future__ import annotations

from typing import Any

from contracts.calls import (
    CallStateChanged,
    DisqualificationReason,
    EndReason,
    Node,
    Outcome,
    OutcomeRecorded,
)
from services.dialogue.state import CallState

#: Memory keys persistence resets at each new call; everything else is durable.
PER_CALL_KEYS = ("verified", "wrong_person", "ready_to_book", "objections", "node_visits",
                 "booked_this_call")  # fmt: skip


def decide(state: CallState, end_reason: EndReason | None = None) -> tuple[Outcome, str | None]:
    """Exactly one outcome, by priority: what happened that matters most to the business."""
    f = state.flags
    if f.do_not_call:
        return Outcome.DO_NOT_CALL, None
    if f.booked or (f.existing_appointment and f.verified and not f.cancelled):
        return Outcome.BOOKED, None  # booked now, or a returning caller who keeps theirs
    if f.transferred:
        return Outcome.TRANSFERRED, None
    if f.callback:
        return Outcome.CALLBACK_SCHEDULED, None
    if f.qualified is False:
        return Outcome.NOT_QUALIFIED, f.disqualification_reason
    if f.email_requested:
        return Outcome.EMAIL_REQUESTED, None
    if f.other_lender:
        return Outcome.ALREADY_WORKING_WITH_LENDER, None
    if f.bad_timing:
        return Outcome.BAD_TIMING, None
    if f.not_interested:
        return Outcome.NOT_INTERESTED, None
    if f.wrong_person or state.facts.relation:
        # someone else answered (even if the right person came to the phone after)
        return Outcome.WRONG_PERSON, None
    if end_reason == EndReason.ERROR:
        return Outcome.ERROR, None
    if f.no_response:
        return Outcome.NO_RESPONSE, None
    if f.cancelled or f.booking_declined:
        return Outcome.NOT_INTERESTED, None  # the caller declined: the appointment, or the offer
    # a polite goodbye, a hang-up, or a call Barbara ended at a cap (``facts["capped"]``):
    # nobody declined anything
    return Outcome.CALLER_HUNG_UP, None


def facts(state: CallState) -> dict[str, Any]:
    """The structured facts learned in the call (~30 fields) for the interaction record."""
    f, fl = state.facts, state.flags
    equity = (
        f.home_value - f.mortgage_balance
        if f.home_value is not None and f.mortgage_balance is not None
        else None
    )
    name = " ".join(p for p in (f.first_name, f.last_name) if p) or None
    return {
        "name": name,
        "first_name": f.first_name,
        "last_name": f.last_name,
        "email": f.email,
        "city": f.city,
        "state": f.state,
        "zip": f.zip,
        "age": f.age,
        "homeowner": f.is_homeowner,
        "primary_residence": f.primary_residence,
        "home_value": f.home_value,
        "mortgage_balance": f.mortgage_balance,
        "equity_estimate": equity,
        "money_purpose": f.money_purpose,
        "amount_needed": f.amount_needed,
        "timeline": f.timeline,
        "objections": list(f.objections),
        "objections_raised": list(f.objections),
        "questions_asked": list(f.questions),
        "questions": list(f.questions),
        "topics": list(f.topics),
        "topics_discussed": list(f.topics),
        "verified": fl.verified,
        "qualified": fl.qualified,
        "disqualification_reason": fl.disqualification_reason,
        "broker_id": state.broker.broker_id if state.broker else None,
        "broker": state.broker.name if state.broker else None,
        "appointment_id": state.appointment.appointment_id if state.appointment else None,
        "appointment_time": state.appointment.start.isoformat() if state.appointment else None,
        "appointment": state.appointment.caller_local if state.appointment else None,
        "callback_time": state.callback_at.isoformat() if state.callback_at else None,
        "callback": state.callback_at.isoformat() if state.callback_at else None,
        "do_not_call": fl.do_not_call,
        "wrong_person": fl.wrong_person or bool(f.relation and not fl.identified),
        "relation": f.relation,
        "email_requested": fl.email_requested,
        "transferred": fl.transferred,
        "sentiment": f.sentiment,
        "message": f.message,
        "call_type": state.call_type.value,
        "ended_by": "barbara_at_cap" if fl.capped else None,
        "capped_at": fl.capped,
        "appointment_cancelled": fl.cancelled,
        "kept_appointment": fl.kept_appointment,
        "authority_claims_ignored": fl.authority_claims,
        "turns": state.turns,
        "node_visits": dict(state.visits),
    }


def summary(state: CallState, outcome: Outcome, reason: str | None) -> str:
    f = state.facts
    who = f.first_name or "The caller"
    parts = [f"{who} called ({state.call_type.value})."]
    if state.flags.qualified:
        parts.append("Passed the pre-checks.")
    if outcome == Outcome.BOOKED and state.appointment:
        broker = state.broker.name if state.broker else "the broker"
        parts.append(f"Booked a consultation with {broker} for {state.appointment.caller_local}.")
    elif outcome == Outcome.NOT_QUALIFIED:
        parts.append(f"Not qualified: {reason or 'unknown'}.")
    elif outcome == Outcome.CALLBACK_SCHEDULED and state.callback_at:
        parts.append(f"Asked for a call back at {state.callback_at.isoformat()}.")
    else:
        parts.append(f"Outcome: {outcome.value.replace('_', ' ')}.")
    if f.objections:
        parts.append("Concerns: " + ", ".join(f.objections) + ".")
    if f.topics:
        parts.append("Topics: " + ", ".join(f.topics[:6]) + ".")
    if f.money_purpose:
        parts.append(f"Wants the money to {f.money_purpose}.")
    return " ".join(parts)


def outcome_event(state: CallState, end_reason: EndReason | None = None) -> OutcomeRecorded:
    outcome, reason = decide(state, end_reason)
    disq = DisqualificationReason(reason) if outcome == Outcome.NOT_QUALIFIED and reason else None
    return OutcomeRecorded(
        event_id=f"{state.call_id}:outcome",
        call_id=state.call_id,
        outcome=outcome,
        disqualification_reason=disq,
        summary=summary(state, outcome, reason),
        facts=facts(state),
        lead_id=state.lead_id,
        llm_tokens=state.llm_tokens,
    )


def memory_view(state: CallState) -> dict[str, Any]:
    """What the caller's conversation memory should hold after this call so far."""
    f, fl = state.facts, state.flags
    view: dict[str, Any] = {
        "lead_id": state.lead_id,
        "qualified": fl.qualified,
        "first_name": f.first_name if fl.identified else None,
        "money_purpose": f.money_purpose,
        "amount_needed": f.amount_needed,
        "timeline": f.timeline,
        "questions": list(f.questions),
        "topics_discussed": list(f.topics),
        "disqualification_reason": fl.disqualification_reason,
        "do_not_call": fl.do_not_call or None,
        # per call
        "verified": fl.verified,
        "wrong_person": fl.wrong_person,
        "ready_to_book": fl.ready_to_book,
        "objections": list(f.objections),
        "node_visits": dict(state.visits),
        "booked_this_call": fl.booked,
    }
    return {k: v for k, v in view.items() if v is not None and v != [] and v != {}}


def memory_patch(before: CallState, after: CallState) -> dict[str, Any] | None:
    old, new = memory_view(before), memory_view(after)
    patch = {k: v for k, v in new.items() if old.get(k) != v}
    return patch or None


def flags_dict(state: CallState) -> dict[str, Any]:
    fl = state.flags
    return {
        "identified": fl.identified,
        "verified": fl.verified,
        "wrong_person": fl.wrong_person,
        "qualified": fl.qualified,
        "gates": dict(fl.gates),
        "disqualification_reason": fl.disqualification_reason,
        "ready_to_book": fl.ready_to_book,
        "objection": fl.objection,
        "booked": fl.booked,
        "callback": fl.callback,
        "email_requested": fl.email_requested,
        "do_not_call": fl.do_not_call,
        "not_interested": fl.not_interested,
        "bad_timing": fl.bad_timing,
        "transferred": fl.transferred,
        "capped": fl.capped,
    }


def state_event(
    before: CallState, after: CallState, *, always: bool = False
) -> CallStateChanged | None:
    """A ``calls.<id>.state`` event when the node, the flags or the memory changed."""
    flags = flags_dict(after)
    patch = memory_patch(before, after)
    if patch is not None and set(patch) == {"node_visits"}:
        patch = None  # visits alone ride along with the next real change
    if not always and after.node == before.node and flags == flags_dict(before) and patch is None:
        return None
    seq = after.state_seq
    after.state_seq += 1
    return CallStateChanged(
        event_id=f"{after.call_id}:state:{seq}",
        call_id=after.call_id,
        seq=seq,
        node=after.node,
        previous=before.node if before.node != after.node else None,
        flags=flags,
        memory=patch,
        lead_id=after.lead_id,
        prompt_version_id=after.prompt.version_id,
    )


def visited(state: CallState, node: Node) -> None:
    state.visits[node.value] = state.visits.get(node.value, 0) + 1
