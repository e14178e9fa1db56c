"""What the sixteenth blind batch (heldout16, heavy speech-to-text damage) showed, as classes:
false starts and ages said with a half, two ages said back to back, hours that are when the
caller is busy or gone, places named after a neighbourhood, lowercase names said last, a
lender already at work in other words, a decline that is not an answer about the home."""

from __future__ import annotations

import pytest

from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent
from services.dialogue.speech.numbers import find_numbers

E = Expect


@pytest.mark.parametrize(
    ("said", "age"),
    [
        ("oh im seventy... seventy ate honey seventy nine come february", 78),
        ("seventy nine and a half dear", 79),
        ("me? im sixty one sixty to come august", 61),
    ],
)
def test_an_age_said_with_a_false_start_a_half_or_the_next_birthday(said: str, age: int) -> None:
    assert understand(said, E.AGE).age == age


def test_two_ages_back_to_back_are_two_numbers() -> None:
    assert [v for v, _, _ in find_numbers("seventy eight seventy nine")] == [78, 79]
    assert [v for v, _, _ in find_numbers("three fifty")] == [350]


@pytest.mark.parametrize(
    ("said", "value", "balance"),
    [
        ("oh four... four fiddy maybe and i got about a hundred ten left on that", 450_000,
         110_000),
        ("the city has it at eight hundred and something thousand and its all paid off",
         850_000, 0),
    ],
)  # fmt: skip
def test_amounts_with_a_false_start_or_said_roughly(
    said: str, value: int, balance: int | None
) -> None:
    heard = understand(said, E.VALUE)
    assert (heard.home_value, heard.mortgage_balance) == (value, balance)


@pytest.mark.parametrize(
    ("said", "starts_from", "starts_before"),
    [
        ("not too early im no good before eleven my hips take a while", 11 * 60, None),
        ("afternoons after my nap i lay down till about two any days fine", 14 * 60, None),
        ("make it after my programs theyre done at one thirty so any time after that", 13 * 60
         + 30, None),
        ("in the morning please because after two i go for my grandson", None, 14 * 60),
        ("monday or tuesday afternoon after 3 i work in the morning at the school", 15 * 60,
         None),
        ("Afternoons. Just not before noon, I'm out ice fishing most mornings.", 12 * 60, None),
    ],
)  # fmt: skip
def test_hours_they_are_busy_or_gone_bound_the_times(
    said: str, starts_from: int | None, starts_before: int | None
) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert (heard.starts_from, heard.starts_before) == (starts_from, starts_before)


def test_not_no_monday_rules_monday_out() -> None:
    heard = understand("mornings is best but not no monday mondays i drive the church van",
                       E.BOOKING_OFFER)  # fmt: skip
    assert heard.days and "mon" not in [d.value for d in heard.days]


@pytest.mark.parametrize(
    ("said", "city"),
    [
        ("i bought it back in sixty nine over in ballard thats seattle", "Seattle"),
        ("own the house live in it sugar house salt lake eight four one oh six", "Salt Lake City"),
    ],
)
def test_a_city_named_after_a_neighbourhood(said: str, city: str) -> None:
    assert understand(said, E.HOMEOWNER).city == city


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("hi im returning a call i think it was you guys about reverse mortgages lavonne "
         "schiller", "Lavonne", "Schiller"),
        ("yeah hi i got your flyer here leonard baptiste rochester new york", "Leonard",
         "Baptiste"),
        ("yes maam good afternoon wilbur honeycutt here my daughter in law said to call",
         "Wilbur", "Honeycutt"),
        ("hi there i got a postcard about reverse mortgages and wanted to get some information",
         None, None),
    ],
)  # fmt: skip
def test_a_lowercase_name_said_last_or_after_a_greeting(
    said: str, first: str | None, last: str | None
) -> None:
    heard = understand(said, E.NAME)
    assert (heard.first_name, heard.last_name) == (first, last)


@pytest.mark.parametrize(
    "said",
    [
        "seventy five. but i should tell ya were already partway into one of these with our "
        "credit union the appraiser was out tuesday",
        "we already got somebody my nephews wife works at a mortgage place and shes doing all "
        "the paperwork on one of these for us",
    ],
)
def test_a_lender_already_at_work_in_other_words(said: str) -> None:
    heard = understand(said, E.AGE)
    assert heard.has(Intent.OTHER_LENDER) and heard.days == []


@pytest.mark.parametrize(
    "said",
    [
        "no no no my husband he always say never no debts on the house no thank you",
        "nah i think well stick with them weve banked there forty years thanks though",
    ],
)
def test_a_decline_is_no_answer_about_owning_the_home(said: str) -> None:
    heard = understand(said, E.HOMEOWNER)
    assert heard.homeowner is None and heard.money_purpose is None


def test_an_email_with_a_year_misheard_in_it() -> None:
    heard = understand("email i guess its g w e n h nineteen forty ate at a o l dot com", E.EMAIL)
    assert heard.email == "gwenh1948@aol.com"
