"""The hours a caller will take, in their own time: "after lunch", "not before eight our time",
"around half past ten", "late mornings", "after three o'clock", "before noon".

Sets ``Heard.starts_from`` / ``Heard.starts_before`` (minutes after midnight, the caller's
clock): an offered time must start at or after the one and before the other. Hours without
"am"/"pm" are read as a business day reads them: one to seven are in the afternoon.
"""

from __future__ import annotations

import re

from contracts.tools import PartOfDay
from services.dialogue.language.heard import CallbackWhen, Heard
from services.dialogue.speech.numbers import words_to_number

_HOUR_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
#: what after a number makes it a count of things, not an hour: "about four months", "two
#: summers left", "around three acres" (not "two works for me", "two is fine", "two tuesdays")
COUNTED = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|miles?|blocks?|acres?|kids|children|grand\w+|"
    r"bedrooms?|rooms?|units?|houses|homes|doors?|steps?|times|people|every|each|per|of (?:those|"
    r"these|them|the|us|my|our)|another|(?!(?:this|is|was|as|his|its|us|yes|plus|unless|perhaps|"
    r"always|sometimes|works|suits|fits|sounds|does|goes|\w*days)\b)[a-z]{3,}s)\b"
)
#: an hour: "3", "3:30", "three", "three thirty", "half past ten", "quarter past eleven",
#: "noon", with an optional "am"/"pm"/"o'clock"/"-ish"
_AT = (
    rf"(?:(?P<half>half|quarter) (?:past|after) )?(?P<h>\d{{1,2}}|{_HOUR_WORDS}|noon|midday)"
    rf"(?::(?P<m>\d{{2}})|[\s-]+(?P<mw>thirty|fifteen|forty[\s-]?five))?"
    r"(?:\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?|o'?clock|in the (?:morning|afternoon|evening)))?"
    r"(?P<ish>-?ish)?"
    # "about four months", "after two weeks", "around three acres": a count, not an hour
    rf"(?![\s-]*{COUNTED})"
)
_FROM = re.compile(
    rf"\b(?:after|not before|no earlier than|nothing before|not till|not until|anytime after|"
    rf"any time after|from|starting at|(?<!starts )(?<!start )(?<!starting )later than) "
    rf"(?:about |around )?{_AT}\b"
)
_OR_LATER = re.compile(rf"\b{_AT} or (?:later|after)\b")
_BEFORE = re.compile(
    rf"\b(?:before|by|no later than|not after|nothing after|until|till|up to|(?:nothing|not|no) "
    rf"(?:that )?(?:starts?|starting|begins?|beginning) (?:any )?(?:later than|after)) "
    rf"(?:about |around )?"
    rf"{_AT}\b"
)
#: busy until then, so from then on: "I'm at the gym until about nine-thirty", "my nap runs
#: till two"
_BUSY_UNTIL = re.compile(
    rf"\b(?:i'?m|i am|we'?re|we are|i'?ll be|we'?ll be|he'?s|she'?s|i have|i got|i've got|"
    # "after my nap, it runs till about two": something of theirs lasts until then
    rf"(?:it|that|she|he|class|church|nap|service|mass|practice) (?:runs|lasts|goes|is on)|"
    # "I lay down till about two", "we bowl until one"
    rf"(?:i|we) (?:lay|lie|nap|rest|sleep|work|volunteer|babysit|bowl|swim|walk|golf|sit)|"
    # someone who is to be on the call is busy till then: "he works till four most days"
    rf"(?:he|she|they|my \w+|\w+) (?:works|volunteers|babysits|is at work|teaches|drives|"
    rf"is (?:out|busy|gone|away|working)|gets off|doesn'?t get off|is off) )\b"
    rf"[^.!?]{{0,40}}?\b(?:until|till|til|up to|through) (?:about |around )?{_AT}\b"
)
#: where a busy stretch begins: "… from one till six"
_BUSY_FROM = re.compile(rf"\b(?:from|between) (?:about |around )?{_AT}\b")
#: what they are busy with ends then, so from then on: "my programs, they're done at one thirty"
_DONE_AT = re.compile(
    rf"\b(?:done|over|finished|through|out|back|home) (?:at|by|around|about) (?:about |around )?"
    rf"{_AT}\b"
)
#: what they are off to at an hour: "after two I go for my grandson", "after three we leave"
_GONE_THEN = re.compile(
    r"[,\s]*(?:i|we)(?:'ve got| have got| got| have| go| pick| work| head| leave| babysit| drive| "
    r"take| watch| volunteer| am gone| am out|'m gone|'m out| gotta)\b"
    # (not "after 3, I work in the morning": another time of the day)
    r"(?![^.,;!?]{0,25}\b(?:mornings?|afternoons?|evenings?|nights?|weekends?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b)"
)
#: a window said with both ends: "somewhere between eleven and one"
_BETWEEN = re.compile(
    rf"\bbetween (?:about |around )?{_AT}\s*(?:and|to|-)\s*(?:about |"
    rf"around )?(?P<rest>[^.,;!?]{{1,20}})"
)
#: free until then is the other way round: "I'm home until noon"
_FREE = re.compile(r"\b(?:free|available|home|around|open|awake|up|here)\b")
_AROUND = re.compile(
    rf"\b(?:around|about|near|close to|closer to|nearest|somewhere around|roughly|at) {_AT}\b"
)
#: a time asked for by name, to the minute or o'clock: "do they have the 2:30?", "the two
#: o'clock, please"
_THE_TIME = re.compile(rf"\bthe {_AT}\b")
_ISH = re.compile(rf"\b{_AT.replace('(?P<ish>-?ish)?', '(?P<ish>-?ish)')}")
_AT_RE = re.compile(rf"\b{_AT}")
#: words for parts of the day, as (from, before) in minutes
_PARTS: tuple[tuple[re.Pattern[str], int | None, int | None], ...] = (
    (re.compile(r"\bafter (?:lunch|lunchtime|my lunch)\b"), 13 * 60, None),
    (
        re.compile(r"\b(?:nothing|not|never|none) (?:before|till|until) (?:lunch|lunchtime)\b"),
        12 * 60,
        None,
    ),
    (
        re.compile(r"(?<!nothing )(?<!not )(?<!never )(?<!none )\bbefore (?:lunch|lunchtime)\b"),
        None,
        12 * 60,
    ),
    (re.compile(r"\blate(?:r)?(?: in the)? mornings?\b|\bmid-?mornings?\b"), 10 * 60, 12 * 60),
    (re.compile(r"\bearly(?: in the)? mornings?\b|\bfirst thing in the morning\b"), None, 10 * 60),
    (re.compile(r"\bearly(?: in the)? afternoons?\b|\bright after lunch\b"), 12 * 60, 15 * 60),
    (re.compile(r"\blate(?:r)?(?: in the)? afternoons?\b"), 15 * 60, None),
    (re.compile(r"\bmid-?afternoons?\b"), 13 * 60 + 30, 16 * 60),
    # "before noon but not too early": from nine; "not too late": before five
    (re.compile(r"\bnot (?:too|real|very|so) early\b"), 9 * 60, None),
    (re.compile(r"\bnot (?:too|real|very|so) late\b"), None, 17 * 60),
)


