"""Where the home is: a ZIP, a city and a state."""

from __future__ import annotations

import re

from services.dialogue.language.corrections import _TAKE_BACK
from services.dialogue.language.heard import Expect, Heard
from services.dialogue.language.money import _MONEY_AFTER, _near_money_word
from services.dialogue.language.names import _not_a_name
from services.dialogue.language.vocabulary import (
    _BIG_CITY_LAST,
    _BIG_CITY_RE,
    _DIGIT_WORDS,
    _NOT_NAMES,
    STATES,
)

_STATE_CODES = set(STATES.values())
_STATE_NAME_RE = re.compile(
    r"\b(" + "|".join(sorted(STATES, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_STATE_CODE_RE = re.compile(r"(?:,\s*|\s)([A-Z]{2})\b(?:\s+\d{5})?\s*[.!?]?\s*$|,\s*([A-Z]{2})\b")
_ZIP_RE = re.compile(r"(?<![\d,$.])\b(\d{5})\b(?!\d|,\d|\.\d)")
_ZIP_CUE = re.compile(
    r"\b(?:zip|zip ?code|zipcode|postal code|post code)(?:s|'s)?\b(?:\s+(?:is|it'?s|would be|"
    r"number|"
    r"there is|there'?s|over there))?[\s:,#?.!-]*$"
)
#: capitalised words that are not a city after "in"/"from"
_NOT_CITY = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "god", "heaven", "english", "spanish", "christ",
    "jesus", "medicare", "medicaid", "social", "zillow", "equity", "connect", "reverse",
    "hud", "fha", "covid", "florida's", "the", "a", "an", "my", "our", "i", "it", "zip", "us",
    "america", "usa", "u.s.", "hecm", "mortgage", "december's", "church", "walmart", "target",
    "costco", "christmas", "easter", "thanksgiving", "retirement", "hospital", "rehab",
}  # fmt: skip
_CITY_WORD = r"(?:(?:St|Ft|Mt)\.?|[A-Z][a-zA-Z'’-]+)"
_CITY_AFTER_IN = re.compile(
    rf"\b(?:in|near|outside(?: of)?)\s+({_CITY_WORD}(?:\s+{_CITY_WORD}){{0,2}})"
)
#: what may follow such words before the place, up to a word that brings it home again
_BEFORE_PLACE = r"\b(?:(?!\b(?:but|live|living|home|house)\b)[^.;!?]){0,25}$"
#: a trip away from the home: "runs to Arizona in January", "heads up to the lake"
_TRIP = r"runs?|running|heads?|go(?:es)?|went|fly|flies|drives?|winters?|wintering|snowbirds?"
#: family who live there, a visit: "our daughter up in Ohio"
_FAMILY_OR_VISIT = (
    r"daughter|son|kids|children|sister|brother|grand\w+|niece|nephew|cousin|friends?|"
    r"visit\w*|vacation|trip"
)
#: words before a place that make it another place than the home: a move, family who live
#: there, a visit, a trip, where one grew up
_ELSEWHERE_BEFORE = re.compile(
    rf"\b(?:move|moving|moved|relocat\w*|{_FAMILY_OR_VISIT}|grew up|born|originally|used to live|"
    rf"{_TRIP}){_BEFORE_PLACE}"
)
#: the same for a state, where someone else's move or a trip counts but where one was born
#: does not ("I was born in Ohio" still says Ohio): "she moved down to Oregon" is not the
#: home's state, "we moved to Florida" is
_AWAY_BEFORE = re.compile(
    rf"\b(?:{_FAMILY_OR_VISIT}|spend|spends|spending|{_TRIP}){_BEFORE_PLACE}|"
    rf"(?<!\bwe )(?<!\bi )(?<!\bjust )\b(?:move|moving|moved){_BEFORE_PLACE}"
)
#: a ZIP said digit by digit in words: "eight four one oh six"
_DIGIT = "(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + ")"
_ZIP_IN_WORDS = rf"{_DIGIT}(?:[\s,-]+{_DIGIT}){{4}}\b"
_ZIP_AFTER = re.compile(rf",?\s*(?:zip(?: ?code)?\s*)?(?:\d{{5}}\b|{_ZIP_IN_WORDS})")
#: a city named after the ZIP, to end the turn: "oh one six oh four, that's Worcester"
_CITY_OF_ZIP = re.compile(
    rf"\b(?:that'?s|that is|which is|it'?s)\s+(?:in\s+)?({_CITY_WORD}(?:\s+{_CITY_WORD}){{0,2}})"
    r"\s*[.!]?\s*$"
)
_CITY_AFTER_FROM = re.compile(
    rf"\b(?:i'?m|we'?re|i am|we are|originally|calling|moved|here) from\s+({_CITY_WORD}"
    rf"(?:\s+{_CITY_WORD}){{0,2}})"
)
_CITY_BEFORE_ZIP = re.compile(
    rf"({_CITY_WORD}(?:\s+{_CITY_WORD}){{0,2}}),?\s+(?:zip(?: ?code)?\s+)?\d{{5}}\b"
)
_STOP_BEFORE_STATE = {
    "in", "from", "near", "of", "outside", "live", "it's", "is", "the", "we", "i", "home",
    "house", "yes", "yeah", "and", "city", "town", "lived", "living", "out", "over", "down",
    "up", "to", "at", "by", "a", "an", "my", "our", "its", "that's", "thats", "it", "sunny",
    "beautiful", "lovely", "northern", "southern", "eastern", "western", "central", "north",
    "south", "east", "west", "upstate", "downstate", "rural", "small", "little", "big", "here",
    "there", "state", "county", "place", "condo", "property", "own", "owns", "yep", "sure",
    "okay", "ok", "so", "well", "oh", "moved", "move", "born", "raised", "back", "area",
    "outright", "still", "now", "currently", "right", "just", "both", "but", "or",
}  # fmt: skip


def _without(low: str, start: int, end: int) -> str:
    return low[:start] + low[end:]


def _zip(heard: Heard, low: str, expect: Expect, found: list[tuple[float, int, int]],
         used: list[tuple[int, int]], raw: str = "") -> None:  # fmt: skip
    """A ZIP: five digits after "zip (code)" or a place ("Albany. 12203"), or any five-digit
    number that is not money."""
    for match in _ZIP_RE.finditer(low):
        if any(start <= match.start() < end for start, end in used):
            continue  # the house number of a street address
        cue = re.sub(rf"\s*(?:{_TAKE_BACK.pattern})$", " ", low[: match.start()])
        cued = bool(_ZIP_CUE.search(cue)) or (
            (_after_place(raw, low, match.start()) or _BIG_CITY_LAST.search(low[: match.start()]))
            and not _MONEY_AFTER.match(low[match.end() :])
        )  # ("It's Albany, 12203": a city, then its ZIP)
        # (an amount said in digits is round, "85000", "12500"; "61614" is a ZIP)
        rough = match.group(1).endswith("00")
        if not cued and (
            _MONEY_AFTER.match(low[match.end() :])
            or low[: match.start()].rstrip().endswith("$")
            or (expect in (Expect.VALUE, Expect.BALANCE) and rough)
            or (_near_money_word(low, match.start()) and rough)
        ):
            continue  # "I owe 85000"
        heard.zip = match.group(1)
        used.append(match.span())
        return
    # spoken digits: "nine eight one zero three", "zip code nine eight one oh three"
    run: list[re.Match[str]] = []
    # a sentence's end ends a run: "… no, seven one one. Five three seven one one."
    for word in [*re.finditer(r"[a-z0-9]+|[.!?;—–](?=\s|$)", low), None]:
        if word is not None and word.group() in _DIGIT_WORDS and len(run) < 5:
            run.append(word)
            continue
        if word is not None and word.group() in _HOMOPHONES and 3 <= len(run) < 5:
            run.append(word)  # speech-to-text: "three three one three for"
            continue
        bounded = word is None or word.group() not in _DIGIT_WORDS
        if (
            len(run) == 5
            and (
                expect in (Expect.ZIP, Expect.LOCATION, Expect.IDENTITY)
                # exactly five digits said one by one, not money (nobody says an amount digit by
                # digit), whatever was asked: "Six oh six one eight.", "three two seven eight nine"
                or (bounded and expect != Expect.SLOT)
                # five digits and nothing else, even with times on offer: "three two eight
                # zero eight" is a ZIP, not a pick
                or (
                    bounded
                    and not re.search(r"[a-z]", _without(low, run[0].start(), run[-1].end()))
                )
                or _ZIP_CUE.search(low[: run[0].start()])
                or _after_place(raw, low, run[0].start())  # "minneapolis minnesota 5 5 4 0 6"
            )
        ):
            heard.zip = "".join(_DIGIT_WORDS.get(w.group()) or _HOMOPHONES[w.group()] for w in run)
            used.append((run[0].start(), run[-1].end()))
            return
        run = [word] if word is not None and word.group() in _DIGIT_WORDS else []
    _grouped_zip(heard, low, expect, used, raw)


#: digits as speech-to-text hears them, taken only inside a run of digits
_HOMOPHONES = {"for": "4", "fore": "4", "to": "2", "too": "2", "won": "1", "ate": "8"}
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
#: one group of a ZIP said in pieces: "forty-three", "oh", "nine", "eleven", "5"
_ZIP_PIECE = (
    rf"(?:(?:{'|'.join(_TENS_WORDS)})(?:[\s-]+(?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|"
    rf"{'|'.join(_UNITS)}|zero|oh|\d{{1,3}})"
)
_ZIP_PIECES = re.compile(rf"\b{_ZIP_PIECE}(?:[\s,-]+{_ZIP_PIECE}){{1,4}}\b")


def _grouped_zip(heard: Heard, low: str, expect: Expect, used: list[tuple[int, int]],
                 raw: str) -> None:  # fmt: skip
    """A ZIP said in pieces, where a ZIP is expected: "Columbus, Ohio, forty-three two oh
    nine", "zip is ninety-eight one oh three" (not an age of forty-three)."""
    for match in _ZIP_PIECES.finditer(low):
        cued = (
            expect in (Expect.ZIP, Expect.LOCATION, Expect.IDENTITY)
            or _ZIP_CUE.search(low[: match.start()])
            or _after_place(raw, low, match.start())
        )
        digits = _zip_digits(match.group())
        if cued and digits and len(digits) == 5 and not _MONEY_AFTER.match(low[match.end() :]):
            heard.zip = digits
            used.append(match.span())
            return


def _zip_digits(said: str) -> str | None:
    """ "forty-three two oh nine" → "43209"; ``None`` if some piece is not a digit group."""
    out = ""
    words = re.findall(r"[a-z]+|\d+", said)
    i = 0
    while i < len(words):
        word = words[i]
        if word.isdigit():
            out += word
        elif word in _TENS_WORDS:
            tens = str(_TENS_WORDS.index(word) + 2)
            if i + 1 < len(words) and words[i + 1] in _UNITS:
                out += tens + str(_UNITS.index(words[i + 1]) + 1)
                i += 1
            else:
                out += tens + "0"
        elif word in _TEENS:
            out += str(_TEENS.index(word) + 10)
        elif word in _DIGIT_WORDS:
            out += _DIGIT_WORDS[word]
        else:
            return None
        i += 1
    return out


def _after_place(raw: str, low: str, start: int) -> bool:
    """Whether a place name ends right before ``start``: "Albany. 12203", "Wichita, 67203"."""
    before = low[:start].rstrip(" .,")
    # "the house is in Plano, 75023": a place said as one, whatever money was said before it
    said_as_place = re.search(
        r"\b(?:in|near|outside(?: of)?|from)\s+(?:[a-z][\w'-]*\s+){0,2}[a-z][\w'-]*[.,]?\s*$",
        low[:start],
    )
    states = [m.end() for m in _STATE_NAME_RE.finditer(before)]
    if _BIG_CITY_LAST.search(before) or (states and states[-1] == len(before)):
        return bool(said_as_place) or not _near_money_word(low, start)
    if len(raw) != len(low):
        return False
    word = re.search(r"([A-Za-z][A-Za-z'-]*)[.,]?\s*$", raw[:start])
    return bool(
        word
        and word.group(1)[0].isupper()
        and word.group(1) != "I"
        and word.group(1).lower() not in _NOT_CITY
        and not _not_a_name(word.group(1))
        and (said_as_place or not _near_money_word(low, start))
    )


def _location(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    state_match = next(
        (
            m
            for m in _STATE_NAME_RE.finditer(raw)
            if not _AWAY_BEFORE.search(raw[: m.start()].lower())
        ),
        None,
    )  # ("not one of those folks who runs to Arizona in January": not where the home is)
    code = None
    before = ""
    if state_match:
        name = state_match.group(1).lower()
        if name == "washington" and re.search(r"washington,? d\.?c", low):
            code = "DC"
        else:
            code = STATES[name]
        before = raw[: state_match.start()]
    else:
        code_match = _STATE_CODE_RE.search(raw)
        if code_match:
            code = code_match.group(1) or code_match.group(2)
            if code not in _STATE_CODES:
                code = None
            before = raw[: code_match.start()]
    if code is not None:
        heard.state = code
        heard.city = _city_before_state(before, expect)
    if heard.city is None:
        heard.city = _city_alone(raw, low, expect)
    if heard.city is None and heard.zip:
        named = _CITY_OF_ZIP.search(raw)  # "oh one six oh four, that's Worcester"
        if named and not _not_a_name(named.group(1).split()[0]):
            heard.city = _city(named.group(1))


def _city_before_state(before: str, expect: Expect) -> str | None:
    """The words just before a state: "Spokane, Washington", "phoenix arizona"."""
    big = _BIG_CITY_LAST.search(before)
    if big:
        return _city(big.group(1))  # "Fort Worth, Texas": a big city, whatever its words
    words = re.findall(r"[A-Za-z][A-Za-z.'-]*", before)
    tail: list[str] = []
    for word in reversed(words):
        if word.lower() in _STOP_BEFORE_STATE or word.lower() in _NOT_NAMES:
            break
        tail.insert(0, word)
        if len(tail) == 3:
            break
    if not tail:
        return None
    if any(w[0].isupper() for w in tail) or expect == Expect.LOCATION:
        return _city(" ".join(tail))
    # lowercase speech-to-text: a city before a known state, with nothing else around it
    if len(tail) < len(words) and words[-len(tail) - 1].lower() not in _STOP_BEFORE_STATE:
        return None
    return _city(" ".join(tail))


def _city_alone(raw: str, low: str, expect: Expect) -> str | None:
    """A city without a state: "in Phoenix", "Seattle, 98118", "from tucson"."""
    for pattern in (_CITY_AFTER_IN, _CITY_BEFORE_ZIP, _CITY_AFTER_FROM):
        for match in pattern.finditer(raw):
            if pattern is not _CITY_BEFORE_ZIP and _ELSEWHERE_BEFORE.search(
                raw[: match.start()].lower()
            ):
                continue  # "move up near our daughter in Boise": another place than the home
            words: list[str] = []
            for word in match.group(1).split():
                if (
                    word.lower().strip(".") in _NOT_CITY
                    or _not_a_name(word.strip("."))
                    or (_STATE_NAME_RE.fullmatch(word))
                ):
                    break
                words.append(word)
            if words:
                return _city(" ".join(words))
    for big in _BIG_CITY_RE.finditer(low):
        if _ELSEWHERE_BEFORE.search(low[: big.start()]):
            continue
        if (
            expect == Expect.LOCATION
            or re.search(
                r"\b(?:in|from|near|outside(?: of)?|around|that'?s|thats|that is|which is)\s*$",
                low[: big.start()],
            )
            or re.match(_ZIP_AFTER, low[big.end() :])
            or len(low.split()) <= 3
            or _said_alone(low, big.start(), big.end())
        ):
            return _city(raw[big.start() : big.end()])
        break
    if expect == Expect.LOCATION:
        city = re.search(r"(?:in|from|near|outside(?: of)?)\s+([A-Za-z][A-Za-z .'-]{1,30})$",
                         raw.rstrip(".!?"))  # fmt: skip
        if city:
            return _city(city.group(1))
    return None


def _said_alone(low: str, start: int, end: int) -> bool:
    """The city is said as a sentence of its own: "Eugene. I'm there year round."."""
    before = low[:start].rstrip()
    alone_before = not before.strip(" .,!?") or before.endswith((".", "!", "?"))
    return alone_before and bool(re.match(r"\s*(?:[.!?]|$)", low[end:]))


def _city(text: str) -> str | None:
    text = text.strip(" ,.")
    if not text or text.lower() in _NOT_NAMES:
        return None
    if text.lower() == "salt lake":
        return "Salt Lake City"  # as it is said
    return " ".join(w[:1].upper() + w[1:] for w in text.split())
