"""The session is a claim; the call's binding is the authority. A call can read and change only
its own lead, PII only after verification, and book only slots issued to it."""

from __future__ import annotations

from typing import Any

import pytest

from contracts import codec
from contracts.calls import CallEnded, EndReason
from contracts.subjects import call_subject
from contracts.tools import (
    AvailabilityResult,
    BookAppointment,
    CancelAppointment,
    CheckConsent,
    GetAvailability,
    LeadLookupResult,
    LookupLead,
    RecordDoNotCall,
    RecordQualification,
    ToolErrorCode,
    ToolRequest,
    UpdateLead,
    VerifyCaller,
)
from tests.tools.helpers import (
    MARGARET,
    WALTER,
    Call,
    key,
    lead_id,
    ok,
    refused,
    request,
    start_call,
)

OTHER_LEAD_REQUESTS: list[tuple[type[ToolRequest], dict[str, Any]]] = [
    (UpdateLead, {"address": "1 Stranger Way"}),
    (RecordQualification, {"age": 90}),
    (VerifyCaller, {"first_name": "Margaret"}),
    (CheckConsent, {}),
    (RecordDoNotCall, {}),
    (GetAvailability, {}),
    (CancelAppointment, {}),
    (BookAppointment, {"slot_id": "slot_000000000000", "idempotency_key": "k"}),
]


@pytest.mark.parametrize(
    ("kind", "args"), OTHER_LEAD_REQUESTS, ids=lambda v: getattr(v, "__name__", "")
)
async def test_a_call_cannot_touch_another_lead(
    call: Any, query: Any, kind: type[ToolRequest], args: dict[str, Any]
) -> None:
    c = call(WALTER)
    await c.lookup()
    assert (await c.verify(first_name="Walter", last_name="Brennan-Cole")).verified
    c.lead_id = lead_id("lead-margaret")  # e.g. an id that leaked into the LLM's context
    error = refused(await c.ask(kind, **args))
    assert error.code is ToolErrorCode.NOT_AUTHORIZED
    assert "not able to help" in error.message
    assert query(
        "SELECT property_address, age, do_not_call FROM leads WHERE id = %s",
        lead_id("lead-margaret"),
    ) == [("4417 Linden Ave N", 74, False)]


async def test_a_booking_for_another_lead_is_refused_even_with_its_slot(
    call: Any, query: Any
) -> None:
    margaret = call(MARGARET)
    await margaret.lookup()
    await margaret.verify(first_name="Margaret", last_name="Holloway")
    slot = ok(await margaret.ask(GetAvailability), AvailabilityResult).slots[0]
    walter = call(WALTER)
    await walter.lookup()
    await walter.verify(first_name="Walter", last_name="Brennan-Cole")
    walter.lead_id = lead_id("lead-margaret")
    as_margaret = refused(
        await walter.ask(BookAppointment, slot_id=slot.slot_id, idempotency_key=key())
    )
    assert as_margaret.code is ToolErrorCode.NOT_AUTHORIZED
    walter.lead_id = lead_id("lead-walter")
    with_her_slot = refused(
        await walter.ask(BookAppointment, slot_id=slot.slot_id, idempotency_key=key())
    )
    assert with_her_slot.code is ToolErrorCode.NOT_AUTHORIZED
    assert with_her_slot.detail == "slot_id was not offered in this call"
    assert query("SELECT count(*) FROM appointments") == [(0,)]


async def test_a_forged_verified_flag_does_not_verify(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    c.verified = True  # the dialogue (or a bug) claims it; verify_caller never said so
    error = refused(await c.ask(UpdateLead, email="x@example.com"))
    assert error.code is ToolErrorCode.NOT_VERIFIED
    assert "confirm a couple of details" in error.message


async def test_a_session_whose_caller_is_not_the_bound_caller_is_refused(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    await c.verify(first_name="Margaret", last_name="Holloway")
    c.caller_number = "+13125550232"
    assert refused(await c.ask(CheckConsent)).code is ToolErrorCode.NOT_AUTHORIZED
    assert refused(await c.ask(LookupLead)).code is ToolErrorCode.NOT_AUTHORIZED


async def test_a_call_stays_bound_to_its_first_lead(nc: Any, call: Any) -> None:
    c = call(MARGARET)
    first = await c.lookup()
    hijack = Call(nc=nc, caller_number=WALTER, call_id=c.call_id, started=True)
    error = refused(await hijack.ask(LookupLead))
    assert error.code is ToolErrorCode.NOT_AUTHORIZED
    assert (await c.lookup()).lead_id == first.lead_id


async def test_verification_state_does_not_carry_over_to_another_call(call: Any) -> None:
    one = call(MARGARET)
    await one.lookup()
    await one.verify(first_name="Margaret", last_name="Holloway")
    two = call(MARGARET)
    await two.lookup()
    two.verified = True
    assert refused(await two.ask(RecordQualification, age=70)).code is ToolErrorCode.NOT_VERIFIED


async def test_search_needs_no_lead_but_a_valid_session(nc: Any, tools: Any) -> None:
    from contracts.tools import KnowledgeResult, SearchKnowledge, ToolSession

    session = ToolSession(call_id="call_anon0001")
    result = await request(nc, SearchKnowledge(session=session, query="what is a HECM"))
    assert isinstance(result, KnowledgeResult)


# ---- a session is created by the call (the gateway's started), never claimed ----------------


async def test_a_call_nobody_started_gets_no_session(nc: Any, tools: Any) -> None:
    forged = Call(nc=nc, caller_number=MARGARET, started=True)  # no started on the stream
    error = refused(await forged.ask(LookupLead))
    assert error.code is ToolErrorCode.NOT_AUTHORIZED


async def test_a_session_naming_another_number_than_the_call_came_from_is_refused(
    nc: Any, tools: Any
) -> None:
    c = Call(nc=nc, caller_number=WALTER, started=True)
    await start_call(nc, c.call_id, "+12065550999")  # the gateway saw another number
    assert refused(await c.ask(LookupLead)).code is ToolErrorCode.NOT_AUTHORIZED
    # a session that claims nothing is bound to the number the gateway saw
    c.caller_number = None
    result = ok(await c.ask(LookupLead), LeadLookupResult)
    assert result.created  # +12065550999 is nobody on record: a new lead for that number


async def test_a_call_that_has_ended_gets_no_new_session(nc: Any, tools: Any) -> None:
    c = Call(nc=nc, caller_number=MARGARET, started=True)
    await start_call(nc, c.call_id, MARGARET, ended=True)
    assert refused(await c.ask(LookupLead)).code is ToolErrorCode.NOT_AUTHORIZED


async def test_a_bound_call_that_has_ended_reveals_nothing_more(nc: Any, tools: Any) -> None:
    """The dialogue looked the caller up during the call; once it has ended, a lookup naming
    the same call and number (a replayed or forged request) is refused all the same."""
    c = Call(nc=nc, caller_number=MARGARET, started=True)
    await start_call(nc, c.call_id, MARGARET)
    assert ok(await c.ask(LookupLead), LeadLookupResult).lead_id  # bound, while on the line
    ended = CallEnded(call_id=c.call_id, reason=EndReason.CALLER_HUNG_UP, duration_ms=1000)
    await nc.jetstream().publish(call_subject(c.call_id, "ended"), codec.encode(ended))
    assert refused(await c.ask(LookupLead)).code is ToolErrorCode.NOT_AUTHORIZED
