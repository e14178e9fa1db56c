"""What the nineteenth and twentieth blind batches (heldout19: talkative, rambling callers;
heldout20: an everyday mix) showed, as classes: money that is not the home's (a bill, an income,
the price paid once, someone else's figure, a small balance said in full), someone else's age or
day, the part of the day read clause by clause, an activity's own hours, a name said mid-turn,
questions about rates, the process, rented units and work, the home that is not theirs or not
lived in, a relative already doing the loan, a letter for the old owner — and, through whole
calls, what Barbara does with them."""

# ruff: noqa: E501  (callers' lines are kept whole, one per case)
from __future__ import annotations

import pytest

from contracts.calls import Outcome
from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

from .conftest import Talk

E = Expect
W = Weekday


@pytest.mark.parametrize(
    ("said", "expect", "value", "balance"),
    [
        # a small balance said in full is that many dollars, not thousands
        ("we only owe about three thousand on it", E.BALANCE, None, 3_000),
        ("there's maybe 4,500 dollars left on the loan", E.BALANCE, None, 4_500),
        ("the house is worth about 350 and I owe 2 thousand", E.NOTHING, 350_000, 2_000),
        ("I owe 120", E.BALANCE, None, 120_000),
        # a bill or an income is no value or balance
        (
            "the taxes are about three thousand a year and the social security is eighteen hundred "
            "a month",
            E.NOTHING,
            None,
            None,
        ),
        ("my pension is two thousand and I owe forty on the house", E.NOTHING, None, 40_000),
        (
            "there's a little left on the mortgage, maybe forty grand, I pay six hundred a month",
            E.NOTHING,
            None,
            40_000,
        ),
        # the price paid once is not the value now
        (
            "we bought it in 1978 for forty five thousand dollars, now the realtor says it's worth "
            "four hundred",
            E.NOTHING,
            400_000,
            None,
        ),
        # someone else's figure gives way to the caller's own guess
        (
            "Zillow says four twenty but Zillow doesn't know about the roof, so maybe three eighty",
            E.NOTHING,
            380_000,
            None,
        ),
        (
            "the county has it at three hundred but I think it would sell for three fifty",
            E.NOTHING,
            350_000,
            None,
        ),
        # no home is worth three thousand dollars: not the value
        (
            "the taxes went up, they're three thousand now and the house is worth three hundred",
            E.NOTHING,
            300_000,
            None,
        ),
        # speech-to-text's "oh" for "owe"
        (
            "house is worth maybe three hundred fifty thousand we still oh like sixty thousand",
            E.VALUE,
            350_000,
            60_000,
        ),
        ("i still oh around a hundred thousand", E.BALANCE, None, 100_000),
    ],
)
def test_amounts_are_read_as_the_home_and_its_loan_only(
    said: str, expect: Expect, value: int | None, balance: int | None
) -> None:
    heard = understand(said, expect)
    assert (heard.home_value, heard.mortgage_balance) == (value, balance)


@pytest.mark.parametrize(
    ("said", "age", "ages"),
    [
        (
            "oh well I'm seventy one, my sister is the baby she's sixty four, and yes I own it",
            71,
            [71],
        ),
        ("my husband passed, my daughter lives with me, she's 45, I'm 80", 80, [80]),
        ("my wife, she's 64 and I'm 70", 64, [70, 64]),
        ("I'm seventy and my wife, she's sixty eight", 68, [70, 68]),
    ],
)
def test_the_age_of_someone_who_is_no_borrower_is_not_counted(
    said: str, age: int, ages: list[int]
) -> None:
    heard = understand(said)
    assert (heard.age, heard.borrower_ages) == (age, ages)


