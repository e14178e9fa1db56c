"""A returning caller proves who they are with more than a first name: Barbara asks once,
kindly, for the last name or the ZIP code, takes it however it is said, reveals nothing
meanwhile, and helps a caller who would rather not say all the same (offline policy, fakes)."""

from __future__ import annotations

from contracts.calls import Node, Outcome
from contracts.store import CallerContext
from contracts.tools import VerifyCaller
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect

from .conftest import Talk, no_digits, sentence_count

ALL_GATES = {"age": True, "homeowner": True, "primary_residence": True, "equity": True}
PHONE = "+12065550231"


def margaret(talk: Talk) -> None:
    talk.tools.add_lead(
        PHONE, first_name="Margaret", last_name="Holloway", zip="98103", state="WA",
        address="4417 Linden Ave N", status="qualified", broker_id="brk-west",
        gates=dict(ALL_GATES), memory={"contacted_before": True},
    )  # fmt: skip
    talk.store.context_reply = CallerContext(
        lead_id="lead-1", call_count=2, qualified=True,
        memory={"money_purpose": "replace the roof"},
    )  # fmt: skip


def short(reply: str) -> str:
    assert 1 <= sentence_count(reply) <= 2, reply
    assert no_digits(reply), reply
    return reply


def reveals_nothing(reply: str) -> bool:
    return not any(pii in reply for pii in ("Holloway", "roof", "Linden", "nine eight"))


async def test_a_first_name_alone_gets_a_warm_ask_for_the_last_name_or_zip(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    ask = short(await call.say("Hi, this is Margaret."))
    assert "Margaret" in ask and "last name or the ZIP code" in ask and reveals_nothing(ask)
    state = await call.state()
    assert not state.flags.verified and state.node == Node.VERIFY
    assert state.flags.verify_attempts == 0 and state.expect == Expect.IDENTITY


async def test_the_last_name_completes_verification_and_she_books(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("Hi, this is Margaret.")
    welcome = short(await call.say("Holloway."))
    assert "Welcome back, Margaret" in welcome
    assert (await call.state()).flags.verified
    for line in ("Yes, Thursday morning would be good.", "the first one"):
        short(await call.say(line))
    assert len(talk.tools.calls_to("book_appointment")) == 1
    assert (await call.hang_up()).outcome == Outcome.BOOKED


async def test_the_zip_said_in_words_completes_verification(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("hi it's margaret")
    short(await call.say("oh, it's nine eight one oh three"))
    assert (await call.state()).flags.verified


async def test_the_last_name_said_in_one_breath_with_a_wish_to_book_counts(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("Hello, it's Margaret calling back.")
    short(await call.say("sure, it's holloway, and I'd like to set up that meeting"))
    state = await call.state()
    assert state.flags.verified and state.flags.ready_to_book


async def test_a_last_name_heard_as_two_words_still_matches(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("this is margaret")
    await call.say("holl oway")
    state = await call.state()
    assert state.flags.verified and state.facts.first_name == "Margaret"


async def test_a_wrong_last_name_is_not_verified_and_nothing_is_revealed(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("Hi, this is Margaret.")
    reply = short(await call.say("Henderson"))
    assert reveals_nothing(reply) and "Welcome back" not in reply
    state = await call.state()
    assert not state.flags.verified and state.flags.verify_attempts == 1
    last = talk.tools.calls_to("verify_caller")[-1]
    assert isinstance(last, VerifyCaller) and last.last_name == "Henderson"


async def test_a_caller_who_would_rather_not_say_is_not_asked_again_and_is_helped(
    talk: Talk,
) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("Hi, this is Margaret.")
    offer = short(await call.say("I'd rather not give that out over the phone."))
    assert "all right" in offer and "call you back" in offer and reveals_nothing(offer)
    assert "last name" not in offer
    state = await call.state()
    assert not state.flags.verified and state.flags.verify_declined
    short(await call.say("tomorrow at ten would be fine"))
    assert talk.tools.calls_to("schedule_callback")
    assert (await call.hang_up()).outcome == Outcome.CALLBACK_SCHEDULED


async def test_asking_why_is_answered_and_the_question_asked_once_more(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("Hi, this is Margaret.")
    why = short(await call.say("why do you need that?"))
    assert "right person" in why and reveals_nothing(why)
    assert (await call.say("98103")) and (await call.state()).flags.verified


async def test_the_question_is_asked_twice_at_most(talk: Talk) -> None:
    margaret(talk)
    call = talk.call()
    await call.start(caller=PHONE)
    await call.say("Hi, this is Margaret.")
    again = short(await call.say("hmm"))
    assert "rather not" in again and "ZIP code" in again  # the second time, with a way out
    after = short(await call.say("well, okay"))
    assert "last name" not in after and "call you back" in after


def test_a_last_name_or_a_street_is_heard_however_it_is_said() -> None:
    said = {
        "Holloway.": ("last_name", "Holloway"),
        "uh holloway h o l l o w a y": ("last_name", "Holloway"),
        "my last name is Holloway": ("last_name", "Holloway"),
        "Holloway, and the zip is 98103": ("zip", "98103"),
        "4417 Linden Avenue North": ("address", "4417 Linden Avenue North"),
    }
    for text, (field, value) in said.items():
        heard = understand(text, Expect.IDENTITY)
        assert getattr(heard, field) == value, text
    both = understand("Holloway, and the zip is 98103", Expect.IDENTITY)
    assert both.last_name == "Holloway"
    street = understand("4417 Linden Avenue North", Expect.IDENTITY)
    assert street.first_name is None and street.last_name is None and street.zip is None
    asked_else = understand("I live at 4417 linden ave n, I'm seventy four", Expect.NOTHING)
    assert asked_else.address == "4417 Linden Ave N" and asked_else.age == 74
    age_not_street = understand("im 76 i own the place and live there", Expect.AGE)
    assert age_not_street.address is None and age_not_street.age == 76
    assert understand("we bought it in 1985 way back", Expect.NOTHING).address is None
