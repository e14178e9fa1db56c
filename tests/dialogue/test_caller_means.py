"""Whole calls where the caller says what they mean in words no rule was written for: the
learned reading, the confirmation when Barbara is unsure, the hours kept, the waits."""

from __future__ import annotations

from contracts.calls import Outcome
from contracts.tools import GetAvailability, RecordDoNotCall, ScheduleCallback

from .conftest import Talk

QUALIFIED = (
    "I'm Ada Lind, seventy-one, I own my house in Seattle and live in it, it's worth about six "
    "hundred and I owe about fifty."
)


async def test_an_indirect_do_not_call_is_asked_about_then_recorded(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+12065550181")
    await call.say("Hi, I had a question about those letters.")
    unsure = await call.say(
        "Well, it still sounds like more debt to me. Please see to it that nobody from your "
        "company gets in touch again."
    )
    assert "just to be sure" in unsure.lower()
    assert not talk.tools.calls_to("record_do_not_call")  # nothing ended on a guess
    await call.say("Yes, please.")
    assert talk.tools.calls_to("record_do_not_call")
    assert isinstance(talk.tools.calls_to("record_do_not_call")[0], RecordDoNotCall)
    assert (await call.hang_up()).outcome == Outcome.DO_NOT_CALL


async def test_a_no_to_the_confirmation_carries_the_call_on(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+12065550182")
    unsure = await call.say("Whatever list I'm on over there, I'd like to be off it.")
    assert "just to be sure" in unsure.lower()
    reply = await call.say("No, no, I didn't mean that. I'm Ada Lind.")
    assert not talk.tools.calls_to("record_do_not_call")
    assert "?" in reply  # the conversation goes on with its next question


async def test_hours_said_are_the_hours_offered(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+12065550183")
    await call.say(QUALIFIED)
    offer = await call.say("Yes. Thursday after lunch, I have church in the mornings.")
    asked = talk.tools.calls_to("get_availability")[-1]
    assert isinstance(asked, GetAvailability)
    assert asked.starts_from == "13:00" and [d.value for d in asked.days] == ["thu"]
    assert "PM" in offer and "AM" not in offer


async def test_hold_on_is_waited_for_without_a_question(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+12065550184")
    await call.say(QUALIFIED)
    await call.say("Yes, Wednesday afternoon.")
    wait = await call.say("Hold on, let me get a pen.")
    assert "take your time" in wait.lower() and "?" not in wait
    still = await call.say("")
    assert "?" not in still
    booked = await call.say("Okay, I'm back. The second one.")
    assert "all set" in booked


async def test_a_call_back_for_a_caller_who_gave_no_name_asks_whom_to_ask_for(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+12065550185")
    set_up = await call.say("I'm driving right now. Could someone call me back Thursday at ten?")
    assert talk.tools.calls_to("schedule_callback")
    assert isinstance(talk.tools.calls_to("schedule_callback")[0], ScheduleCallback)
    assert "who should we ask for" in set_up.lower()
    bye = await call.say("It's Arlene, Arlene Moss.")
    assert "Arlene" in bye
    assert (await call.hang_up()).outcome == Outcome.CALLBACK_SCHEDULED


async def test_the_note_asked_for_confirms_a_do_not_call_whatever_no_came_first(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+12065550185")
    unsure = await call.say(
        "We're not in the market for this, and we'd appreciate a note in your records that this "
        "household doesn't wish to be contacted again."
    )
    assert "just to be sure" in unsure.lower()
    await call.say("No, there's nothing to follow up on. Just the note, please.")
    assert talk.tools.calls_to("record_do_not_call")


async def test_a_question_while_when_is_asked_is_answered_not_taken_as_any_time(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+12065550186")
    await call.say(QUALIFIED)
    await call.say("Yes, I'd like to talk to the broker.")
    before = len(talk.tools.calls_to("get_availability"))
    reply = await call.say("If I go first, does my husband get to stay in the house?")
    assert len(talk.tools.calls_to("get_availability")) == before  # no times on a question
    assert "I have" not in reply


async def test_hours_said_while_times_are_on_offer_bring_times_inside_them(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+12065550187")
    await call.say(QUALIFIED)
    await call.say("Yes. Mornings are best.")
    again = await call.say("Not too early though, I'm at the gym until about ten-thirty.")
    assert not talk.tools.calls_to("book_appointment")  # none of the earlier times was taken
    asked = talk.tools.calls_to("get_availability")[-1]
    assert isinstance(asked, GetAvailability) and asked.starts_from == "10:30"
    assert "I have" in again


async def test_thanks_to_the_do_not_call_question_records_it(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+12065550188")
    await call.say("Yes, hello, I keep getting your letters.")
    unsure = await call.say("I'd rather you folks didn't reach out to me again, in any way.")
    assert "just to be sure" in unsure.lower()
    await call.say("Thank you.")
    assert talk.tools.calls_to("record_do_not_call")


async def test_no_meetings_and_something_to_read_is_a_request_for_information(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+12065550189")
    reply = await call.say(
        "Hello, I'm not one for meetings, I'd like to look something over on my own first."
    )
    assert "email" in reply.lower() and not talk.tools.calls_to("get_availability")