@pytest.mark.parametrize(
    ("said", "days"),
    [
        (
            "Yes, I'd like to sit down with somebody about it, but Wednesday or Thursday, those are "
            "my good days, Tuesdays I have dialysis, no, not dialysis, goodness, physical therapy",
            [W.WED, W.THU],
        ),
        ("Wednesday or Thursday, Tuesdays I have physical therapy", [W.WED, W.THU]),
        ("monday, tuesday or wednesday works", [W.MON, W.TUE, W.WED]),
        ("I'd like to, but Wednesday is best", [W.WED]),
        ("Any afternoon but Friday, Friday's his VFW lunch.", [W.MON, W.TUE, W.WED, W.THU]),
        (
            "ok yeah we'll talk to someone, fridays is best, irene has her hair appointment "
            "thursdays",
            [W.FRI],
        ),
        ("Could they talk to me Thursday, around half past nine in the morning?", [W.THU]),
        # the meeting itself is no activity that takes its day
        (
            "hi, I have an appointment Wednesday morning, can I keep the same day but make it the "
            "afternoon?",
            [W.WED],
        ),
    ],
)
def test_days_taken_by_someone_else_are_left_out_and_a_list_ends_at_its_or(
    said: str, days: list[Weekday]
) -> None:
    assert understand(said, E.BOOKING_OFFER).days == days


@pytest.mark.parametrize(
    ("said", "part"),
    [
        (
            "sure, afternoons only though, mornings i walk the dog before it gets hot and then i'm "
            "at the senior center till lunch",
            PartOfDay.AFTERNOON,
        ),
        (
            "I suppose I'd like that, Thursday morning if they have one, my sister takes me to lunch "
            "Thursdays but not till noon",
            PartOfDay.MORNING,
        ),
        (
            "Friday mornings are my only free time, I volunteer at the hospice the rest of the week",
            PartOfDay.MORNING,
        ),
        (
            "Mornings are when she's sharpest, and I can only get away on Wednesdays or Fridays",
            PartOfDay.MORNING,
        ),
        ("Monday afternoon if there's anything.", PartOfDay.AFTERNOON),
        ("Monday, I mean Tuesday afternoon", PartOfDay.AFTERNOON),
        ("I'm no good after lunch.", PartOfDay.MORNING),
    ],
)
def test_the_part_of_the_day_is_read_clause_by_clause(said: str, part: PartOfDay) -> None:
    assert understand(said, E.BOOKING_OFFER).part_of_day == part


def test_an_activity_from_one_till_six_leaves_the_hours_before_it() -> None:
    heard = understand(
        "Yeah let's set something up, mornings are better, I'm at the store from one till six "
        "most days.",
        E.BOOKING_OFFER,
    )
    assert heard.part_of_day == PartOfDay.MORNING
    assert (heard.starts_from, heard.starts_before, heard.hour) == (None, 13 * 60, None)


def test_the_hour_of_someone_elses_lunch_is_no_wish() -> None:
    heard = understand(
        "Thursday morning if they have one, my sister takes me to lunch Thursdays but not till "
        "noon.",
        E.BOOKING_OFFER,
    )
    assert heard.hour is None and heard.starts_from is None


def test_after_an_activity_the_hour_they_want_still_counts() -> None:
    heard = understand(
        "Not mornings, I'm at the diner with my brother-in-law every morning till about noon, so "
        "after one o'clock, any day.",
        E.BOOKING_OFFER,
    )
    assert heard.starts_from == 13 * 60


@pytest.mark.parametrize(
    ("said", "expect", "first", "last"),
    [
        (
            "hi, yes, I'm calling about the mailer, Helen Nowak, N O W A K, and I should say right "
            "away we still have a mortgage",
            E.NAME,
            "Helen",
            "Nowak",
        ),
        ("I'm calling about the mailer, Helen Nowak.", E.NAME, "Helen", "Nowak"),
        (
            "hey there, how you doing, Wendell Pruitt calling, out here in Nashville, Tennessee",
            E.NAME,
            "Wendell",
            "Pruitt",
        ),
    ],
)
def test_a_name_said_mid_turn_is_read(said: str, expect: Expect, first: str, last: str) -> None:
    heard = understand(said, expect)
    assert (heard.first_name, heard.last_name) == (first, last)


