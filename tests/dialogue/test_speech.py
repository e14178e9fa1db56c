"""Everything Barbara says is speakable: numbers, money, dates and times are words."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.dialogue.speech.chunker import SentenceChunker, split_sentences
from services.dialogue.speech.compose import (
    date_words,
    money_words,
    speakable,
    time_words,
    when_words,
)
from services.dialogue.speech.numbers import (
    find_numbers,
    int_to_words,
    ordinal_words,
    words_to_number,
)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("$250,000", "two hundred fifty thousand dollars"),
        ("about $1.5 million", "about one point five million dollars"),
        ("$50", "fifty dollars"),
        ("$12.50", "twelve dollars and fifty cents"),
        ("700k", "seven hundred thousand"),
        ("10:30", "ten thirty"),
        ("10:05 AM", "ten oh five AM"),
        ("2:00 PM", "two PM"),
        ("at 2pm", "at two PM"),
        ("at 14:00", "at two PM"),
        ("2026-12-02", "Wednesday, December second"),
        ("2026-12-02T14:00", "Wednesday, December second at two PM"),
        ("12/2", "December second"),
        ("December 2nd, 2025", "December second, twenty twenty-five"),
        ("5% of the value", "five percent of the value"),
        ("you must be 62", "you must be sixty-two"),
        ("NMLS 2048813", "N-M-L-S two zero four eight eight one three"),
        ("call (206) 555-0231", "call two zero six, five five five, zero two three one"),
        ("ZIP 98103", "ZIP nine eight one zero three"),
        ("**Great!** A HECM & more", "Great! A heck-um and more"),
        ("- first point", "first point"),
        ("born in 1952", "born in nineteen fifty-two"),
    ],
)
def test_numbers_money_dates_and_times_become_words(text: str, said: str) -> None:
    assert speakable(text) == said


def test_spoken_text_has_no_digits_or_symbols_left() -> None:
    text = speakable("Your $300,000 home, 2 slots: 12/3 at 10:30 AM or 12/4 at 2:00 PM (50%).")
    assert not any(ch.isdigit() for ch in text)
    assert not set("$%*#") & set(text)


def test_number_words() -> None:
    assert int_to_words(0) == "zero"
    assert int_to_words(71) == "seventy-one"
    assert int_to_words(1_234_567) == (
        "one million two hundred thirty-four thousand five hundred sixty-seven"
    )
    assert [ordinal_words(n) for n in (1, 2, 3, 12, 21, 30)] == [
        "first", "second", "third", "twelfth", "twenty-first", "thirtieth",
    ]  # fmt: skip


def test_dates_and_times_as_said() -> None:
    assert date_words(date(2026, 12, 2)) == "Wednesday, December second"
    assert time_words(10, 30) == "ten thirty"
    assert time_words(14, 0) == "two PM"
    assert when_words(datetime(2026, 12, 2, 14, 0)) == "Wednesday, December second at two PM"
    assert money_words(250_000) == "two hundred fifty thousand dollars"


@pytest.mark.parametrize(
    ("spoken", "value"),
    [
        ("seven hundred thousand", 700_000),
        ("700k", 700_000),
        ("$700,000", 700_000),
        ("650 grand", 650_000),
        ("half a million", 500_000),
        ("a million and a half", 1_500_000),
        ("1.2 million", 1_200_000),
        ("sixty two", 62),
        ("two hundred and fifty thousand", 250_000),
    ],
)
def test_spoken_numbers_are_understood(spoken: str, value: int) -> None:
    assert words_to_number(spoken) == value


def test_numbers_are_found_inside_sentences() -> None:
    found = [v for v, _, _ in find_numbers("It's worth about 500 thousand, I owe 120.")]
    assert found == [500_000, 120]


def test_sentences_are_cut_as_soon_as_they_are_complete() -> None:
    chunker = SentenceChunker()
    out: list[str] = []
    for ch in "Sure thing. Let me check that for you. Okay, I have Wednesday":
        out += chunker.feed(ch)
    assert out == ["Sure thing.", "Let me check that for you."]
    assert chunker.flush() == ["Okay, I have Wednesday"]


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    assert split_sentences("Dr. Smith sees you at 2 p.m. today. It costs $2.50 a day.") == [
        "Dr. Smith sees you at 2 p.m. today.",
        "It costs $2.50 a day.",
    ]


def test_a_long_sentence_is_spoken_at_a_clause_break() -> None:
    long = "With a reverse mortgage you keep the title to your home, " * 3
    pieces = SentenceChunker(long_piece=80).feed(long)
    assert pieces and pieces[0].endswith(",")


async def test_a_redelivered_reply_skips_what_was_already_spoken() -> None:
    from contracts.conversation import ReplyChunk
    from services.dialogue.reply import ReplyStream
    from tests.dialogue.fakes.memory import FakeClock, MemoryPublisher

    spoken = ReplyChunk(event_id="rpl_t1:0", call_id="call_reply1", reply_id="rpl_t1", seq=0,
                        text="Of course.", turn_id="t1")  # fmt: skip
    publisher = MemoryPublisher()
    reply = ReplyStream(publisher, FakeClock(), call_id="call_reply1", reply_id="rpl_t1",
                        turn_id="t1", already=[spoken])  # fmt: skip
    await reply.say("Of course. Let me look at Wednesday.")
    await reply.end()
    assert [(c.seq, c.text, c.final) for c in publisher.chunks] == [
        (1, "Let me look at Wednesday.", False), (2, "", True)]  # fmt: skip
    assert reply.text == "Of course. Let me look at Wednesday."