#: said just before a part of the day, it is the part they cannot do: "I'm useless after lunch"
_UNWANTED = re.compile(
    r"\b(?:no good|not good|useless|hopeless|can'?t do|cannot do|don'?t do|hate|bad|never|naps?|"
    r"napping|sleep|asleep|lie down|lay down|worn out|tired)\b[^.,;!?]*$"
)

#: said just after a part of the day, it is the part they cannot do: "after lunch the heat just
#: knocks me flat", "afternoons I'm worn out"
WORN_OUT = (
    r"(?:(?!\b(?:after|before|mornings?|afternoons?|evenings?|lunch|noon)\b)[^.,;!?]){0,30}"
    r"\b(?:knocks? me|wipes? me|wears? me|tired|worn out|beat\b|no good|not (?:much |any )?good|"
    r"useless|"
    r"asleep|(?:my |a )?nap\b|lie down|lay down|out of it|exhausted|pooped|done for|not up to|"
    r"fall asleep|dozing|doze off)"
)
_UNWANTED_AFTER = re.compile(WORN_OUT)


def _minutes(match: re.Match[str]) -> int | None:
    g = match.groupdict()
    said = g.get("h")
    if said is None:
        return None
    if said in ("noon", "midday"):
        return 12 * 60
    hour = int(said) if said.isdigit() else int(words_to_number(said) or 0)
    if not 1 <= hour <= 12:
        return None
    minute = int(g.get("m") or 0)
    words = g.get("mw") or ""
    if words:
        minute = {"thirty": 30, "fifteen": 15}.get(words, 45)
    if g.get("half"):
        minute = 30 if g["half"] == "half" else 15
    ampm = (g.get("ampm") or "").replace(".", "").replace(" ", "")
    if ampm.startswith("p") or "afternoon" in ampm or "evening" in ampm:
        hour = hour % 12 + 12
    elif ampm.startswith("a") or "morning" in ampm:
        hour = hour % 12
    elif hour <= 7:
        hour += 12  # "after three" on a business day is the afternoon
    return hour * 60 + minute


def _bare(text: str) -> bool:
    """A number that is not an hour: money, ages, years ("after sixty", "by two hundred")."""
    return bool(
        re.match(
            r"\s*(?:hundred|thousand|grand|million|k\b|dollars|years|percent|%|of\b|more\b|"
            r"other\b|thing|ways?\b|days?\b|times?\b|people|person|reasons?\b|kids?\b|"
            r"children|grand\w+|at a time|another|or (?:two|three|so)\b)",
            text,
        )
    )


