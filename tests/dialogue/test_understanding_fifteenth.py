"""What the fifteenth blind batch (heldout15) showed, as classes: years, counts and
corrections read as money or hours, a greeting read as a time, home facts and a yes said in
other words, runs of days, a part of the day that wears the caller out, a word about
something else read about the home — and, through whole calls, what Barbara does with them."""

from __future__ import annotations

import pytest

from contracts.calls import DisqualificationReason, Outcome
from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

from .conftest import Talk

E = Expect


@pytest.mark.parametrize(
    "said",
    [
        "Worth about three hundred. I had a VA loan, but that's been paid in full since two "
        "thousand six",
        "we paid it off in two thousand and ten",
        "The mortgage is long gone",
        "And I don't owe nobody nothing",
    ],
)
def test_a_year_in_words_is_no_balance_and_a_loan_gone_is_paid_off(said: str) -> None:
    assert understand(said, E.BALANCE).mortgage_balance == 0


@pytest.mark.parametrize(
    ("said", "value", "balance"),
    [
        ("oh golly, couple hundred... no, more like three forty", 340_000, None),
        ("four hundred, closer to four fifty", 450_000, None),
        ("three ninety I think and there's forty something left on the mortgage", 390_000,
         45_000),
    ],
)  # fmt: skip
def test_a_correction_or_an_approximate_amount_is_read_as_meant(
    said: str, value: int, balance: int | None
) -> None:
    heard = understand(said, E.VALUE)
    assert (heard.home_value, heard.mortgage_balance) == (value, balance)


@pytest.mark.parametrize(
    "said",
    [
        "I'm sixty-two. Sixty-two and about four months, I just squeaked in",
        "we can talk after two weeks",
        "we've been here about three years",
    ],
)
def test_a_count_of_months_or_weeks_is_no_hour(said: str) -> None:
    heard = understand(said, E.AGE)
    assert heard.hour is None and heard.starts_from is None and heard.starts_before is None
    assert heard.part_of_day is None


def test_a_bare_greeting_is_no_time_and_the_name_after_it_is_taken() -> None:
    heard = understand(
        "Afternoon. Roosevelt Hayes, seventy-six, Army retired. I've owned my place in "
        "Mesquite since nineteen eighty-eight and I live in it. Tell me what you need",
        E.NAME,
    )
    assert (heard.first_name, heard.last_name, heard.age) == ("Roosevelt", "Hayes", 76)
    assert heard.part_of_day is None and heard.homeowner and heard.primary_residence
    assert heard.mortgage_balance is None


@pytest.mark.parametrize(
    ("said", "expect", "homeowner", "primary"),
    [
        ("you betcha, we own it outright, and we're right here in it", E.HOMEOWNER, True, True),
        ("Own it? Well, not anymore. We put the house in my son Danny's name.", E.HOMEOWNER,
         False, None),
        ("No, only his name now. The lawyer did it that way", E.HOMEOWNER, False, None),
        ("Yes, it's mine, all paid for. But I'm not living there now. I've been at Heritage "
         "Place, the assisted living, two years", E.PRIMARY, True, False),
        ("I got burned once with one of them timeshare outfits. Send me something to read",
         E.VALUE, None, None),
        ("is a reverse mortgage a good investment?", E.VALUE, None, None),
    ],
)  # fmt: skip
def test_home_facts_said_in_other_words(
    said: str, expect: Expect, homeowner: bool | None, primary: bool | None
) -> None:
    heard = understand(said, expect)
    assert (heard.homeowner, heard.primary_residence) == (homeowner, primary)


@pytest.mark.parametrize(
    "said",
    [
        "That's fine, I'll talk with whoever.",
        "Reckon I'll talk to 'em.",
        "you betcha",
        "I reckon so, baby",
    ],
)
def test_a_yes_said_in_other_words(said: str) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert (heard.yes or heard.has(Intent.BOOK)) and not heard.no


