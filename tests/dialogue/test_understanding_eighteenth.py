"""What the eighteenth blind batch (heldout18, a mix of plain, speech-to-text and wordy callers)
showed, as classes: a ZIP said with the amounts read as money, the week taken and the weekend
wanted, a decline in plain words, a caller who will ring back themselves, someone else's house
or someone else's number — and, through whole calls, what Barbara does with them."""

from __future__ import annotations

import pytest

from contracts.calls import Outcome
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

from .conftest import Talk

E = Expect


@pytest.mark.parametrize(
    ("said", "value", "balance", "zip_code"),
    [
        ("Oh, maybe three-fifty. Zip's 97402 if you need it.", 350_000, None, "97402"),
        ("About two seventy-five. There's maybe forty left on the mortgage. It's Albany, 12203.",
         275_000, 40_000, "12203"),
        ("Worth maybe one sixty-five, owe about thirty. Zip's 61615. No, wait, that's my old "
         "place. It's 61614.", 165_000, 30_000, "61614"),
        ("um maybe to hundred eighty thousand and i still owe like forty its 77034", 280_000,
         40_000, "77034"),
        ("I owe 85000", None, 85_000, None),
    ],
)  # fmt: skip
def test_a_zip_said_with_the_amounts_is_no_money(
    said: str, value: int | None, balance: int | None, zip_code: str | None
) -> None:
    heard = understand(said, E.VALUE)
    assert (heard.home_value, heard.mortgage_balance, heard.zip) == (value, balance, zip_code)


def test_the_week_taken_leaves_the_weekend() -> None:
    heard = understand(
        "Sure. Saturday morning, if they work Saturdays. I do volunteer driving on weekdays.",
        E.BOOKING_OFFER,
    )
    assert [d.value for d in heard.days] == ["sat"]
    assert len(understand("weekdays are best", E.BOOKING_OFFER).days) == 5


def test_a_name_then_where_they_live() -> None:
    heard = understand("Yes, good afternoon, Everett Lindholm in Salt Lake, 84106.", E.NAME)
    assert (heard.first_name, heard.last_name, heard.city) == (
        "Everett",
        "Lindholm",
        "Salt Lake City",
    )


@pytest.mark.parametrize(
    "said",
    [
        "look me and the wife talked it over and we dont want no loans at our age",
        "no thats alright we aint interested thanks anyway",
    ],
)
def test_a_decline_in_plain_words(said: str) -> None:
    assert understand(said, E.PRIMARY).has(Intent.NOT_INTERESTED)


def test_written_material_and_then_i_may_call_back_asks_for_no_call_back() -> None:
    heard = understand(
        "What I'd like is written material I can review with my accountant, and then I may "
        "call back. Can you email it?",
        E.BOOKING_OFFER,
    )
    assert heard.has(Intent.EMAIL) and not heard.has(Intent.CALLBACK)


def test_ill_have_to_call_you_back_later_is_bad_timing() -> None:
    heard = understand(
        "Oh, I'm sorry, the van for my dialysis is here. I'll have to call you back later today.",
        E.BOOKING_OFFER,
    )
    assert heard.has(Intent.BAD_TIMING)


def test_someone_else_s_number_is_a_wrong_person() -> None:
    heard = understand(
        "I had a voicemail asking for a Cornelia Haskett. I'm not Cornelia; my name is Preston.",
        E.NAME,
    )
    assert heard.has(Intent.WRONG_PERSON)


async def test_a_son_whose_mother_owns_the_house_ends_as_wrong_person(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+17185550131")
    await call.say(
        "hi yeah my name is anthony russo im calling cause my mother got a letter from you guys"
    )
    reply = await call.say(
        "no its not for me its her house shes eighty four shes in the hospital right now"
    )
    assert "own your home" not in reply
    assert (await call.state()).flags.wrong_person
    assert (await call.hang_up()).outcome == Outcome.WRONG_PERSON


async def test_facts_said_when_a_call_back_time_is_asked_are_thanked_not_misheard(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+16145550117")
    await call.say("hi this is darlene tackett i only got a few minutes im on my break at work")
    reply = await call.say("um about one eighty and i owe maybe thirty its columbus 43207")
    assert "didn't quite catch" not in reply and "back" in reply
