"""More of what callers say, each a family of phrasings: another lender, mail for someone else,
part of the year elsewhere, ages said the way other languages say them, ZIPs said in pieces,
days ruled out, times gone by, requests taken back, and questions the policy answers itself."""

from __future__ import annotations

import pytest

from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Intent

E = Expect


@pytest.mark.parametrize(
    "said",
    [
        "Thing is, we're already doing one. We've got a fella at our credit union handling it.",
        "my bank is handling it",
        "I've got a loan officer",
        "we're going with another company",
        "We looked at a few and we're going with a different company.",
        "my credit union already has one going for us",
        "we already got a nice lady at the bank doing all the paperwork",
        "No, we're happy with him. Closing's next month.",
        "We close in a couple weeks.",
        "My loan officer at Chase is taking care of it",
        "We're in the middle of one with Wells Fargo",
        "we signed papers with another outfit last week",
        "my son's bank is setting it all up for us",
    ],
)
def test_already_working_with_a_lender(said: str) -> None:
    heard = understand(said, E.NAME)
    assert heard.has(Intent.OTHER_LENDER)
    assert not heard.has(Intent.BOOK)


@pytest.mark.parametrize(
    "said",
    [
        "I have an account at the credit union",
        "the closing costs are high, aren't they?",
        "my bank said I should call you",
    ],
)
def test_a_bank_mentioned_is_not_another_lender(said: str) -> None:
    assert not understand(said, E.NAME).has(Intent.OTHER_LENDER)


@pytest.mark.parametrize(
    ("said", "relation"),
    [
        ("I got a letter from you, but it isn't for me. It's addressed to my neighbor, Mr. Ruiz.",
         "neighbor"),
        ("I think I got your letter by mistake, it's my neighbor's mail.", "neighbor"),
        ("No, I'm not him. I'm Carol, I live next door.", "neighbor"),
        ("The letter was for the previous owners, they moved out.", None),
        ("It was for the people who used to live here.", None),
        ("He doesn't live here anymore, he moved to Texas", None),
        ("This letter came to my house but the name on it isn't mine", None),
        ("Your mailer has the wrong name on it", None),
    ],
)  # fmt: skip
def test_mail_for_someone_else_is_the_wrong_person(said: str, relation: str | None) -> None:
    heard = understand(said, E.NAME)
    assert heard.has(Intent.WRONG_PERSON) and not heard.has(Intent.NOT_INTERESTED)
    assert heard.relation == relation


@pytest.mark.parametrize(
    "said",
    ["Reverse mortgages aren't for me", "this is for my husband", "she doesn't live here, it's me"],
)
def test_not_for_me_about_the_loan_is_no_wrong_person(said: str) -> None:
    assert not understand(said, E.NAME).has(Intent.WRONG_PERSON)


@pytest.mark.parametrize(
    ("said", "primary"),
    [
        ("Yes, we own it. We go down January to March, the rest of the year we live up here in "
         "Akron with our daughter.", False),
        ("We stay there a few months every winter.", False),
        ("we spend three months a year there", False),
        ("I own it. I'm down there October through December, the rest of the year I live out in "
         "Reno with my sister.", False),
        ("I own a little house in Tucson, but these days I live up in Duluth with my son.", False),
        ("I own a condo in Naples but I live in Chicago with my daughter", False),
        ("We go to Arizona January to March, the rest of the year we live here in our house",
         True),
        ("we own the house and we live in it with my daughter", True),
        ("we own it, we live here in Tampa with our daughter", True),
        ("I own a house in Brandon. Live there full time, not a snowbird.", True),
        ("It's not a vacation home, we live there", True),
        ("It's not a rental, we live in it", True),
        ("We own it, but most of the year we're up in Ohio.", False),
        ("We only use it in the winter months", False),
        ("most of the year we live here, summers we travel", True),
    ],
)  # fmt: skip
def test_where_the_caller_lives_most_of_the_year(said: str, primary: bool) -> None:
    assert understand(said, E.NOTHING).primary_residence is primary


@pytest.mark.parametrize(
    ("expect", "said", "homeowner"),
    [
        (E.AGE, "Yes, the house is mine, I live there with my wife.", True),
        (E.NOTHING, "The place is ours, we live there thirty years.", True),
        (E.HOMEOWNER, "yes i own it the mortgage is paid of", True),
    ],
)
def test_the_house_is_mine(expect: Expect, said: str, homeowner: bool) -> None:
    assert understand(said, expect).homeowner is homeowner


