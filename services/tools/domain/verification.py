"""Compare what the caller said with the record, tolerating speech-to-text spelling.

Only field names ever leave this module's callers: never the stored values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

#: Attempts with a mismatch allowed per lead — over all its calls, not per call — before
#: verification is refused; the count forgets failures older than LOCKOUT_S.
MAX_FAILED_ATTEMPTS = 3
LOCKOUT_S = 15 * 60
NAME_SIMILARITY = 0.85
STREET_SIMILARITY = 0.8
IDENTITY_FIELDS = ("first_name", "last_name", "address", "zip")

_STREET_WORDS = {
    "avenue": "ave", "av": "ave", "street": "st", "str": "st", "road": "rd", "drive": "dr",
    "boulevard": "blvd", "lane": "ln", "court": "ct", "place": "pl", "terrace": "ter",
    "circle": "cir", "highway": "hwy", "parkway": "pkwy", "way": "way", "square": "sq",
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw", "apartment": "apt",
    "unit": "apt", "suite": "apt", "number": "", "no": "",
}  # fmt: skip


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def name_matches(said: str, stored: str) -> bool:
    a, b = _plain(said), _plain(stored)
    if not a or not b:
        return False
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return True
    return _similar(a, b) >= NAME_SIMILARITY


#: what callers call themselves → the names on records (both directions are checked)
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "bob": ("robert",), "rob": ("robert",), "bobby": ("robert",), "bert": ("robert", "albert"),
    "bill": ("william",), "will": ("william",), "billy": ("william",), "liam": ("william",),
    "dick": ("richard",), "rick": ("richard",), "rich": ("richard",), "jim": ("james",),
    "jimmy": ("james",), "jamie": ("james",), "jack": ("john",), "johnny": ("john",),
    "mike": ("michael",), "mick": ("michael",), "tom": ("thomas",), "tommy": ("thomas",),
    "ted": ("edward", "theodore"), "ed": ("edward", "edwin", "edmund"), "eddie": ("edward",),
    "ned": ("edward",), "chuck": ("charles",), "charlie": ("charles",), "hank": ("henry",),
    "harry": ("henry", "harold"), "larry": ("lawrence",), "jerry": ("gerald", "jerome"),
    "joe": ("joseph",), "joey": ("joseph",), "peggy": ("margaret",), "meg": ("margaret",),
    "maggie": ("margaret",), "marge": ("margaret", "marjorie"), "betty": ("elizabeth",),
    "beth": ("elizabeth",), "liz": ("elizabeth",), "betsy": ("elizabeth",),
    "libby": ("elizabeth",), "bess": ("elizabeth",), "kate": ("katherine", "catherine"),
    "kathy": ("katherine", "kathleen", "catherine"), "cathy": ("catherine",),
    "kitty": ("katherine", "catherine"), "sue": ("susan", "suzanne"), "susie": ("susan",),
    "patty": ("patricia",), "trish": ("patricia",), "peg": ("margaret",), "polly": ("mary",),
    "molly": ("mary",), "mamie": ("mary",), "nancy": ("ann", "anne"), "annie": ("ann", "anne"),
    "dot": ("dorothy",), "dottie": ("dorothy",), "debbie": ("deborah",), "deb": ("deborah",),
    "sally": ("sarah",), "sadie": ("sarah",), "jenny": ("jennifer",), "jen": ("jennifer",),
    "ginny": ("virginia",), "ginger": ("virginia",), "connie": ("constance",),
    "fran": ("frances", "francis"), "frank": ("francis", "franklin"),
    "al": ("albert", "alan", "alfred"),
    "walt": ("walter",), "wally": ("walter",), "ray": ("raymond",), "ron": ("ronald",),
    "ronnie": ("ronald",), "don": ("donald",), "donnie": ("donald",), "gene": ("eugene",),
    "stan": ("stanley",), "stu": ("stuart",), "ken": ("kenneth",), "kenny": ("kenneth",),
    "len": ("leonard",), "lenny": ("leonard",), "leo": ("leonard",), "vic": ("victor",),
    "tony": ("anthony",), "andy": ("andrew",), "drew": ("andrew",), "greg": ("gregory",),
    "gus": ("augustus", "august"), "fred": ("frederick", "alfred"), "freddie": ("frederick",),
    "herb": ("herbert",), "sam": ("samuel", "samantha"), "ben": ("benjamin",),
    "ernie": ("ernest",), "art": ("arthur",), "artie": ("arthur",), "dave": ("david",),
    "davy": ("david",), "steve": ("steven", "stephen"), "matt": ("matthew",),
    "pete": ("peter",), "phil": ("philip", "phillip"), "doug": ("douglas",), "marty": ("martin",),
    "millie": ("mildred",), "midge": ("margaret",), "trudy": ("gertrude",), "gert": ("gertrude",),
    "winnie": ("winifred",), "bea": ("beatrice",), "lou": ("louis", "louise"),
    "lucy": ("lucille",), "birdie": ("bernice",), "bernie": ("bernard", "bernice"),
}  # fmt: skip
#: a name said as the start of the one on record ("Vince" for "Vincent") needs this many letters
_PREFIX_LETTERS = 3


def first_name_matches(said: str, stored: str) -> bool:
    """A first name as said, by its common short form ("Bob" for "Robert", "Peggy" for
    "Margaret") or the start of the one on record ("Vince" for "Vincent")."""
    if name_matches(said, stored):
        return True
    a, b = _plain(said), _plain(stored)
    if not a or not b or " " in a or " " in b:
        return False
    if b in _NICKNAMES.get(a, ()) or a in _NICKNAMES.get(b, ()):
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= _PREFIX_LETTERS and len(long_) > len(short) and long_.startswith(short)


def zip_matches(said: str, stored: str) -> bool:
    return re.sub(r"\D", "", said)[:5] == re.sub(r"\D", "", stored)[:5] != ""


def _street_tokens(address: str) -> list[str]:
    words = [_STREET_WORDS.get(w, w) for w in _plain(address).split()]
    return [w for w in words if w]


def address_matches(said: str, stored: str) -> bool:
    """Same house number, and the street close enough ("Linden Avenue N" = "Linden Ave N")."""
    a, b = _street_tokens(said), _street_tokens(stored)
    numbers_a = [w for w in a if w.isdigit()]
    numbers_b = [w for w in b if w.isdigit()]
    if not numbers_a or not numbers_b or numbers_a[0] != numbers_b[0]:
        return False
    street_a = " ".join(w for w in a if not w.isdigit())
    street_b = " ".join(w for w in b if not w.isdigit())
    if not street_a or street_a == street_b:
        return True
    return street_b.startswith(street_a) or _similar(street_a, street_b) >= STREET_SIMILARITY


_MATCHERS = {
    "first_name": first_name_matches,
    "last_name": name_matches,
    "address": address_matches,
    "zip": zip_matches,
}


NAMES = ("first_name", "last_name")
PLACES = ("address", "zip")


def proves(matched: set[str], stored: dict[str, str | None]) -> bool:
    """Whether the fields the caller matched prove who they are, against what the record holds.

    More than a first name: the full name, or a name with the ZIP code or street address. A
    record that holds fewer asks for what it has: a single name and nothing else — that name;
    no name — the ZIP code and street (both when it has both); nothing at all — nothing, the
    caller ID alone binds it (there is nothing to reveal)."""
    names = [f for f in NAMES if stored.get(f)]
    places = [f for f in PLACES if stored.get(f)]
    said_names = sum(f in matched for f in names)
    said_places = sum(f in matched for f in places)
    wanted = min(2, len(names) + len(places))
    if names:  # two places are not a name: one name at least, and a second fact when held
        return said_names >= 1 and said_names + said_places >= wanted
    return said_places >= wanted


@dataclass(frozen=True)
class Comparison:
    matched: list[str]
    mismatched: list[str]
    #: fields the caller said that the record has no value for
    unknown: list[str]

    def verified(self, stored: dict[str, str | None]) -> bool:
        """No mismatch, and enough matched to prove who the caller is (:func:`proves`)."""
        return not self.mismatched and proves(set(self.matched), stored)

    def needs(self, stored: dict[str, str | None]) -> list[str]:
        """What the caller could still say (never the values): the fields any one of which
        completes verification with what already matched, else every field on record not yet
        confirmed. Empty once verified, or after a mismatch (that is a failed attempt)."""
        if self.mismatched or self.verified(stored):
            return []
        open_ = [f for f in IDENTITY_FIELDS if stored.get(f) and f not in self.matched]
        done = set(self.matched)
        return [f for f in open_ if proves(done | {f}, stored)] or open_


def compare(said: dict[str, str | None], stored: dict[str, str | None]) -> Comparison:
    matched: list[str] = []
    mismatched: list[str] = []
    unknown: list[str] = []
    for name in IDENTITY_FIELDS:
        value = said.get(name)
        if value is None or not value.strip():
            continue
        on_record = stored.get(name)
        if not on_record:
            unknown.append(name)
        elif _MATCHERS[name](value, on_record):
            matched.append(name)
        else:
            mismatched.append(name)
    return Comparison(matched=matched, mismatched=mismatched, unknown=unknown)
