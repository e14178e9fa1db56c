"""The check on what the LLM says: no claim to be human, no one else's contact details; and how
the model's question sets what the next answer is understood as."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.calls import Node
from services.dialogue.language.heard import Expect
from services.dialogue.policy.llm import expect_after
from services.dialogue.speech import lines
from services.dialogue.speech.guard import SpokenGuard, claims_to_be_human
from services.dialogue.state import CallState, OfferedSlot


@pytest.mark.parametrize("sentence", [
    "I'm a real person.", "Yes, you are speaking to a real person.", "I'm not an AI.",
    "I am not a robot, I promise.", "I am human.", "I'm human, don't worry.",
    "No, I'm a real live person here at Equity Connect.", "You're talking with a human.",
    "I’m a real person.", "This is a real person speaking.", "I'm real.", "I am a person.",
])  # fmt: skip
def test_claims_to_be_human(sentence: str) -> None:
    assert claims_to_be_human(sentence)


@pytest.mark.parametrize("sentence", [
    lines.ROBOT, "I can have a real person call you back.",
    "You'll speak with a real person, the broker.", "I'm really glad you called.",
    "A reverse mortgage is a real estate loan.", "I'm an AI assistant, not a person.",
    "Would you like to talk to a real person?", "I'm not a lawyer, so I can't give legal advice.",
    "I'm personally not sure.",
])  # fmt: skip
def test_honest_or_unrelated_sentences_pass(sentence: str) -> None:
    assert not claims_to_be_human(sentence)
    assert SpokenGuard([]).check(sentence) == sentence


def test_a_claim_is_replaced_by_the_honest_line_once_per_reply() -> None:
    guard = SpokenGuard([])
    assert guard.check("Yes, you are speaking to a real person.") == lines.ROBOT
    assert guard.check("I'm human.") is None
    assert guard.replaced == 2


def test_contact_details_are_spoken_only_if_the_caller_said_them() -> None:
    guard = SpokenGuard(["My number is 206 555 0101", "I live at 123 Oak Street",
                         "it's eleanor at gmail dot com"])  # fmt: skip
    for own in ("We have 206-555-0101 on file.", "Is that 123 Oak St.?",
                "I have eleanor@gmail.com.", "It's worth $700,000 as of 2026."):  # fmt: skip
        assert guard.check(own) == own
    for other in ("Mary's number is 206-555-0199.", "Call (312) 555-0144.",
                  "It's five five five, zero one nine nine.", "She lives at 9 Pine Road.",
                  "Write to bob@example.org.", "Or bob at example dot org.",
                  "Send it to PO Box 77."):  # fmt: skip
        assert guard.check(other) is None, other
    assert guard.dropped == 7


@pytest.mark.parametrize(("said", "expect"), [
    ("Thank you. May I ask how old you are?", Expect.AGE),
    ("Do you own your home?", Expect.HOMEOWNER),
    ("Is it where you live most of the year?", Expect.PRIMARY),
    ("Roughly what is the home worth?", Expect.VALUE),
    ("And how much is still owed on it?", Expect.BALANCE),
    ("Would morning or afternoon work better?", Expect.PREFERENCE),
    ("Shall I set up a free consultation with Daniel?", Expect.BOOKING_OFFER),
    ("Who am I speaking with?", Expect.NAME),
    ("What's the ZIP code of the home?", Expect.ZIP),
    ("What day and time should we call you back?", Expect.CALLBACK_TIME),
    ("Is there anything else I can help with?", Expect.ANYTHING_ELSE),
    ("Reverse mortgages let you stay in your home.", Expect.NOTHING),
])  # fmt: skip
def test_the_models_question_sets_what_the_answer_is_read_as(said: str, expect: Expect) -> None:
    assert expect_after(said, CallState(call_id="call_guard1")) == expect


def test_which_of_the_offered_times_is_a_slot_pick() -> None:
    state = CallState(call_id="call_guard2", node=Node.BOOK)
    start = datetime(2026, 12, 2, 18, tzinfo=UTC)
    slot = OfferedSlot(slot_id="s1", broker_id="b", start=start, caller_local="Wednesday at 10 AM",
                       caller_timezone="UTC")  # fmt: skip
    state.offered = [slot]
    said = "I have Wednesday at ten or three. Which works better?"
    assert expect_after(said, state) == Expect.SLOT