def hour_window(heard: Heard, low: str, busy_from: str | None = None) -> None:
    """Read the window of hours said in ``low`` into ``heard``; "busy until" hours are read
    from ``busy_from`` (the whole turn, when ``low`` leaves out what fills the day)."""
    starts_from: int | None = None
    starts_before: int | None = None
    for pattern, lo, hi in _PARTS:
        found = pattern.search(low)
        if (
            found
            and not _UNWANTED.search(low[max(0, found.start() - 16) : found.start()])
            and not _UNWANTED_AFTER.match(low[found.end() :])
        ):
            starts_from = lo if lo is not None else starts_from
            starts_before = hi if hi is not None else starts_before
    for match in [*_FROM.finditer(low), *_OR_LATER.finditer(low)]:
        if _bare(low[match.end() :]):
            continue
        # "afternoon, but after two, I have lunch with my sister": after two is the wish
        wished = re.search(
            r"\b(?:but|only|just|as long as it'?s|so long as it'?s)\s+" + re.escape(match.group(0)),
            busy_from or low,
        )
        if (
            match.group(0).startswith("after")
            and not wished
            and (
                _GONE_THEN.match(low[match.end() :])
                or _UNWANTED_AFTER.match(low[match.end() :])  # "after one I'm not much good"
                or (
                    busy_from
                    and re.search(re.escape(match.group(0)) + _GONE_THEN.pattern, busy_from)
                )
            )
        ):
            at = _minutes(match)  # "after two I go get my grandson at school": before two
            starts_before = at if at is not None else starts_before
            continue
        at = _minutes(match)
        if at is not None:
            starts_from = at
            heard.exact_minute = at
    whole = busy_from if busy_from is not None else low
    busy = [
        m
        for m in _BUSY_UNTIL.finditer(whole)
        if not _bare(whole[m.end() :]) and not _FREE.search(m.group(0))
    ]
    for match in _BEFORE.finditer(low):
        if _bare(low[match.end() :]) or low[max(0, match.start() - 4) : match.start()].strip() in (
            "not",
        ):
            continue
        if busy_from is None and any(b.start() <= match.start() < b.end() for b in busy):
            continue  # busy until then: the hour they are free from, below
        if _UNWANTED.search(low[max(0, match.start() - 16) : match.start()]):
            at = _minutes(match)  # "I'm no good before eleven": from eleven on
            starts_from = at if at is not None else starts_from
            continue
        if busy_from is not None and any(
            match.group(0) in b.group(0) for b in busy
        ):  # (the same words, read from the whole turn)
            continue
        at = _minutes(match)
        if at is not None:
            starts_before = at
    for match in busy:
        began = _BUSY_FROM.search(match.group(0))
        start = _minutes(began) if began else None
        if start is not None and start >= 12 * 60 and (_minutes(match) or 0) > start:
            # "I'm at the store from one till six": busy all afternoon, free before it
            starts_before = start if starts_before is None else min(starts_before, start)
            busy = [b for b in busy if b is not match]
    for match in [*busy, *(m for m in _DONE_AT.finditer(low) if not _bare(low[m.end() :]))]:
        at = _minutes(match)
        if at is not None and (starts_from is None or at > starts_from):
            starts_from = at  # (an hour said as theirs, "one o'clock or later", stands)
    if starts_from is None and starts_before is None:
        named = [
            m for m in _THE_TIME.finditer(low) if m.group("m") or m.group("mw") or m.group("ampm")
        ]
        for match in [*_ISH.finditer(low), *_AROUND.finditer(low), *named]:
            if _bare(low[match.end() :]):
                continue
            at = _minutes(match)
            if at is not None and (match.group("ish") or not match.group(0).startswith("at ")):
                starts_from, starts_before = max(0, at - 60), at + 61
                heard.exact_minute = at
                break
            if at is not None:
                heard.exact_minute = at
        for match in _AT_RE.finditer(low):
            at = _minutes(match) if match.group("half") else None
            if at is not None:  # "quarter past eleven if you have it": about then
                starts_from, starts_before = max(0, at - 60), at + 61
                heard.exact_minute = at
                break
    for match in _BETWEEN.finditer(whole):  # (the whole turn: "and" splits clauses)
        end = _AT_RE.match(match.group("rest"))
        first, last = _minutes(match), _minutes(end) if end else None
        if first is not None and last is not None and last > first:
            starts_from, starts_before = first, last  # "between ten and noon": from ten, by noon
    if starts_from is not None and starts_before is not None and starts_before <= starts_from:
        starts_before = None  # "after two, before noon" cannot both hold: keep the start
    heard.starts_from, heard.starts_before = starts_from, starts_before
    if heard.exact_minute is not None:
        # "call me around half past ten": the call back at that very time
        hour, minute = divmod(heard.exact_minute, 60)
        if heard.callback is None:
            heard.callback = CallbackWhen(hour=hour, minute=minute, part_of_day=heard.part_of_day)
        else:
            heard.callback.hour, heard.callback.minute = hour, minute
    if starts_from is not None and starts_from >= 12 * 60:
        heard.part_of_day = PartOfDay.AFTERNOON  # "after lunch, I have church in the mornings"
    elif starts_before is not None and starts_before <= 12 * 60:
        heard.part_of_day = PartOfDay.MORNING
