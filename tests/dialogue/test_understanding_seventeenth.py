"""What the seventeenth blind batch (heldout17, articulate and indirect callers) showed, as
classes: precise windows, words about other things read as times, someone else on the line,
home facts in hedged words, thinking it over taken as a decline — and, through whole calls,
what Barbara does with them."""

from __future__ import annotations

import pytest

from contracts.calls import Outcome
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

from .conftest import Talk

E = Expect


@pytest.mark.parametrize(
    ("said", "starts_from", "starts_before"),
    [
        ("I'd want to start no earlier than half past ten, and I have to be off the phone by "
         "noon, so nothing that starts later than eleven.", 10 * 60 + 30, 11 * 60),
        ("I'd like to start somewhere between eleven and one; I walk in the mornings and I "
         "nap after lunch.", 11 * 60, 13 * 60),
        ("I'm a morning person; after about one o'clock I'm not much good for anything.", None,
         13 * 60),
        ("any time later than two", 14 * 60, None),
    ],
)  # fmt: skip
def test_a_window_said_with_both_ends_or_an_hour_they_fade(
    said: str, starts_from: int | None, starts_before: int | None
) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert (heard.starts_from, heard.starts_before) == (starts_from, starts_before)


@pytest.mark.parametrize(
    "said",
    [
        "let's say I'm past seventy. The newspaper runs a story about one every month.",
        "Either way, we owe about seventy thousand.",
        "We still carry a small mortgage, roughly eighty thousand, which I had hoped to retire "
        "early.",
    ],
)
def test_words_about_other_things_are_no_time(said: str) -> None:
    heard = understand(said, E.VALUE)
    assert heard.part_of_day is None and heard.starts_from is None and heard.starts_before is None


def test_the_earlier_the_better_is_a_wish_not_a_pick() -> None:
    heard = understand(
        "Yes, a Saturday would suit me far better, and the earlier in the morning the better.",
        E.SLOT,
    )
    assert heard.choice is None and [d.value for d in heard.days] == ["sat"]
    assert understand("the earlier one", E.SLOT).choice == 0


@pytest.mark.parametrize(
    ("said", "expect", "homeowner", "primary"),
    [
        ("But technically my son has owned it since 2015, and I pay him a little rent each "
         "month.", E.HOMEOWNER, False, None),
        ("No, my name isn't on the deed at all.", E.HOMEOWNER, False, None),
        ("We own two places, the house in Amherst and a condo in Naples. It's the condo I'd "
         "want to borrow against.", E.HOMEOWNER, True, False),
        ("Yes, mostly. We spend February with our daughter up in Ohio, but this is home, "
         "eleven months of the year.", E.HOMEOWNER, True, True),
        ("The house is entirely hers; she's lived in it since 1962.", E.HOMEOWNER, True, True),
    ],
)  # fmt: skip
def test_home_facts_in_hedged_words(
    said: str, expect: Expect, homeowner: bool | None, primary: bool | None
) -> None:
    heard = understand(said, expect)
    assert (heard.homeowner, heard.primary_residence) == (homeowner, primary)


def test_a_state_where_family_lives_is_not_the_home_s() -> None:
    assert understand("We spend February with our daughter up in Ohio", E.NOTHING).state is None


def test_nothing_else_after_a_debt_is_no_goodbye() -> None:
    heard = understand(
        "I've got a small home equity line with about twenty-five thousand on it, nothing else.",
        E.BALANCE,
    )
    assert not heard.has(Intent.GOODBYE) and heard.mortgage_balance == 25_000


def test_thinking_it_over_with_family_is_unsure_not_a_decline() -> None:
    heard = understand(
        "I'm not ready to commit to a meeting. I'd like to sleep on it and talk with my son.",
        E.BOOKING_OFFER,
    )
    assert heard.has(Intent.UNSURE) and not heard.has(Intent.NOT_INTERESTED)


async def test_sleeping_on_it_gets_a_call_back_offer_not_a_goodbye(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+15415550116")
    await call.say("My name is Alma Rasmussen.")
    await call.say(
        "Seventy. I own my house outright and I live there alone; it's 97405. I'd estimate "
        "its value at about five hundred thousand."
    )
    reply = await call.say(
        "Nothing is owed on it. But I'm not ready to commit to a meeting. I'd like to sleep on "
        "it and talk with my son this weekend; he's an accountant."
    )
    assert "call back" in reply and "I have" not in reply
    await call.say("Yes. Could someone call me back Monday, around ten?")
    assert (await call.hang_up()).outcome == Outcome.CALLBACK_SCHEDULED


async def test_a_housekeeper_who_declines_a_call_back_gets_none(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+19705550131")
    await call.say(
        "My name is Marisol Quintanilla. I look after Mr. Abernathy's household. A letter came "
        "for him from your company."
    )
    await call.say("No, he's not here; he's at his daughter's until Sunday. I'm not family.")
    state = await call.state()
    assert state.callback_at is None and state.flags.wrong_person
    assert (await call.hang_up()).outcome == Outcome.WRONG_PERSON


async def test_a_son_speaking_for_his_mother_on_speaker_books_for_her(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+19165550110")
    for line in (
        "My name is Graham Whitcombe, and I'm calling on behalf of my mother, Evelyn, who is "
        "sitting right here beside me with the phone on speaker.",
        "She's ninety-five. The house is entirely hers, and she's lived in it since 1962.",
        "It's her only home. It's in Sacramento, 95818.",
        "We think around six hundred thousand, and there's nothing owed on it.",
    ):
        await call.say(line)
    state = await call.state()
    assert state.flags.qualified and state.facts.age == 95 and not state.flags.wrong_person
