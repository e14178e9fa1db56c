"""What the twenty-first and twenty-second blind batches (heldout21: callers who answer out of
order and correct themselves; heldout22: an everyday mix) and the pending returning callers
showed, as classes — and, through whole calls, what Barbara does with them."""

# ruff: noqa: E501  (callers' lines are kept whole, one per case)
from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from contracts.calls import Outcome
from contracts.tools import PartOfDay, Weekday
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import CallbackWhen, Expect, Heard, Intent

from .conftest import Talk

E = Expect
W = Weekday


@pytest.mark.parametrize(
    ("said", "expect", "days"),
    [
        # a day on which something was done is no day to meet
        (
            "Hi, it's Walter Kaminski again, I called the other day about the reverse mortgage, I talked it over with my son Danny at Sunday dinner and he says go ahead and meet with the fella, so here I am.",
            E.NAME,
            [],
        ),
        ("we bowled on Monday so Tuesday is better", E.PREFERENCE, [W.TUE]),
        # a day said taken, then one said good, after a comma: two clauses, not a list
        ("I'm tied up Monday, Tuesday works", E.PREFERENCE, [W.TUE]),
        ("Monday I'm tied up, Tuesday works", E.PREFERENCE, [W.TUE]),
        ("I'm busy Monday, Tuesday and Wednesday, Thursday is good", E.PREFERENCE, [W.THU]),
        ("I'm free Monday, Tuesday or Wednesday", E.PREFERENCE, [W.MON, W.TUE, W.WED]),
        # "but" before a day turns to it; only "anything but" rules it out
        ("I'm tied up on Monday but Tuesday works", E.PREFERENCE, [W.TUE]),
        ("anything but Monday", E.PREFERENCE, [W.TUE, W.WED, W.THU, W.FRI]),
    ],
)
def test_days_done_or_taken_are_not_the_days_wanted(
    said: str, expect: Expect, days: list[Weekday]
) -> None:
    assert understand(said, expect).days == days


def _only(said: str, expect: Expect) -> dict[str, object]:
    heard, plain = understand(said, expect), Heard(text=said.strip())
    return {
        f.name: getattr(heard, f.name)
        for f in fields(heard)
        if f.name not in ("text", "meaning") and getattr(heard, f.name) != getattr(plain, f.name)
    }


@pytest.mark.parametrize(
    ("said", "expect", "facts"),
    [
        # a count is no amount
        (
            "Zip code is 97430. No wait, it's 97403, not 97430. I always flip those two.",
            E.VALUE,
            {"zip": "97403"},
        ),
        ("the two of us own it", E.VALUE, {"homeowner": True}),
        (
            "It's worth, let me think, my cousin sold her bungalow two blocks over for four-forty so I'd say four hundred and fifty thousand, give or take.",
            E.VALUE,
            {"home_value": 450_000, "intents": {Intent.UNSURE}},
        ),
        # a figure said after an aside while it is looked up
        (
            "It's got to be worth seven hundred these days, crazy as that sounds. The mortgage is down to, hold on, I've got the statement here... a hundred and twelve.",
            E.VALUE,
            {"home_value": 700_000, "mortgage_balance": 112_000, "intents": {Intent.HOLD_ON}},
        ),
        # a city said as a sentence of its own
        (
            "Eugene. I'm there year round, it's the only house I've got.",
            E.BALANCE,
            {"city": "Eugene", "primary_residence": True},
        ),
        # being on the deed is owning
        ("I'm the only one on the title", E.HOMEOWNER, {"homeowner": True}),
        # living at a relative's, not going back: not the primary residence
        (
            "Do I live there? I do. Well, I did. Since my hip surgery I've been staying with my daughter out in De Pere. That was, gosh, two years ago now.",
            E.VALUE,
            {"primary_residence": False, "question": True},
        ),
        (
            "No, I don't expect to move back, the stairs are too much for me.",
            E.VALUE,
            {"no": True, "primary_residence": False},
        ),
        (
            "I'm staying with my daughter for the week, but I live there",
            E.PRIMARY,
            {"primary_residence": True},
        ),
        # the figures not to hand: unsure, not a refusal
        (
            "i dont have my papers in front of me right now about what i owe",
            E.VALUE,
            {"no": True, "intents": {Intent.UNSURE}},
        ),
    ],
)
def test_counts_asides_places_deeds_and_papers_read_as_meant(
    said: str, expect: Expect, facts: dict[str, object]
) -> None:
    assert _only(said, expect) == facts


