"""An email address, typed or spoken ("john dot smith at gmail dot com")."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Heard
from services.dialogue.language.vocabulary import _DIGIT_WORDS
from services.dialogue.speech.numbers import words_to_number

_EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")
_SPOKEN_EMAIL = re.compile(
    r"(?<![\w'])((?:[a-z0-9]\s+)*(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\s+){0,3}[a-z0-9._-]+(?:\s+(?:dot|"
    r"underscore|dash|"
    r"hyphen)\s+[a-z0-9_-]+|"
    r"\s+[a-z0-9](?![\w']))*)\s+at(?: sign| symbol)?\s+((?:[a-z0-9]\s+)*(?:(?!(?:the|my|a|an|our|"
    r"dot)\b)[a-z0-9-]+\s+)?[a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)+)"
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
    "yeah", "okay", "ok", "so", "and", "the", "send", "to", "me", "at", "oh", "please", "put",
    "mine", "use", "write", "down", "you", "can", "could", "just", "well", "um", "uh", "here",
    "email's", "e-mail's", "address's", "that", "be", "would", "should", "will", "try", "got",
    "i've", "i", "have", "a", "an", "one", "new", "thats", "sure,", "of", "course",
    "mail", "by", "via", "on", "in", "for", "then", "is:", "email:",
}  # fmt: skip


def _email(heard: Heard, low: str) -> None:
    """The address said last (a caller who corrects it says the right one last): written,
    spoken ("janet dot marsh at example dot com") or spelled ("M-A-V-I-S at …")."""
    low = _COMMENTARY.sub(" ", low)
    low = _AFTER_DOMAIN.sub(r"\1", low)
    low = _EXPLAINED.sub(" ", low)
    # spelled pieces one after another are one: "t-o-m, n-g-u-y-e-n" → "tomnguyen"
    low = re.sub(r"\b([a-z0-9](?:-[a-z0-9])+)\s*,\s*(?=[a-z0-9](?:-[a-z0-9])+\b)", r"\1-", low)
    low = re.sub(r"\b[a-z0-9](?:-[a-z0-9]\b)+", lambda m: m.group().replace("-", ""), low)
    # letters said one by one: "j, o, a, n, n, e", "n a n a"
    low = re.sub(
        r"(?<![\w'’])[a-z](?:,?\s+[a-z]\b){2,}", lambda m: re.sub(r"[,\s]", "", m.group()), low
    )
    low = re.sub(r"\b([a-z0-9]{2,}),?\s+(?:that'?s|that is|spelled|spelt)\s+(?=\1\b)", "", low)
    # what is said about the letters, not letters: "k, like the letter k", "then the numbers
    # four one", "that's m-c-a-l-l-i-s-t-e-r"
    low = re.sub(
        r",?\s*(?:like|as in|for) (?:the |my )?(?:letter |name )?[a-z]+\b(?: name\b)?", "", low
    )  # "K like the letter k", "Pfeiffer like my name"
    # "nana, then the letter g": the letter belongs to the word before it
    low = re.sub(
        r"\b([a-z0-9]+),?\s+(?:and )?(?:then )?(?:just )?the letter ([a-z])\b", r"\1\2", low
    )
    low = re.sub(
        r",?\s*\b(?:and )?then (?:the )?(?:numbers?|digits?|letters?)\b,?|"
        r",?\s*\bthe (?:numbers?|digits?)\b,?",
        " ",
        low,
    )
    low = re.sub(r",?\s*\bthen\b,?", " ", low)  # "nana, then the letter g, then nineteen fifty"
    low = re.sub(r"(?<=[a-z]),\s+(?=" + _NUMBER_WORD + r"\b|\d)", " ", low)  # "wexler, four seven"
    # a word, then its spelling: "beatriz, b-e-a-t-r-i-z, dot ocampo, o-c-a-m-p-o, at …"
    low = re.sub(
        r"\b(?!(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)([a-z0-9]{2,})"
        r"((?:,?\s+)\1\b)+",
        r"\1",
        low,
    )  # (not "five five": 55)
    low = re.sub(r"\b(dot|underscore|dash|hyphen|at),\s+", r"\1 ", low)
    low = re.sub(r"(?<=[a-z0-9]),\s+(?=(?:dot|at|underscore|dash)\b)", " ", low)
    low = re.sub(r"\b(dot|underscore|dash)\s+([a-z0-9]{2,}),\s+(?=at\b)", r"\1 \2 ", low)
    # "h becker, that's h, b-e-c-k-e-r": what follows "that's" says the address again
    low = re.sub(r",?\s*\bthat'?s\s+(?=[a-z0-9](?:,|\s))", " ", low)
    low = _restated(low)
    low = _ONE_WORD.sub(lambda m: " " + _joined(m.group(1)), low)
    written = list(_EMAIL_RE.finditer(low))
    if written:
        heard.email = written[-1].group(0).rstrip(".")
        return
    said = list(_SPOKEN_EMAIL.finditer(_email_digits(low)))
    if said:
        spoken = said[-1]
        words = spoken.group(1).split()
        intro = [i for i, w in enumerate(words) if w in _INTRODUCES]
        if intro:
            words = words[intro[-1] + 1 :]  # "send the confirmation to annette dot greene"
        while words and words[0] in _EMAIL_LEAD_WORDS:
            words.pop(0)
        user, host = _spoken_address(words), _spoken_address(spoken.group(2).split())
        half = len(user) // 2
        if len(user) % 2 == 0 and half > 2 and user[:half] == user[half:]:
            user = user[:half]  # said, then spelled: "luis ferreira 1950 … luisferreira 1950"
        if user and host:
            heard.email = f"{user}@{host}"


#: what is said about an address, not part of it: "all one word", "no spaces", "all small
#: letters", "no dashes in that one, just the dot between"
_COMMENTARY = re.compile(
    r",?\s*\b(?:(?:it'?s |that'?s )?all (?:lower ?case|small(?: letters)?|in lower ?case)|"
    r"(?:with )?no (?:dashes|dots|caps|capitals)(?: in (?:it|that|between|that one))?(?:,? just "
    r"the \w+ between)?|(?:all )?(?:in )?(?:small|lower ?case|capital) letters|no capitals)\b[,.]?"
)
#: "… at example dot net, all one word": said of the whole address, after it
_AFTER_DOMAIN = re.compile(
    r"(\bdot [a-z]{2,4})[,.]?\s+(?:it'?s |that'?s )?(?:all )?(?:one word|together|no spaces?)"
    r"(?:,?\s+(?:all )?(?:one word|together|no spaces?))*\b"
)
#: the words before it are one: "lillian cho, all one word", "luis ferreira 1950 all together
#: no spaces"
_ONE_WORD = re.compile(
    r"(?<![\w'])((?:(?!(?:at|dot)\b)[a-z0-9]+,? ){0,3}(?!(?:at|dot|all)\b)[a-z0-9]+),?\s+"
    r"(?:(?:it'?s |that'?s )?"
    r"(?:all )?(?:one word|together)|all one|(?:with )?no spaces?)(?:,?\s+(?:all )?(?:one word|"
    r"together|no spaces?))*\b[,.]?"
)
#: a sentence explaining a sign: "that's the little line down low, shift and minus."
_EXPLAINED = re.compile(
    r"[.!?]\s*(?:that'?s|that is|which is|it'?s) (?:the|a|an) (?:little |small |low )?"
    r"(?:line|dash|mark|key|sign|symbol|thing|squiggle|one)\b[^.!?@]*[.!?]"
)


#: the word after which the address itself begins
_INTRODUCES = frozenset({"to", "is", "is:", "it's", "its", "email:", "address:", "mine:"})


def _joined(words: str) -> str:
    """The words of an address said to be one: the lead words ("it's", "email") stay apart."""
    parts = words.replace(",", " ").split()
    lead = []
    while parts and parts[0] in _EMAIL_LEAD_WORDS:
        lead.append(parts.pop(0))
    return " ".join([*lead, "".join(parts)])


def _restated(low: str) -> str:
    """The address said again, as the caller settled it: words whose letters a later word
    spells out ("luis ferreira 1950 … luisferreira 1950") or a run of words said twice
    ("w pruitt. w pruitt", "lillian cho, lillian, cho") are said once, the later way."""
    out: list[str] = []
    for word in low.split():
        bare = word.strip(".,")
        for n in range(min(4, len(out)), 1, -1):
            if len(bare) > 3 and "".join(w.strip(".,") for w in out[-n:]) == bare:
                del out[-n:]
                break
        out.append(word)
        for n in range(1, 5):
            run = [w.strip(".,") for w in out[-n:]]
            if n == 1 and (run[0] in _DIGIT_WORDS or run[0].isdigit() or len(run[0]) < 3):
                continue  # "five five" is 55; "k k" two letters
            if len(out) >= 2 * n and [w.strip(".,") for w in out[-2 * n : -n]] == run:
                del out[-2 * n : -n]
                out[-n:] = [w.strip(",") for w in out[-n:]]  # said once, as one run
                break
    return " ".join(out)


def _said_twice(words: list[str]) -> str | None:
    """A number said, then digit by digit: "forty-two, four two" is 42, not 48."""
    for k in range(1, len(words)):
        tail = words[k:]
        if not all(w in _DIGIT_WORDS for w in tail):
            continue
        head = words_to_number(" ".join(words[:k]))
        digits = "".join(_DIGIT_WORDS[w] for w in tail)
        if head is not None and head >= 10 and str(int(head)) == digits:
            return digits
    return None


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
            number = _said_twice(words) or ""
            if not number:
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
