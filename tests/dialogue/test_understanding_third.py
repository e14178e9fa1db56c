"""What the third held-out batch taught, each a family of phrasings: a lowercase name from
whoever comes to the phone, an appointment made before (not one to make), a balance corrected
with a reason, a meeting turned down ("not ready to meet with anybody"), a reverse mortgage
already had, and the upkeep of the home asked about mid-qualification."""

from __future__ import annotations

import pytest

from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

E = Expect


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("yeah hello this is earl, earl whitfield, sorry about that", "Earl", "Whitfield"),
        ("hi this is walt kimura", "Walt", "Kimura"),
        ("yeah this is dottie", "Dottie", None),
        ("okay it's uh reggie, reggie banks", "Reggie", "Banks"),
    ],
)
@pytest.mark.parametrize("expect", [E.WAITING, E.RIGHT_PERSON, E.NAME])
def test_a_lowercase_name_from_whoever_comes_to_the_phone(
    said: str, first: str, last: str | None, expect: Expect
) -> None:
    heard = understand(said, expect)
    assert heard.first_name == first
    if last:
        assert heard.last_name == last


@pytest.mark.parametrize(
    "said",
    ["i'm sorry about that", "i'm coming", "okay i'm ready", "this is fine", "i'm listening"],
)
def test_words_while_coming_to_the_phone_are_no_name(said: str) -> None:
    assert understand(said, E.WAITING).first_name is None


@pytest.mark.parametrize(
    "said",
    [
        "yeah hi it's Vince again, I set something up with you the other day",
        "we set a time up last week",
        "I lined something up with y'all a few days ago",
        "I booked one with you yesterday",
    ],
)
def test_an_appointment_made_before_is_not_one_to_make(said: str) -> None:
    assert not understand(said, E.NAME).has(Intent.BOOK)


@pytest.mark.parametrize(
    "said",
    [
        "can i set up an appointment",
        "could we set up a meeting",
        "i want to set something up with you",
        "let's set something up for next week",
    ],
)
def test_asking_for_an_appointment_still_books(said: str) -> None:
    assert understand(said, E.NAME).has(Intent.BOOK)


@pytest.mark.parametrize(
    ("said", "value", "balance"),
    [
        ("worth about four fifty. we owe about three hundred. no wait, that's the old number "
         "from years ago, it's about a hundred thirty now", 450_000, 130_000),
        ("we owe about three hundred. no wait, its about a hundred thirty now", None, 130_000),
        ("the balance is 200... no, sorry, it's more like 150", None, 150_000),
        ("worth 400, no, it's about 450", 450_000, None),
    ],
)  # fmt: skip
@pytest.mark.parametrize("expect", [E.VALUE, E.BALANCE, E.NOTHING])
def test_a_corrected_balance_stays_a_balance(
    said: str, value: int | None, balance: int | None, expect: Expect
) -> None:
    heard = understand(said, expect)
    assert heard.mortgage_balance == balance
    if value is not None:
        assert heard.home_value == value


@pytest.mark.parametrize(
    "said",
    [
        "Okay, I think I understand it better now. I'm not ready to meet with anybody. Thank you.",
        "we're not ready to set anything up, thanks for the information",
        "I'm just not ready to sign anything. Thanks anyway.",
        # heldout4/h414: a meeting turned down in other words
        "Thanks, that answers it. I don't want to meet with anyone right now.",
        "I don't really want to set anything up, thank you.",
    ],
)
@pytest.mark.parametrize("expect", [E.ZIP, E.BOOKING_OFFER, E.ANYTHING_ELSE])
def test_not_ready_to_meet_is_a_no(said: str, expect: Expect) -> None:
    heard = understand(said, expect)
    assert heard.has(Intent.NOT_INTERESTED)
    assert not heard.has(Intent.BOOK)


@pytest.mark.parametrize(
    "said",
    [
        "I'm not ready to talk to anybody yet. Can you just email me some information?",
        "I'm not ready to book anything, can you email me some information first",
        "not ready to meet yet, maybe after the holidays",
        # not a no: a condition (heldout2/g043: the wife handles the money)
        "But I don't want to set anything up without her.",
        "I don't want to book anything until I talk to my son",
    ],
)
def test_not_ready_with_another_way_forward_is_not_a_no(said: str) -> None:
    assert not understand(said, E.BOOKING_OFFER).has(Intent.NOT_INTERESTED)


@pytest.mark.parametrize(
    "said",
    [
        "hi, this is Marvin Gold, we've had a reverse mortgage on the house since 2015",
        "there's already a reverse mortgage on it",
        "i got a reverse mortgage back in 2012 with another outfit",
        "we took out a reverse mortgage with our bank",
    ],
)
def test_a_reverse_mortgage_already_had(said: str) -> None:
    heard = understand(said, E.NAME)
    assert heard.has(Intent.OTHER_LENDER)


@pytest.mark.parametrize(
    "said",
    [
        "we have a reverse mortgage question",
        "can i get a reverse mortgage on my house",
        "my mother had a reverse mortgage on her house",
    ],
)
def test_a_reverse_mortgage_talked_about_is_not_one_had(said: str) -> None:
    assert not understand(said, E.NAME).has(Intent.OTHER_LENDER)


@pytest.mark.parametrize(
    "said",
    [
        "before I answer that, do I still have to keep up the homeowner's insurance if I do this?",
        "do we need to keep up the insurance on the house?",
        "what about flood insurance, do i still need it?",
    ],
)
def test_upkeep_asked_mid_qualification(said: str) -> None:
    heard = understand(said, E.VALUE)
    assert heard.topic == "upkeep"
    assert heard.homeowner is None  # "homeowner's insurance" says nothing of owning


@pytest.mark.parametrize(
    ("said", "relation"),
    [
        ("oh she's my grandma, one sec let me go get her", "grandchild"),
        ("he's my dad, hold on", "son or daughter"),
        ("hang on, she's my mother, I'll get her", "son or daughter"),
    ],
)
def test_fetching_the_one_they_are_related_to(said: str, relation: str) -> None:
    heard = understand(said, E.NAME)
    assert heard.has(Intent.WRONG_PERSON) and heard.has(Intent.HOLD_ON)
    assert heard.relation == relation


def test_a_spouse_talked_about_is_not_someone_fetched() -> None:
    assert not understand("she's my wife and she's 64", E.NAME).has(Intent.WRONG_PERSON)
