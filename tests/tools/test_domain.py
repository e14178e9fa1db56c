"""Pure rules, no I/O: timezones and how times are said, slots, gates, verification,
chunking, settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from contracts.calls import DisqualificationReason
from contracts.tools import PartOfDay, Weekday
from services.tools.calendar.fake import FakeCalendar
from services.tools.calendar.port import NewAppointment, SlotTaken
from services.tools.domain.qualification import Answers, assess
from services.tools.domain.slots import (
    BrokerSchedule,
    Interval,
    Preference,
    WorkingHours,
    open_slots,
)
from services.tools.domain.timezones import caller_zone, say_time, state_zone
from services.tools.domain.verification import (
    address_matches,
    compare,
    first_name_matches,
    name_matches,
)
from services.tools.kb.chunking import chunk_text, load_file
from services.tools.settings import EmbedderKind, Settings
from services.tools.store.brokers import BrokerRow

NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # Tuesday, 9 AM Eastern
WEEKDAYS_10_TO_5 = [WorkingHours(d, time(10), time(17)) for d in range(1, 6)]


def schedule(tz: str = "America/Los_Angeles", minutes: int = 45, **kw: object) -> BrokerSchedule:
    return BrokerSchedule("b1", tz, minutes, kw.pop("hours", WEEKDAYS_10_TO_5), **kw)  # type: ignore[arg-type]


def slots_for(sched: BrokerSchedule, caller_tz: str = "America/New_York", **kw: object) -> list:
    pref = kw.pop("preference", Preference())
    return open_slots(
        sched,
        earliest=kw.pop("earliest", NOW),
        latest=kw.pop("latest", NOW + timedelta(days=14)),
        caller_timezone=caller_tz,
        preference=pref,
        limit=kw.pop("limit", 5),  # type: ignore[arg-type]
    )


# ---- timezones -----------------------------------------------------------------------------


def test_times_are_said_in_the_callers_words_and_zone() -> None:
    at = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)
    assert say_time(at, "America/New_York") == "Wednesday, December 2 at 1:30 PM Eastern"
    assert say_time(at, "America/Los_Angeles") == "Wednesday, December 2 at 10:30 AM Pacific"
    assert say_time(datetime(2026, 12, 2, 17, tzinfo=UTC), "America/Chicago").endswith(
        "at 11 AM Central"
    )
    assert say_time(datetime(2026, 12, 2, 5, tzinfo=UTC), "America/New_York").startswith(
        "Wednesday, December 2 at 12 AM"
    )


def test_the_callers_zone_comes_from_the_session_then_the_state_then_the_broker() -> None:
    assert caller_zone("America/Denver", "WA", "America/New_York") == "America/Denver"
    assert caller_zone(None, "WA", "America/New_York") == "America/Los_Angeles"
    assert caller_zone("Not/AZone", "az", "America/New_York") == "America/Phoenix"
    assert caller_zone(None, None, "America/Chicago") == "America/Chicago"
    assert state_zone("HI") == "Pacific/Honolulu" and state_zone("ZZ") is None


# ---- slots ---------------------------------------------------------------------------------


def test_slots_are_in_the_brokers_hours_one_appointment_long_soonest_first() -> None:
    found = slots_for(schedule(), limit=9)
    assert found[0].start == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 10:00 Pacific
    assert all(s.end - s.start == timedelta(minutes=45) for s in found)
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert found[-1].end == datetime(2026, 12, 2, 0, 45, tzinfo=UTC)  # 16:00-16:45 Pacific
    assert all(s.start.weekday() < 5 for s in found)


def test_no_slot_before_the_earliest_time_or_after_the_window() -> None:
    earliest = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 11:00 Pacific
    found = slots_for(schedule(), earliest=earliest, limit=1)
    assert found[0].start == datetime(2026, 12, 1, 19, 30, tzinfo=UTC)  # 11:30 slot
    latest = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert all(s.end <= latest for s in slots_for(schedule(), latest=latest, limit=20))


def test_busy_and_blocked_times_are_skipped() -> None:
    busy = [
        Interval(
            datetime(2026, 12, 1, 18, 0, tzinfo=UTC), datetime(2026, 12, 1, 18, 45, tzinfo=UTC)
        ),
        Interval(
            datetime(2026, 12, 1, 19, 0, tzinfo=UTC), datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
        ),
    ]
    found = slots_for(schedule(busy=busy), limit=2)
    assert [s.start.hour * 60 + s.start.minute for s in found] == [20 * 60 + 15, 21 * 60]


def test_morning_and_afternoon_are_the_callers_not_the_brokers() -> None:
    # a Pacific broker's 10:00 is 1 PM Eastern: no Eastern morning exists all fortnight
    pref = Preference(part_of_day=PartOfDay.MORNING)
    assert slots_for(schedule(), "America/New_York", preference=pref, limit=10) == []
    pacific = slots_for(schedule(), "America/Los_Angeles", preference=pref, limit=10)
    assert len(pacific) == 10
    assert all((s.start - timedelta(hours=8)).hour < 12 for s in pacific)  # PST = UTC-8


def test_weekday_preference_reaches_across_the_whole_window() -> None:
    pref = Preference.of([Weekday.FRI], PartOfDay.AFTERNOON)
    found = slots_for(schedule(), "America/Los_Angeles", preference=pref, limit=10)
    days = sorted({(s.start - timedelta(hours=8)).date().isoformat() for s in found})
    assert days == ["2026-12-04", "2026-12-11"]
    assert len(found) == 10


def test_the_callers_hours_are_kept_on_their_own_clock() -> None:
    # "not before eight, our time" in Honolulu: a Pacific broker's 10:00 is 8 AM there
    pref = Preference.of([], PartOfDay.ANY, "08:00", "09:00")
    found = slots_for(schedule(), "Pacific/Honolulu", preference=pref, limit=10)
    local = [(s.start - timedelta(hours=10)).time() for s in found]  # HST = UTC-10
    assert found and all(time(8) <= t < time(9) for t in local), local
    after_three = Preference.of([Weekday.TUE], PartOfDay.ANY, "15:00")
    found = slots_for(schedule(), "America/Chicago", preference=after_three, limit=4)
    assert found and all((s.start - timedelta(hours=6)).time() >= time(15) for s in found)


def test_slots_stay_inside_the_hours_a_caller_may_be_called() -> None:
    # an Eastern broker's day (10-5) is 5-12 in Honolulu: nothing before 8 AM there
    found = slots_for(schedule("America/New_York"), "Pacific/Honolulu", limit=20)
    local = [(s.start - timedelta(hours=10)).time() for s in found]  # HST = UTC-10
    assert found and all(t >= time(8) for t in local), local
    # a Pacific broker's evening (5-7 PM) is 8-10 PM in New York: only what ends by 9 PM there
    late = [WorkingHours(d, time(17), time(19)) for d in range(1, 6)]
    found = slots_for(schedule(hours=late), "America/New_York", limit=20)
    assert found and {(s.end - timedelta(hours=5)).time() for s in found} == {time(20, 45)}


def test_a_wall_time_that_does_not_exist_is_skipped() -> None:
    night = [WorkingHours(7, time(2), time(4))]  # Sunday 02:00-04:00; 8 March 2026 springs ahead
    found = open_slots(
        schedule("America/New_York", 60, hours=night),
        earliest=datetime(2026, 3, 7, tzinfo=UTC),
        latest=datetime(2026, 3, 16, tzinfo=UTC),
        caller_timezone="America/New_York",
        preference=Preference(),
        limit=10,
    )
    assert [s.start.astimezone().date().isoformat() for s in found].count("2026-03-08") <= 1
    assert all(s.end - s.start == timedelta(hours=1) for s in found)


async def test_the_fake_calendar_keeps_the_same_no_overlap_rule() -> None:
    broker = BrokerRow(
        uuid.uuid4(), "B", "C", "123456", "America/Chicago", False, 30, "+13125550201"
    )
    cal = FakeCalendar({broker.id: WEEKDAYS_10_TO_5})
    start = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)

    def appt(at: datetime) -> NewAppointment:
        return NewAppointment(
            uuid.uuid4(),
            uuid.uuid4(),
            broker.id,
            at,
            at + timedelta(minutes=30),
            "America/Chicago",
            "America/Chicago",
            uuid.uuid4().hex,
            "call_x1",
        )

    first = appt(start)
    await cal.reserve(None, first)
    with pytest.raises(SlotTaken):
        await cal.reserve(None, appt(start + timedelta(minutes=15)))
    sched = await cal.schedule(None, broker, NOW, NOW + timedelta(days=14))
    assert [b.start for b in sched.busy] == [start]
    await cal.release(None, first.id)
    await cal.reserve(None, appt(start))


# ---- qualification -------------------------------------------------------------------------


def test_all_four_gates_qualify() -> None:
    result = assess(Answers(70, True, True, 400_000, 100_000))
    assert result.qualified is True and result.reason is None and result.missing == []


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (Answers(61, True, True, 400_000, 0), DisqualificationReason.AGE_BELOW_62),
        (Answers(70, False, True, 400_000, 0), DisqualificationReason.NOT_HOMEOWNER),
        (Answers(70, True, False, 400_000, 0), DisqualificationReason.NOT_PRIMARY_RESIDENCE),
        (Answers(70, True, True, 300_000, 200_000), DisqualificationReason.INSUFFICIENT_EQUITY),
    ],
)
def test_a_failed_gate_gives_its_reason(answers: Answers, reason: DisqualificationReason) -> None:
    result = assess(answers)
    assert result.qualified is False and result.reason is reason


def test_unknown_answers_are_missing_not_failed() -> None:
    result = assess(Answers(age=66))
    assert result.qualified is None and result.reason is None
    assert result.missing == [
        "is_homeowner",
        "primary_residence",
        "property_value",
        "mortgage_balance",
    ]
    assert assess(Answers(66, True, True, None, 0)).qualified is True  # paid off


def test_the_age_gate_is_on_the_younger_owner() -> None:
    # "I'm sixty-seven, she's sixty": the caller's own age on the record, the gate on hers
    result = assess(Answers(67, True, True, 400_000, 0, co_borrower_age=60))
    assert result.qualified is False and result.reason is DisqualificationReason.AGE_BELOW_62
    assert assess(Answers(67, True, True, 400_000, 0, co_borrower_age=64)).qualified is True
    merged = Answers(age=67).merged_over(Answers(co_borrower_age=64))
    assert (merged.age, merged.co_borrower_age, merged.youngest) == (67, 64, 64)


def test_new_answers_override_stored_ones_and_unknown_keeps_them() -> None:
    merged = Answers(age=70).merged_over(Answers(age=60, is_homeowner=True))
    assert merged.age == 70 and merged.is_homeowner is True


# ---- verification --------------------------------------------------------------------------


def test_names_match_despite_speech_to_text_spelling() -> None:
    assert name_matches("margaret", "Margaret")
    assert name_matches("Halloway", "Holloway")
    assert name_matches("Brennan Cole", "Brennan-Cole")
    assert not name_matches("Kevin", "Margaret")


def test_a_first_name_matches_its_short_form_or_its_start() -> None:
    assert first_name_matches("Vince", "Vincent")
    assert first_name_matches("bob", "Robert") and first_name_matches("Robert", "Bob")
    assert first_name_matches("Peggy", "Margaret")
    assert first_name_matches("Pat", "Patricia")
    assert not first_name_matches("Al", "Alice")  # two letters are not enough
    assert not first_name_matches("Bob", "Margaret")
    assert not first_name_matches("Vincent", "Vince Russo")
    said = {"first_name": "Vince", "last_name": "Russo"}
    stored: dict[str, str | None] = {"first_name": "Vincent", "last_name": "Russo", "zip": None}
    assert compare(said, stored).verified(stored)


def test_addresses_match_on_house_number_and_street() -> None:
    assert address_matches("4417 Linden Avenue North", "4417 Linden Ave N")
    assert address_matches("4417 linden", "4417 Linden Ave N")
    assert not address_matches("4471 Linden Ave N", "4417 Linden Ave N")
    assert not address_matches("Linden Ave", "4417 Linden Ave N")


def test_a_first_name_alone_is_not_enough_when_the_record_holds_more() -> None:
    stored = {"first_name": "Margaret", "last_name": "Holloway", "address": None, "zip": "98103"}
    partial = compare({"first_name": "Margaret"}, stored)
    assert not partial.verified(stored) and partial.needs(stored) == ["last_name", "zip"]
    assert compare({"first_name": "Margaret", "last_name": "Holloway"}, stored).verified(stored)
    assert compare({"first_name": "Margaret", "zip": "98103"}, stored).verified(stored)
    assert compare({"last_name": "Holloway", "zip": "98103"}, stored).verified(stored)


def test_a_place_is_never_a_name() -> None:
    stored = {"first_name": "Margaret", "last_name": "Holloway", "address": "4417 Linden Ave N",
              "zip": "98103"}  # fmt: skip
    places = compare({"zip": "98103", "address": "4417 Linden Ave"}, stored)
    assert not places.verified(stored) and places.needs(stored) == ["first_name", "last_name"]
    assert not compare({"zip": "98103"}, stored).verified(stored)


def test_any_mismatch_fails_however_much_else_matched() -> None:
    stored = {"first_name": "Margaret", "last_name": "Holloway", "address": None, "zip": "98103"}
    wrong = compare({"first_name": "Margaret", "last_name": "Holloway", "zip": "98104"}, stored)
    assert wrong.mismatched == ["zip"] and not wrong.verified(stored) and wrong.needs(stored) == []
    assert compare({"address": "1 Main St"}, stored).unknown == ["address"]


def test_a_sparse_record_asks_for_what_it_holds() -> None:
    first_and_zip = {"first_name": "Walter", "last_name": None, "address": None, "zip": "60614"}
    alone = compare({"first_name": "Walter"}, first_and_zip)
    assert not alone.verified(first_and_zip) and alone.needs(first_and_zip) == ["zip"]
    assert compare({"first_name": "Walt", "zip": "60614"}, first_and_zip).verified(first_and_zip)
    # a last name the record lacks proves nothing
    unknown = compare({"first_name": "Walter", "last_name": "Cole"}, first_and_zip)
    assert unknown.unknown == ["last_name"] and not unknown.verified(first_and_zip)
    names_only = {"first_name": "Walter", "last_name": "Cole", "address": None, "zip": None}
    assert not compare({"first_name": "Walter"}, names_only).verified(names_only)
    assert compare({"first_name": "Walter", "last_name": "Cole"}, names_only).verified(names_only)
    first_only = {"first_name": "Walter", "last_name": None, "address": None, "zip": None}
    assert compare({"first_name": "Walter"}, first_only).verified(first_only)  # nothing more held
    places_only = {"first_name": None, "last_name": None, "address": "1 Main St", "zip": "60614"}
    assert not compare({"zip": "60614"}, places_only).verified(places_only)
    assert compare({"zip": "60614", "address": "1 Main Street"}, places_only).verified(places_only)
    assert compare({}, {"first_name": None}).verified({})  # nothing on record to protect


# ---- chunking and settings -----------------------------------------------------------------


def test_long_sections_are_cut_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {i} says something useful." for i in range(60))
    pieces = chunk_text(text, max_words=50)
    assert len(pieces) >= 6
    assert all(len(p.split()) <= 50 for p in pieces)
    assert all(p.endswith(".") for p in pieces)


def test_text_files_become_titled_paragraph_passages(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "notes.txt"
    path.write_text("Reverse Mortgage Notes\n\nFirst paragraph.\n\nSecond paragraph here.\n")
    doc = load_file(path)
    assert doc.title == "Reverse Mortgage Notes"
    assert [p.content for p in doc.passages] == ["First paragraph.", "Second paragraph here."]


def test_settings_come_from_the_environment() -> None:
    s = Settings.from_env(
        {
            "NATS_URL": "nats://x:1",
            "EC_TOOLS_DATABASE_URL": "postgresql://t@h/db",
            "EC_TOOLS_DEADLINE_MS": "1500",
            "EC_TOOLS_EMBEDDER": "openai",
            "EC_TOOLS_EMBED_ON_START": "0",
            "EC_TOOLS_MAX_IN_FLIGHT": "4",
        }
    )
    assert s.nats_url == "nats://x:1" and s.database_url == "postgresql://t@h/db"
    assert s.deadline_s == 1.5 and s.embedder is EmbedderKind.OPENAI
    assert not s.embed_on_start and s.max_in_flight == 4
    assert Settings.from_env({}).embedder is EmbedderKind.ONNX
