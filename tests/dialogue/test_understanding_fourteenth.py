"""What the fourteenth blind batch (heldout14) showed, as classes: counts and restatements
read as money, a part of the day said as the one they cannot do, statements read as
questions, places that are not the home, a "no" read as a request, the person asked for
gone from the house — and, through whole calls, what Barbara does with them."""

from __future__ import annotations

import pytest

from contracts.calls import Outcome
from contracts.conversation import EndCall
from contracts.tools import PartOfDay
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent
from services.dialogue.language.identity import OWNER_MOVED

from .conftest import Talk

E = Expect


@pytest.mark.parametrize(
    "said",
    [
        "I'm seventy-six, and I've got eleven grandkids and two great-grands, so don't ask me.",
        "We raised four kids and two dogs in that house.",
        "My three sons and two daughters all live nearby.",
    ],
)
def test_a_count_of_people_or_pets_is_no_amount(said: str) -> None:
    heard = understand(said, E.AGE)
    assert heard.home_value is None and heard.mortgage_balance is None


@pytest.mark.parametrize(
    ("said", "value", "balance"),
    [
        ("worth maybe five fifty five hundred fifty thousand and i owe one twenty still one "
         "hundred twenty thousand", 550_000, 120_000),
        ("three fifty three hundred fifty thousand", 350_000, None),
        ("it's worth one point one million", 1_100_000, None),
        ("we owe about fifty grand on it", None, 50_000),
    ],
)  # fmt: skip
def test_an_amount_said_short_then_in_full_is_one_amount(
    said: str, value: int | None, balance: int | None
) -> None:
    heard = understand(said, E.VALUE)
    assert (heard.home_value, heard.mortgage_balance) == (value, balance)


@pytest.mark.parametrize(
    ("said", "part"),
    [
        ("Mornings are best for me though, I'm useless after lunch.", PartOfDay.MORNING),
        ("I'm no good after lunch.", PartOfDay.MORNING),
        ("After lunch is best, mornings are no good.", PartOfDay.AFTERNOON),
        ("Thursday after lunch, I have church in the mornings", PartOfDay.AFTERNOON),
    ],
)
def test_a_part_of_the_day_they_cannot_do_is_not_the_one_they_want(
    said: str, part: PartOfDay
) -> None:
    heard = understand(said, E.PREFERENCE)
    assert heard.part_of_day == part
    if part == PartOfDay.MORNING:
        assert heard.starts_from is None


@pytest.mark.parametrize(
    ("said", "question"),
    [
        ("so don't ask me their birthdays.", False),
        ("Don't worry about me, I'm fine.", False),
        ("don't you charge a fee", True),
        ("isn't it just a loan", True),
    ],
)
def test_a_dont_that_tells_is_no_question(said: str, question: bool) -> None:
    assert understand(said).question is question


@pytest.mark.parametrize(
    ("said", "objection"),
    [
        ("Well is there a catch? Nobody gives you money for nothing.", "scam"),
        ("What's the catch here?", "scam"),
        ("What if I want to sell in a few years, am I stuck?", "moving"),
        ("Would we be locked in if we sell it later?", "moving"),
    ],
)
def test_the_catch_and_selling_later_are_concerns_with_answers(said: str, objection: str) -> None:
    assert understand(said, E.BOOKING_OFFER).objection == objection


@pytest.mark.parametrize(
    ("said", "state", "city"),
    [
        ("I own it, I live in it year-round, I'm not one of those folks who runs to Arizona in "
         "January.", None, None),
        ("She sold us the house in 2019, moved down to Oregon to be near her kids.", None, None),
        ("I go to my son's in Florida for the winter but I live in Chicago Illinois", "IL",
         "Chicago"),
        ("we're in Mesa Arizona but my daughter is in Oregon", "AZ", "Mesa"),
    ],
)  # fmt: skip
def test_a_state_they_travel_to_is_not_where_the_home_is(
    said: str, state: str | None, city: str | None
) -> None:
    heard = understand(said)
    assert (heard.state, heard.city) == (state, city)


@pytest.mark.parametrize(
    "said",
    [
        "Nope, no email, I don't do the computer. Thanks, dear.",
        "Oh, I don't really do the email, my daughter handles all that.",
        "I'm not much for email.",
    ],
)
def test_email_turned_down_is_no_request_for_it(said: str) -> None:
    assert Intent.EMAIL not in understand(said, E.ANYTHING_ELSE).intents


@pytest.mark.parametrize(
    ("said", "goodbye"),
    [
        ("Bernard Kaplan. I'm seventy, I own a condo in Brookline, and that's all you get.", False),
        ("That's all I know about it.", False),
        ("No, that's all. Bye now.", True),
        ("That's all for today, thank you.", True),
    ],
)
def test_thats_all_you_get_is_no_goodbye(said: str, goodbye: bool) -> None:
    assert (Intent.GOODBYE in understand(said, E.EMAIL).intents) is goodbye


@pytest.mark.parametrize(
    ("said", "moved"),
    [
        ("No, she's not here. She sold us the house in 2019.", True),
        ("He moved to Oregon years ago.", True),
        ("We're the new owners.", True),
        ("She doesn't live here anymore.", True),
        ("My mother moved in with us last year.", False),
        ("She passed in March; it's my home now.", False),
    ],
)
def test_the_person_asked_for_has_moved_away(said: str, moved: bool) -> None:
    assert bool(OWNER_MOVED.search(said)) is moved


async def test_a_letter_for_someone_who_sold_the_house_ends_as_wrong_person(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+19075550131")
    await call.say("Hi, we got a letter here addressed to a Ruth Kimball about a reverse mortgage.")
    bye = await call.say("No, she's not here. She sold us the house in 2019, moved to Oregon.")
    assert "update our records" in bye and isinstance(call.final().action, EndCall)
    state = await call.state()
    assert state.facts.age is None and state.flags.qualified is None
    assert (await call.hang_up()).outcome == Outcome.WRONG_PERSON


async def test_a_question_with_a_worry_after_it_is_answered_not_taken_as_a_no(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+18015550113")
    for line in (
        "I'm LaRae Christensen.",
        "I'm seventy-six, and I've got eleven grandkids and two great-grands.",
        "Yes, it's my home in Orem, I live here.",
        "I'd guess five hundred twenty thousand. We owe just thirty thousand.",
    ):
        await call.say(line)
    state = await call.state()
    assert state.facts.home_value == 520_000 and state.flags.qualified
    reply = await call.say(
        "Do my children have to sign anything? I don't want to make it a big family thing."
    )
    assert "heirs" in reply.lower() and "consultation" in reply
    assert (await call.state()).unsure_of is None


async def test_a_name_spelled_after_the_next_question_is_thanked_not_misheard(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+13035550103")
    await call.say("yeah this is reuben archuleta calling about the mortgage for seniors")
    reply = await call.say("a r c h u l e t a")
    assert reply.startswith("Thank you") and "didn't quite catch" not in reply


async def test_you_called_me_is_no_request_for_a_call_back(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+15035550107")
    reply = await call.say("Who is this? You called me... no wait, I called you. Who is this?")
    assert "call back" not in reply and "Equity Connect" in reply
    assert not (await call.state()).flags.wants_callback
