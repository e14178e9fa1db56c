"""Booking and call backs: the caller's preference, two times to offer, the one they pick, a
call back at the time they said, and how those times (and the broker) are said.

:func:`asked` is here, not in :mod:`.questions` (which builds on this module), because the
offer of times depends on it too.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from contracts.calls import Node
from contracts.tools import PartOfDay, Weekday
from services.dialogue import functions as fn
from services.dialogue.absorb import carries_facts, note_window, preferred_days
from services.dialogue.context import Turn
from services.dialogue.language.heard import CallbackWhen, Expect, Heard, Intent
from services.dialogue.speech import lines
from services.dialogue.speech.compose import when_words
from services.dialogue.state import OfferedSlot

_WEEKDAY_INDEX = {d: i for i, d in enumerate(Weekday)}


def asked(turn: Turn, expect: Expect) -> int:
    return turn.state.asks.get(expect.value, 0)


async def note_preference(turn: Turn, heard: Heard) -> None:
    s = turn.state
    days = preferred_days(turn, heard)
    if days:
        s.preference_days = days
    if heard.part_of_day:
        s.preference_part = heard.part_of_day.value
    note_window(turn, heard)


async def offer_slots_now(turn: Turn, heard: Heard) -> str | None:
    """If we know where the home is and a preference, look up two times straight away."""
    s = turn.state
    where = s.broker is not None or knows_where(turn) or asked(turn, Expect.ZIP) >= 2
    if not s.flags.qualified or not where:
        return None
    if s.lead_found and not s.flags.verified:
        # a known caller who has not confirmed the file cannot be booked on it: the team
        # calls back to set it up (no times offered that could not be kept)
        s.flags.ready_to_book, s.flags.wants_callback = False, True
        return None
    hours = s.preference_from is not None or s.preference_before is not None
    if not (s.preference_days or s.preference_part or hours):
        return None  # ("before three o'clock" is a preference: the hours are the wish)
    result = await fn.get_availability(turn)
    if not result.get("ok"):
        return await booking_trouble(turn)
    if not s.offered and (s.preference_from is not None or s.preference_before is not None):
        # nothing inside the hours they gave: the same days, any hour, and say so
        s.preference_from = s.preference_before = None
        result = await fn.get_availability(turn)
        if not result.get("ok"):
            return await booking_trouble(turn)
        if s.offered:
            return "The broker doesn't have an opening at those hours, but here's what's closest."
    asked_days, asked_part = list(s.preference_days), s.preference_part
    nearest: tuple[tuple[list[str], str | None], ...] = (
        (asked_days, PartOfDay.ANY.value),  # the day they asked, another part of it
        ([], asked_part),
        ([], PartOfDay.ANY.value),
    )
    for days, part in nearest:
        if s.offered or (days, part) == (asked_days, asked_part):
            continue
        # nothing on the day (or part of day) they asked: the nearest times instead
        s.preference_days, s.preference_part = days, part
        result = await fn.get_availability(turn)
        if not result.get("ok"):
            return await booking_trouble(turn)
        if s.offered:
            return "The broker doesn't have an opening then, but here's what's closest."
    if not s.offered:
        s.flags.ready_to_book = False
        s.flags.wants_callback = True
        s.preference_days, s.preference_part = [], None
        return "I'm sorry, I don't see an opening that fits."
    return None


async def booking_trouble(turn: Turn) -> str:
    s = turn.state
    s.flags.ready_to_book = False
    s.flags.wants_callback = True
    return lines.TROUBLE


def pick_slot(turn: Turn, heard: Heard) -> str | None:
    offered = turn.state.offered
    if heard.choice is not None and heard.choice < len(offered):
        return offered[heard.choice].slot_id
    if (heard.starts_from is not None or heard.starts_before is not None) and not any(
        _in_window(heard, o) for o in offered
    ):
        return None  # "not too early, I'm at the gym until nine-thirty": none of these fit
    offered = [o for o in offered if _in_window(heard, o)]
    for slot in offered:
        local = slot.start.astimezone(ZoneInfo(slot.caller_timezone))
        day = list(Weekday)[local.weekday()]
        # a day or two said picks the slot on it ("Tuesday, in the afternoon"), at the time or
        # part of the day said; more days ("any day but Friday") say when, and pick nothing
        if heard.days and len(heard.days) <= 2 and day in heard.days:
            if (heard.hour is None or heard.hour == local.hour) and _fits_part(heard, local):
                return slot.slot_id
        if heard.hour is not None and heard.hour == local.hour and not heard.days:
            return slot.slot_id
    if heard.hour is not None and NEAREST.search(heard.text):
        # "whichever is closer to two o'clock": the slot nearest that time, on the day said
        wanted = heard.hour * 60 + (heard.callback.minute if heard.callback else 0)

        def distance(slot: OfferedSlot) -> int:
            local = slot.start.astimezone(ZoneInfo(slot.caller_timezone))
            return abs(local.hour * 60 + local.minute - wanted)

        on_day = [o for o in offered if not heard.days or _weekday(o) in heard.days]
        if on_day:
            return min(on_day, key=distance).slot_id
    if heard.part_of_day in (PartOfDay.MORNING, PartOfDay.AFTERNOON) and not heard.days:
        for slot in offered:
            local = slot.start.astimezone(ZoneInfo(slot.caller_timezone))
            if (local.hour < 12) == (heard.part_of_day == PartOfDay.MORNING):
                return slot.slot_id
    if heard.days or heard.part_of_day in (PartOfDay.MORNING, PartOfDay.AFTERNOON):
        return None  # "great, Thursday afternoon then": none of these — other times
    if heard.yes and not heard.no:
        return offered[0].slot_id
    return None


def _in_window(heard: Heard, slot: OfferedSlot) -> bool:
    """The slot starts inside the hours said in this turn (any, when none were said)."""
    local = slot.start.astimezone(ZoneInfo(slot.caller_timezone))
    at = local.hour * 60 + local.minute
    return (heard.starts_from is None or at >= heard.starts_from) and (
        heard.starts_before is None or at < heard.starts_before
    )


def _fits_part(heard: Heard, local: datetime) -> bool:
    if heard.part_of_day not in (PartOfDay.MORNING, PartOfDay.AFTERNOON):
        return True
    return (local.hour < 12) == (heard.part_of_day == PartOfDay.MORNING)


def _weekday(slot: OfferedSlot) -> Weekday:
    return list(Weekday)[slot.start.astimezone(ZoneInfo(slot.caller_timezone)).weekday()]


#: a time to come near, not to match: "whichever is closer to two", "around ten or so"
NEAREST = re.compile(
    r"\b(?:clos(?:e|er|est)|nearest|nearer|near|around|about|whichever|either)\b", re.IGNORECASE
)


async def callback_step(turn: Turn, heard: Heard) -> str | None:
    s = turn.state
    # (not "No, he's not here; he's at his daughter's until Sunday": a time, but no call asked)
    wanted = not heard.no or heard.has(Intent.CALLBACK)
    if heard.callback and wanted and await schedule_callback(turn, heard.callback):
        return None
    if heard.has(Intent.EMAIL):
        await send_email(turn, heard.email)
        return None
    if heard.no or heard.has(Intent.GOODBYE):
        await fn.end_call(turn, "bad_timing" if s.flags.bad_timing else "goodbye")
        return None
    s.expect = Expect.CALLBACK_TIME
    if carries_facts(heard):
        return "Thank you, I've noted that."  # "sixty-five, I own my house": taken, not misheard
    return lines.SORRY_AGAIN if not heard.silent else None


async def send_email(turn: Turn, email: str | None) -> None:
    """Information by email, to the address they said (or the one held from earlier)."""
    s = turn.state
    email = email or s.facts.email
    if email and not s.flags.verified and s.lead_id and not s.lead_found:
        # a caller new to us who gave no name: the lead was made by this very call and holds
        # only what they tell us (the tools bound it verified), so their address can go on it
        s.flags.verified = True
    await fn.request_email(turn, email)


async def schedule_callback(turn: Turn, when: CallbackWhen) -> bool:
    at = resolve_when(when, turn.deps.clock.now(), fn.caller_zone(turn))
    result = await fn.schedule_callback(turn, at.strftime("%Y-%m-%dT%H:%M"))
    return bool(result.get("ok"))


#: local hours a call back may be placed in (the tools refuse others: 8 AM to 9 PM)
CALLBACK_HOURS = (8, 21)
#: where a call back that would fall outside them goes: the next morning at nine
CALLBACK_MORNING = 9


def resolve_when(when: CallbackWhen, now: datetime, zone: ZoneInfo) -> datetime:
    """The caller's "tomorrow at three" / "Friday morning" / "in an hour" as a local datetime,
    inside calling hours: "in an hour" said at 8:30 in the evening is tomorrow at 9 AM."""
    return within_hours(_resolve(when, now, zone))


def within_hours(moment: datetime) -> datetime:
    if CALLBACK_HOURS[0] <= moment.hour < CALLBACK_HOURS[1]:
        return moment
    day = moment.date() + timedelta(days=1 if moment.hour >= CALLBACK_HOURS[1] else 0)
    return datetime(day.year, day.month, day.day, CALLBACK_MORNING, tzinfo=moment.tzinfo)


#: a call back at a time of day sooner than this is taken as the next day's (the tools need
#: notice to arrange one)
SOONEST_CALLBACK = timedelta(minutes=15)


def _resolve(when: CallbackWhen, now: datetime, zone: ZoneInfo) -> datetime:
    local_now = now.astimezone(zone)
    if when.in_minutes is not None:
        return local_now + timedelta(minutes=when.in_minutes)
    hour = when.hour
    if hour is None:
        hour = {PartOfDay.MORNING: 10, PartOfDay.AFTERNOON: 14}.get(
            when.part_of_day or PartOfDay.ANY, 10
        )
    day = local_now.date()
    if when.weekday is not None:
        ahead = (_WEEKDAY_INDEX[when.weekday] - local_now.weekday()) % 7
        day = day + timedelta(days=ahead or (7 if hour <= local_now.hour else 0))
    elif when.in_days is not None:
        day = day + timedelta(days=when.in_days)
    moment = datetime(day.year, day.month, day.day, hour, when.minute, tzinfo=zone)
    if moment <= local_now + SOONEST_CALLBACK:
        # "in the morning" at 9:54: ten o'clock is too soon to arrange, so tomorrow's morning
        moment += timedelta(days=1)
    return moment


def slots_line(turn: Turn) -> str:
    offered = turn.state.offered
    first = local_when(turn, offered[0].start, offered[0].caller_timezone)
    if len(offered) == 1:
        return lines.ASK["one_slot"].format(first=first)
    second = local_when(turn, offered[1].start, offered[1].caller_timezone)
    return lines.ASK["slots"].format(first=first, second=second)


def local_when(turn: Turn, moment: datetime | None, zone: str | None = None) -> str:
    if moment is None:
        return "soon"
    try:
        tz = ZoneInfo(zone) if zone else fn.caller_zone(turn)
    except Exception:
        tz = fn.caller_zone(turn)
    return when_words(moment.astimezone(tz))


def booked_line(turn: Turn) -> str:
    s = turn.state
    appt = s.appointment
    when = local_when(turn, appt.start, appt.caller_timezone) if appt else "the time we chose"
    return (
        f"You're all set for {when} with {broker_name(turn)}; it's a free phone consultation of "
        "about thirty to forty-five minutes, and family are welcome to join."
    )


def knows_where(turn: Turn) -> bool:
    """Enough to find the broker: where the home is, a lead on record (their broker), or the
    state of the caller's area code."""
    s = turn.state
    return bool(s.facts.zip or s.facts.state or s.lead_found or fn.area_state_of(turn))


def appointment_to_discuss(turn: Turn) -> bool:
    """A verified returning caller with an upcoming appointment hears it named first."""
    s, f = turn.state, turn.state.flags
    return (
        f.verified
        and f.existing_appointment
        and not f.kept_appointment
        and not f.ready_to_book
        and not f.cancelled
        and fn.upcoming_when(turn) is not None
        and s.node in (Node.QUALIFY, Node.ANSWER, Node.OBJECTIONS)
        and asked(turn, Expect.APPOINTMENT_ACTION) < 2
    )


def broker_name(turn: Turn) -> str:
    broker = turn.state.broker
    return broker.name if broker else "a licensed broker"
