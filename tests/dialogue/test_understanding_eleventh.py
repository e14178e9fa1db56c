"""What the seventh and eighth blind batches (heldout11, heldout12) showed the rules missing,
as classes: amounts in a story, days and parts of the day filled with something else, picks
and ZIPs while times are on offer, spellings, someone else's affairs."""

from __future__ import annotations

import pytest

from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

E = Expect
W = Weekday


@pytest.mark.parametrize(
    ("expect", "said", "value", "balance"),
    [
        (E.VALUE, "we paid one-forty for it in eighty-eight. Now I'd say five-fifty. We owe about "
         "seventy-five on a little second mortgage.", 550_000, 75_000),
        (E.VALUE, "I owe, let me look, I have the statement right here... four hundred and twelve "
         "thousand.", None, 412_000),
        (E.VALUE, "It'd sell for maybe two-forty and I owe around two-thirty.", 240_000, 230_000),
        (E.VALUE, "The Hendersons next door sold theirs for eight-fifty. Ours needs a roof, so "
         "maybe "
         "eight hundred.", 800_000, None),
        (E.BALANCE, "around fifty", None, 50_000),
        (E.VALUE, "Worth about five hundred. The first mortgage is about two-sixty and the home "
         "equity line is sixty, seventy. So three-twenty, three-thirty all together.", 500_000,
         325_000),
        (E.BALANCE, "either one", None, None),
    ],
)  # fmt: skip
def test_amounts_in_a_story(
    expect: Expect, said: str, value: int | None, balance: int | None
) -> None:
    heard = understand(said, expect)
    assert (heard.home_value, heard.mortgage_balance) == (value, balance)
    assert heard.amount_needed is None and heard.objection != "heirs"


def test_a_clock_time_is_no_amount() -> None:
    said = "Call me back Tuesday after three. I'm at the senior center till two-thirty."
    heard = understand(said, E.VALUE)
    assert heard.home_value is None and heard.starts_from == 15 * 60


@pytest.mark.parametrize(
    ("said", "days", "part", "starts_from"),
    [
        ("Wednesdays are good for me, in the afternoon. Mornings I've got my water aerobics at "
         "the Y.", [W.WED], PartOfDay.AFTERNOON, None),
        ("Let's set something up then. Afternoons, we bowl in the mornings.", [],
         PartOfDay.AFTERNOON,
         None),
        ("mornings i've got my water aerobics so afternoons", [], PartOfDay.AFTERNOON, None),
        ("Thursday. After lunch, like one o'clock or later, I'm at the VFW till noon.", [W.THU],
         PartOfDay.AFTERNOON, 13 * 60),
        ("thursday in the morning i got the doctor on tuesday", [W.THU], PartOfDay.MORNING, None),
        ("He's off on Fridays, so a Friday, in the afternoon.", [W.FRI], PartOfDay.AFTERNOON, None),
        ("It has to be a Tuesday, though. Monday, Wednesday and Friday I'm at dialysis, and "
         "Thursdays the church van takes me shopping.", [W.TUE], None, None),
        ("yes id like to talk to somebody wensday after noon would be good for me", [W.WED],
         PartOfDay.AFTERNOON, None),
        ("Can I get Thursday at two o'clock?", [W.THU], None, None),
    ],
)  # fmt: skip
def test_days_and_parts_of_the_day_filled_with_something_else(
    said: str, days: list[Weekday], part: PartOfDay | None, starts_from: int | None
) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert heard.days == days and heard.part_of_day == part
    if starts_from is not None:
        assert heard.starts_from == starts_from


def test_picks_and_zips_while_times_are_on_offer() -> None:
    assert understand("The first time is fine.", E.SLOT).choice == 0
    zip_said = understand("three two eight zero eight", E.SLOT)
    assert zip_said.zip == "32808" and zip_said.choice is None


@pytest.mark.parametrize(
    ("said", "zip_code"),
    [
        ("Nine two zero two zero... wait, no, nine two zero two one. Sorry, twenty is my "
         "sister's.", "92021"),
        ("Springfield, 97477. No, sorry, that's the old one. 97478.", "97478"),
        ("five three seven oh five — no, seven one one. Five three seven one one.", "53711"),
    ],
)  # fmt: skip
def test_a_zip_corrected(said: str, zip_code: str) -> None:
    assert understand(said, E.ZIP).zip == zip_code


@pytest.mark.parametrize(
    ("expect", "said", "first", "last"),
    [
        (E.NAME, "My name is Oluwaseun Adeyemi. The surname is spelled A, D, E, Y, E, M, I.",
         "Oluwaseun", "Adeyemi"),
        (E.NAME, "Afternoon. Earl Whitaker here. Got your postcard.", "Earl", "Whitaker"),
        (E.NAME, "Gary Pruitt p r u i t t", "Gary", "Pruitt"),
        (E.NAME, "It's been stuck on my fridge for two weeks now.", None, None),
    ],
)  # fmt: skip
def test_names_spelled_and_not(
    expect: Expect, said: str, first: str | None, last: str | None
) -> None:
    heard = understand(said, expect)
    assert (heard.first_name, heard.last_name) == (first, last)


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("Yes, send the confirmation to annette dot greene, g-r-e-e-n-e, at yahoo dot com.",
         "annette.greene@yahoo.com"),
        ("it's h becker, that's H, B-E-C-K-E-R, then the number forty-two, four two, at outlook "
         "dot com.", "hbecker42@outlook.com"),
        ("Yes, it's D as in David, then Pfeiffer like my name, then four seven, at comcast dot "
         "net.", "dpfeiffer47@comcast.net"),
        ("It's grandma roz. G, R, A, N, D, M, A, R, O, Z, all one word, at aol dot com.",
         "grandmaroz@aol.com"),
    ],
)  # fmt: skip
def test_an_email_with_its_commentary(said: str, email: str) -> None:
    assert understand(said, E.EMAIL).email == email


def test_a_parents_affairs_in_the_callers_hands_are_someone_elses() -> None:
    heard = understand("Hi, this is Renee. I'm going through my dad's mail while he's laid up.",
                       E.NAME)  # fmt: skip
    assert heard.relation and Intent.WRONG_PERSON in heard.intents


@pytest.mark.parametrize(
    ("said", "present", "absent"),
    [
        ("Hi, yes, I have some questions first, if that's all right. I'm not ready to sign "
         "anything.", set(), {Intent.NOT_INTERESTED}),
        ("Listen, sweetheart, I'm interested, but right now's no good, I gotta hold the ladder.",
         {Intent.BAD_TIMING}, set()),
        ("No, I don't do the email, my granddaughter set one up but I never look at it. Bye-bye.",
         {Intent.GOODBYE}, {Intent.EMAIL, Intent.BOOK}),
        ("Can somebody call me back next Tuesday?", {Intent.CALLBACK}, set()),
    ],
)  # fmt: skip
def test_what_the_caller_wants_said_in_a_story(
    said: str, present: set[Intent], absent: set[Intent]
) -> None:
    heard = understand(said, E.ANYTHING_ELSE)
    assert present <= heard.intents and not absent & heard.intents
