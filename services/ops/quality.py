"""How a call sounded, beyond its outcome: read from Barbara's lines of one call.

- :func:`asked_three_times`: a question (the same sentence) said three times or more;
- :func:`deflections`: "That's a great question for the broker" after a caller line that
  asked nothing;
- :func:`slots_offered` and :func:`slot_failures`: the times offered (``I have Tuesday,
  December eighth at three PM or …``) against a ``# check: slots SPEC`` — ``morning``,
  ``afternoon``, ``after HH:MM``, ``before HH:MM``, weekdays (``thu``, ``tue wed``) and
  ``not mon``, any of them together, on the caller's clock.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from services.ops.scripts import ScriptError

DEFLECTION = "great question for the broker"
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday",
                                            "friday", "saturday", "sunday"))}  # fmt: skip
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_OFFERED = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday), [a-z]+ [a-z-]+ at "
    r"([a-z -]+?) (am|pm)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Offered:
    weekday: int  # 0 = Monday
    minutes: int  # after midnight, the caller's clock


def _clock_words(words: str) -> int | None:
    """ "ten forty-five" → 10:45 as (10, 45) minutes; "twelve" → 12:00."""
    parts = words.lower().replace("-", " ").split()
    if not parts or parts[0] not in _NUMBERS:
        return None
    hour, minute = _NUMBERS[parts[0]], 0
    rest = parts[1:]
    if rest and rest[0] in _TENS:
        minute = _TENS[rest[0]] + (_NUMBERS.get(rest[1], 0) if len(rest) > 1 else 0)
    elif rest and rest[0] in _NUMBERS:
        minute = _NUMBERS[rest[0]]
    elif rest and rest[0] != "o'clock":
        return None
    return hour * 60 + minute


#: a time named in a clause that speaks of an appointment already made, not an offer
_NOT_AN_OFFER = re.compile(
    r"you're all set|booked for|appointment is|appointment for|appointment on|moved to",
    re.IGNORECASE,
)


def _names_a_booking(line: str, at: int) -> bool:
    """Whether the clause before ``at`` (since the last ``.``, ``;``, ``?`` or ``!``) names a
    booking already made."""
    start = max(line.rfind(mark, 0, at) for mark in ".;?!") + 1
    return bool(_NOT_AN_OFFER.search(line, start, at))


def slots_offered(agent_lines: Sequence[str]) -> list[Offered]:
    """The times Barbara offered, read from her words (a booking's own time is no offer)."""
    out: list[Offered] = []
    for line in agent_lines:
        for match in _OFFERED.finditer(line):
            if _names_a_booking(line, match.start()):
                continue
            at = _clock_words(match.group(2))
            if at is None:
                continue
            hour, minute = divmod(at, 60)
            hour = hour % 12 + (12 if match.group(3).lower() == "pm" else 0)
            out.append(Offered(_DAY_NAMES[match.group(1).lower()], hour * 60 + minute))
    return out


@dataclass(frozen=True)
class SlotSpec:
    days: frozenset[int] = frozenset()
    not_days: frozenset[int] = frozenset()
    starts_from: int | None = None
    starts_before: int | None = None

    def why_not(self, slot: Offered) -> str | None:
        day = _DAYS[slot.weekday]
        at = f"{slot.minutes // 60:02d}:{slot.minutes % 60:02d}"
        if self.days and slot.weekday not in self.days:
            return f"{day} {at} is not on {'/'.join(_DAYS[d] for d in sorted(self.days))}"
        if slot.weekday in self.not_days:
            return f"{day} {at} is on a day ruled out"
        if self.starts_from is not None and slot.minutes < self.starts_from:
            return f"{day} {at} starts too early"
        if self.starts_before is not None and slot.minutes >= self.starts_before:
            return f"{day} {at} starts too late"
        return None


def parse_slots(spec: str) -> SlotSpec:
    """``afternoon``, ``after 15:00``, ``before 12:00``, ``thu``, ``tue wed``, ``not mon``."""
    words = spec.lower().replace(",", " ").split()
    days: set[int] = set()
    not_days: set[int] = set()
    starts_from = starts_before = None
    i = 0
    while i < len(words):
        word = words[i]
        if word == "morning":
            starts_before = 12 * 60
        elif word == "afternoon":
            starts_from = 12 * 60
        elif word in ("after", "before") and i + 1 < len(words):
            clock = re.fullmatch(r"(\d{1,2}):(\d{2})", words[i + 1])
            if not clock:
                raise ScriptError(f"check slots: {word} wants HH:MM, not {words[i + 1]!r}")
            at = int(clock.group(1)) * 60 + int(clock.group(2))
            if word == "after":
                starts_from = at
            else:
                starts_before = at
            i += 1
        elif word == "not" and i + 1 < len(words) and words[i + 1][:3] in _DAYS:
            not_days.add(_DAYS.index(words[i + 1][:3]))
            i += 1
        elif word[:3] in _DAYS:
            days.add(_DAYS.index(word[:3]))
        else:
            raise ScriptError(f"check slots: {word!r} is not morning, afternoon, after HH:MM, "
                              "before HH:MM, a weekday or not WEEKDAY")  # fmt: skip
        i += 1
    return SlotSpec(frozenset(days), frozenset(not_days), starts_from, starts_before)


def slot_failures(spec: str, agent_lines: Sequence[str]) -> str | None:
    offered = slots_offered(agent_lines)
    if not offered:
        return "no times were offered"
    wanted = parse_slots(spec)
    wrong = [why for slot in offered if (why := wanted.why_not(slot))]
    return "; ".join(wrong) or None


def _questions(line: str) -> list[str]:
    return [s.strip().lower() for s in re.findall(r"[^.!?]*\?", line) if s.strip()]


def asked_three_times(agent_lines: Sequence[str]) -> list[str]:
    """Questions Barbara put three times or more in one call (word for word)."""
    counts = Counter(q for line in agent_lines for q in _questions(line))
    return [q for q, n in counts.items() if n >= 3]


def deflections(transcript: Sequence[dict[str, str]]) -> list[str]:
    """Caller lines without a question that Barbara answered with the broker deflection."""
    out: list[str] = []
    last_caller = ""
    for entry in transcript:
        if entry["role"] == "caller":
            last_caller = entry["text"]
        elif DEFLECTION in entry["text"].lower() and last_caller and "?" not in last_caller:
            out.append(last_caller)
    return out
