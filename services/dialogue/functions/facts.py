"""Facts about the caller and the four gates (age, homeowner, primary residence, equity)."""

from __future__ import annotations

import logging

from contracts.tools import (
    QualificationResult,
    RecordQualification,
    ToolError,
    UpdateLead,
)
from services.dialogue.context import Turn
from services.dialogue.functions.common import (
    GATE_NAMES,
    StateCode,
    ZipCode,
    fail,
    location_facts,
)
from services.dialogue.functions.registry import Result, llm_function
from services.dialogue.state import Facts

log = logging.getLogger(__name__)


@llm_function
async def update_lead(
    turn: Turn,
    email: str | None = None,
    city: str | None = None,
    state: StateCode | None = None,
    zip: ZipCode | None = None,
    money_purpose: str | None = None,
    amount_needed: int | None = None,
    timeline: str | None = None,
) -> Result:
    """Store facts the caller gave about themselves.

    Only this call's lead: the session is the dialogue's, never an argument.
    """
    f = turn.state.facts
    location_facts(turn, city, state, zip)
    hold_lead_facts(turn, email, money_purpose, amount_needed, timeline)
    result = await turn.tool(
        UpdateLead(
            session=turn.session(),
            first_name=f.first_name,
            last_name=f.last_name,
            email=f.email,
            city=f.city,
            state=f.state if f.state and len(f.state) == 2 else None,
            zip=f.zip,
            address=f.address,
            money_purpose=f.money_purpose,
            timeline=f.timeline,
        )
    )
    if isinstance(result, ToolError):
        # unreachable: everything is still in the facts and is sent again next turn
        turn.state.flags.lead_facts_unsaved = result.retryable
        return fail(result)
    turn.state.flags.lead_facts_unsaved = False
    return {"ok": True}


@llm_function
async def record_qualification(
    turn: Turn,
    age: int | None = None,
    co_borrower_age: int | None = None,
    is_homeowner: bool | None = None,
    primary_residence: bool | None = None,
    property_value: int | None = None,
    mortgage_balance: int | None = None,
) -> Result:
    """Record the caller's answers for the four checks; leave unknown ones out. ``age`` is
    the caller's own, ``co_borrower_age`` the other owner's who lives there (if any)."""
    s, f = turn.state, turn.state.facts
    hold_qualification(turn, age, is_homeowner, primary_residence, property_value,
                       mortgage_balance, co_borrower_age)  # fmt: skip
    result = await turn.tool(
        RecordQualification(
            session=turn.session(),
            age=f.age,
            co_borrower_age=f.co_borrower_age,
            is_homeowner=f.is_homeowner,
            primary_residence=f.primary_residence,
            property_value=f.home_value,
            mortgage_balance=f.mortgage_balance,
        )
    )
    if isinstance(result, ToolError):
        # unreachable (the database down, say): the answers stay in the facts and are sent
        # again next turn, so a caller who qualifies is still offered a booking
        s.flags.qualification_unsaved = result.retryable
        return fail(result)
    if not isinstance(result, QualificationResult):
        return {"ok": False}
    s.flags.qualification_unsaved = False
    s.flags.gates = {k: v for k, v in result.gates.items()}
    s.flags.qualified = result.qualified
    s.flags.disqualification_reason = result.reason.value if result.reason else None
    return {
        "ok": True,
        "qualified": result.qualified,
        "reason": s.flags.disqualification_reason,
        "still_needed": result.missing,
    }


def hold_qualification(
    turn: Turn,
    age: int | None = None,
    is_homeowner: bool | None = None,
    primary_residence: bool | None = None,
    property_value: int | None = None,
    mortgage_balance: int | None = None,
    co_borrower_age: int | None = None,
) -> None:
    """Keep what the caller said about the gates in the call's facts (recorded with the tools
    by :func:`record_qualification`, at once or once the caller is verified)."""
    f = turn.state.facts
    if age is not None and 18 <= int(age) <= 120:
        f.age = int(age)
    if co_borrower_age is not None and 18 <= int(co_borrower_age) <= 120:
        f.co_borrower_age = int(co_borrower_age)
    if is_homeowner is not None:
        f.is_homeowner = bool(is_homeowner)
    if primary_residence is not None:
        f.primary_residence = bool(primary_residence)
    if property_value is not None and 0 <= int(property_value) <= 100_000_000:
        f.home_value = int(property_value)
    if mortgage_balance is not None and 0 <= int(mortgage_balance) <= 100_000_000:
        f.mortgage_balance = int(mortgage_balance)


def holds_gate_facts(turn: Turn) -> bool:
    f = turn.state.facts
    return any(
        v is not None
        for v in (
            f.age,
            f.co_borrower_age,
            f.is_homeowner,
            f.primary_residence,
            f.home_value,
            f.mortgage_balance,
        )
    )


def hold_lead_facts(
    turn: Turn,
    email: str | None = None,
    money_purpose: str | None = None,
    amount_needed: int | None = None,
    timeline: str | None = None,
) -> None:
    """Keep facts for the lead record until the caller is verified (``update_lead`` sends
    every fact held so far)."""
    f = turn.state.facts
    if email and "@" in email:
        f.email = email.strip()[:200]
    if money_purpose:
        f.money_purpose = money_purpose[:300]
    if amount_needed:
        f.amount_needed = int(amount_needed)
    if timeline:
        f.timeline = timeline[:200]


def youngest_age(f: Facts) -> int | None:
    """The younger borrower's age, as far as the call knows it (the age gate)."""
    known = [a for a in (f.age, f.co_borrower_age) if a is not None]
    return min(known) if known else None


def next_gate(turn: Turn) -> str | None:
    """The first gate still open (age, homeowner, primary_residence, equity)."""
    gates = turn.state.flags.gates
    f = turn.state.facts
    for gate in GATE_NAMES:
        if gates.get(gate) is not None:
            continue
        if gate == "age" and youngest_age(f) is None:
            return gate
        if gate == "homeowner" and f.is_homeowner is None:
            return gate
        if gate == "primary_residence" and f.primary_residence is None:
            return gate
        if gate == "equity" and (f.home_value is None or f.mortgage_balance is None):
            return gate
    return None
