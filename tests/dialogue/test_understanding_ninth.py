"""What a fifth blind batch of callers (heldout9) showed the rules missing, as classes: amounts
said as parts and guesses, names said whatever was asked, e-mails spelled with commentary,
another place than the home, the caller's own age apart from the other owner's."""

from __future__ import annotations

import pytest

from services.dialogue.absorb import gate_args
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect

E = Expect


@pytest.mark.parametrize(
    ("expect", "said", "value", "balance"),
    [
        (E.VALUE, "She'd appraise around four and a quarter, I'd say. We owe about sixty on it.",
         425_000, 60_000),
        (E.VALUE, "it's worth three and a half million, nothing owed", 3_500_000, 0),
        (E.VALUE, "its worth to fifty maybe to sixty and i owe like forty thousand", 255_000,
         40_000),
        (E.VALUE, "Worth maybe four-eighty? Four-ninety? And we owe, oh, a hundred and ten.",
         485_000, 110_000),
        (E.VALUE, "appraised at three and a quarter and i owe like two forty on the first and "
         "maybe fifteen on a second", 325_000, 255_000),
    ],
)  # fmt: skip
def test_amounts_said_as_parts_guesses_and_two_loans(
    expect: Expect, said: str, value: int, balance: int
) -> None:
    heard = understand(said, expect)
    assert (heard.home_value, heard.mortgage_balance) == (value, balance)
    assert heard.hour is None  # "four and a quarter" is no quarter past four


@pytest.mark.parametrize(
    "said",
    ["Worth maybe four-eighty? Four-ninety?", "Oh, it'd go for three and a quarter, maybe?"],
)
def test_a_guess_said_rising_is_not_a_question(said: str) -> None:
    assert not understand(said, E.VALUE).question


@pytest.mark.parametrize(
    ("expect", "said", "first", "last"),
    [
        (E.CALLBACK_TIME, "Sal Benedetto. Salvatore, technically.", "Salvatore", "Benedetto"),
        (E.EMAIL, "Dorothea Kavanagh. K-A-V-A-N-A-G-H.", "Dorothea", "Kavanagh"),
        (E.EMAIL, "luis ferreira", "Luis", "Ferreira"),
        (E.NAME, "yolanda baptiste thats b a p t i s t e", "Yolanda", "Baptiste"),
        (E.NOTHING, "My neighbor said I should call. Theresa Mancuso, in Levittown.", "Theresa",
         "Mancuso"),
        (E.NAME, "It's Trish. Well, Patricia on the paperwork. Patricia Nwosu-Hale.", "Patricia",
         "Nwosu-Hale"),
        (E.AGE, "Sorry, dog was at the door. Lindqvist, L-I-N-D-Q-V-I-S-T.", None, "Lindqvist"),
    ],
)  # fmt: skip
def test_a_name_is_taken_whatever_was_asked(
    expect: Expect, said: str, first: str | None, last: str
) -> None:
    heard = understand(said, expect)
    assert (heard.first_name, heard.last_name) == (first, last)


@pytest.mark.parametrize("said", ["sounds good", "thank you", "Good Morning. Thank You."])
def test_words_that_are_not_names_stay_so(said: str) -> None:
    assert understand(said, E.EMAIL).first_name is None


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("Sure, it's w pruitt, all one word. W like William, then P-R-U-I-T-T, at example dot "
         "org.", "wpruitt@example.org"),
        ("It's dotty k. D-O-T-T-Y, then just the letter K, then five-five, at example dot net. "
         "All small letters.", "dottyk55@example.net"),
        ("h underscore tamura. That's the little line down low, shift and minus. At example dot "
         "com.", "h_tamura@example.com"),
        ("its luis ferreira 1950 all together no spaces l u i s f e r r e i r a 1950 at example "
         "dot net", "luisferreira1950@example.net"),
        ("It's lillian cho, L-I-L-L-I-A-N, C-H-O, all one word, at yahoo dot com.",
         "lilliancho@yahoo.com"),
        ("My email is arlene k at example dot net, all one word.", "arlenek@example.net"),
    ],
)  # fmt: skip
def test_an_email_spelled_with_commentary(said: str, email: str) -> None:
    assert understand(said, E.EMAIL).email == email


def test_a_place_they_are_moving_to_is_not_the_home() -> None:
    heard = understand(
        "We own it and live in it, but we're putting it on the market to move up near our "
        "daughter in Boise."
    )
    assert heard.city is None


@pytest.mark.parametrize(
    ("said", "args"),
    [
        ("I'm sixty-six. No, sixty-seven. She's sixty-four.", {"age": 67, "co_borrower_age": 64}),
        ("me and my husband, hes 76", {"co_borrower_age": 76}),
        ("I'm seventy-two.", {"age": 72}),
    ],
)
def test_the_callers_own_age_is_kept_apart_from_the_other_owners(
    said: str, args: dict[str, int]
) -> None:
    got = gate_args(understand(said, E.AGE), own_age_known=True)
    assert {k: got[k] for k in ("age", "co_borrower_age") if k in got} == args


def test_someone_elses_age_alone_is_the_age_on_record_until_the_callers_is_known() -> None:
    # a granddaughter speaking for the homeowner: "she's eighty-six"
    assert gate_args(understand("She's eighty-six.", E.AGE)) == {"age": 86}
