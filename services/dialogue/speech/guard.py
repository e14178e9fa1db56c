"""What the LLM says is checked, sentence by sentence, before it is spoken.

- A sentence claiming Barbara is a person ("I'm a real person", "yes, you're speaking to a real
  person", "I'm not an AI") is replaced by the honest line (once per reply).
- A sentence with a phone number, an email address or a street address the caller did not say
  themselves in this call is dropped: the model never reads out anyone's data.

Only the LLM's streamed text goes through here; the offline policy's lines are written by us.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.dialogue.speech import lines

_I_AM = r"(?:i'?m|i am)\s+(?:definitely |really |very much |totally |indeed |actually |just )?"
_REAL = r"(?:real|live|actual|genuine|flesh[- ]and[- ]blood)"
_WHO = r"(?:person|human(?: being)?|woman|man|lady)"
_HUMAN_CLAIMS = (
    # "I'm a real person", "I am human", "I'm a person", "this is a real person"
    re.compile(rf"\b(?:{_I_AM}|this is\s+)(?:a |an )?(?:{_REAL}\s+)+{_WHO}\b"),
    re.compile(rf"\b{_I_AM}(?:a )?(?:human(?: being)?|person)\b"),
    re.compile(rf"\b{_I_AM}real\b(?!\s+estate)"),
    # "you're speaking to a real person", "you are talking with a human"
    re.compile(rf"\byou(?:'re| are)\s+(?:speaking|talking|chatting)\s+(?:to|with)\s+"
               rf"(?:a |an )?(?:{_REAL}\s+)*{_WHO}\b"),
    # "I'm not an AI", "I am not a robot / bot / machine / computer / recording"
    re.compile(r"\b(?:i'?m|i am)\s+(?:not|no)\s+(?:an? )?(?:ai|a\.i\.|artificial intelligence|"
               r"robot|bot|machine|computer|recording|virtual assistant|automated)\b"),
)  # fmt: skip

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_DIGIT_WORD_RUN = re.compile(
    r"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,.-]+){6,}"
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\d,$])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d,])"
    r"|(?<![\d,$.])\d{3}[.-]\d{4}(?![\d,])"
    r"|(?<![\d,$.])\d{10,11}(?![\d,])"
)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
_SPOKEN_AT = re.compile(r"\s+at\s+(?=[a-z0-9-]+\s*(?:dot|\.)\s*[a-z]{2,})", re.IGNORECASE)
_SPOKEN_DOT = re.compile(r"\s*\b(?:dot)\b\s*", re.IGNORECASE)
_STREET = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|trail|trl|loop|square|sq"
)
_ADDRESS = re.compile(
    rf"\b(\d{{1,6}})\s+((?:[a-z0-9'.-]+\s+){{1,3}}?)(?:{_STREET})\b\.?", re.IGNORECASE
)
#: "a 15 minute drive" is not an address
_NOT_A_STREET = re.compile(
    r"\b(?:minutes?|hours?|miles?|days?|weeks?|years?|percent|blocks?)\b", re.IGNORECASE
)
_PO_BOX = re.compile(r"\bp\.?\s?o\.?\s+box\s+(\d+)", re.IGNORECASE)


def claims_to_be_human(sentence: str) -> bool:
    low = sentence.lower().replace("’", "'")
    return any(p.search(low) for p in _HUMAN_CLAIMS)


def phones(text: str) -> set[str]:
    """The phone numbers in ``text`` (digits or digit words), by their last seven digits."""
    found = {re.sub(r"\D", "", m.group())[-7:] for m in _PHONE.finditer(text)}
    for m in _DIGIT_WORD_RUN.finditer(text):
        digits = "".join(_DIGIT_WORDS[w.lower()] for w in re.findall(r"[a-z]+", m.group(), re.I))
        found.add(digits[-7:])
    return found


def emails(text: str) -> set[str]:
    """Email addresses, written or spoken ("ann at example dot com")."""
    spoken = _SPOKEN_DOT.sub(".", _SPOKEN_AT.sub("@", text))
    return {m.group().lower().rstrip(".") for m in _EMAIL.finditer(spoken)}


def addresses(text: str) -> set[str]:
    """Street addresses by house number and the street's first word; PO boxes by number."""
    found = {
        f"{m.group(1)} {m.group(2).split()[0].lower().rstrip('.')}"
        for m in _ADDRESS.finditer(text)
        if not _NOT_A_STREET.search(m.group(2))
    }
    found |= {f"po box {m.group(1)}" for m in _PO_BOX.finditer(text)}
    return found


class SpokenGuard:
    """One reply's check: ``check(sentence)`` returns what may be spoken (``None``: nothing).

    ``caller_said`` is everything the caller said in this call (their own details may be
    repeated back to them)."""

    def __init__(self, caller_said: Iterable[str], honest: str = lines.ROBOT) -> None:
        said = " ".join(t for t in caller_said if t)
        self._phones = phones(said)
        self._emails = emails(said)
        self._addresses = addresses(said)
        self._honest = honest
        self.replaced = 0
        self.dropped = 0

    def check(self, sentence: str) -> str | None:
        if claims_to_be_human(sentence):
            self.replaced += 1
            return self._honest if self.replaced == 1 else None
        if self.reveals(sentence):
            self.dropped += 1
            return None
        return sentence

    def reveals(self, sentence: str) -> bool:
        """Contains a phone number, email or address the caller did not say."""
        return bool(
            phones(sentence) - self._phones
            or emails(sentence) - self._emails
            or addresses(sentence) - self._addresses
        )
