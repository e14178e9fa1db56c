"""US ZIP code → state: where a caller's ZIP says they live.

What it is for: when a caller says a ZIP but no state, the dialogue and tools know the state
from it, and so the caller's timezone (:data:`contracts.timezones.STATE_TIMEZONES`) and the
broker territory to search. Unlike an area code, a ZIP the caller says is where they live.

The table maps every assigned 3-digit ZIP prefix (a USPS sectional center, "ZIP3") of the 50
states, DC and the territories PR, VI, GU, AS and MP to its USPS code, following the USPS
ZIP3 allocation: a prefix lies within one state, with a few prefixes far from the rest of
their state (005 and 055 are IRS and other bulk addresses of Holtsville NY and Andover MA;
201 is Dulles VA among DC's 200–205; 569 is DC; 733 is Austin TX among Oklahoma's 730–749;
885 is El Paso TX among New Mexico's 870–884). Left out on purpose, so they map to nothing:
the military APO/FPO/DPO prefixes (090–099 AE, 340 AA, 962–966 AP) and the prefixes USPS has
not assigned (000–004, 213, 269, 343, 345, 348, 353, 419, 428, 429, 517–519, 529, 533, 536,
552, 568, 578, 579, 589, 621, 632, 642, 643, 659, 663, 682, 694–699, 702, 709, 715, 732, 742,
771, 817–819, 839, 848, 849, 854, 858, 861, 862, 866–869, 876, 886–888, 892, 896, 899, 909,
929, 987).

Two prefixes hold more than one code, so :func:`zip_state` looks at a few whole ZIPs first:
967 is Hawaii but 96799 is American Samoa, and 969 is Guam but 96950–96952 are the Northern
Mariana Islands; 969's freely associated states (Palau 96939–96940, Micronesia 96941–96944,
Marshall Islands 96960 and 96970) have no code here and map to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# USPS code → its ZIP3 prefixes: single prefixes and inclusive "first-last" runs.
_PREFIXES = {
    "AL": "350-352 354-369",
    "AK": "995-999",
    "AZ": "850-853 855-857 859-860 863-865",
    "AR": "716-729",
    "CA": "900-908 910-928 930-961",
    "CO": "800-816",
    "CT": "060-069",
    "DE": "197-199",
    "DC": "200 202-205 569",
    "FL": "320-339 341 342 344 346 347 349",
    "GA": "300-319 398 399",
    "HI": "967 968",
    "ID": "832-838",
    "IL": "600-620 622-629",
    "IN": "460-479",
    "IA": "500-516 520-528",
    "KS": "660-662 664-679",
    "KY": "400-418 420-427",
    "LA": "700 701 703-708 710-714",
    "ME": "039-049",
    "MD": "206-212 214-219",
    "MA": "010-027 055",
    "MI": "480-499",
    "MN": "550 551 553-567",
    "MS": "386-397",
    "MO": "630 631 633-641 644-658",
    "MT": "590-599",
    "NE": "680 681 683-693",
    "NV": "889-891 893-895 897 898",
    "NH": "030-038",
    "NJ": "070-089",
    "NM": "870-875 877-884",
    "NY": "005 100-149",
    "NC": "270-289",
    "ND": "580-588",
    "OH": "430-459",
    "OK": "730 731 734-741 743-749",
    "OR": "970-979",
    "PA": "150-196",
    "RI": "028 029",
    "SC": "290-299",
    "SD": "570-577",
    "TN": "370-385",
    "TX": "733 750-770 772-799 885",
    "UT": "840-847",
    "VT": "050-054 056-059",
    "VA": "201 220-246",
    "WA": "980-986 988-994",
    "WV": "247-268",
    "WI": "530-532 534 535 537-549",
    "WY": "820-831",
    "PR": "006 007 009",
    "VI": "008",
    "GU": "969",
}

# Whole ZIPs whose code differs from their prefix's (see the module docstring).
_ZIP_OVERRIDES: dict[str, str | None] = {
    "96799": "AS",
    "96950": "MP",
    "96951": "MP",
    "96952": "MP",
    "96939": None,
    "96940": None,
    "96941": None,
    "96942": None,
    "96943": None,
    "96944": None,
    "96960": None,
    "96970": None,
}

_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?")


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for state, spec in _PREFIXES.items():
        for part in spec.split():
            first, _, last = part.partition("-")
            for number in range(int(first), int(last or first) + 1):
                prefix = f"{number:03d}"
                if prefix in table:
                    raise ValueError(f"ZIP3 {prefix} given to {table[prefix]} and {state}")
                table[prefix] = state
    return dict(sorted(table.items()))


#: 3-digit ZIP prefix → USPS state or territory code (read-only).
ZIP3_STATES: Mapping[str, str] = MappingProxyType(_table())


def zip_state(zip_code: str | None) -> str | None:
    """The USPS code of a ZIP (``"98103"``, ``"98103-1234"``, ``"981031234"``); ``None`` for
    malformed input, an unassigned or military prefix, or a ZIP of a place with no code here."""
    match = _ZIP.fullmatch((zip_code or "").strip())
    if match is None:
        return None
    five = match.group(1)
    if five in _ZIP_OVERRIDES:
        return _ZIP_OVERRIDES[five]
    return ZIP3_STATES.get(five[:3])
