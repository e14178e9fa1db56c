"""Speech-to-text put right before reading, and small helpers on the text read."""

from __future__ import annotations

import re
from typing import Any

_HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|half|grand)\b|\bsixties|seventies|eighties|nineties|fi"
    r"fties"
)
#: speech-to-text filler words, dropped before reading: "um", "uh", "erm" (not "uh-huh")
_FILLERS = re.compile(r"(?<![\w'-])(?:u+m+|u+h+m*|e+r+m+|h+m+)(?![\w'-]|[ ,]+huh)[,.]?\s*", re.I)
_TENS = r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_WORD_END = (
    r"(?=\s*(?:[.,!?;]|$|years?\b|and\b|now\b|this\b|next\b|come\b|last\b|in\b|honey\b|"
    r"dear\b|hon\b|sweetie\b|sugar\b|baby\b|darling\b|ma'?am\b|sir\b|at\b|dot\b))"
)
#: words speech-to-text mishears, put right before reading
_TENS_WORDS = {"10": "ten", "20": "twenty", "30": "thirty", "40": "forty", "50": "fifty",
               "60": "sixty", "70": "seventy", "80": "eighty", "90": "ninety"}  # fmt: skip
_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_MISHEARD: tuple[tuple[re.Pattern[str], Any], ...] = (
    # tens spelled the way they sound: "sicksty ate", "fourty", "ninty"
    (re.compile(r"\b(?:sick?s?ty|sicsty|siksty|sixdy|sixtee)\b", re.I), "sixty"),
    (re.compile(r"\bfourty\b", re.I), "forty"),
    (re.compile(r"\bninty\b", re.I), "ninety"),
    (re.compile(r"\b(?:sevendy|sevnty|sebenty)\b", re.I), "seventy"),
    (re.compile(r"\b(?:eigthy|eighdy|eithy)\b", re.I), "eighty"),
    (re.compile(r"\b(?:fiddy|fifdy)\b", re.I), "fifty"),
    # "won" before a number, not after someone who won: "we owe like won twenty"
    (re.compile(r"(?<!\bi )(?<!\bwe )(?<!\bthey )(?<!\bhe )(?<!\bshe )(?<!\byou )(?<!\bwho )"
                r"\bwon(?=[\s-]+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                r"thousand|million|point|fifteen|ten|eleven|twelve)\b)", re.I), "one"),
    (re.compile(r"\b(?:mort|more|moore|mor|mart|morg)[\s-]*(?:gauge|gage|guage|gadge|gaige)(s?)\b",
                re.I), r"mortgage\1"),
    (re.compile(r"\breversed?\s+(?:more|mort|moore|mortar|mart)[\s-]*(?:cage|gaze|gates?|age|gig|"
                r"gig|guitar)(s?)\b", re.I), r"reverse mortgage\1"),
    (re.compile(r"\bheck[\s-]?(?:um|em|im)\b", re.I), "HECM"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:free|tree)\b", re.I), r"\1-three"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:for|fore){_WORD_END}", re.I), r"\1-four"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:to|too){_WORD_END}", re.I), r"\1-two"),
    (re.compile(rf"\b{_TENS}[\s-]+won{_WORD_END}", re.I), r"\1-one"),
    (re.compile(rf"\b{_TENS}[\s-]+ate{_WORD_END}", re.I), r"\1-eight"),
    (re.compile(rf"\b{_TENS}[\s-]+(?:sex|sicks){_WORD_END}", re.I), r"\1-six"),
    # an amount's idioms: "somewhere in the neighborhood of forty thousand", "in the ballpark
    # of", "a hair under three hundred", "north of"
    (re.compile(r"\b(?:somewhere )?in the (?:neighbou?rhood|ballpark|vicinity|range|region) of\b",
                re.I), "about"),
    (re.compile(r"\ba (?:hair|tad|smidge|touch|shade) (under|over|below|above|less than|more "
                r"than)\b", re.I), r"just \1"),
    # "four" heard as "for" before tens in digits, where an amount is said: "it's worth maybe
    # for 10" (four-ten)
    (re.compile(r"\b(worth|maybe|about|around|like|roughly|say|probably|owe|is|was|at) (?:for|fore)"
                r" ([1-9]0|[1-9][1-9])\b(?!\s*(?:years?|months?|weeks?|days?|minutes?|hours?|"
                r"o'?clock|a\.?m|p\.?m|:))", re.I),
     lambda m: f"{m.group(1)} four {_TENS_WORDS.get(m.group(2), m.group(2))}"),
    # "four" heard as "for" before tens in words, where an amount is said or at the start of
    # the answer: "for fifty maybe", "it's worth for twenty-five"
    (re.compile(r"(^|\b(?:worth|maybe|about|around|like|roughly|say|probably|owe) )(?:for|fore) "
                r"((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|thre"
                r"e|four|"
                r"five|six|seven|eight|nine))?)\b(?!\s*"
                r"(?:years?|months?|weeks?|days?|minutes?|hours?|o'?clock))", re.I),
     r"\1four \2"),
    # hundreds and tens in digits said apart, where an amount is said: "we still owe like 1 10"
    (re.compile(r"\b(worth|maybe|about|around|like|roughly|say|probably|owe|is|was|at|of) "
                r"([1-9]) ([1-9]\d)\b(?![\d,.:]|\s*(?:years?|months?|days?|o'?clock|a\.?m|p\.?m))",
                re.I), r"\1 \2\3"),
    # hundreds and tens said apart: "appraised at 4 50 thousand" (450 thousand)
    (re.compile(r"\b([1-9])[\s-]+([1-9]\d)\s+(thousand|grand|k)\b", re.I), r"\1\2 \3"),
    # tens in words and the unit in digits: "sixty 6", "seventy 2"
    (re.compile(rf"\b{_TENS}[\s-]+([1-9])\b(?![\d,.:])", re.I),
     lambda m: f"{m.group(1)}-{_UNITS[int(m.group(2))]}"),
    (re.compile(r"\b(?:for|fore)\s+(hundred|thousand|million)\b", re.I), r"four \1"),
    (re.compile(r"\btoo\s+(hundred|thousand|million)\b", re.I), r"two \1"),
    # "a couple hundred": two hundred
    (re.compile(r"\b(?:a\s+)?couple(?:\s+of)?\s+(hundred|thousand)\b", re.I), r"two \1"),
    (re.compile(r"\bmourning(s?)\b", re.I), r"morning\1"),
    # "the mortgage is paid of": the f of "off" lost
    (re.compile(r"\bpaid of\b(?!\s+(?:the|my|our|a|an|it|this|that|his|her|their|them|all|what|"
                r"which|whom?|course)\b)", re.I), "paid off"),
    # a dropped g: "nothin' owed", "owe nothin", "I was studyin' on it"
    (re.compile(r"\b(noth|someth|anyth|everyth)in\b'?", re.I), r"\1ing"),
    (re.compile(r"\b([a-z]{3,}[^aeiou\W])in'(?=[\s,.!?;]|$)", re.I), r"\1ing"),
)  # fmt: skip


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def _clean(text: str) -> str:
    """Speech-to-text as it should have been: no "um"/"uh", misheard words put right."""
    text = text.strip().replace("’", "'").replace("‘", "'")
    text = _FILLERS.sub("", text)
    for pattern, repl in _MISHEARD:
        text = pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _short_year(low: str, start: int, end: int) -> bool:
    """ "'51", "'88", "in oh-nine", "back in ninety-eight": a year said with its century
    left off."""
    if low[start - 1 : start] in ("'", "’") and re.fullmatch(r"\d\d", low[start:end]):
        return True
    said = low[start:end]
    before = low[:start]
    if re.match(r"oh[\s-]", said):
        before, said = before + "oh ", said[3:]
    return bool(
        re.search(r"\b(?:in|since|from|back in|around|year)\s+oh[\s-]*$", before)
        and re.fullmatch(r"[a-z]+|\d", said.strip())
    )
