"""What confirms who the caller is, beyond their first name: a last name and a street address,
said on their own or in one breath with other facts, and a caller declining to say more."""

from __future__ import annotations

import re

from services.dialogue.language.heard import Expect, Heard
from services.dialogue.language.names import _names, _not_a_name, _title

#: "my last name is Holloway", "the last name's Pruitt", "surname Ng"
_LAST_NAME = re.compile(
    r"\b(?:last|family|sur) ?name(?:'?s| is| was)?[,:]?\s+(?:it'?s\s+)?(?!spelled\b|spelt\b)"
    r"([A-Za-z][A-Za-z'’-]+)",
    re.IGNORECASE,
)
#: a house number, up to four words of street name, a street word, perhaps a direction:
#: "4417 Linden Ave N", "at 212 gulf shore boulevard"
_STREET_TYPES = (
    r"street|st|avenue|ave|av|road|rd|drive|dr|lane|ln|boulevard|blvd|court|ct|place|pl|way|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|trail|trl|loop|square|sq|pike|row"
)
_STREET = re.compile(
    rf"\b(\d{{1,6}})\s+((?:[a-z0-9][a-z0-9'.-]*\s+){{1,4}}?(?:{_STREET_TYPES})\b\.?"
    r"(?:\s+(?:north|south|east|west|northeast|northwest|southeast|southwest|n|s|e|w|ne|nw|se|"
    r"sw)\b)?)",
    re.IGNORECASE,
)
#: the caller would rather not (or cannot) say more about who they are
DECLINES = re.compile(
    r"\b(?:(?:i'?d|i would) rather not|prefer not|rather not|not comfortable|don'?t (?:want|care) "
    r"to (?:give|say|tell|share)|(?:won'?t|will not|not going to|not gonna) (?:give|say|tell|"
    r"share)|none of your business|don'?t (?:remember|recall|know) (?:it|that|"
    r"the|my)|can'?t (?:remember|recall)|not (?:giving|saying|telling))",
    re.IGNORECASE,
)


#: words that are never part of a street's name: "76, I own the place" is an age
_NOT_STREET = frozenset(
    "i im i'm own owned the a an and my our your live lived living in at on of for is it its "
    "it's was we have had been years year old owe owed worth about there here that this to with "
    "but so home house mortgage loan thousand hundred dollars grand k or no yes".split()
)


def street(heard: Heard, said: str, used: list[tuple[int, int]]) -> None:
    """A street address said with its house number ("4417 Linden Avenue North"): its words
    are no name."""
    match = next(
        (m for m in _STREET.finditer(said) if not _NOT_STREET & set(m.group(2).lower().split())),
        None,
    )
    if match is None:
        return
    words = f"{match.group(1)} {match.group(2)}".strip(" .").split()
    heard.address = " ".join(w[:1].upper() + w[1:] for w in words)  # "4417 Linden Ave N"
    used.append(match.span())
    taken = set(heard.address.lower().split())
    if (heard.first_name or "").lower() in taken:
        heard.first_name = heard.last_name = None
    elif (heard.last_name or "").lower() in taken:
        heard.last_name = None


#: one word said on its own, perhaps after "oh" or "it's"
_BARE_WORD = re.compile(
    r"(?:(?:oh|uh|um|well|sure|yes|yeah|okay|ok|it'?s|that'?s|it is)[,.!]?\s+)*"
    r"([a-z][a-z'’-]+)[.!]?"
)
#: a name spelled out letter by letter: "h o l l o w a y", "H-O-L-L-O-W-A-Y"
_SPELLED = re.compile(r"\b(?:[a-z](?:[\s.,-]+|$)){3,}", re.IGNORECASE)


#: a word, then its letters: "Lindqvist, L-I-N-D-Q-V-I-S-T", "Szymanski. That's S-Z-Y-…"
_WORD_SPELLED = re.compile(
    r"\b([A-Za-z][a-z'’-]{2,})[,.]?\s+(?:(?:that'?s|that is|spelled|spelt|it'?s)\s+)?"
    r"((?:[A-Za-z][\s.,-]+){2,}[A-Za-z])\b"
)


