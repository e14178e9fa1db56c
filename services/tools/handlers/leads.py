"""Lead tools: lookup, verification, updates, qualification, consent and do-not-call."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from contracts.calls import DisqualificationReason
from contracts.tools import (
    CheckConsent,
    ConsentResult,
    DoNotCallRecorded,
    LeadLookupResult,
    LeadUpdated,
    LookupLead,
    QualificationResult,
    RecordDoNotCall,
    RecordQualification,
    ToolErrorCode,
    ToolSession,
    UpdateLead,
    VerificationResult,
    VerifyCaller,
)
from services.tools.auth import CallContext, Need, authorize, caller_phone
from services.tools.deps import Deps
from services.tools.domain import qualification as q
from services.tools.domain.timezones import caller_zone, say_time, zone
from services.tools.domain.verification import LOCKOUT_S, MAX_FAILED_ATTEMPTS, compare
from services.tools.errors import ToolFailure, invalid, not_authorized
from services.tools.store import appointments, bindings, leads
from services.tools.store.leads import LeadRow

DEFAULT_ZONE = "America/New_York"
CALLING_HOURS = (8, 21)  # 8 a.m. to 9 p.m. in the lead's own time
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def lead_zone(session: ToolSession, lead: LeadRow) -> str:
    return caller_zone(session.caller_timezone, lead.property_state, DEFAULT_ZONE)


# ---- lookup --------------------------------------------------------------------------------


async def lookup_lead(req: LookupLead, deps: Deps) -> LeadLookupResult:
    phone = caller_phone(req.session)
    call = await deps.calls.started(req.session.call_id)
    if call is None:
        raise not_authorized("no call was started with this call_id")
    if call.ended:  # bound or not: nobody is on the line any more to be told about the lead
        raise not_authorized("this call has ended")
    if phone is not None and call.caller_phone is not None and phone != call.caller_phone:
        raise not_authorized("session.caller_number is not the number this call came from")
    phone = call.caller_phone  # the number the gateway saw, never a claim
    if phone is None:
        return LeadLookupResult(found=False)  # no caller ID: nothing to bind
    now = deps.clock.now()
    async with deps.pool.connection() as conn, conn.transaction():
        loaded = await bindings.load(conn, req.session.call_id)
        if loaded is not None:
            binding, lead = loaded
            if binding.caller_phone != phone:
                raise not_authorized("this call is bound to another caller")
        else:
            lead, created = await leads.create_for_caller(conn, phone)
            binding = await bindings.bind(conn, req.session.call_id, lead.id, phone, created)
            if binding.lead_id != lead.id:
                raise not_authorized("this call is bound to another lead")
            await leads.update(conn, lead.id, {"last_contact_at": now})
        verified = binding.verified and (req.session.verified or binding.created_lead)
        memory = await _memory(conn, lead, req.session, now, full=verified)
    return LeadLookupResult(
        found=not binding.created_lead,
        lead_id=str(lead.id),
        status=lead.status,
        qualified=lead.qualified,
        do_not_call=lead.do_not_call,
        broker_id=str(lead.assigned_broker_id) if lead.assigned_broker_id else None,
        memory=memory,
        created=binding.created_lead,
        verified=binding.verified,
    )


async def _memory(
    conn: AsyncConnection, lead: LeadRow, session: ToolSession, now: datetime, *, full: bool
) -> dict[str, Any]:
    """Routing facts always; personal ones (purpose, timeline, times) only once verified."""
    upcoming = await appointments.upcoming(conn, lead.id, now, None)
    memory: dict[str, Any] = {
        "has_upcoming_appointment": upcoming is not None,
        "callback_pending": await appointments.pending_callback(conn, lead.id, now),
        "contacted_before": lead.last_contact_at is not None,
    }
    if not full:
        return memory
    gates = {
        "age": lead.gate_age,
        "homeowner": lead.gate_homeowner,
        "primary_residence": lead.gate_primary_residence,
        "equity": lead.gate_equity,
    }
    memory |= {
        "first_name": lead.first_name,
        "money_purpose": lead.money_purpose,
        "timeline": lead.timeline,
        "gates": gates,
        "disqualification_reason": lead.disqualification_reason,
    }
    if upcoming is not None:
        memory["upcoming_appointment"] = {
            "appointment_id": str(upcoming.id),
            "caller_local": say_time(upcoming.starts_at, lead_zone(session, lead)),
        }
    return {k: v for k, v in memory.items() if v is not None}


# ---- verification --------------------------------------------------------------------------

LOCKED_OUT = "I'm sorry, I'm not able to confirm those details over the phone today."


async def verify_caller(req: VerifyCaller, deps: Deps) -> VerificationResult:
    said = {
        "first_name": req.first_name,
        "last_name": req.last_name,
        "address": req.address,
        "zip": req.zip,
    }
    if not any(v and v.strip() for v in said.values()):
        raise invalid("first_name", "give at least one of first_name, last_name, address, zip")
    async with deps.pool.connection() as conn, conn.transaction():
        ctx = await authorize(conn, req.session, Need.BOUND, lock=True)  # locks the lead
        failures = await bindings.recent_failures(conn, ctx.lead.id, LOCKOUT_S)
        if failures >= MAX_FAILED_ATTEMPTS:
            raise ToolFailure(
                ToolErrorCode.NOT_AUTHORIZED, LOCKED_OUT, detail="verification attempts used up"
            )
        stored = ctx.lead.identity()
        result = compare(said, stored)
        verified = ctx.binding.created_lead or result.verified(stored)
        if verified:
            await _mark_verified(conn, ctx, result.matched)
        elif result.mismatched:
            await bindings.count_failure(conn, ctx.call_id)
            failures += 1
    return VerificationResult(
        verified=verified,
        matched=result.matched,
        mismatched=result.mismatched,
        attempts_left=max(0, MAX_FAILED_ATTEMPTS - failures),
        needs=[] if verified else result.needs(stored),
    )


async def _mark_verified(conn: AsyncConnection, ctx: CallContext, matched: list[str]) -> None:
    await bindings.set_verified(conn, ctx.call_id)
    flags: dict[str, Any] = {"phone_verified": True}
    if {"first_name", "last_name"} & set(matched):
        flags["name_verified"] = True
    if {"address", "zip"} & set(matched):
        flags["address_verified"] = True
    await leads.update(conn, ctx.lead.id, flags)
    await leads.add_activity(conn, ctx.lead.id, "verification", ctx.call_id, {"matched": matched})


# ---- updates and qualification -------------------------------------------------------------

_UPDATE_COLUMNS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "address": "property_address",
    "city": "property_city",
    "state": "property_state",
    "zip": "property_zip",
    "age": "age",
    "property_value": "property_value",
    "mortgage_balance": "mortgage_balance",
    "money_purpose": "money_purpose",
    "timeline": "timeline",
}


async def update_lead(req: UpdateLead, deps: Deps) -> LeadUpdated:
    values: dict[str, Any] = {}
    for name, column in _UPDATE_COLUMNS.items():
        value = getattr(req, name)
        if isinstance(value, str):
            value = " ".join(value.split())
            if not value:
                continue
        if value is not None:
            values[column] = value
    email = values.get("email")
    if email is not None and not _EMAIL.match(email):
        raise invalid("email", "not an email address", "Could you spell that email for me?")
    async with deps.pool.connection() as conn, conn.transaction():
        ctx = await authorize(conn, req.session, Need.VERIFIED, lock=True)
        await leads.update(conn, ctx.lead.id, values)
        if {"age", "property_value", "mortgage_balance"} & values.keys():
            answers = q.Answers(
                age=req.age,
                property_value=req.property_value,
                mortgage_balance=req.mortgage_balance,
            )
            await _apply_gates(conn, ctx, answers, deps.settings.min_equity_ratio)
    return LeadUpdated(updated_fields=[n for n, c in _UPDATE_COLUMNS.items() if c in values])


async def record_qualification(req: RecordQualification, deps: Deps) -> QualificationResult:
    answers = q.Answers(
        age=req.age,
        co_borrower_age=req.co_borrower_age,
        is_homeowner=req.is_homeowner,
        primary_residence=req.primary_residence,
        property_value=req.property_value,
        mortgage_balance=req.mortgage_balance,
    )
    async with deps.pool.connection() as conn, conn.transaction():
        ctx = await authorize(conn, req.session, Need.VERIFIED, lock=True)
        result = await _apply_gates(conn, ctx, answers, deps.settings.min_equity_ratio)
        await leads.add_activity(
            conn,
            ctx.lead.id,
            "qualification",
            ctx.call_id,
            {"gates": result.gates, "reason": result.reason},
        )
    return QualificationResult(
        qualified=result.qualified, gates=result.gates, reason=result.reason, missing=result.missing
    )


async def _apply_gates(
    conn: AsyncConnection, ctx: CallContext, said: q.Answers, min_ratio: float
) -> q.Assessment:
    lead = ctx.lead
    stored = q.Answers(
        age=lead.age,
        co_borrower_age=lead.co_borrower_age,
        is_homeowner=lead.is_homeowner,
        primary_residence=lead.owner_occupied,
        property_value=lead.property_value,
        mortgage_balance=lead.mortgage_balance,
    )
    answers = said.merged_over(stored)
    result = q.assess(answers, min_ratio)
    values: dict[str, Any] = {
        "age": answers.age,
        "co_borrower_age": answers.co_borrower_age,
        "is_homeowner": answers.is_homeowner,
        "owner_occupied": answers.primary_residence,
        "property_value": answers.property_value,
        "mortgage_balance": answers.mortgage_balance,
        "gate_age": result.gates["age"],
        "gate_homeowner": result.gates["homeowner"],
        "gate_primary_residence": result.gates["primary_residence"],
        "gate_equity": result.gates["equity"],
        "disqualification_reason": result.reason.value if result.reason else None,
    }
    status = _status_after(lead.status, result.qualified, result.reason)
    if status:
        values["status"] = status
    await leads.update(conn, lead.id, values)
    return result


def _status_after(
    status: str, qualified: bool | None, reason: DisqualificationReason | None
) -> str | None:
    if qualified is True and status in ("new", "contacted", "not_qualified"):
        return "qualified"
    if reason is not None and status in ("new", "contacted", "qualified"):
        return "not_qualified"
    return None


# ---- consent and do-not-call ---------------------------------------------------------------


async def check_consent(req: CheckConsent, deps: Deps) -> ConsentResult:
    async with deps.pool.connection() as conn:
        ctx = await authorize(conn, req.session, Need.BOUND)
    lead = ctx.lead
    if lead.do_not_call:
        return ConsentResult(may_call=False, do_not_call=True, reason="on the do-not-call list")
    if not lead.consent:
        return ConsentResult(may_call=False, do_not_call=False, reason="no consent on record")
    local = deps.clock.now().astimezone(zone(lead_zone(req.session, lead)))
    if not CALLING_HOURS[0] <= local.hour < CALLING_HOURS[1]:
        return ConsentResult(
            may_call=False, do_not_call=False, reason="outside 8 AM to 9 PM the lead's time"
        )
    return ConsentResult(may_call=True, do_not_call=False)


async def record_do_not_call(req: RecordDoNotCall, deps: Deps) -> DoNotCallRecorded:
    """Honoured for whoever answers the lead's phone: no verification needed to opt out."""
    now = deps.clock.now()
    async with deps.pool.connection() as conn, conn.transaction():
        ctx = await authorize(conn, req.session, Need.BOUND, lock=True)
        if not ctx.lead.do_not_call:
            await leads.update(
                conn,
                ctx.lead.id,
                {
                    "do_not_call": True,
                    "do_not_call_at": now,
                    "consent": False,
                    "status": "do_not_call",
                },
            )
            await appointments.cancel_callbacks(conn, ctx.lead.id)
            await leads.add_activity(
                conn, ctx.lead.id, "do_not_call", ctx.call_id, {"reason": req.reason}
            )
    return DoNotCallRecorded(recorded=True)