@pytest.mark.parametrize("said", ["that's fine but not now", "I reckon not"])
def test_a_yes_word_with_a_no_after_it_is_no_yes(said: str) -> None:
    assert not understand(said, E.BOOKING_OFFER).yes


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("Tuesday through Thursday, Mondays and Fridays I work the church food pantry",
         [Weekday.TUE, Weekday.WED, Weekday.THU]),
        ("Monday through Friday I work, so Saturday", [Weekday.SAT]),
        ("anytime monday to wednesday", [Weekday.MON, Weekday.TUE, Weekday.WED]),
    ],
)  # fmt: skip
def test_a_run_of_days_is_every_day_in_it(said: str, days: list[Weekday]) -> None:
    assert understand(said, E.PREFERENCE).days == days


@pytest.mark.parametrize(
    ("said", "part"),
    [
        ("it's got to be in the morning, after lunch the heat just knocks me flat",
         PartOfDay.MORNING),
        ("afternoons I'm worn out", PartOfDay.MORNING),
        ("afternoons are good, mornings I'm tired", PartOfDay.AFTERNOON),
        ("mornings are best, I nap after lunch", PartOfDay.MORNING),
        ("after lunch works best", PartOfDay.AFTERNOON),
    ],
)  # fmt: skip
def test_a_part_of_the_day_that_wears_them_out_is_not_wanted(said: str, part: PartOfDay) -> None:
    assert understand(said, E.PREFERENCE).part_of_day == part


def test_a_nap_that_runs_till_two_means_from_two() -> None:
    heard = understand("That's fine. Just after my nap, it runs till about two", E.BOOKING_OFFER)
    assert heard.yes and heard.starts_from == 14 * 60 and heard.starts_before is None


def test_a_city_named_after_the_zip_is_kept() -> None:
    heard = understand("oh one six oh four, that's Worcester", E.ZIP)
    assert (heard.zip, heard.city) == ("01604", "Worcester")


def test_a_cancellation_until_later_is_bad_timing() -> None:
    heard = understand("Yes, please cancel it. I'll call you back once he's home", E.NOTHING)
    assert heard.has(Intent.CANCEL) and heard.has(Intent.BAD_TIMING)
    assert understand("Gene fell Sunday and broke his hip", E.NOTHING).days == []


def test_a_trip_to_the_doctor_is_no_purpose_for_the_money() -> None:
    assert understand("my niece carries me to the doctor", E.NOTHING).money_purpose is None
    assert understand("for the roof and doctor bills", E.NOTHING).money_purpose


async def test_no_more_after_booking_ends_the_call_without_asking_about_a_decline(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+15085550111")
    for line in (
        "Maureen Doherty.",
        "seventy. turned seventy in July",
        "yup, own it, live in it",
        "five-ten. I owe about eighty on it still",
        "oh one six oh four, that's Worcester",
        "ok sure. any day but Monday",
        "the first one's good",
    ):
        await call.say(line)
    assert (await call.state()).flags.booked
    bye = await call.say("no that's all set, thanks")
    assert "Goodbye" in bye and "You're all set" not in bye
    assert (await call.hang_up()).outcome == Outcome.BOOKED


async def test_a_deed_in_a_child_s_name_ends_as_not_the_owner_not_on_the_child_s_age(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+17185550122")
    await call.say("My name is Gladys Ortiz")
    await call.say("I'm seventy-four")
    await call.say(
        "Own it? Well, not anymore. After my stroke we put the house in my son Danny's name."
    )
    state = await call.state()
    assert state.flags.qualified is False
    assert state.flags.disqualification_reason == DisqualificationReason.NOT_HOMEOWNER


async def test_a_statement_with_a_topic_gets_no_deflection(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+17185550123")
    await call.say("My name is Gladys Ortiz")
    reply = await call.say(
        "Oh. I see. So it would have to be Danny. Okay, thank you for explaining, sweetheart"
    )
    assert "great question" not in reply
