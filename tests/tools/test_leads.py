"""Lead tools over the real bus and database: lookup by caller ID in any format, verification
that compares and never reveals, updates, the four gates, consent and do-not-call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
import pytest

from contracts import codec
from contracts.calls import DisqualificationReason
from contracts.tools import (
    CheckConsent,
    ConsentResult,
    DoNotCallRecorded,
    LeadUpdated,
    LookupLead,
    QualificationResult,
    RecordDoNotCall,
    RecordQualification,
    ToolErrorCode,
    ToolSession,
    UpdateLead,
    VerifyCaller,
)
from services.ops.migrate import service_url
from tests.tools.helpers import (
    DENISE,
    MARGARET,
    RUTH,
    WALTER,
    broker_id,
    lead_id,
    ok,
    refused,
    request,
)

MARGARET_PII = ["Margaret", "Holloway", "Linden", "98103", "650000", "margaret.holloway"]


@pytest.mark.parametrize(
    "caller_id", ["(206) 555-0231", "206.555.0231", "+12065550231", "1-206-555-0231", "2065550231"]
)
async def test_lookup_finds_the_lead_whatever_the_format(call: Any, caller_id: str) -> None:
    found = await call(caller_id).lookup()
    assert found.found and not found.created
    assert found.lead_id == lead_id("lead-margaret")
    assert found.broker_id == broker_id("brk-pacific")
    assert found.qualified and found.status == "qualified" and not found.do_not_call


async def test_lookup_reveals_no_personal_details_before_verification(call: Any, nc: Any) -> None:
    c = call(MARGARET)
    found = await c.lookup()
    wire = codec.encode(found).decode()
    assert not any(pii in wire for pii in MARGARET_PII), wire
    assert set(found.memory) == {"has_upcoming_appointment", "callback_pending", "contacted_before"}
    await c.verify(first_name="Margaret", last_name="Holloway")
    again = await c.lookup()
    assert again.verified and again.memory["first_name"] == "Margaret"
    assert again.memory["gates"] == {
        "age": True,
        "homeowner": True,
        "primary_residence": True,
        "equity": True,
    }


async def test_an_unknown_caller_gets_a_new_lead_bound_and_verified(call: Any, query: Any) -> None:
    c = call("(555) 201-9999")  # 555-2xxx: a plausible, unused number
    first = await c.lookup()
    assert first.created and not first.found and first.verified and first.lead_id
    assert query("SELECT status, phone FROM leads WHERE id = %s", first.lead_id) == [
        ("new", "+15552019999")
    ]
    again = await c.lookup()
    assert again.lead_id == first.lead_id and again.created
    assert ok(await c.ask(RecordQualification, age=70), QualificationResult).gates["age"] is True


@pytest.mark.parametrize("garbage", ["12345", "call me maybe", "+1 (011) 555-0100", "0000000000"])
async def test_a_garbage_caller_number_is_a_typed_error(call: Any, garbage: str) -> None:
    error = refused(await call(garbage).ask(LookupLead))
    assert error.code is ToolErrorCode.INVALID_ARGUMENTS
    assert error.field == "session.caller_number"


async def test_no_caller_id_binds_nothing(call: Any) -> None:
    found = await call(None).lookup()
    assert not found.found and found.lead_id is None


async def test_verification_compares_and_never_returns_the_record(call: Any, query: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    result = await c.verify(
        first_name="margaret", last_name="Halloway", address="4417 Linden Avenue North"
    )
    assert result.verified and result.mismatched == []
    assert set(result.matched) == {"first_name", "last_name", "address"}
    assert "Holloway" not in codec.encode(result).decode()
    flags = query(
        "SELECT phone_verified, name_verified, address_verified FROM leads WHERE id = %s",
        lead_id("lead-margaret"),
    )
    assert flags == [(True, True, True)]
    assert query("SELECT kind FROM lead_activity WHERE lead_id = %s", lead_id("lead-margaret")) == [
        ("verification",)
    ]


async def test_the_wrong_person_is_not_verified_and_is_locked_out_after_three_tries(
    call: Any,
) -> None:
    c = call(MARGARET)
    await c.lookup()
    for left in (2, 1, 0):
        attempt = await c.verify(first_name="Kevin", last_name="Holloway")
        assert not attempt.verified and attempt.mismatched == ["first_name"]
        assert attempt.attempts_left == left
    locked = refused(await c.ask(VerifyCaller, first_name="Margaret"))
    assert locked.code is ToolErrorCode.NOT_AUTHORIZED
    assert "not able to confirm" in locked.message
    assert not c.verified


async def test_a_first_name_alone_does_not_verify_and_says_what_would(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    partial = await c.verify(first_name="Margaret")
    assert not partial.verified and partial.matched == ["first_name"] and partial.mismatched == []
    assert partial.needs == ["last_name", "address", "zip"]
    assert "Holloway" not in codec.encode(partial).decode()
    assert refused(await c.ask(UpdateLead, age=75)).code is ToolErrorCode.NOT_VERIFIED


async def test_a_first_name_then_the_last_name_verifies(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    await c.verify(first_name="Margaret")
    done = await c.verify(first_name="Margaret", last_name="holloway")
    assert done.verified and done.needs == [] and done.attempts_left == 3


async def test_a_first_name_with_the_zip_or_the_street_verifies(call: Any) -> None:
    by_zip = call(MARGARET)
    await by_zip.lookup()
    assert (await by_zip.verify(first_name="Peggy", zip="98103")).verified
    by_street = call(MARGARET)
    await by_street.lookup()
    assert (await by_street.verify(first_name="Margaret", address="4417 Linden Avenue")).verified


async def test_the_zip_and_street_without_a_name_do_not_verify(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    result = await c.verify(zip="98103", address="4417 Linden Ave N")
    assert not result.verified and result.needs == ["first_name", "last_name"]


async def test_partial_answers_never_count_towards_the_lockout(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    for _ in range(5):
        partial = await c.verify(first_name="Margaret")
        assert not partial.verified and partial.attempts_left == 3
    assert (await c.verify(first_name="Margaret", zip="98103")).verified


async def test_a_wrong_last_name_after_a_right_first_name_is_a_failed_attempt(
    call: Any,
) -> None:
    c = call(MARGARET)
    await c.lookup()
    result = await c.verify(first_name="Margaret", last_name="Henderson")
    assert not result.verified and result.mismatched == ["last_name"] and result.needs == []
    assert result.attempts_left == 2
    assert "Holloway" not in codec.encode(result).decode()


async def test_verifying_needs_something_the_caller_said(call: Any) -> None:
    c = call(MARGARET)
    await c.lookup()
    error = refused(await c.ask(VerifyCaller))
    assert error.code is ToolErrorCode.INVALID_ARGUMENTS


async def test_updates_need_verification_then_store_what_the_caller_said(
    call: Any, query: Any
) -> None:
    c = call(WALTER)
    await c.lookup()
    before = refused(await c.ask(UpdateLead, email="walt@example.com"))
    assert before.code is ToolErrorCode.NOT_VERIFIED
    assert (await c.verify(first_name="Walter", last_name="Brennan Cole")).verified
    done = ok(
        await c.ask(
            UpdateLead,
            email=" walt@example.com ",
            address="12 Oak St",
            money_purpose="fix the roof",
            timeline="this spring",
        ),
        LeadUpdated,
    )
    assert done.updated_fields == ["email", "address", "money_purpose", "timeline"]
    row = query(
        "SELECT email, property_address, money_purpose, timeline FROM leads WHERE id = %s",
        lead_id("lead-walter"),
    )
    assert row == [("walt@example.com", "12 Oak St", "fix the roof", "this spring")]
    bad = refused(await c.ask(UpdateLead, email="walt at example dot com"))
    assert bad.code is ToolErrorCode.INVALID_ARGUMENTS and bad.field == "email"


@pytest.mark.parametrize(
    ("field", "value"),
    [("age", 150), ("age", 3), ("zip", "9810"), ("state", "Washington"), ("property_value", -5)],
)
async def test_impossible_values_are_refused_naming_the_field(
    call: Any, field: str, value: Any
) -> None:
    c = call(WALTER)
    await c.lookup()
    await c.verify(first_name="Walter", last_name="Brennan-Cole")
    error = refused(await c.ask(UpdateLead, **{field: value}))
    assert error.code is ToolErrorCode.INVALID_ARGUMENTS and error.field == field


async def test_qualification_passes_all_four_gates(call: Any, query: Any) -> None:
    c = call(WALTER)
    await c.lookup()
    await c.verify(first_name="Walter", last_name="Brennan-Cole")
    result = ok(
        await c.ask(
            RecordQualification,
            age=70,
            is_homeowner=True,
            primary_residence=True,
            property_value=400_000,
            mortgage_balance=100_000,
        ),
        QualificationResult,
    )
    assert result.qualified is True and result.reason is None and result.missing == []
    assert query(
        "SELECT qualified, status, age FROM leads WHERE id = %s", lead_id("lead-walter")
    ) == [(True, "qualified", 70)]


async def test_qualification_is_built_up_over_several_answers(call: Any) -> None:
    c = call(WALTER)
    await c.lookup()
    await c.verify(first_name="Walter", last_name="Brennan-Cole")
    partial = ok(await c.ask(RecordQualification, age=66, is_homeowner=True), QualificationResult)
    assert partial.qualified is None
    assert partial.missing == ["primary_residence", "property_value", "mortgage_balance"]
    done = ok(
        await c.ask(RecordQualification, primary_residence=True, mortgage_balance=0),
        QualificationResult,
    )
    assert done.qualified is True  # a paid-off home has all its equity


async def test_a_failed_gate_records_the_reason(call: Any, query: Any) -> None:
    c = call(WALTER)
    await c.lookup()
    await c.verify(first_name="Walter", last_name="Brennan-Cole")
    result = ok(
        await c.ask(
            RecordQualification,
            age=70,
            is_homeowner=True,
            primary_residence=True,
            property_value=300_000,
            mortgage_balance=250_000,
        ),
        QualificationResult,
    )
    assert result.qualified is False and result.reason is DisqualificationReason.INSUFFICIENT_EQUITY
    assert query(
        "SELECT status, disqualification_reason FROM leads WHERE id = %s", lead_id("lead-walter")
    ) == [("not_qualified", "insufficient_equity")]


async def test_the_under_62_lead_stays_disqualified_with_its_reason(call: Any) -> None:
    c = call(DENISE)
    await c.lookup()
    await c.verify(first_name="Denise", last_name="Marchetti")
    result = ok(await c.ask(RecordQualification, property_value=540_000), QualificationResult)
    assert result.reason is DisqualificationReason.AGE_BELOW_62 and result.qualified is False


async def test_consent_honours_dnc_consent_and_calling_hours(call: Any, clock: Any) -> None:
    ruth = call(RUTH)
    await ruth.lookup()
    dnc = ok(await ruth.ask(CheckConsent), ConsentResult)
    assert not dnc.may_call and dnc.do_not_call
    margaret = call(MARGARET)
    await margaret.lookup()
    early = ok(await margaret.ask(CheckConsent), ConsentResult)  # 6 AM in Seattle
    assert not early.may_call and "8 AM" in early.reason
    clock.advance(timedelta(hours=4))  # 10 AM in Seattle
    assert ok(await margaret.ask(CheckConsent), ConsentResult).may_call


async def test_stop_calling_is_recorded_for_whoever_answers_and_honoured(
    call: Any, query: Any
) -> None:
    c = call(WALTER)  # not verified: anyone on the lead's phone may opt it out
    await c.lookup()
    assert ok(await c.ask(RecordDoNotCall), DoNotCallRecorded).recorded
    assert ok(await c.ask(RecordDoNotCall), DoNotCallRecorded).recorded  # idempotent
    row = query(
        "SELECT do_not_call, consent, status FROM leads WHERE id = %s", lead_id("lead-walter")
    )
    assert row == [(True, False, "do_not_call")]
    assert query(
        "SELECT count(*) FROM lead_activity WHERE lead_id = %s AND kind = 'do_not_call'",
        lead_id("lead-walter"),
    ) == [(1,)]
    later = call(WALTER)
    found = await later.lookup()
    assert found.do_not_call
    assert not ok(await later.ask(CheckConsent), ConsentResult).may_call


async def test_a_session_that_skips_lookup_is_refused(nc: Any, tools: Any) -> None:
    session = ToolSession(
        call_id="call_neverlooked",
        lead_id=lead_id("lead-margaret"),
        verified=True,
        caller_number="+12065550231",
    )
    error = refused(await request(nc, CheckConsent(session=session)))
    assert error.code is ToolErrorCode.NOT_AUTHORIZED


async def test_the_lockout_is_per_lead_a_new_call_does_not_reset_it(call: Any) -> None:
    first = call(MARGARET)
    await first.lookup()
    for _ in range(3):
        await first.verify(first_name="Kevin", last_name="Holloway")
    again = call(MARGARET)  # hang up and call back: a new call id
    await again.lookup()
    locked = refused(await again.ask(VerifyCaller, first_name="Margaret"))
    assert locked.code is ToolErrorCode.NOT_AUTHORIZED
    assert not again.verified


async def test_the_lockout_expires(call: Any, seeded: str) -> None:
    first = call(MARGARET)
    await first.lookup()
    for _ in range(3):
        await first.verify(first_name="Kevin", last_name="Holloway")
    with psycopg.connect(service_url(seeded, "tools")) as conn:  # sixteen minutes later
        conn.execute(
            "UPDATE call_bindings SET updated_at = now() - interval '16 minutes'"
            " WHERE call_id = %s",
            (first.call_id,),
        )
    later = call(MARGARET)
    await later.lookup()
    assert (await later.verify(first_name="Margaret", zip="98103")).verified