def last_name(heard: Heard, raw: str, low: str, expect: Expect) -> None:
    """The last name, said as such anywhere; and, when Barbara asked for the last name or the
    ZIP code, a name said on its own ("Holloway.", "it's holloway", "H-O-L-L-O-W-A-Y"): one
    name alone is the last name, two are the first and last."""
    said = _LAST_NAME.search(raw)
    if said and not _not_a_name(said.group(1)):
        if heard.first_name == _title(said.group(1)):
            heard.first_name = None  # "my last name is Holloway": not a first name
        heard.last_name = _title(said.group(1))
        return
    spelled_out = _SPELLED.search(raw) if expect != Expect.EMAIL else None
    if spelled_out and heard.first_name and not heard.relation:
        letters = re.sub(r"[^A-Za-z]", "", spelled_out.group()).lower()
        if (
            len(letters) >= 3
            and letters != heard.first_name.lower()
            and re.search(rf"\b{letters}\b", low[: spelled_out.start()])
        ):
            # "cleveland brew sard broussard b r o u s s a r d": the word they spelled is the
            # last name, whatever was heard of it before
            heard.last_name = _title(letters)
            return
    if heard.last_name or heard.relation:
        return
    echoed = _WORD_SPELLED.search(raw)
    if echoed and expect != Expect.EMAIL and not _not_a_name(echoed.group(1)):
        letters = re.sub(r"[^A-Za-z]", "", echoed.group(2)).lower()
        if (
            letters == echoed.group(1).lower()
            and echoed.group(1).lower() != (heard.first_name or "").lower()
        ):
            # "Lindqvist, L-I-N-D-Q-V-I-S-T": a name spelled out after it is said, whatever
            # was asked — the surname, unless it is the first name just given
            heard.last_name = _title(echoed.group(1))
            return
    if expect != Expect.IDENTITY:
        return
    if heard.first_name:  # "it's Ostrander": the one name asked for
        heard.first_name, heard.last_name = None, heard.first_name
        return
    spelled = _SPELLED.search(raw)
    if spelled:
        heard.last_name = _title(re.sub(r"[^A-Za-z]", "", spelled.group()).lower())
        return
    first = re.split(r"[.!?,;]", low.strip(), maxsplit=1)[0]  # "Sundquist. And my zip is …"
    bare = _BARE_WORD.fullmatch(low.strip()) or _BARE_WORD.fullmatch(first.strip())
    if bare and not _not_a_name(bare.group(1)):
        # "Henderson.": asked for a last name, a name — even one a town has
        heard.last_name = _title(bare.group(1))
        heard.city = None if (heard.city or "").lower() == bare.group(1) else heard.city
        return
    found = Heard(text=heard.text)
    _names(found, raw, low, Expect.NAME)
    taken = {(heard.city or "").lower(), (heard.state or "").lower()}
    taken |= set((heard.address or "").lower().split())  # "4417 Linden Avenue": a street
    if found.relation or (found.first_name or "").lower() in taken:
        return
    if found.first_name and found.last_name:
        heard.first_name, heard.last_name = found.first_name, found.last_name
    elif found.first_name:
        heard.last_name = found.first_name


#: the person asked for lives elsewhere now: "she sold us the house in 2019", "he moved to
#: Oregon years ago", "we're the new owners"
OWNER_MOVED = re.compile(
    r"\b(?:sold (?:us|me|the (?:house|home|place))|(?:she|he|they)(?:'s| has| have| had)? "
    r"moved\b(?! in with (?:me|us)\b)|(?:we|i)(?:'re| are| am)"
    r" the new (?:owners?|people)|(?:doesn'?t|don'?t|does not|do not|no longer) lives? here|"
    r"(?:we|i) bought (?:the|this) (?:house|home|place) from)",
    re.IGNORECASE,
)