@pytest.mark.parametrize(
    ("said", "topic", "objection"),
    [
        ("Is the interest rate fixed or does it go up?", "rates", None),
        ("how long does this whole thing take, start to finish?", "process", None),
        ("how long does the consultation take", "consultation", None),
        ("what are the fees", None, "fees"),
        (
            "it's a three-decker, my nephew rents the top. Does that matter, that I rent part of it "
            "out?",
            "units",
            None,
        ),
        (
            "still working part-time at the hardware store. Is that a problem, that I still work?",
            "working",
            None,
        ),
        # said, not asked: no question to answer
        ("mornings are better for me i work afternoons at the church office", None, None),
        ("I live on the first floor and the tenants upstairs are lovely", None, None),
    ],
)
def test_questions_find_their_own_topic(
    said: str, topic: str | None, objection: str | None
) -> None:
    heard = understand(said)
    assert (heard.topic, heard.objection) == (topic, objection)


@pytest.mark.parametrize(
    ("said", "expect", "homeowner", "primary"),
    [
        ("it's my house, a three-decker", E.AGE, True, None),
        (
            "the house no its not mine my son bought it years ago its in his name i just live on the "
            "first floor",
            E.VALUE,
            False,
            None,
        ),
        (
            "Well, I don't actually live there anymore. I moved into a rented apartment up in "
            "Flagstaff near my daughter, and I rent the Tucson house out to a young couple.",
            E.BOOKING_OFFER,
            True,
            False,
        ),
    ],
)
def test_whose_home_and_whether_they_live_there(
    said: str, expect: Expect, homeowner: bool | None, primary: bool | None
) -> None:
    heard = understand(said, expect)
    assert (heard.homeowner, heard.primary_residence) == (homeowner, primary)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        (
            "my nephew Dwayne is a mortgage broker over in Orange Park and he's already working up "
            "the paperwork on one of these for me",
            Intent.OTHER_LENDER,
        ),
        ("my daughter is a loan officer and she is already on it", Intent.OTHER_LENDER),
        (
            "no im not leonard i dont know him we bought this house about two years ago he must of "
            "been the old owner",
            Intent.WRONG_PERSON,
        ),
        (
            "no this isnt something i need i was just letting you know you got the wrong person",
            Intent.WRONG_PERSON,
        ),
    ],
)
def test_someone_else_on_it_or_someone_else_asked_for(said: str, intent: Intent) -> None:
    assert intent in understand(said).intents


async def _qualified_at_the_offer(talk: Talk) -> object:
    call = talk.call()
    await call.start(caller="+14125550199")
    await call.say("Hi, it's Walter Kaminski, Pittsburgh, 15226.")
    await call.say("I'm seventy-four, the house is mine, paid off, I live there, worth maybe "
                   "two hundred twenty-five thousand.")  # fmt: skip
    return call


async def test_okay_then_putting_it_off_to_ring_back_is_no_yes_and_no_call_back_is_pushed(
    talk: Talk,
) -> None:
    call = await _qualified_at_the_offer(talk)
    reply = await call.say(  # type: ignore[attr-defined]
        "Okay, that's good to know. But I'm not gonna set anything up today, I want to talk it "
        "over with Danny first, I'll call you back myself after that."
    )
    assert "get_availability" not in call.tool_names()  # type: ignore[attr-defined]
    assert "call back" not in reply.lower()
    assert (await call.hang_up()).outcome == Outcome.BAD_TIMING  # type: ignore[attr-defined]


async def test_hours_alone_are_a_wish_that_gets_times(talk: Talk) -> None:
    call = await _qualified_at_the_offer(talk)
    reply = await call.say(  # type: ignore[attr-defined]
        "Yes, I'll talk to somebody, but it has to be before three o'clock, I pick up my "
        "great-granddaughter at the school at three fifteen."
    )
    assert "get_availability" in call.tool_names()  # type: ignore[attr-defined]
    assert "I have" in reply