@pytest.mark.parametrize(
    ("expect", "said", "ages"),
    [
        (E.AGE, "My name is Ernesto Vidal. I have seventy-two years.", [72]),
        (E.NOTHING, "Good morning, I am Giuseppe Conti. I have sixty-eight years.", [68]),
        (E.NOTHING, "My wife, she has sixty-six.", [66]),
        (E.NAME, "Oh good. I'm Janet Kessler, sixty-two as of last month.", [62]),
        (E.NAME, "Hello, Doris Whitcomb speaking, sixty-four as of last week.", [64]),
        (E.NOTHING, "my husband is seventy as of June", [70]),
    ],
)
def test_ages_said_other_ways(expect: Expect, said: str, ages: list[int]) -> None:
    assert understand(said, expect).borrower_ages == ages


@pytest.mark.parametrize(
    ("expect", "said"),
    [
        (E.NOTHING, "I have 60 acres out back"),
        (E.NOTHING, "I have seventy years in this town"),
        (E.VALUE, "I have sixty-five"),
    ],
)
def test_having_a_number_is_not_always_an_age(expect: Expect, said: str) -> None:
    assert understand(said, expect).age is None


@pytest.mark.parametrize(
    ("expect", "said", "zip_code"),
    [
        (E.BALANCE, "seven seven zero two one", "77021"),
        (E.VALUE, "It's mine, yes. Three two seven eight nine.", "32789"),
        (E.HOMEOWNER, "I own my home here in Columbus, Ohio, forty-three two oh nine.", "43209"),
        (E.ZIP, "ninety-eight one oh three", "98103"),
        (E.NOTHING, "my zip is three three five eleven", "33511"),
    ],
)
def test_a_zip_said_digit_by_digit_or_in_pieces(expect: Expect, said: str, zip_code: str) -> None:
    heard = understand(said, expect)
    assert heard.zip == zip_code
    assert heard.age is None and heard.home_value is None and heard.mortgage_balance is None


def test_a_zip_in_pieces_needs_a_place_or_a_question() -> None:
    assert understand("I'm seventy-one, she's sixty-nine", E.AGE).zip is None
    assert understand("four two five", E.VALUE).home_value == 425_000


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("Better the morning. Any day but Monday, Monday I have dialysis... no, no, dialysis is "
         "Wednesday. Any day but Wednesday.", ["mon", "tue", "thu", "fri"]),
        ("Morning, any day but Friday.", ["mon", "tue", "wed", "thu"]),
        ("anytime except mondays and tuesdays", ["wed", "thu", "fri"]),
        ("Anytime except Thursdays, I volunteer at the church on Thursdays.",
         ["mon", "tue", "wed", "fri"]),
    ],
)  # fmt: skip
def test_days_ruled_out(said: str, days: list[str]) -> None:
    assert [d.value for d in understand(said, E.PREFERENCE).days] == days


@pytest.mark.parametrize(
    ("expect", "said", "part"),
    [
        (E.CALLBACK_TIME, "No, I don't want to set a time. It's just too early for us.", None),
        (E.NAME, "My daughter got off early so we'd like to just set it up now.", None),
        (E.NAME, "Hi, this is Opal Brandt again, I set up a consultation with you this morning.",
         None),
        (E.PREFERENCE, "early is best", PartOfDay.MORNING),
        (E.PREFERENCE, "I was hoping for this afternoon", PartOfDay.AFTERNOON),
    ],
)  # fmt: skip
def test_early_and_times_gone_by(expect: Expect, said: str, part: PartOfDay | None) -> None:
    assert understand(said, expect).part_of_day == part


@pytest.mark.parametrize(
    ("expect", "said", "hour", "choice"),
    [
        (E.SLOT, "Whichever is closer to two o'clock.", 14, None),
        (E.SLOT, "Whichever one is nearest to eleven o'clock.", 11, None),
        (E.SLOT, "the earlier one", None, 0),
        (E.NAME, "Hello, it's Helen Wozniak again. I made an appointment earlier today.", None,
         None),
    ],
)  # fmt: skip
def test_slot_choice_and_the_time_nearest(
    expect: Expect, said: str, hour: int | None, choice: int | None
) -> None:
    heard = understand(said, expect)
    assert (heard.hour, heard.choice) == (hour, choice)


@pytest.mark.parametrize(
    ("expect", "said", "first"),
    [
        (E.NAME, "Hello, it's Helen Wozniak again. I made an appointment earlier today.", "Helen"),
        (E.NAME, "Cyrus Vance Holt, seventy-eight, Seattle.", "Cyrus"),
        (E.NAME, "Oh sure. Clarice Ng, I'm sixty-seven.", "Clarice"),
        (E.NAME, "i'm sterling moss", "Sterling"),
        (E.NAME, "Hi, I'm calling about reverse mortgages, but I'm standing in line.", None),
        (E.NAME, "Yeah hi, I'm sitting in the waiting room right now.", None),
        (E.NAME, "Do you have anything in writing?", None),
        (E.NAME, "what's your name", None),
        (E.NAME, "this is for my husband and me", None),
    ],
)
def test_names_and_words_that_are_not_names(expect: Expect, said: str, first: str | None) -> None:
    assert understand(said, expect).first_name == first


