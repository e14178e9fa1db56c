"""Who is calling: the lead the call is bound to, the caller's name, someone else on the line."""

from __future__ import annotations

import logging

from contracts.tools import (
    LeadLookupResult,
    LookupLead,
    ToolError,
    VerificationResult,
    VerifyCaller,
)
from services.dialogue.context import Turn
from services.dialogue.functions.common import (
    StateCode,
    ZipCode,
    fail,
    location_facts,
)
from services.dialogue.functions.facts import record_qualification, update_lead
from services.dialogue.functions.registry import Result, llm_function

log = logging.getLogger(__name__)


async def bind_lead(turn: Turn) -> LeadLookupResult | None:
    """Bind the call to the caller's lead (the tools service makes one for a new caller)."""
    s = turn.state
    result = await turn.tool(LookupLead(session=turn.session()))
    if isinstance(result, LeadLookupResult) and result.lead_id:
        s.lead_id, s.lead_found, s.lead_status = result.lead_id, result.found, result.status
        return result
    return None


@llm_function
async def identify_caller(turn: Turn, first_name: str, last_name: str | None = None) -> Result:
    """The caller said their name."""
    s = turn.state
    s.facts.first_name = first_name.strip().title()[:60] or s.facts.first_name
    if last_name:
        s.facts.last_name = last_name.strip()[:60]
    s.flags.identified = True
    if s.flags.wrong_person:
        s.flags.wrong_person = False
        s.flags.waiting_for_person = False
    if s.lead_id:
        return await verify_caller(turn, first_name=first_name, last_name=last_name)
    return {"ok": True, "identified": True, "verified": s.flags.verified}


@llm_function
async def verify_caller(
    turn: Turn,
    first_name: str | None = None,
    last_name: str | None = None,
    city: str | None = None,
    state: StateCode | None = None,
    zip: ZipCode | None = None,
    address: str | None = None,
) -> Result:
    """Check the caller's own words (name, city, state, ZIP, street address) against the record.

    A known lead needs more than a first name: their last name, or the ZIP code or street
    address of the home (``needs`` says what is still missing; ask once, kindly). A new
    caller's words become their record.
    """
    s = turn.state
    if first_name:
        s.facts.first_name = first_name.strip().title()[:60]
        s.flags.identified = True
    if last_name:
        s.facts.last_name = last_name.strip()[:60]
    if address and address.strip():
        s.facts.address = " ".join(address.split())[:200]
    location_facts(turn, city, state, zip)
    f = s.facts
    if s.lead_id and not s.flags.verified and (f.first_name or f.last_name or f.zip or f.address):
        result = await turn.tool(
            VerifyCaller(
                session=turn.session(),
                first_name=f.first_name,
                last_name=f.last_name,
                address=f.address,
                zip=f.zip,
            )
        )
        if isinstance(result, ToolError):
            return fail(result)
        if isinstance(result, VerificationResult):
            _verified(turn, result)
            if (
                s.flags.verified
                and s.lead_found
                and not s.flags.gates
                and s.flags.qualified is None
                and not s.flags.no_sales
            ):
                # a known caller, confirmed: what their record already holds is not asked again
                await record_qualification(turn)
    if (
        s.flags.verified
        and not s.lead_found
        and (first_name or last_name or city or state or zip or address)
    ):
        await update_lead(turn)  # a new caller: what they told us becomes their record
    s.flags.located = bool(f.zip or f.state)
    out: Result = {"ok": True, "verified": s.flags.verified}
    if s.flags.verify_needs:
        out["still_needed"] = ", or ".join(_SAID_AS[n] for n in s.flags.verify_needs)
    return out


#: how a missing field is put to the model (never a stored value)
_SAID_AS = {
    "first_name": "their first name",
    "last_name": "their last name",
    "address": "the street address of the home",
    "zip": "the ZIP code of the home",
}


def _verified(turn: Turn, result: VerificationResult) -> None:
    f = turn.state.flags
    if result.verified:
        f.verified, f.verify_needs = True, []
    elif result.mismatched:
        f.verify_attempts += 1
        f.verify_needs = []
    else:
        f.verify_needs = list(result.needs)


@llm_function
async def note_wrong_person(
    turn: Turn, relation: str | None = None, coming_to_phone: bool = False
) -> Result:
    """Someone other than the homeowner answered."""
    s = turn.state
    s.flags.wrong_person = True
    s.flags.waiting_for_person = coming_to_phone
    s.flags.identified = False
    s.flags.verified = False
    s.facts.relation = (relation or s.facts.relation or "someone else")[:40]
    return {"ok": True, "wrong_person": True, "waiting": coming_to_phone}


@llm_function
async def take_message(turn: Turn, message: str) -> Result:
    """Take a short message for the homeowner."""
    turn.state.facts.message = message[:300]
    turn.state.flags.ended = True
    return {"ok": True}
