"""An email address, typed or spoken ("john dot smith at gmail dot com")."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Heard
from services.dialogue.language.vocabulary import _DIGIT_WORDS
from services.dialogue.speech.numbers import words_to_number

_EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")
_SPOKEN_EMAIL = re.compile(
    r"(?<![\w'])((?:[a-z0-9]\s+)*[a-z0-9._-]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9_-]+|"
    r"\s+[a-z0-9](?![\w']))*)\s+at(?: sign| symbol)?\s+((?:[a-z0-9]\s+)*[a-z0-9-]+(?:\s+dot\s+"
    r"[a-z0-9-]+)+)"
)
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|oh)"
)
#: a number said in the name part of an address, with the word before it
_EMAIL_NUMBER = re.compile(
    rf"(?<![\w'-])([a-z0-9._-]+)\s+(\d+|(?!oh\b){_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*)"
    rf"(?=\s+(?:at|dot|underscore|dash|hyphen)\b)"
)
_EMAIL_LEAD_WORDS = {
    "my", "email", "e-mail", "address", "is", "it", "it's", "its", "that's", "sure", "yes",
    "yeah", "okay", "ok", "so", "and", "the", "send", "to", "me", "at", "oh",
}  # fmt: skip


def _email(heard: Heard, low: str) -> None:
    """The address said last (a caller who corrects it says the right one last): written,
    spoken ("janet dot marsh at example dot com") or spelled ("M-A-V-I-S at …")."""
    low = re.sub(r"\b[a-z0-9](?:-[a-z0-9]\b)+", lambda m: m.group().replace("-", ""), low)
    # letters said one by one: "j, o, a, n, n, e", "n a n a"
    low = re.sub(
        r"(?<![\w'’])[a-z](?:,?\s+[a-z]\b){2,}", lambda m: re.sub(r"[,\s]", "", m.group()), low
    )
    low = re.sub(r"\b([a-z0-9]{2,}),?\s+(?:that'?s|that is|spelled|spelt)\s+(?=\1\b)", "", low)
    # what is said about the letters, not letters: "k, like the letter k", "then the numbers
    # four one", "that's m-c-a-l-l-i-s-t-e-r"
    low = re.sub(r",?\s*(?:like|as in) (?:the )?(?:letter )?([a-z])\b", "", low)
    # "nana, then the letter g": the letter belongs to the word before it
    low = re.sub(r"\b([a-z0-9]+),?\s+(?:and )?(?:then )?the letter ([a-z])\b", r"\1\2", low)
    low = re.sub(
        r",?\s*\b(?:and )?then (?:the )?(?:numbers?|digits?|letters?)\b,?|"
        r",?\s*\bthe (?:numbers?|digits?)\b,?",
        " ",
        low,
    )
    low = re.sub(r",?\s*\bthen\b,?", " ", low)  # "nana, then the letter g, then nineteen fifty"
    low = re.sub(r"(?<=[a-z]),\s+(?=" + _NUMBER_WORD + r"\b|\d)", " ", low)  # "wexler, four seven"
    # a word, then its spelling: "beatriz, b-e-a-t-r-i-z, dot ocampo, o-c-a-m-p-o, at …"
    low = re.sub(r"\b([a-z0-9]{2,})((?:,?\s+)\1\b)+", r"\1", low)
    low = re.sub(r"\b(dot|underscore|dash|hyphen|at),\s+", r"\1 ", low)
    low = re.sub(r"(?<=[a-z0-9]),\s+(?=(?:dot|at|underscore|dash)\b)", " ", low)
    low = re.sub(r"\b(dot|underscore|dash)\s+([a-z0-9]{2,}),\s+(?=at\b)", r"\1 \2 ", low)
    written = list(_EMAIL_RE.finditer(low))
    if written:
        heard.email = written[-1].group(0).rstrip(".")
        return
    said = list(_SPOKEN_EMAIL.finditer(_email_digits(low)))
    if said:
        spoken = said[-1]
        words = spoken.group(1).split()
        while words and words[0] in _EMAIL_LEAD_WORDS:
            words.pop(0)
        user, host = _spoken_address(words), _spoken_address(spoken.group(2).split())
        if user and host:
            heard.email = f"{user}@{host}"


def _email_digits(low: str) -> str:
    """Numbers said in an address as digits: "lorraine dot becker fifty-two at gmail dot com"
    → "lorraine dot becker52 at …"; digit by digit, "j smith one nine five two" → "jsmith1952";
    after "dot", "underscore" or "dash" the digits stand alone: "becker dot 52"."""

    def digits(match: re.Match[str]) -> str:
        words = match.group(2).replace("-", " ").split()
        if match.group(2).isdigit():
            number = match.group(2)
        elif all(w in _DIGIT_WORDS for w in words):
            number = "".join(_DIGIT_WORDS[w] for w in words)
        else:
            value = words_to_number(" ".join(words))
            if value is None:
                return match.group()
            number = str(int(value))
        lead = match.group(1)
        if lead.strip() in _EMAIL_LEAD_WORDS or lead.strip() in ("dot", "underscore", "dash",
                                                                  "hyphen"):  # fmt: skip
            return f"{lead} {number}"
        return lead + number

    return _EMAIL_NUMBER.sub(digits, low)


def _spoken_address(words: list[str]) -> str:
    """ "martin dot cole" → "martin.cole"; spelled letters join: "m a r t i n" → "martin"."""
    marks = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
    return "".join(marks.get(w, w) for w in words).strip(".")
