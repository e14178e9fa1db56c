"""Speakable text: what leaves the service is said by a TTS voice, so numbers, money, dates and
times are words, and markup, lists and symbols are gone.

``speakable("$250,000 on Wed 12/2 at 2:00 PM")`` →
``"two hundred fifty thousand dollars on Wed December second at two PM"``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from services.dialogue.speech.numbers import (
    decimal_to_words,
    digits_to_words,
    int_to_words,
    ordinal_words,
)

MONTHS = list(calendar.month_name)
_MONTH_ABBR = {m.lower()[:3]: i for i, m in enumerate(MONTHS) if m}
_MONTH_ABBR["sept"] = 9
_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2})?)?\b")
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_MONTH_DATE = re.compile(
    rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE
)
_MONEY = re.compile(
    r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?(?:\s?(k|K|thousand|million|billion|m|M)\b)?"
)
_K_AMOUNT = re.compile(r"\b(\d+(?:\.\d+)?)\s?[kK]\b")
_TIME = re.compile(
    r"\b(\d{1,2})(?::(\d{2}))?\s?(a\.?m\.?|p\.?m\.?|AM|PM|am|pm)(?=\W|$)|\b(\d{1,2}):(\d{2})\b"
)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b")
_PHONE = re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-](\d{4})\b")
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_DECIMAL = re.compile(r"\b\d+\.\d+\b")
_LONG_DIGITS = re.compile(r"\b\d{5,}\b")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_INT = re.compile(r"\b\d+\b")
_MARKUP = re.compile(r"[*_`#>|~\[\]{}<>]+")
_BULLET = re.compile(r"(?m)^\s*(?:[-•*]|\d+[.)])\s+")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")
_SPACES = re.compile(r"\s+")
_SAY_AS = (
    (re.compile(r"\bHECM\b"), "heck-um"),
    (re.compile(r"\bNMLS\b"), "N-M-L-S"),
    (re.compile(r"\bFHA\b"), "F-H-A"),
    (re.compile(r"\bHUD\b"), "H-U-D"),
    (re.compile(r"\be\.g\.", re.IGNORECASE), "for example"),
    (re.compile(r"\bi\.e\.", re.IGNORECASE), "that is"),
    (re.compile(r"\s&\s"), " and "),
    (re.compile(r"\bvs\.?\s", re.IGNORECASE), "versus "),
)


def year_words(year: int) -> str:
    """``2025`` → ``"twenty twenty-five"``, ``2000`` → ``"two thousand"``, ``1952`` →
    ``"nineteen fifty-two"``."""
    if 2000 <= year < 2010:
        return int_to_words(year)
    high, low = divmod(year, 100)
    if low == 0:
        tail = "hundred"
    else:
        tail = int_to_words(low) if low >= 10 else "oh " + int_to_words(low)
    return f"{int_to_words(high)} {tail}"


def time_words(hour: int, minute: int = 0, meridiem: str | None = None) -> str:
    """``(10, 30)`` → ``"ten thirty"``; ``(14, 0)`` → ``"two PM"``; ``(9, 5, "AM")`` →
    ``"nine oh five AM"``."""
    if meridiem is None and hour > 12:
        hour, meridiem = hour - 12, "PM"
    elif meridiem is None and hour == 0:
        hour, meridiem = 12, "AM"
    if minute == 0:
        words = int_to_words(hour) + ("" if meridiem else " o'clock")
    elif minute < 10:
        words = f"{int_to_words(hour)} oh {int_to_words(minute)}"
    else:
        words = f"{int_to_words(hour)} {int_to_words(minute)}"
    return f"{words} {meridiem}" if meridiem else words


def date_words(day: date, *, weekday: bool = True, year: bool = False) -> str:
    """``date(2026, 12, 2)`` → ``"Wednesday, December second"``."""
    text = f"{MONTHS[day.month]} {ordinal_words(day.day)}"
    if weekday:
        text = f"{calendar.day_name[day.weekday()]}, {text}"
    if year:
        text += f", {year_words(day.year)}"
    return text


def when_words(moment: datetime) -> str:
    """A local date and time as said aloud: ``"Wednesday, December second at two PM"``."""
    meridiem = "AM" if moment.hour < 12 else "PM"
    hour = moment.hour % 12 or 12
    return f"{date_words(moment.date())} at {time_words(hour, moment.minute, meridiem)}"


def money_words(amount: float) -> str:
    """``250000`` → ``"two hundred fifty thousand dollars"``; ``1.5e6`` → ``"one point five
    million dollars"``; ``12.5`` → ``"twelve dollars and fifty cents"``."""
    if amount >= 1_000_000 and amount % 100_000 == 0 and amount % 1_000_000:
        return f"{decimal_to_words(f'{amount / 1_000_000:g}')} million dollars"
    dollars = int(amount)
    cents = round((amount - dollars) * 100)
    text = f"{int_to_words(dollars)} dollar{'s' if dollars != 1 else ''}"
    if cents:
        text += f" and {int_to_words(cents)} cent{'s' if cents != 1 else ''}"
    return text