@pytest.mark.parametrize(
    ("said", "expect", "ages", "own"),
    [
        # an age put right in the next turn, while the value is asked
        ("no sixty three sorry sixty three", E.VALUE, [63], 63),
        ("sorry, I mean 71", E.VALUE, [71], 71),
        # an age said again to be heard
        ("seventy four i said 74", E.HOMEOWNER, [74], 74),
        # a named partner's age put right stays the partner's
        (
            "Me, I'm sixty-nine. Ron's sixty-three — no, sixty-four, he had a birthday last week, I forgot already, isn't that awful.",
            E.AGE,
            [69, 64],
            69,
        ),
        ("Me, I'm sixty-nine. Ron's sixty-three.", E.AGE, [69, 63], 69),
        ("I'm sixty-eight — no, sixty-nine", E.AGE, [69], 69),
        ("I'm 72 and Kyle is 45, he's my son", E.AGE, [72], 72),
        # an age said again beside one already said as theirs is not read twice
        ("I'm seventy-six years old. Seventy-six in February, just gone.", E.AGE, [76], 76),
        (
            "I'm sixty-seven. Oh, good grief, listen to me, sixty-six, I don't turn sixty-seven till November",
            E.AGE,
            [66],
            66,
        ),
        ("I was born in sixty-six. March of sixty-six.", E.AGE, [60], 60),
    ],
)
def test_ages_put_right_said_again_or_named(
    said: str, expect: Expect, ages: list[int], own: int
) -> None:
    heard = understand(said, expect)
    assert (heard.borrower_ages, heard.own_age) == (ages, own)


def test_no_idea_then_a_figure_is_still_the_value() -> None:
    heard = understand("no idea, maybe ninety", E.VALUE)
    assert (heard.home_value, heard.age) == (90_000, None)


@pytest.mark.parametrize(
    ("said", "yes", "no", "book"),
    [
        (
            "I'm not too worried about the rest. Let's just set it up. Monday afternoon.",
            False,
            False,
            True,
        ),
        ("I'm not picky, any day", False, False, False),
        ("I'm not", False, True, False),
    ],
)
def test_not_worried_is_no_no(said: str, yes: bool, no: bool, book: bool) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert (heard.yes, heard.no, heard.has(Intent.BOOK)) == (yes, no, book)


def test_a_call_back_asked_for_when_the_papers_are_there_keeps_its_morning() -> None:
    heard = understand(
        "can somebody call me back monday morning around 10 when i got my papers", E.VALUE
    )
    assert heard.callback is not None
    assert (heard.callback.weekday, heard.callback.hour) == (W.MON, 10)


@pytest.mark.parametrize(
    ("said", "topic", "objection", "book"),
    [
        ("do they charge you for the meeting", "consultation_cost", None, False),
        ("does the consultation cost money", "consultation_cost", None, False),
        ("is the appointment free? let's book it", "consultation_cost", None, True),
        ("is this going to cost me anything?", None, "fees", False),
        ("Does the money come all at once or can you take it bit by bit?", "payout", None, False),
        ("can I get it as I need it?", "payout", None, False),
    ],
)
def test_what_the_meeting_costs_and_how_the_money_comes_are_their_own_questions(
    said: str, topic: str | None, objection: str | None, book: bool
) -> None:
    heard = understand(said, E.BOOKING_OFFER)
    assert (heard.topic, heard.objection, heard.has(Intent.BOOK)) == (topic, objection, book)


