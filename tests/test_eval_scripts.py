"""The caller-script format read by ``equity-connect eval``, and eval's own scoring helpers:
pure functions, no infrastructure."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from services.agent_gateway.simulate import script_lines
from services.ops.evaluate import (
    CallReport,
    ScriptReport,
    candidate_number,
    expect_failures,
    fact_failure,
    summary_json,
    summary_line,
)
from services.ops.scripts import (
    Check,
    CheckKind,
    Expect,
    ScriptError,
    find_scripts,
    parse,
    parse_check,
    parse_expect,
)

TWO_CALLS = """\
# A caller who wants a callback, then calls back and books.
# from: (206) 555-0142
# expect: callback_scheduled
# check: callback
Hi, can you call me back tomorrow morning?
<silence>
<call>
#expect: booked
# Check:  appointment
#  check: said "all set"
Hello again, I'd like to book now.
The first one.
"""


def test_a_script_with_two_calls() -> None:
    script = parse(TWO_CALLS, "callback-then-book.txt")
    assert script.caller == "+12065550142"
    assert script.name == "callback-then-book.txt"
    first, second = script.calls
    assert first.lines == ("Hi, can you call me back tomorrow morning?", "<silence>")
    assert first.expect == Expect(("callback_scheduled",))
    assert first.checks == (Check(CheckKind.CALLBACK),)
    assert second.lines == ("Hello again, I'd like to book now.", "The first one.")
    assert second.checks == (Check(CheckKind.APPOINTMENT), Check(CheckKind.SAID, "all set"))
    assert script.expected == "callback_scheduled → booked"


def test_the_caller_lines_are_what_call_script_would_say() -> None:
    text = "# from: +15095550100\n# expect: booked\n\nHello.\n  <silence>  \n# aside\nBye.\n"
    assert parse(text).calls[0].lines == tuple(script_lines(text))


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("booked", Expect(("booked",))),
        ("not_qualified age_below_62", Expect(("not_qualified",), ("age_below_62",))),
        ("Callback_Scheduled|booked", Expect(("callback_scheduled", "booked"))),
        ("no_response", Expect(("no_response",))),  # any outcome word: new ones are coming
        ("not_qualified not_homeowner|age_below_62",
         Expect(("not_qualified",), ("not_homeowner", "age_below_62"))),
    ],
)  # fmt: skip
def test_expect(text: str, expect: Expect) -> None:
    assert parse_expect(text) == expect
    assert str(expect) == text.lower()


@pytest.mark.parametrize("text", ["", "booked, callback", "booked age_below_62 extra", "bo-oked"])
def test_a_malformed_expect_is_an_error(text: str) -> None:
    with pytest.raises(ScriptError, match="expect"):
        parse_expect(text)


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("appointment", Check(CheckKind.APPOINTMENT)),
        ("No  Appointment", Check(CheckKind.NO_APPOINTMENT)),
        ("cancelled", Check(CheckKind.CANCELLED)),
        ("callback", Check(CheckKind.CALLBACK)),
        ("do_not_call", Check(CheckKind.DO_NOT_CALL)),
        ("email", Check(CheckKind.EMAIL)),
        ("no slots offered", Check(CheckKind.NO_SLOTS)),
        ("fact age=71", Check(CheckKind.FACT, "age", "71")),
        ("fact first_name = Eleanor", Check(CheckKind.FACT, "first_name", "Eleanor")),
        ("fact zip=98103", Check(CheckKind.FACT, "property_zip", "98103")),
        ("fact address=12 Oak St", Check(CheckKind.FACT, "property_address", "12 Oak St")),
        ("fact email=", Check(CheckKind.FACT, "email", "")),
        ("said Goodbye", Check(CheckKind.SAID, "Goodbye")),
        ("said 'you're all set'", Check(CheckKind.SAID, "you're all set")),
        ("not said social security number", Check(CheckKind.NOT_SAID, "social security number")),
        ("tool book_appointment", Check(CheckKind.TOOL, "book_appointment")),
        ("no tool get_availability", Check(CheckKind.NO_TOOL, "get_availability")),
    ],
)
def test_check(text: str, check: Check) -> None:
    assert parse_check(text) == check


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("appointmnet", "unknown check"),
        ("booked", "unknown check"),
        ("no appointments", "unknown check"),
        ("tool book_it", "not a tool"),
        ("fact age", "FIELD=VALUE"),
        ("said", "unknown check"),
        ("said ''", "wants some text"),
    ],
)
def test_a_bad_check_is_an_error_never_ignored(text: str, words: str) -> None:
    with pytest.raises(ScriptError, match=words):
        parse_check(text)


def test_every_problem_of_a_script_is_named() -> None:
    text = "# check: appointmnet\nHello.\n<call>\n# expect: booked\n# expect: booked\nHi.\n"
    with pytest.raises(ScriptError) as err:
        parse(text, "bad.txt")
    message = str(err.value)
    assert message.startswith("bad.txt: line 1: unknown check 'appointmnet'")
    assert "no '# from:" in message
    assert "call 1 has no '# expect: OUTCOME' line" in message
    assert "call 2 has more than one '# expect:' line" in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("# expect: booked\nHello.\n", "no '# from:"),
        ("# from: +12065550142\nHello.\n", "the script has no '# expect:"),
        ("# from: 12345\n# expect: booked\n", "# from: '12345'"),
        ("# from: +12065550142\n# from: +12065550143\n# expect: booked\n", "more than one"),
    ],
)
def test_a_script_needs_one_number_and_an_expectation(text: str, words: str) -> None:
    with pytest.raises(ScriptError, match=words):
        parse(text)


def test_scripts_are_found_at_any_depth_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for rel in ("b/two.txt", "a.txt", "README.md", "b/one.txt"):
        (tmp_path / rel).write_text("")
    found = find_scripts([tmp_path, tmp_path / "a.txt"])
    assert [name for name, _ in found] == ["a.txt", "b/one.txt", "b/two.txt", "a.txt"]
    with pytest.raises(ScriptError, match="no such directory"):
        find_scripts([tmp_path / "missing"])


def test_a_fresh_number_keeps_the_area_code() -> None:
    rng = random.Random(7)
    numbers = {candidate_number("+12065550142", rng) for _ in range(200)}
    assert all(n.startswith("+1206") and len(n) == 12 and n[5] not in "01" for n in numbers)
    assert len(numbers) > 190
    assert candidate_number("+442071234567", rng).startswith("+442071")


def test_expected_outcome_and_reason() -> None:
    call = parse("# from: +12065550142\n# expect: not_qualified|not_interested age_below_62\n")
    only = call.calls[0]
    assert expect_failures(only, "not_qualified", "age_below_62") == []
    assert expect_failures(only, "booked", None) == [
        "expected not_qualified|not_interested, got booked",
        "expected reason age_below_62, got none",
    ]
    any_reason = parse("# from: +12065550142\n# expect: not_qualified\n").calls[0]
    assert expect_failures(any_reason, "not_qualified", "not_homeowner") == []


def test_facts_compare_as_text_numbers_by_value() -> None:
    lead = {"age": 71, "first_name": "Eleanor", "property_value": "400000.00",
            "is_homeowner": False, "email": None}  # fmt: skip
    assert fact_failure(lead, "age", "71") is None
    assert fact_failure(lead, "first_name", "eleanor") is None
    assert fact_failure(lead, "property_value", "400,000") is None
    assert fact_failure(lead, "is_homeowner", "false") is None
    assert fact_failure(lead, "email", "") is None
    assert fact_failure(lead, "age", "70") == "age is '71'"
    assert fact_failure(lead, "email", "a@b.co") == "email is empty"
    assert fact_failure(lead, "shoe_size", "9") == "leads has no column 'shoe_size'"


def _report(name: str, expected: str, *failures: str) -> ScriptReport:
    call = CallReport("call_1", expected, "booked", None, 3, failures, (), "")
    return ScriptReport(name, expected, "+12065550100", (call,))


def test_the_summary_counts_by_expected_outcome() -> None:
    reports = [
        _report("a", "booked"),
        _report("b", "booked", "expected booked, got error"),
        _report("c", "do_not_call"),
        ScriptReport("d", "?", error="d: no '# from:'"),
    ]
    assert summary_line(reports) == "2/4 passed (by outcome: ? 0/1, booked 1/2, do_not_call 1/1)"
    summary = summary_json(reports)
    assert summary["passed"] == 2 and summary["total"] == 4 and summary["failed"] == ["b", "d"]
    assert reports[3].failures == ["d: no '# from:'"] and reports[3].got == "error"
    assert reports[1].as_json()["failures"] == ["expected booked, got error"]


# ---- quality: slots, questions asked three times, deflections ----------------------------

OFFER = (
    "Thank you. I have Tuesday, December eighth at twelve fifteen PM or Wednesday, December "
    "ninth at three PM; which works better for you?"
)


def test_the_times_offered_are_read_from_barbaras_words() -> None:
    from services.ops.quality import Offered, slots_offered

    booked = "You're all set for Tuesday, December eighth at twelve fifteen PM with Daniel Okafor."
    assert slots_offered([OFFER, booked]) == [Offered(1, 12 * 60 + 15), Offered(2, 15 * 60)]


def test_the_time_of_an_appointment_already_made_is_not_an_offer() -> None:
    from services.ops.quality import Offered, slots_offered

    kept = (
        "Of course; your appointment is Monday, December seventh at twelve fifteen PM Pacific "
        "right now, so let's find a new time. I have Friday, December eleventh at ten AM or "
        "Friday, December eleventh at twelve fifteen PM; which works better for you?"
    )
    seen = "I see you're booked for Monday, December seventh at twelve fifteen PM Pacific."
    assert slots_offered([seen, kept]) == [Offered(4, 10 * 60), Offered(4, 12 * 60 + 15)]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("afternoon", None),
        ("tue wed", None),
        ("after 12:00 before 15:01", None),
        ("after 15:00", "tue 12:15 starts too early"),
        ("morning", "tue 12:15 starts too late; wed 15:00 starts too late"),
        ("not wed", "wed 15:00 is on a day ruled out"),
        ("thu", "tue 12:15 is not on thu; wed 15:00 is not on thu"),
    ],
)
def test_a_slots_check_holds_every_time_offered_to_the_spec(spec: str, problem: str) -> None:
    from services.ops.quality import slot_failures

    assert slot_failures(spec, [OFFER]) == problem


def test_a_slots_check_fails_when_nothing_was_offered() -> None:
    from services.ops.quality import slot_failures

    assert slot_failures("afternoon", ["May I ask how old you are?"]) == "no times were offered"


def test_a_bad_slots_spec_is_an_error_when_the_script_is_read() -> None:
    assert parse_check("slots thu after 13:00") == Check(CheckKind.SLOTS, "thu after 13:00")
    with pytest.raises(ScriptError, match="not morning, afternoon"):
        parse_check("slots teatime")
    with pytest.raises(ScriptError, match="HH:MM"):
        parse_check("slots after three")


def test_a_question_said_three_times_is_found() -> None:
    from services.ops.quality import asked_three_times

    zip_q = "If you know it, what's the ZIP code of the home? If not, that's fine too."
    assert asked_three_times([zip_q, zip_q]) == []
    assert asked_three_times([zip_q, zip_q, "Thank you. " + zip_q]) == [
        "if you know it, what's the zip code of the home?"
    ]


def test_the_broker_deflection_after_a_line_that_asked_nothing_is_found() -> None:
    from services.ops.quality import deflections

    said = "That's a great question for the broker, and I'll make sure it's covered."
    transcript = [
        {"role": "caller", "text": "Is this the outfit that keeps mailing me."},
        {"role": "agent", "text": said},
        {"role": "caller", "text": "How much would I get?"},
        {"role": "agent", "text": said},
    ]
    assert deflections(transcript) == ["Is this the outfit that keeps mailing me."]
