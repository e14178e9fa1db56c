"""Phone numbers to E.164: one rule wherever a number enters (gateway, ``call`` CLI, tools).

US/Canada numbers may come in any common format; anything else needs its country code
(``+44 …`` or ``0044 …``). The result always satisfies :data:`contracts.base.E164`.
"""

from __future__ import annotations

import re

_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def to_e164(raw: str, default_country: str = "1") -> str:
    """``"(206) 555-0231"``, ``"206-555-0231"``, ``"1 206 555 0231"`` → ``"+12065550231"``.

    Raises ``ValueError`` for anything that is not a plausible phone number, including a North
    American number that is not ten digits or whose area code starts with 0 or 1.
    """
    text = raw.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        candidate = "+" + digits
    elif text.startswith("00"):
        candidate = "+" + digits[2:]
    elif len(digits) == 10 and default_country == "1":
        candidate = "+1" + digits
    elif len(digits) == 11 and digits.startswith("1") and default_country == "1":
        candidate = "+" + digits
    else:
        raise ValueError("not a phone number we can dial")
    if not _E164.match(candidate):
        raise ValueError("not a phone number we can dial")
    if candidate.startswith("+1") and (len(candidate) != 12 or candidate[2] in "01"):
        raise ValueError("not a valid North American number")
    return candidate


def e164_or_none(raw: object) -> str | None:
    """:func:`to_e164`, or ``None`` for a missing, non-text or implausible number."""
    if not isinstance(raw, str):
        return None
    try:
        return to_e164(raw)
    except ValueError:
        return None
