"""Values the caller takes back: "sixty... no, seventy-one" (the later value counts)."""

from __future__ import annotations

import itertools
import re

from services.dialogue.language.money import (
    _BALANCE_WORDS,
    _MONEY_AFTER,
    _NEED,
    _VALUE_WORDS,
    _WEAK_VALUE,
)
from services.dialogue.language.vocabulary import _PARENT_WORDS, _SPOUSE_WORDS, _WEEKDAY_RE
from services.dialogue.speech.numbers import find_numbers

#: the caller takes back the value just said: "sixty... no, seventy-one", "98103, sorry, 98105"
_TAKE_BACK = re.compile(
    r"[\s.,;:!?…—–-]*(?:(?:no|nope|nah|sorry|i'?m sorry|pardon me|i mean|i meant|actually|wait|"
    r"hmm+|hm+|um+|uh+|hang on|"
    r"oops|whoops|correction|scratch that|(?:more|closer) (?:like|to)|make (?:that|it)|"
    r"or rather|rather|let me (?:correct|"
    r"rephrase) (?:that|myself)|i said that wrong|that'?s wrong|hold on)[\s.,;:!?…—–-]*)+(?:it'?s"
    r"|it is|i'?m|i am|that'?s|that is|it was|we'?re|we are|s?he'?s|s?he is|it should be)?\s*"
)
#: a pause that breaks a number off: "seventy... seventy-eight"
_FALSE_START = re.compile(r"\s*(?:\.{2,}|…|—|--)\s*")
_NOT_THAT = re.compile(r"\s*,?\s*(?:not|and not|rather than|instead of)\s*")
#: a correction that starts with a word or two and goes on before the new value: "ninety...
#: wait, no, we paid it down, it's seventy thousand", "a hundred twenty... Pat says no, it's
#: one forty", "five hundred... well, the neighbor sold for five sixty, so say five fifty"
_RETRACT = re.compile(
    r"[\s.,;:!?…—–-]*(?:(?:no|nope|nah|sorry|i'?m sorry|pardon me|i mean|i meant|actually|wait|"
    r"oops|whoops|correction|scratch that|(?:more|closer) (?:like|to)|make (?:that|it)|"
    r"or rather|rather|let me (?:correct|"
    r"rephrase)(?: that| myself)?|i said that wrong|that'?s wrong|that'?s not right|hold on|"
    r"i misspoke|my mistake|goodness|oh dear|well|so|(?:let'?s )?say|call it|(?:my )?(?:wife|"
    r"husband|son|daughter|partner) (?:says|said|tells me|is telling me)|[a-z]+ (?:says|said|"
    r"tells me|is telling me|reminds me))\b[\s.,;:!?…—–-]*)+"
)
#: the words of a loose correction that only restate: "well", "so", "say"
#: after a correction, words that say what the value taken back was: "that's what we
#: originally borrowed", "that was the old balance", "that was before we refinanced"
#: "one" that stands for a thing: "the old one", "that one", "the right one"
_ONE_PRONOUN = re.compile(
    r"\b(?:the|that|this|which|old|new|other|first|second|last|right|wrong|either|any|each|"
    r"every|no|another|same|different|better|best|later|earlier)\s+$"
)
_EXPLAINS_FIRST = re.compile(
    r"(?:that'?s|that is|that was|this was|those were|it was) (?:what|how much|the|just|only|"
    r"when|before|back|from|our|my|years ago|a while|originally|at first|way back)\b"
)
_WEAK_RETRACT = re.compile(r"[\s.,;:!?…—–-]*(?:(?:well|so|(?:let'?s )?say|no)\b[\s.,;:!?…—–-]*)+")
_PERSON_WORDS = re.compile(rf"\b(?:{_SPOUSE_WORDS}|{_PARENT_WORDS}|s?he|s?he'?s|her|his|him)\b")


def _take_back(low: str) -> str:
    """Blank out a value the caller took back, so every reader sees only the one they settled
    on: "sixty... no, seventy-one", "98103, sorry, 98105", "Monday, I mean Tuesday"; and
    "seventy, not sixty". A correction may say more before the new value ("ninety... wait, no,
    we paid it down, it's seventy thousand") if it is about the same thing: the same kind of
    number, the same person, the same amount (value, balance)."""
    chars = list(low)
    numbers = [
        (v, s, e)
        for v, s, e in find_numbers(low)
        if not (low[s:e] == "one" and _ONE_PRONOUN.search(low[:s]))
    ]  # "that's the old one": no number
    kinds = (
        [(s, e) for _, s, e in numbers],
        [m.span() for m in _WEEKDAY_RE.finditer(low)],
    )
    value_at = {(s, e): v for v, s, e in numbers}
    for spans in kinds:
        for (s1, e1), (s2, e2) in itertools.pairwise(spans):
            gap = low[e1:s2]
            v1, v2 = value_at.get((s1, e1)), value_at.get((s2, e2))
            if v1 is not None and v2 is not None and v1 >= 10_000 > v2 * 100:
                continue  # "nine two zero two one. Sorry, twenty is my sister's": no correction
            if _TAKE_BACK.fullmatch(gap) and gap.strip(" .,;:!?…—–-"):
                chars[s1:e1] = " " * (e1 - s1)
                _carry_role(chars, low, numbers, (s1, e1), (e1, s2))
            elif _NOT_THAT.fullmatch(gap):
                chars[s2:e2] = " " * (e2 - s2)
            elif _FALSE_START.fullmatch(gap) and _said_again(low[s1:e1], low[s2:e2]):
                # "seventy... seventy-eight", "four... four fifty": a start said again, in full
                chars[s1:e1] = " " * (e1 - s1)
                _carry_role(chars, low, numbers, (s1, e1), (e1, s2))
            elif _retracted(low, numbers, (s1, e1), (s2, e2)):
                chars[s1:e1] = " " * (e1 - s1)
                _carry_role(chars, low, numbers, (s1, e1), (e1, s2))
    return "".join(chars)


