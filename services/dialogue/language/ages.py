"""Ages: the caller's own, a spouse's, a parent's; said as a number, a birth year or a decade."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Expect, Heard
from services.dialogue.language.money import (
    _BALANCE_AFTER,
    _BALANCE_WORDS,
    _MONEY_AFTER,
    _PAID_OFF,
    _VALUE_WORDS,
    _near_money_word,
)
from services.dialogue.language.names import _not_a_name
from services.dialogue.language.places import _ZIP_CUE
from services.dialogue.language.text import _overlaps, _short_year
from services.dialogue.language.vocabulary import _PARENT_WORDS, _SPOUSE_WORDS

_MOD = (
    r"(?:(?:just|about|almost|nearly|over|only|already|around|past|under|turning|gonna be|going "
    r"to be|now|like|roughly|pushing)\s+)*"
)
#: a name after "my wife": "my wife Nadine is 61", "my husband, Rick, is 59"
_GIVEN_NAME = r"(?:,?\s+(?!(?:and|who|is|was|will|turned|turns|just|says|said)\b)[a-z][a-z'-]+,?)?"
_SPOUSE_AGE = re.compile(
    rf"\b{_SPOUSE_WORDS}{_GIVEN_NAME}(?:'s| is| was|'ll be| will be| turned| just turned| turns|"
    rf" is turning| who is|,)?(?: age is| is)?\s*{_MOD}$"
    rf"|\b(?:s?he'?s|s?he is|s?he'?ll be|s?he will be|s?he turned|s?he just turned|s?he turns|"
    rf"s?he was)\s*{_MOD}$"
)
_PARENT_AGE = re.compile(
    rf"\b{_PARENT_WORDS}(?:'s| is| was|'ll be| will be| turned| just turned| turns)?\s*{_MOD}$"
)
_BOTH_AGE = re.compile(
    rf"\b(?:we'?re|we are|we'?ll be|we will be) both\s*{_MOD}$|\bboth (?:of us )?(?:are |were )?"
    rf"{_MOD}$"
)
_OWN_AGE = re.compile(
    rf"(?:\bi'?m|\bi am|\bi'?ll be|\bi will be|\bi turned|\bi just turned|\bi turn|\bturned|"
    rf"\bturning|\bage|\baged|\bages|\bme,?|\bmyself,?|\bi was|\bwe'?re|\bwe are|\byoungest"
    rf"(?: one| of us| borrower)?(?: is)?|\bbe|\bage is|\bmy age(?: is)?)\s*(?:is\s*)?{_MOD}$"
)
#: an age one has, as in Spanish or Italian: "I have seventy-two years", "she has sixty-nine"
_HAS_AGE = re.compile(
    rf"\b(?:(i) (?:have|got)|(?:{_SPOUSE_WORDS}{_GIVEN_NAME}|s?he) has)\s*{_MOD}$"
)
#: … only with "years" or nothing after it: not "I have 60 acres", "she has 50 in savings"
_HAS_AGE_AFTER = re.compile(
    r"\s*(?:years?(?: old)?)?\s*(?:[.,!?;]|$|and\b|but\b)(?!\s*(?:ago|left|in|on|of|to|with))"
)
#: "born" in the words before a year: "born in", "born on March 3rd,", "born back in '"
_BORN = re.compile(r"\bborn\b(?:(?!\bborn\b)[^.!?;]){0,30}$")
#: "born in 51", "born back in fifty-one": two digits said right after it are a year
_BORN_SHORT = re.compile(r"born (?:in |back in )?(?:the year )?'?\s*")
#: "… and Ernest is 69": someone named, said with the caller's own age
_NAMED_AGE = re.compile(
    rf"(?:^|[,;]|\band)\s+([a-z][a-z'-]+)(?:'s| is| was|'ll be| will be| turned| just turned| "
    rf"turns)\s*{_MOD}$"
)
#: the caller speaks of two borrowers: a named person's age is the other one's
_TWO_OF_US = re.compile(rf"\b(?:{_SPOUSE_WORDS}|both|me and|and me|the two of us)\b")
#: the person a "she's" or "he's" stands for, when the last one named is no borrower: a
#: sister, a son, a friend ("my sister is the baby, she's sixty-four")
_SOMEONE_ELSE_LAST = re.compile(
    rf"\b(?:sisters?|brothers?|sons?|daughters?|kids?|children|grand\w+|nieces?|nephews?|"
    rf"cousins?|friends?|neighbou?rs?|aunts?|uncles?|in-laws?|doctors?|caregivers?|aides?|"
    rf"nurses?)\b(?:(?!\b{_SPOUSE_WORDS}\b|\b{_PARENT_WORDS}\b).)*$"
)
#: "lived there fifty years": how long, not how old
_DURATION_AFTER = re.compile(r"\s*(?:years?|yrs)\b(?!\s+(?:old|young|of age))")
#: who an age belongs to, from the words just before it ("he"/"she": the spouse, the other one)
_AGE_OWNERS = (("spouse", _SPOUSE_AGE), ("other", _PARENT_AGE), ("both", _BOTH_AGE),
               ("self", _OWN_AGE))  # fmt: skip
_AGE_AFTER = re.compile(
    r"\s*(?:years?|yrs?)(?: old| young| of age)|\s*(?:next|this) (?:month|year|week)|"
    # "sixty-two as of last month", "62 since March"
    r"\s*(?:as of|since) (?:last|this|the|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"\w*\b)|"
    r"\s*in "
    r"(?:a|two|three|few|a few|a couple)\b|\s*(?:years? )?(?:on|this) (?:my|his|her) birthday"
)
#: what can stand with a number said alone as an answer: "Sixty-nine.", "Oh, 72 now."
_BARE_BEFORE = re.compile(
    r"^[\s,]*(?:(?:oh|well|yes|yeah|yep|so|and|okay|ok|just|about|around|almost|nearly|i'?m|"
    r"i am|i think|i'?d say|let'?s see|let me see|i believe|hmm|sure|age|me|myself|no|nope|"
    r"sorry|actually|i mean|wait|make that|rather|or rather|oops)[\s,]+)*$"
)
_BARE_AFTER = re.compile(r"^[\s,]*(?:years?(?: old| young)?|now|this year|myself|i think)?[\s,]*$")
#: "that's my wife" right after an age: the age was the spouse's
_AGE_WAS_SPOUSE = re.compile(
    rf"that'?s (?:my|her|his) {_SPOUSE_WORDS}(?:'s age)?\b|that'?s (?:her|his) age|that (?:was|"
    rf"is) (?:my|her|his) {_SPOUSE_WORDS}"
)
_DECADE = re.compile(
    r"\bin (my|our|his|her) (?:(early|mid|late)[\s-]+)?(sixties|seventies|eighties|nineties|"
    r"fifties|[5-9]0'?s\b)"
)
_DECADES = {"fifties": 55, "sixties": 65, "seventies": 75, "eighties": 85, "nineties": 95}
_DECADE_PART = {"early": -3, "mid": 0, "late": 3, None: 0}


#: someone spoken of who is no borrower: "Kyle is 45, he's my son"
_NOT_A_BORROWER = re.compile(
    r"\b(?:sons?|daughters?|kids?|children|grand\w+|nieces?|nephews?|sisters?|brothers?|"
    r"cousins?|friends?|neighbou?rs?|tenants?|boarders?|roommates?|caregivers?|aides?)\b"
)
#: only words that put an answer right, before a number: "— no, sixty-four", "— sorry, 71"
_PUT_RIGHT_ONLY = re.compile(
    r"[\s,]*(?:(?:no|nope|sorry|i mean|actually|make that|wait|er|um|uh|or rather|rather)"
    r"[\s,]+)+"
)
#: a turn that opens by putting the last answer right: "no sixty three", "sorry, I mean 71"
_PUTTING_RIGHT = re.compile(
    r"^(?:oh,?\s+|oops,?\s+)?(?:no|nope|sorry|i mean|actually|wait|correction|scratch that)\b"
    r"(?![^.?!]{0,30}\b(?:worth|value|idea|clue|sure|know|thousand|grand)\b)"
)


def _age(heard: Heard, low: str, expect: Expect, this_year: int,
         numbers: list[tuple[float, int, int]], used: list[tuple[int, int]],
         raw: str = "") -> bool:  # fmt: skip
    """Every age stated for the caller and a spouse or partner; ``age`` is the youngest.
    Returns whether the caller stated their own age."""
    found: list[tuple[str, int, int]] = []  # (whose, age, position)
    guesses: list[tuple[int, int, int]] = []  # (age, start, end): a number said when asked
    cased = raw if len(raw) == len(low) and raw != raw.lower() else ""
    for value, start, end in numbers:
        born = _BORN.search(low[:start])
        year = _birth_year(low, value, start, end, born, this_year)
        if born and year:  # "born in 1950", "born in nineteen fifty", "born in '51"
            before = low[: born.start()]
            owner = (
                "spouse"
                if re.search(rf"(?:{_SPOUSE_WORDS}{_GIVEN_NAME}|\bs?he)\W*(?:was\s*)?$", before)
                else "self"
            )
            found.append((owner, this_year - year, start))
            used.append((start, end))
    previous: tuple[str, int] | None = None  # whose the last age was, and where it ended
    answered = (
        (expect == Expect.VALUE and _VALUE_WORDS.search(low))
        or (expect == Expect.BALANCE and (_BALANCE_WORDS.search(low) or _PAID_OFF.search(low)))
    ) and (
        _PAID_OFF.search(low)
        or any(
            _near_money_word(low, s) or _MONEY_AFTER.match(low[e:]) or v >= 120
            for v, s, e in numbers
        )
    )  # the money asked for is said in words, so a bare number is free to be the age (not in
    # "about 50, that's all we owe": the words after it are about that number)
    for value, start, end in numbers:
        if (
            _overlaps(used, start, end)
            or (
                value != int(value)
                and not (value * 2 == int(value * 2) and "half" in low[start:end])
            )
            or not 40 <= value <= 115
            or _short_year(low, start, end)  # "bought it back in '88"
            or re.match(r"'?s\b", low[end:])  # "in my 60s", "born in the 50s": a decade
        ):
            previous = None
            continue
        sentence_before = re.split(r"[.!?;—–]", low[:start])[-1]
        clause_before = re.split(r",", sentence_before)[-1]
        after = low[end : end + 30]
        if (
            _MONEY_AFTER.match(after)
            or _BALANCE_AFTER.match(after)  # "maybe fifty left on the mortgage"
            or "$" in low[max(0, start - 2) : start + 1]
        ):
            continue
        if re.match(r"\s*(?:o'?clock|a\.?m\b|p\.?m\b|:\d|%)", after):
            continue
        if _ZIP_CUE.search(low[:start]) or re.search(r"\b(?:at|by)\s*$", clause_before):
            continue
        owner_text, owner_end = sentence_before[-40:], start  # where whose it is is said
        if _PUT_RIGHT_ONLY.fullmatch(sentence_before):
            # "Ron's sixty-three — no, sixty-four": whose the age put right was
            chunks = re.split(r"[.!?;—–]", low[:start])
            if len(chunks) >= 2:
                owner_end = start - len(sentence_before) - 1
                owner_text = chunks[-2][-40:]
        whose = next((w for w, p in _AGE_OWNERS if p.search(owner_text)), None)
        if whose == "spouse" and _SOMEONE_ELSE_LAST.search(sentence_before):
            previous = None  # "my sister's the baby, she's sixty-four": not a borrower's age
            continue
        had = _HAS_AGE.search(sentence_before[-40:]) if whose is None else None
        if had and _HAS_AGE_AFTER.match(after) and expect not in (Expect.VALUE, Expect.BALANCE):
            # "I have seventy-two years", "my wife has sixty-nine": an age, said as one has it
            whose = "self" if had.group(1) else "spouse"
        named = _NAMED_AGE.search(owner_text.rstrip() + " ") if cased and whose is None else None
        # (a named person's age beside the caller's own, or when the youngest owner's was asked)
        other_owner = (
            any(w == "self" for w, _, _ in found) or expect == Expect.AGE
        ) and not _NOT_A_BORROWER.search(low)
        if named and (_TWO_OF_US.search(low) or other_owner):
            at = owner_end - len(owner_text) + named.start(1)
            if cased[at].isupper() and not _not_a_name(named.group(1)):
                whose = "spouse"  # "I'm sixty-four and Ernest is sixty-nine"
        if whose is None and _AGE_AFTER.match(after):
            whose = "spouse" if re.search(_SPOUSE_WORDS, clause_before) else "self"
        joined = previous and re.fullmatch(r"\s*(?:,|and|, and|&)\s*", low[previous[1] : start])
        if whose is None and previous and joined:
            whose = "spouse" if previous[0] == "self" else "self"  # "we're 70 and 65"
        if whose is None and _near_money_word(low, start):
            continue
        if (
            whose is None
            and expect == Expect.VALUE
            and _PUTTING_RIGHT.match(low)
            and 60 <= value <= 105
            and not _MONEY_AFTER.match(after)
        ):
            whose = "self"  # "no sixty three sorry sixty three": the age just given, put right
        if (
            whose is None
            and expect not in (Expect.VALUE, Expect.BALANCE)
            and 60 <= value <= 105
            and not any(w == "self" for w, _, _ in found)
            and (
                sum(1 for v, _, _ in numbers if v == value) >= 2
                or re.search(
                    r"\b(?:i said|like i said|i told you|i'?m telling you)\s*$", clause_before
                )
            )
            and not _MONEY_AFTER.match(after)
        ):
            whose = "self"  # "seventy four i said 74": an age said again to be heard
        money_asked = expect in (Expect.VALUE, Expect.BALANCE) and not answered
        if whose is None and value <= 110 and not money_asked:
            sentence_after = re.split(r"[.!?;,—–]", low[end:])[0]
            own_clause = (  # "hi, Gunnar Eide, sixty-eight, Anchorage…": a clause of its own
                "," in sentence_before
                and _BARE_BEFORE.match(clause_before)
                and _BARE_AFTER.match(sentence_after)
                and value >= 50
            )
            # ("Forest Hills, 11375. Fifty-one years.", asked where they live: how long)
            how_long = re.match(r"[\s,]*years?\b(?! old| young| of age)", sentence_after)
            if (own_clause or (
                _BARE_BEFORE.match(sentence_before) and _BARE_AFTER.match(sentence_after)
            )) and not (how_long and expect != Expect.AGE):  # fmt: skip
                whose = "self"  # "Sixty-nine."
            elif expect == Expect.AGE and not _DURATION_AFTER.match(after):
                guesses.append((_age_adjusted(int(value), low[:start], after), start, end))
                previous = ("self", end)  # "70 and 65": the next one is the other borrower's
                continue
        if whose is None:
            continue
        age = _age_adjusted(int(value), low[:start], after)
        for owner in ("self", "spouse") if whose == "both" else (whose,):
            found.append((owner, age, start))
        used.append((start, end))
        previous = (whose if whose != "both" else "spouse", end)
    for match in _AGE_WAS_SPOUSE.finditer(low):
        # "I'm sixty-four. Actually, sorry, that's my wife.": that age was the spouse's
        earlier = [i for i, (w, _, p) in enumerate(found) if w == "self" and p < match.start()]
        if earlier:
            _, age, pos = found[earlier[-1]]
            found[earlier[-1]] = ("spouse", age, pos)
    if guesses and not any(w == "self" for w, _, _ in found):
        age, start, end = guesses[0]  # any number when the age was asked, if none was marked
        found.append(("self", age, start))
        used.append((start, end))
    latest: dict[str, int] = {}
    for whose, age, _pos in sorted(found, key=lambda f: f[2]):
        latest[whose] = age  # a later statement about the same person replaces the earlier one
    if not latest:
        decade = _DECADE.search(low)
        if decade:
            whose = "spouse" if decade.group(1) in ("his", "her") else "self"
            tens = decade.group(3)
            middle = _DECADES[tens] if tens in _DECADES else int(tens[0]) * 10 + 5
            latest[whose] = middle + _DECADE_PART[decade.group(2)]
    heard.borrower_ages = [latest[w] for w in ("self", "spouse", "other") if w in latest]
    if heard.borrower_ages:
        heard.age = min(heard.borrower_ages)
    heard.own_age = latest.get("self")
    return "self" in latest


def _birth_year(low: str, value: float, start: int, end: int, born: re.Match[str] | None,
                this_year: int) -> int | None:  # fmt: skip
    """The year a number after "born" is: "born in 1951", "born March 3rd, 1951", "born in
    nineteen fifty-one"; two digits only right after "born (in)" or as "'51": "born in '51"."""
    if born is None or value != int(value):
        return None
    if 1900 <= value <= this_year:
        return int(value)
    short = _short_year(low, start, end) or (
        _BORN_SHORT.fullmatch(born.group()) and not re.match(r"\s*(?:s\b|'s|years?)", low[end:])
    )
    if short and 10 <= value <= 99 and 1900 + value <= this_year:
        return 1900 + int(value)  # nobody calling about a reverse mortgage was born in 20xx
    return None


def _age_adjusted(age: int, before: str, after: str) -> int:
    """ "over 65" is 66; "I'll be 62 next month" is 61; "almost 70" is 69."""
    if re.search(r"(?:over|older than|past)\s*$", before):
        return age + 1
    if re.search(r"\b(?:turned|was|have been|'ve been)\s*$", before[-20:]):
        return age  # "I turned sixty-three in March": the birthday has been
    if re.search(r"(?:i'?ll be|turning|be)\s*$", before) or re.match(r"\s*(?:next|in) ", after):
        return age if re.search(r"just turn", before[-20:]) else age - 1
    if re.search(r"(?:almost|nearly|under|younger than)\s*$", before):
        return age - 1
    return age