@pytest.mark.parametrize(
    ("expect", "said", "book"),
    [
        (E.NAME, "Do you have anything Tuesday at two o'clock? I want to get this set up.", True),
        (E.NAME, "Hi, have you got any openings Friday morning?", True),
        (E.NAME, "Can you get me scheduled for tomorrow afternoon?", True),
        (E.NAME, "Hello, it's Helen Wozniak again. I made an appointment earlier today.", False),
        (E.NAME, "I set up a consultation with you this morning.", False),
        (E.NAME, "I have an appointment on Tuesday and I want to book another one for my sister",
         True),
        (E.NAME, "Do you have anything in writing?", False),
    ],
)  # fmt: skip
def test_asking_for_a_time_books_and_one_made_before_does_not(
    expect: Expect, said: str, book: bool
) -> None:
    assert understand(said, expect).has(Intent.BOOK) is book


@pytest.mark.parametrize(
    ("expect", "said", "intent", "fires"),
    [
        (E.NAME, "I'm standing in line at the pharmacy right now", Intent.BAD_TIMING, True),
        (E.NAME, "I'm at the grocery store right now.", Intent.BAD_TIMING, True),
        (E.AGE, "right now it's a little too soon for us.", Intent.BAD_TIMING, True),
        (E.AGE, "is it too early to apply?", Intent.BAD_TIMING, False),
        (E.BOOKING_OFFER, "I don't want anybody coming to my house.", Intent.NOT_INTERESTED,
         False),
        (E.BOOKING_OFFER, "I don't want any of it.", Intent.NOT_INTERESTED, True),
        (E.NAME, "So they can keep it if they pay it off?", Intent.KEEP, False),
        (E.APPOINTMENT_ACTION, "keep it please", Intent.KEEP, True),
        (E.APPOINTMENT_ACTION, "When is it again?", Intent.APPOINTMENT_QUERY, True),
        (E.ANYTHING_ELSE, "Could you send my son the details too? No, never mind, I'll tell him "
         "myself.", Intent.EMAIL, False),
        (E.BOOKING_OFFER, "Could you send me something in writing first? Oh, never mind, I'd "
         "rather just talk to the broker.", Intent.EMAIL, False),
        (E.NAME, "id rather not give my name, just send me the information in writing",
         Intent.PRIVACY, False),
        (E.NAME, "send me the information on my neighbor", Intent.PRIVACY, True),
    ],
)  # fmt: skip
def test_intents_in_other_words(expect: Expect, said: str, intent: Intent, fires: bool) -> None:
    assert understand(said, expect).has(intent) is fires


@pytest.mark.parametrize(
    ("said", "objection", "topic"),
    [
        ("I don't want anybody coming to my house.", "home_visit", None),
        ("I'm not letting any salesman into my house.", "home_visit", None),
        ("Is somebody going to come out to my house?", "home_visit", None),
        ("Would the broker come out to my place?", "home_visit", None),
        ("Who would I be talking to?", None, "broker"),
        ("Before I say yes, who's the broker? What's his name?", None, "broker"),
        ("And who's going to be calling me, exactly?", None, "broker"),
        ("Hi there, I'm not sure you even work in Ohio, do you?", None, "area"),
        ("do you folks even do business in Iowa?", None, "area"),
        ("do you serve the Tampa area?", None, "area"),
        ("Do y'all cover Georgia?", None, "area"),
        ("Does he come to the house or is it over the phone?", "home_visit", None),
        ("What's the name of the person who will call me?", None, "broker"),
        ("you work in the morning?", None, None),
        ("who am I talking to?", None, None),
    ],
)
def test_concerns_and_questions_the_policy_answers(
    said: str, objection: str | None, topic: str | None
) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert (heard.objection, heard.topic) == (objection, topic)


def test_before_i_say_yes_is_no_yes() -> None:
    assert not understand("Before I say yes, who's the broker?", E.BOOKING_OFFER).yes


@pytest.mark.parametrize(
    ("said", "value"),
    [("its worth too hundred ninety thousand", 290_000), ("about too hundred", 200_000)],
)
def test_stt_too_hundred(said: str, value: int) -> None:
    assert understand(said, E.VALUE).home_value == value


def test_a_weekday_taken_back_in_a_ruled_out_list_is_kept() -> None:
    heard = understand("Any day but Wednesday. Monday morning is good.", E.PREFERENCE)
    assert Weekday.MON in heard.days and Weekday.WED not in heard.days