def _said_again(first: str, second: str) -> bool:
    """The second number starts with the word the first ended on ("oh four", "four fifty")."""
    return first.split()[-1].split("-")[0] == second.split()[0].split("-")[0]


def _carry_role(chars: list[str], low: str, numbers: list[tuple[float, int, int]],
                first: tuple[int, int], gap: tuple[int, int]) -> None:  # fmt: skip
    """The amount said after a correction is the one taken back: "we owe about three hundred.
    no wait, that's the old number, it's about a hundred thirty now" is still what is owed, so
    the correction is read as part of the sentence it corrects (its full stops become commas)
    and its "it's about" no longer leans to the value."""
    start = next((s for v, s, _ in numbers if s == first[0]), None)
    if start is None:
        return
    before = re.split(r"[.!?;]", low[:start])[-1][-40:]
    role = _money_role(before, strong=True)
    tail = low[gap[0] : gap[1]]
    if role is None or _money_role(tail, strong=True) is not None:
        return
    for i in range(*gap):
        if chars[i] in ".!?;":
            chars[i] = ","
    if role != "value":
        # "it's about" → "owe about": the same length, so every span read later still holds
        word = "owe" if role == "balance" else "want"
        for m in _WEAK_VALUE_WORDS.finditer(tail):
            a, b = gap[0] + m.start(1), gap[0] + m.end(1)
            chars[a:b] = list(word.ljust(b - a))


#: "it's about": words that lean to the home value when nothing else says which amount
_WEAK_VALUE_WORDS = re.compile(
    r"\b(it'?s )(?:about|around|maybe|probably|closer to|more like|nearer|really|actually)\b"
)


def _retracted(low: str, numbers: list[tuple[float, int, int]], first: tuple[int, int],
               second: tuple[int, int]) -> bool:  # fmt: skip
    """A loose correction between two values: a correction word first, then a few words
    (no new sentence) that change neither the kind of value nor whose or which it is."""
    gap = low[first[1] : second[0]]
    lead = _RETRACT.match(gap)
    if not lead or not lead.group().strip(" .,;:!?…—–-"):
        return False
    tail = gap[lead.end() :]
    if len(tail) > 60 or re.search(r"[.!?;]|\b(?:and|or|but|plus|also)\b", tail):
        # "two hundred, no wait, sorry, that's what we originally borrowed. It's about 95":
        # a strong correction that says what the first value was may take a sentence
        if not (
            _EXPLAINS_FIRST.match(tail)
            and len(tail) <= 100
            and "?" not in tail
            and not _WEAK_RETRACT.fullmatch(lead.group())
        ):
            return False
    if tail and _WEAK_RETRACT.fullmatch(lead.group()) and not re.search(r"[,.…—–-]", gap):
        return False  # "worth 400 so we owe 100": no pause, no correction
    values = {(s, e): v for v, s, e in numbers}
    if first in values and second in values:
        kind1 = _number_kind(low, values[first], *first)
        kind2 = _number_kind(low, values[second], *second)
        if kind1 is None or kind2 not in (kind1, None):
            return False  # a bare number after the correction words is the same kind
        before = re.split(r"[.!?;]", low[: first[0]])[-1][-40:]
        if kind1 == "age":
            who1, who2 = _whose(before), _whose(tail)
            return who2 is None or who1 == who2 or (who1 is None and who2 == "self")
        if kind1 == "money":
            role1, role2 = _money_role(before), _money_role(tail, strong=True)
            return role2 is None or role1 == role2
        return True
    return not _WEAK_RETRACT.fullmatch(lead.group())  # two days: "Monday... no, wait, Tuesday"


def _whose(text: str) -> str | None:
    """Whom the words speak of: "spouse" (or another person), "self", or ``None``."""
    if _PERSON_WORDS.search(text):
        return "spouse"
    return (
        "self" if re.search(r"\b(?:i'?m|i am|i turned|i just turned|my age|me)\b", text) else None
    )


def _number_kind(low: str, value: float, start: int, end: int) -> str | None:
    """ "zip", "money" or "age" for a number in ``low`` (``None``: something else)."""
    text = low[start:end]
    if re.fullmatch(r"\d{5}", text):
        return "zip"
    if (
        value >= 120
        or _MONEY_AFTER.match(low[end:])
        or "$" in low[max(0, start - 2) : start + 1]
        or _money_role(re.split(r"[.!?;]", low[:start])[-1][-40:])
    ):
        return "money"
    if 40 <= value <= 115 and value == int(value):
        return "age"
    return None


def _money_role(text: str, *, strong: bool = False) -> str | None:
    """Which amount the words before a number speak of, the last one said (``strong``: not
    from words that only lean to the value, "it's about")."""
    found = [
        (m.end(), "value")
        for m in _VALUE_WORDS.finditer(text)
        if not (strong and _WEAK_VALUE.fullmatch(m.group()))
    ]
    found += [(m.end(), "balance") for m in _BALANCE_WORDS.finditer(text)]
    found += [(m.end(), "need") for m in _NEED.finditer(text)]
    return max(found)[1] if found else None
