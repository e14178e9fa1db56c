"""Rule-based understanding of what a caller said, for the offline policy.

``understand(text, expect)`` returns a :class:`Heard`: yes/no, a name, an age, amounts, a ZIP,
a city and state, the gates, days and times, a slot choice, intents (book, stop calling, …),
and the question or objection it raises. ``expect`` is what Barbara just asked, so a bare
"seventy-one" is an age and a bare "no" answers the right question. Nothing here calls out.

Every fact is read from every turn, whatever was asked: "Sixty-nine. I own it, it's worth about
six hundred and I owe nothing" is an age, ownership, a value and a balance. Speech-to-text comes
in lowercase, unpunctuated, with "um"s and misheard words ("reverse mort gauge", "sixty free"),
and callers correct themselves ("sixty... no, seventy-one": the later value counts).
"""

from __future__ import annotations

import re

from services.dialogue.language.ages import _age
from services.dialogue.language.corrections import _take_back
from services.dialogue.language.email import _email
from services.dialogue.language.gates import _gates
from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.identity import last_name, street
from services.dialogue.language.intents import (
    _NO,
    _REVERSE_MORTGAGE,
    _YES,
    _YES_ANYWHERE,
    _after_reading,
    _refine_intents,
)
from services.dialogue.language.money import (
    HUNDRED_SOMETHING,
    TENS_SOMETHING,
    _amounts,
    _purpose,
    amounts_said,
)
from services.dialogue.language.names import _NAME_CUE, _NAME_SENTENCE, _names
from services.dialogue.language.patterns import _INTENT_PATTERNS
from services.dialogue.language.places import _location, _zip
from services.dialogue.language.questions import _is_question, _topic
from services.dialogue.language.text import _HAS_NUMBER, _blank, _clean, normalise
from services.dialogue.language.when import _choice, _when, _without_taken
from services.dialogue.language.window import hour_window
from services.dialogue.speech.numbers import find_numbers

#: an age said as one: "I'm seventy", "seventy years old", "age 70"
_OWN_AGE = re.compile(r"\b(?:i'?m|i am|age|aged|years? old|turned|turning)\b")


#: "three-quarters of a million", "a quarter million": said as the thousands they are
_QUARTERS = re.compile(r"\b(a|one|three)[\s-]+quarters?(?:\s+of)?(?:\s+a)?\s+(million|mil)\b")


#: "I'll hit the big six-oh come April": "I'll be sixty come April"
_DECADE_BIRTHDAY = re.compile(
    r"\b(?:(i'?ll|i will|i'?m going to|gonna) (?:hit|turn|reach|be hitting|be turning) (?:the )?"
    r"(?:big )?|(?:the )?big )(five|six|seven|eight|nine)[\s-]+oh\b(?![\s-]+(?:oh|zero|one|two|"
    r"three|four|five|six|seven|eight|nine|\d))"
)  # (only with "big" or a birthday ahead: "six oh six three oh" is a ZIP)
_TENS_OF = {
    "five": "fifty",
    "six": "sixty",
    "seven": "seventy",
    "eight": "eighty",
    "nine": "ninety",
}


def _decade(match: re.Match[str]) -> str:
    age = _TENS_OF[match.group(2)]
    return f"i'll be {age}" if match.group(1) else age


def _quarters(match: re.Match[str]) -> str:
    amount = 750 if match.group(1) == "three" else 250
    return f"{amount} thousand"


def understand(text: str, expect: Expect = Expect.NOTHING, *, this_year: int = 2026) -> Heard:
    """Every fact, intent and question in one caller turn. ``expect`` only breaks ties for bare
    answers ("yes", "seventy"): a fact said out of turn is read all the same."""
    heard = Heard(text=text.strip())
    raw = _clean(text)
    low = normalise(raw)
    if not low or low in ("<silence>", "[silence]"):
        heard.text = ""
        return heard
    heard.yes = bool(_YES.search(low)) or (
        expect != Expect.NOTHING and bool(_YES_ANYWHERE.search(low))
    )
    heard.no = bool(_NO.search(low))
    if heard.no and heard.yes and _NO.search(low) and not low.startswith(("yes", "yeah")):
        heard.yes = False
    heard.reverse_mortgage = bool(_REVERSE_MORTGAGE.search(low))
    heard.question = _is_question(low)
    for intent, pattern in _INTENT_PATTERNS.items():
        if pattern.search(low):
            heard.intents.add(intent)
    _refine_intents(heard, low, expect)
    # what the caller settled on: corrected values blanked out
    said = _take_back(
        amounts_said(
            HUNDRED_SOMETHING.sub(
                r"\1 hundred fifty",
                TENS_SOMETHING.sub(
                    r"\1-five", _DECADE_BIRTHDAY.sub(_decade, _QUARTERS.sub(_quarters, low))
                ),
            ),
            expect,
        )
    )
    if not heard.has(Intent.AUTHORITY) and (
        expect in (Expect.NAME, Expect.RIGHT_PERSON, Expect.WAITING)
        or _NAME_CUE.search(low)
        or _NAME_SENTENCE.search(raw)
    ):
        _names(heard, raw, low, expect)
    used: list[tuple[int, int]] = []  # number spans already read as a fact
    numbers = find_numbers(said) if _HAS_NUMBER.search(said) else []
    street(heard, said, used)
    _zip(heard, said, expect, numbers, used, raw)
    own_age = _age(heard, said, expect, this_year, numbers, used, raw)
    _amounts(heard, said, expect, numbers, used)
    _location(heard, raw, said, expect)
    if (
        expect == Expect.NAME
        and heard.first_name
        and heard.city
        and heard.city.lower() == heard.first_name.lower()
    ):
        heard.city = None  # asked for a name, "eugene" is Eugene, not the city
    if not heard.has(Intent.AUTHORITY):
        last_name(heard, raw, low, expect)
    _gates(heard, said, expect)
    _when(heard, _blank(said, used), expect)
    # (the hours of what fills the day are not the wish: "in the morning, because after lunch
    # I take my wife to the doctor")
    blanked = _blank(said, used)
    hour_window(heard, _without_taken(blanked), busy_from=blanked)
    _choice(heard, said, expect)
    if "@" in low or " at " in low:
        _email(heard, low)
    if heard.email and heard.age is not None and not _OWN_AGE.search(low):
        heard.age, heard.borrower_ages, heard.own_age = None, [], None  # "w greer fifty-one at …"
    _purpose(heard, said)
    _topic(heard, said)
    _after_reading(heard, low, own_age)
    heard.unfinished = bool(_TRAILS_OFF.search(text.strip())) and not heard.question
    return heard


#: a turn that stops mid-thought: an ellipsis or a dash at its end, or a last word that
#: cannot end one ("it's worth, um...", "the house is paid off and", "well, it's about —")
_TRAILS_OFF = re.compile(
    r"(?:\.{3}|…|\s[-–—]+)\s*$|"
    r"\b(?:um+|uh+|er+|erm|hmm+|and|but|or|so|the|of|to|is|it'?s|was|about|like|because|"
    r"cause|with|for|my|our|in|at|on|from|that'?s|what'?s)[,\s]*$",
    re.IGNORECASE,
)