def _meridiem(raw: str | None) -> str | None:
    if not raw:
        return None
    return "AM" if raw.lower().startswith("a") else "PM"


def _iso(m: re.Match[str]) -> str:
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return m[0]
    text = date_words(day)
    if m[4]:
        hour, minute = int(m[4]), int(m[5])
        text += " at " + time_words(hour % 12 or 12, minute, "AM" if hour < 12 else "PM")
    return text


def _slash(m: re.Match[str]) -> str:
    month, day_n = int(m[1]), int(m[2])
    if not (1 <= month <= 12 and 1 <= day_n <= 31):
        return m[0]
    if m[3]:
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        try:
            return date_words(date(year, month, day_n))
        except ValueError:
            return m[0]
    return f"{MONTHS[month]} {ordinal_words(day_n)}"


def _month_date(m: re.Match[str]) -> str:
    month = _MONTH_ABBR.get(m[1].lower().rstrip(".")[:4]) or _MONTH_ABBR.get(m[1].lower()[:3])
    if not month:
        return m[0]
    text = f"{MONTHS[month]} {ordinal_words(int(m[2]))}"
    return text + (f", {year_words(int(m[3]))}" if m[3] else "")


def _money(m: re.Match[str]) -> str:
    value = float(m[1].replace(",", "") + (m[2] or ""))
    scale = (m[3] or "").lower()
    if scale in ("k", "thousand"):
        value *= 1_000
    elif scale in ("m", "million"):
        value *= 1_000_000
    elif scale == "billion":
        value *= 1_000_000_000
    return money_words(value)


def _time(m: re.Match[str]) -> str:
    if m[1] is not None:
        hour, minute = int(m[1]), int(m[2] or 0)
        if hour > 12 or minute > 59:
            return m[0]
        return time_words(hour, minute, _meridiem(m[3]))
    hour, minute = int(m[4]), int(m[5])
    if hour > 23 or minute > 59:
        return m[0]
    if hour > 12:
        return time_words(hour - 12, minute, "PM")
    return time_words(hour, minute)


_NEEDS_WORK = re.compile(
    r"[0-9$%&*#_`~\[\]{}<>|/\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]|^\s*[-•]|HECM|NMLS|FHA|HUD"
    r"|\b[eE]\.[gG]\.|\b[iI]\.[eE]\.|\bvs\b",
    re.MULTILINE,
)


def speakable(text: str) -> str:
    """Everything a voice should not read literally, turned into words; whitespace tidied."""
    if not _NEEDS_WORK.search(text):
        return _SPACES.sub(" ", text).strip()
    text = _EMOJI.sub("", text)
    text = _BULLET.sub("", text)
    text = _MARKUP.sub("", text)
    for pattern, said in _SAY_AS:
        text = pattern.sub(said, text)
    text = _ISO_DATE.sub(_iso, text)
    text = _PHONE.sub(lambda m: ", ".join(digits_to_words(g) for g in m.groups()), text)
    text = _MONEY.sub(_money, text)
    text = _K_AMOUNT.sub(lambda m: int_to_words(round(float(m[1]) * 1000)), text)
    text = _TIME.sub(_time, text)
    text = _SLASH_DATE.sub(_slash, text)
    text = _MONTH_DATE.sub(_month_date, text)
    text = _PERCENT.sub(lambda m: f"{decimal_to_words(m[1])} percent", text)
    text = _ORDINAL.sub(lambda m: ordinal_words(int(m[1])), text)
    text = _GROUPED.sub(lambda m: int_to_words(int(m[0].replace(",", ""))), text)
    text = _DECIMAL.sub(lambda m: decimal_to_words(m[0]), text)
    text = _LONG_DIGITS.sub(lambda m: digits_to_words(m[0]), text)
    text = _YEAR.sub(lambda m: year_words(int(m[0])), text)
    text = _INT.sub(lambda m: int_to_words(int(m[0])), text)
    text = text.replace("$", " dollars ").replace("%", " percent ").replace("/", " ")
    return _SPACES.sub(" ", text).strip().replace(" ,", ",").replace(" .", ".")