@pytest.mark.parametrize(
    ("said", "unfinished"),
    [
        ("Oh, it's worth, um...", True),
        ("Well, it's about —", True),
        ("the house is paid off and", True),
        ("I'm seventy-four", False),
        ("a r c h u l e t a", False),
        ("where was I?", False),
    ],
)
def test_a_turn_that_trails_off_is_unfinished(said: str, unfinished: bool) -> None:
    assert understand(said, E.BALANCE).unfinished is unfinished


# ---- through whole calls ------------------------------------------------------------------


async def _qualified_at_the_offer(talk: Talk) -> Any:
    call = talk.call()
    await call.start(caller="+15185550212")
    await call.say("Hi, it's Stanley Rourke, Albany, 12203.")
    await call.say(
        "I'm seventy-nine, I own it and live in it, worth three-forty, I owe twenty-two."
    )
    return call


async def test_a_thought_left_hanging_is_waited_for_not_taken_as_no_answer(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+15415550101")
    await call.say(
        "This is Dorothy Haskins, Eugene, 97403. I'm seventy-four, I own it and live there."
    )
    reply = await call.say("Oh, it's worth, um...")
    assert reply == "Mm-hm, take your time."
    assert "callback" not in " ".join(call.tool_names())
    reply = await call.say(
        "...my neighbor's sold for five-sixty, so about that. There's forty thousand left on the mortgage."
    )
    assert "meet the basic requirements" in reply


async def test_not_worried_then_set_it_up_gets_times(talk: Talk) -> None:
    call = await _qualified_at_the_offer(talk)
    reply = await call.say(
        "I'm not too worried about the rest. Let's just set it up. Monday afternoon."
    )
    assert "get_availability" in call.tool_names()
    assert "I have Monday" in reply


async def test_the_meeting_is_said_to_be_free_when_its_cost_is_asked(talk: Talk) -> None:
    call = await _qualified_at_the_offer(talk)
    reply = await call.say("do they charge you for the meeting")
    assert "free" in reply.lower()
    assert "get_availability" not in call.tool_names()


async def test_hold_on_while_the_tv_is_turned_down_is_waited_for_before_the_name(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+15035550113")
    assert await call.say("hi um hold on let me turn the tv down") == "Of course, take your time."


async def test_hold_on_then_i_have_to_go_ends_the_call_kindly(talk: Talk) -> None:
    call = await _qualified_at_the_offer(talk)
    await call.say(
        "Oh — hold on, that's my ride at the door. I have to go, I'm sorry, I'll call you back later."
    )
    assert (await call.hang_up()).outcome == Outcome.BAD_TIMING


async def test_a_son_who_handles_the_money_is_no_lender(talk: Talk) -> None:
    call = await _qualified_at_the_offer(talk)
    reply = await call.say(
        "Here's the thing, my son handles my money matters and I want him on the line. I'd rather not set a meeting without him."
    )
    assert "already have help" not in reply
    assert (await call.hang_up()).outcome != Outcome.ALREADY_WORKING_WITH_LENDER


async def test_a_known_caller_who_does_not_confirm_the_file_gets_a_call_back_not_times(
    talk: Talk,
) -> None:
    phone = "+16195552115"
    talk.tools.add_lead(
        phone, first_name="Consuelo", last_name="Ibarra", zip="91910", state="CA",
        status="qualified", broker_id="brk-west",
        gates={"age": True, "homeowner": True, "primary_residence": True, "equity": True},
    )  # fmt: skip
    call = talk.call()
    await call.start(caller=phone)
    await call.say("Hi, it's Consuelo again, I called earlier and had to run out the door.")
    await call.say("Yes, I'd like to make the appointment now, if we can.")
    reply = await call.say("Wednesday, after three o'clock, please.")
    assert "get_availability" not in call.tool_names() and "I have" not in reply
    assert "schedule_callback" in call.tool_names()
    assert (await call.hang_up()).outcome == Outcome.CALLBACK_SCHEDULED


# ---- heldout22: an everyday mix ---------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expect", "facts"),
    [
        # a count of things is no hour
        (
            "My granddaughter's getting married next fall, and the roof has about two summers left in it. So yes, I'd like to talk to somebody.",
            E.BOOKING_OFFER,
            {
                "yes": True,
                "timeline": "next fall",
                "money_purpose": "roof has about two summers left in it",
                "intents": {Intent.BOOK},
            },
        ),
        # a part of the week is its days
        (
            "Late in the week works best.",
            E.PREFERENCE,
            {"days": [W.THU, W.FRI], "callback": CallbackWhen(weekday=W.THU)},
        ),
        # speech-to-text: tens in words, units in digits; hundreds and tens apart
        ("sixty 6", E.AGE, {"age": 66, "borrower_ages": [66], "own_age": 66}),
        (
            "its appraised at 4 50 thousand and i only owe 35 thousand",
            E.VALUE,
            {"home_value": 450_000, "mortgage_balance": 35_000},
        ),
        # a balance said with "left", while the age is asked, is no age
        (
            "Where was I. The house is worth about four hundred thousand, and I've got maybe fifty left on the mortgage.",
            E.AGE,
            {"home_value": 400_000, "mortgage_balance": 50_000, "question": True},
        ),
        # both on the paperwork for the house: owners
        (
            "Junie and me are both on the paperwork for the house.",
            E.HOMEOWNER,
            {"homeowner": True},
        ),
        # moved away, someone else living in it: not the primary residence
        (
            "Well, I moved to Scottsdale two years ago to be near my daughter. My grandson rents the Naperville place now.",
            E.PRIMARY,
            {"primary_residence": False},
        ),
        ("my son lives in the house with me", E.PRIMARY, {}),
        # moving there is no moving away
        (
            "don't mind the 212 number, I moved to Florida for good six years ago",
            E.NAME,
            {"state": "FL"},
        ),
        # "will they call me at this number?" is asked, no nickname and no call back
        (
            "Will they call me at this same number?",
            E.ANYTHING_ELSE,
            {"topic": "how_reached", "question": True},
        ),
        (
            "Will Junie need to be on that call too?",
            E.ANYTHING_ELSE,
            {"topic": "family_join", "question": True},
        ),
        (
            "How'd you get my number? I never gave it to anybody.",
            E.NAME,
            {"topic": "how_contacted", "question": True},
        ),
        # a habit is no booking; "you're the computer one?" asks who Barbara is
        (
            "You're the computer one? That's all right, my grandson set up my Alexa and I talk to her all day.",
            E.NAME,
            {"intents": {Intent.ROBOT, Intent.WHO_ARE_YOU}},
        ),
        (
            "what's a reverse mortgage again?",
            E.NAME,
            {"topic": "what_is", "question": True, "reverse_mortgage": True},
        ),
        # a reverse mortgage they have, and its servicer
        (
            "My wife and I took out one of these reverse mortgages back in 2016, and now I've got a letter from the loan servicing company.",
            E.AGE,
            {"intents": {Intent.OTHER_LENDER}, "reverse_mortgage": True},
        ),
        ("I have a reverse mortgage question", E.NAME, {"reverse_mortgage": True}),
    ],
)
def test_everyday_callers_read_as_meant(
    said: str, expect: Expect, facts: dict[str, object]
) -> None:
    assert _only(said, expect) == facts


@pytest.mark.parametrize(
    ("said", "starts_from", "starts_before"),
    [
        # "but after two" is the wish, the lunch its reason
        (
            "Fridays are my only free day. Afternoon, but after two, I have lunch with my sister.",
            14 * 60,
            None,
        ),
        ("after two I go get my grandson", None, 14 * 60),
        # someone to be on the call is busy till then
        (
            "I'd want my son Tom on the line for any of this. He works till four most days.",
            16 * 60,
            None,
        ),
        # a time asked for by name: about then
        ("Thursday works. Do they have the 2:30?", 13 * 60 + 30, 15 * 60 + 31),
    ],
)
def test_hours_wished_reasons_and_named_times(
    said: str, starts_from: int | None, starts_before: int | None
) -> None:
    heard = understand(said, E.PREFERENCE)
    assert (heard.starts_from, heard.starts_before) == (starts_from, starts_before)


async def test_a_caller_who_asked_how_we_got_the_number_is_offered_no_more_contact(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+13125552202")
    await call.say("How'd you get my number? I never gave it to anybody.")
    offer = await call.say(
        "I've never filled out anything for a reverse mortgage and I don't want one."
    )
    assert "no one from Equity Connect contacts you again" in offer
    await call.say("Take my name off your list. Don't ever call this house again.")
    assert (await call.hang_up()).outcome == Outcome.DO_NOT_CALL


async def test_turning_the_no_contact_offer_down_is_not_interested(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+13125552203")
    await call.say("How'd you get my number?")
    await call.say("I'm not interested, I don't want one.")
    await call.say("No, that's all right. Goodbye.")
    assert (await call.hang_up()).outcome == Outcome.NOT_INTERESTED


async def test_a_daughter_with_her_mother_on_speaker_is_not_held_for_and_speaks_for_her(
    talk: Talk,
) -> None:
    call = talk.call()
    await call.start(caller="+16175552207")
    hello = await call.say(
        "Hi, I'm calling for my mom. I'm her daughter, Karen, and she's sitting right here with me on speaker."
    )
    assert "hold" not in hello.lower()
    joined = await call.say(
        "Hello, this is Margaret. Yes, I'm here, and it's fine for Karen to help me with this."
    )
    assert "thank you for joining us" in joined
    await call.say("Mom's eighty-one. Her name is Margaret Sullivan.")
    await call.say(
        "It's her house, just her on the deed since Dad died. She's lived there fifty years, in West Roxbury. The zip is 02132."
    )
    story = await call.say(
        "Honestly, that house is the family museum. Dad built the back porch himself and all of us learned to ride bikes on that street. Mom wants to stay put, and we want that for her too."
    )
    state = await call.state()
    assert state.facts.is_homeowner and not state.flags.wrong_person
    assert story.startswith("Thank you for sharing that.")


async def test_a_question_after_the_booking_is_answered_and_the_time_not_said_again(
    talk: Talk,
) -> None:
    call = await _qualified_at_the_offer(talk)
    await call.say("Yes, Monday afternoon.")
    booked = await call.say("the first one")
    assert "all set" in booked
    reply = await call.say("Will they call me at this same number?")
    assert "all set" not in reply and "number" in reply


async def test_a_returning_caller_confirmed_is_not_asked_again_what_the_record_holds(
    talk: Talk,
) -> None:
    phone = "+17735552234"
    talk.tools.add_lead(
        phone, first_name="Arthur", last_name="Bledsoe", zip="60631", state="IL",
        status="new",
        gates={"age": True, "homeowner": True, "primary_residence": True, "equity": None},
    )  # fmt: skip
    call = talk.call()
    await call.start(caller=phone)
    welcome = await call.say(
        "Hi, it's Arthur Bledsoe again, I called before and had to run out on you."
    )
    assert "how old" not in welcome and "own your home" not in welcome
    assert talk.tools.calls_to("record_qualification")


# ---- heldout23: regional and social variety ------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expect", "facts"),
    [
        # nothing owed, said in sentences of their own; the mortgage burned
        (
            "Owe? Nothing. Not a dime. Burned the mortgage papers in '98, we had a party.",
            E.BALANCE,
            {"mortgage_balance": 0},
        ),
        # an idiom of about, and a hedge inside the clause of the amount
        (
            "The city assessor's most recent figure was approximately four hundred and sixty thousand dollars, which I suspect is conservative, and the residual balance on our mortgage is, I believe, somewhere in the neighborhood of forty thousand.",
            E.VALUE,
            {"home_value": 460_000, "mortgage_balance": 40_000},
        ),
        ("he said a hair under three hundred thousand", E.VALUE, {"home_value": 300_000}),
        (
            "Oh, I'd guess three seventy-five or so, and there's about forty thousand still owing.",
            E.VALUE,
            {"home_value": 375_000, "mortgage_balance": 40_000},
        ),
        # "for" heard for "four" where an amount is said
        (
            "its worth maybe for 10 we owe like 95 thousand",
            E.VALUE,
            {"home_value": 410_000, "mortgage_balance": 95_000},
        ),
        # a timeshare not bought is none of theirs
        (
            "Stan Wojcik. And before you ask, no, I'm not buying a timeshare.",
            E.NAME,
            {"first_name": "Stan", "last_name": "Wojcik"},
        ),
        # "y'all" is no name, "ma'am good morning" no morning; a spelled word is the last name
        ("yes mam good morning i was calling bout the letter yall sent", E.NAME, {"yes": True}),
        (
            "this is cleveland brew sard broussard b r o u s s a r d",
            E.NAME,
            {"first_name": "Cleveland", "last_name": "Broussard"},
        ),
        # asked for the last name: said first, then the ZIP
        (
            "Sundquist. And my zip code is nine nine two oh five.",
            E.IDENTITY,
            {"last_name": "Sundquist", "zip": "99205"},
        ),
        # talking it over with somebody is the meeting
        (
            "I suppose I would like to talk it over with somebody. Tuesday or Wednesday, after my stories, so sometime after two o'clock.",
            E.BOOKING_OFFER,
            {
                "days": [W.TUE, W.WED],
                "part_of_day": PartOfDay.AFTERNOON,
                "hour": 14,
                "starts_from": 840,
                "exact_minute": 840,
                "timeline": "sometime",
                "callback": CallbackWhen(weekday=W.TUE, hour=14, part_of_day=PartOfDay.AFTERNOON),
                "intents": {Intent.BOOK},
            },
        ),
        ("I want to talk it over with my son first", E.BOOKING_OFFER, {"intents": {Intent.UNSURE}}),
        # weekdays said not to suit; a worry's word in a statement is no worry
        (
            "Weekdays are tough, we've got the grandkids most days. Is there any way to do a Saturday morning?",
            E.BOOKING_OFFER,
            {
                "days": [W.SAT],
                "part_of_day": PartOfDay.MORNING,
                "question": True,
                "callback": CallbackWhen(weekday=W.SAT, part_of_day=PartOfDay.MORNING),
            },
        ),
        # a question asked of what was said just before
        (
            "My brother-in-law says these things are a racket and the bank steals your house. That true or not?",
            E.BOOKING_OFFER,
            {"objection": "lose_home", "question": True},
        ),
        # where they are is no yes
        (
            "We are on the near west side of Madison; the postal code is five three seven oh five.",
            E.BOOKING_OFFER,
            {"zip": "53705"},
        ),
        ("we are", E.PRIMARY, {"yes": True, "primary_residence": True}),
        # an unpunctuated question turned mid-sentence
        (
            "now if i do this can my daughter still get the house when i pass",
            E.SLOT,
            {"objection": "heirs", "question": True},
        ),
    ],
)
def test_regional_and_spoken_ways_read_as_meant(
    said: str, expect: Expect, facts: dict[str, object]
) -> None:
    assert _only(said, expect) == facts


@pytest.mark.parametrize(
    ("said", "days", "starts_from", "starts_before", "choice"),
    [
        # a day filled only until an hour is free after it; "either of those days" are the days
        (
            "On Tuesdays and Thursdays I have a standing engagement at the library until eleven, so any time after half past eleven on either of those days would suit.",
            [W.TUE, W.THU],
            690,
            None,
            None,
        ),
        ("either one is fine", [], None, None, 0),
        # "nothing before lunch" is from lunch
        (
            "Fine, put me down. Monday. And nothing before lunch, I don't do mornings.",
            [W.MON],
            720,
            None,
            None,
        ),
        ("before lunch please", [], None, 720, None),
    ],
)
def test_days_and_hours_with_their_reasons(
    said: str,
    days: list[Weekday],
    starts_from: int | None,
    starts_before: int | None,
    choice: int | None,
) -> None:
    heard = understand(said, E.SLOT)
    assert (heard.days, heard.starts_from, heard.starts_before, heard.choice) == (
        days,
        starts_from,
        starts_before,
        choice,
    )


def test_put_me_down_is_a_booking_and_an_insult_of_someone_else_no_anger() -> None:
    heard = understand(
        "Hm. Well, he's an idiot anyway. Fine, put me down. Monday.", E.BOOKING_OFFER
    )
    assert heard.has(Intent.BOOK) and not heard.has(Intent.ANGRY)
    assert understand("you're an idiot", E.BOOKING_OFFER).has(Intent.ANGRY)


# ---- heldout24: ordinary weekday callers -----------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expect", "facts"),
    [
        # "the reverse mortgage one" is the letter, no balance of one million
        (
            "Hi, I'm calling about the postcard. The reverse mortgage one.",
            E.NAME,
            {"reverse_mortgage": True},
        ),
        ("worth about one point two million", E.VALUE, {"home_value": 1_200_000}),
        # owning with a sister is owning
        (
            "yes me and my sister own it together shes 75",
            E.HOMEOWNER,
            {"yes": True, "homeowner": True},
        ),
        ("my sister owns it", E.HOMEOWNER, {"homeowner": False}),
        # speech-to-text amounts: "1 10", "3 20", "for fifty"
        ("we still owe like 1 10", E.BALANCE, {"mortgage_balance": 110_000}),
        ("i want to say 3 20 maybe 3 40", E.VALUE, {"home_value": 330_000}),
        ("for fifty maybe", E.VALUE, {"home_value": 450_000}),
        ("for thirty years we lived there", E.VALUE, {}),
        # how long they have lived there is no age
        (
            "Of course I live there. Forest Hills, 11375. Fifty-one years.",
            E.PRIMARY,
            {"yes": True, "zip": "11375", "city": "Forest Hills", "primary_residence": True},
        ),
        ("Sixty-nine years.", E.AGE, {"age": 69, "borrower_ages": [69], "own_age": 69}),
        # the number changed hands
        (
            "No, there's no Arthur here. I've had this number about a year, it must've been his before.",
            E.NAME,
            {"no": True, "intents": {Intent.WRONG_PERSON}},
        ),
        # a call in the past, and a wish for this afternoon
        (
            "Hi, it's Walter again, I was talking to you this morning before I had to run off.",
            E.NAME,
            {"first_name": "Walter"},
        ),
        (
            "I was hoping for this afternoon",
            E.PREFERENCE,
            {
                "part_of_day": PartOfDay.AFTERNOON,
                "callback": CallbackWhen(in_days=0, part_of_day=PartOfDay.AFTERNOON),
            },
        ),
        # called in about the letter, not ready to meet: not a no
        (
            "Hi, I'm calling about the letter on reverse mortgages. I'm not ready to talk to a broker or anything.",
            E.NAME,
            {"intents": {Intent.UNSURE}, "reverse_mortgage": True},
        ),
        # run-on: a day and an hour, then what fills the morning
        (
            "wednesday after 2 i have pt in the morning",
            E.PREFERENCE,
            {
                "days": [W.WED],
                "part_of_day": PartOfDay.AFTERNOON,
                "hour": 14,
                "starts_from": 840,
                "exact_minute": 840,
                "callback": CallbackWhen(weekday=W.WED, hour=14, part_of_day=PartOfDay.AFTERNOON),
            },
        ),
    ],
)
def test_ordinary_callers_read_as_meant(
    said: str, expect: Expect, facts: dict[str, object]
) -> None:
    assert _only(said, expect) == facts


async def test_sure_we_would_like_to_hear_what_it_is_about_is_a_yes_to_the_meeting(
    talk: Talk,
) -> None:
    call = await _qualified_at_the_offer(talk)
    reply = await call.say("Sure, I think we'd both like to hear what it's about.")
    assert "email" not in reply.lower()
    assert (await call.state()).flags.ready_to_book


async def test_asked_when_to_call_back_a_wish_to_meet_instead_gets_the_meeting(talk: Talk) -> None:
    call = await _qualified_at_the_offer(talk)
    await call.say("Can someone call me back?")
    reply = await call.say(
        "Actually, let's go ahead and set up that meeting with the broker. Tuesday morning."
    )
    assert "I have Tuesday" in reply


# ---- heldout25: answers without yes or no ----------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expect", "facts"),
    [
        # owning, said by whose name is on it
        ("It's both of ours, his name and mine.", E.HOMEOWNER, {"homeowner": True}),
        ("Nobody's name on that deed but mine.", E.HOMEOWNER, {"homeowner": True}),
        ("My name's on the deed. Just me, I'm divorced.", E.HOMEOWNER, {"homeowner": True}),
        # living there, said by how long or how much of the year
        (
            "Since 1988. In Chula Vista, 91910.",
            E.PRIMARY,
            {"zip": "91910", "city": "Chula Vista", "primary_residence": True},
        ),
        (
            "Thirty-one years in Upper Arlington. 43221.",
            E.PRIMARY,
            {"zip": "43221", "city": "Upper Arlington", "primary_residence": True},
        ),
        ("Every day of the year.", E.PRIMARY, {"primary_residence": True}),
        ("seventy-two years old", E.PRIMARY, {"age": 72, "borrower_ages": [72], "own_age": 72}),
        # a yes with who lives there with them
        (
            "Mm-hmm, with my two cats, and my grandson on weekends.",
            E.PRIMARY,
            {
                "yes": True,
                "primary_residence": True,
                "days": [W.SAT, W.SUN],
                "callback": CallbackWhen(weekday=W.SAT),
            },
        ),
        # turning it down without "not interested"
        (
            "No, I don't need a meeting. Thank you for being straight with me.",
            E.PRIMARY,
            {"no": True, "intents": {Intent.NOT_INTERESTED, Intent.THANKS}},
        ),
        (
            "I think my wife and I will just sell and move closer to the grandkids instead.",
            E.PRIMARY,
            {"intents": {Intent.NOT_INTERESTED}},
        ),
        # someone else who "won't shut up about it" is no anger at us
        ("My brother-in-law in Tempe did one and won't shut up about it.", E.NAME, {}),
        # how the meeting is held
        (
            "Sure, I'd do that. Is it in person or on the phone?",
            E.BOOKING_OFFER,
            {"yes": True, "topic": "consultation", "question": True},
        ),
    ],
)
def test_answers_without_yes_or_no_read_as_meant(
    said: str, expect: Expect, facts: dict[str, object]
) -> None:
    assert _only(said, expect) == facts


async def test_a_day_said_beside_a_gate_answer_is_no_wish_to_meet(talk: Talk) -> None:
    call = talk.call()
    await call.start(caller="+15125552522")
    await call.say("This is Delores Pickett, calling from Round Rock, 78664. I'm sixty-three.")
    await call.say("It's mine, in my name only.")
    await call.say("Mm-hmm, with my two cats, and my grandson on weekends.")
    await call.say("The appraisal district has it a hair under four hundred.")
    good_news = await call.say("About one-fifteen left on it.")
    assert "get_availability" not in call.tool_names()
    assert "Would you like me to set up" in good_news
