"""The deterministic evaluator (``deterministic-v1``) on call records, without a database."""

from __future__ import annotations

from dataclasses import replace

from services.persistence.analysis.evaluate import DETERMINISTIC, evaluate
from services.persistence.analysis.record import CallRecord
from services.persistence.analysis.store import cost_cents

BOOKED = CallRecord(
    call_id="call_eval01", outcome="booked", end_reason="agent_ended", duration_ms=180_000,
    prompt_version_id=None, cost_per_min_cents=9.5, summary="Booked with Daniel.",
    facts={"age": 71, "home_value": 700_000, "mortgage_balance": 0, "primary_residence": True},
    lines=[("agent", "Hi, this is Barbara, an AI assistant; this call may be recorded."),
           ("caller", "Hi, I'm Eleanor."), ("agent", "Lovely. How old is the youngest owner?"),
           ("caller", "Seventy-one."), ("agent", "Wednesday at three works?"),
           ("caller", "Yes.")],
    nodes=["verify", "qualify", "objections", "book", "exit"],
    flags={"objections": ["heirs"]},
    tools=[("verify_caller", False), ("record_qualification", False),
           ("search_knowledge", False), ("get_availability", False),
           ("book_appointment", False)],
)  # fmt: skip


def scores(call: CallRecord) -> dict[str, int]:
    s = evaluate(call).scores
    return {f: getattr(s, f) for f in s.__struct_fields__}


def test_a_good_booked_call_scores_high_and_is_named_deterministic() -> None:
    ev = evaluate(BOOKED)
    assert ev.evaluator == DETERMINISTIC == "deterministic-v1"
    assert scores(BOOKED) == {"opening": 10, "property_discussion": 10,
                              "objection_handling": 10, "booking_attempt": 10, "tone": 9,
                              "overall_flow": 9}  # fmt: skip
    assert not ev.red_flags and ev.summary == "Booked with Daniel."
    assert ev.facts["appointment_booked"] is True and ev.facts["age"] == 71


def test_failures_promises_and_missing_disclosure_are_red_flags() -> None:
    bad = replace(
        BOOKED, outcome="error", end_reason="error", summary="", facts={},
        lines=[("agent", "Hello there, you are guaranteed a lot of money."), ("caller", "Oh?")],
        tools=[("book_appointment", True), ("book_appointment", True)], nodes=["greet"],
        flags={},
    )  # fmt: skip
    ev = evaluate(bad)
    s = scores(bad)
    assert all(0 <= v <= 10 for v in s.values())
    assert s["opening"] < 10 and s["tone"] <= 5 and s["overall_flow"] <= 1
    assert any("guarantee" in f for f in ev.red_flags)
    assert "two or more failed tool attempts" in ev.red_flags
    assert "no AI or recording disclosure in the first reply" in ev.weaknesses
    assert ev.summary.startswith("error after 1 caller turn")


def test_a_silent_call_is_scored_low_not_skipped() -> None:
    silent = replace(BOOKED, outcome="no_response", lines=[], nodes=[], tools=[], facts={},
                     flags={}, summary="")  # fmt: skip
    ev = evaluate(silent)
    assert scores(silent)["opening"] == 0 and "the agent never spoke" in ev.red_flags


def test_cost_is_minutes_times_the_template_price_plus_tokens() -> None:
    assert cost_cents(BOOKED, 0, 2.0) == 28.5  # 3 min × 9.5¢
    assert cost_cents(BOOKED, 2500, 2.0) == 33.5  # + 2.5k tokens × 2¢
