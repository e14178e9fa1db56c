"""Caller scripts for ``equity-connect eval``: the ``call --script`` format plus headers.

One caller line per line (``<silence>`` and ``<hangup>`` allowed); blank lines and ``#``
comments are ignored by the call itself. Eval also reads these comments::

    # from: +12065550123                      the caller's number (area code kept by eval)
    # expect: not_qualified|not_interested age_below_62   outcome(s) [disqualification reason(s)]
    # check: appointment                      one check per line, after the call

A line ``<call>`` ends the current call (the caller hangs up) and starts another from the same
number; ``# expect:`` and ``# check:`` lines belong to the call they appear in. Every call
needs one ``# expect:``; the script needs one ``# from:``. Anything malformed raises
:class:`ScriptError` naming every problem — a check is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from contracts.phone import to_e164
from contracts.tools import ToolName

NEW_CALL = "<call>"
_HEADER = re.compile(r"^#\s*(from|expect|check)\s*:(.*)$", re.IGNORECASE)
_WORD = re.compile(r"^[a-z][a-z0-9_]*$")
_FACT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
#: ``fact zip=98103`` reads ``leads.property_zip``: short names for the property columns.
FACT_ALIASES = {
    "zip": "property_zip",
    "city": "property_city",
    "state": "property_state",
    "address": "property_address",
}


class ScriptError(ValueError):
    """The script cannot be run as written; the message names every problem."""


class CheckKind(StrEnum):
    APPOINTMENT = "appointment"
    NO_APPOINTMENT = "no appointment"
    CANCELLED = "cancelled"
    CALLBACK = "callback"
    DO_NOT_CALL = "do_not_call"
    EMAIL = "email"
    NO_SLOTS = "no slots offered"
    FACT = "fact"
    SAID = "said"
    NOT_SAID = "not said"
    TOOL = "tool"
    NO_TOOL = "no tool"
    #: every time offered fits: ``slots afternoon``, ``slots thu after 13:00``, ``slots not mon``
    SLOTS = "slots"


#: Checks that take an argument, longest prefix first (``not said`` before ``said``).
_WITH_ARGUMENT = (CheckKind.NOT_SAID, CheckKind.NO_TOOL, CheckKind.SAID, CheckKind.TOOL,
                  CheckKind.FACT, CheckKind.SLOTS)  # fmt: skip
_BARE = {k.value: k for k in CheckKind if k not in _WITH_ARGUMENT}


@dataclass(frozen=True)
class Check:
    kind: CheckKind
    #: the lead column (``fact``), the text (``said``), or the tool name (``tool``)
    arg: str = ""
    #: the expected value of a ``fact``
    value: str = ""

    def __str__(self) -> str:
        if self.kind is CheckKind.FACT:
            return f"fact {self.arg}={self.value}"
        if self.kind in (CheckKind.SAID, CheckKind.NOT_SAID):
            return f'{self.kind} "{self.arg}"'
        return f"{self.kind} {self.arg}".strip()


@dataclass(frozen=True)
class Expect:
    outcomes: tuple[str, ...]
    #: empty: any disqualification reason (or none) is fine
    reasons: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "|".join(self.outcomes) + (" " + "|".join(self.reasons) if self.reasons else "")


@dataclass(frozen=True)
class Call:
    lines: tuple[str, ...]
    expect: Expect
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Script:
    name: str
    caller: str
    calls: tuple[Call, ...]

    @property
    def expected(self) -> str:
        return " → ".join(str(c.expect) for c in self.calls)


def parse_expect(text: str) -> Expect:
    """``booked``, ``not_qualified age_below_62``, ``callback_scheduled|booked``."""
    parts = text.split()
    if not parts or len(parts) > 2:
        raise ScriptError(f"# expect: wants OUTCOME[|OUTCOME...] [REASON], not {text!r}")
    outcomes = tuple(parts[0].lower().split("|"))
    reasons = tuple(parts[1].lower().split("|")) if len(parts) == 2 else ()
    bad = [w for w in (*outcomes, *reasons) if not _WORD.match(w)]
    if bad:
        raise ScriptError(f"# expect: {', '.join(map(repr, bad))} is not an outcome or reason")
    return Expect(outcomes, reasons)


def parse_check(text: str) -> Check:
    """One ``# check:`` line; an unknown check word is an error."""
    spoken = " ".join(text.split())
    word = spoken.lower()
    if word in _BARE:
        return Check(_BARE[word])
    for kind in _WITH_ARGUMENT:
        if word.startswith(kind.value + " "):
            return _with_argument(kind, spoken[len(kind.value) :].strip())
    known = ", ".join(k.value + ("" if k in _BARE.values() else " …") for k in CheckKind)
    raise ScriptError(f"unknown check {text.strip()!r} (known: {known})")


def _with_argument(kind: CheckKind, arg: str) -> Check:
    if kind is CheckKind.FACT:
        match = _FACT.match(arg)
        if not match:
            raise ScriptError(f"check fact wants FIELD=VALUE, not {arg!r}")
        field = match.group(1).lower()
        return Check(kind, FACT_ALIASES.get(field, field), _unquote(match.group(2).strip()))
    if kind is CheckKind.SLOTS:
        from services.ops.quality import parse_slots

        parse_slots(arg)  # a bad spec fails the script when it is read
        return Check(kind, arg)
    if kind in (CheckKind.TOOL, CheckKind.NO_TOOL):
        names = {t.value for t in ToolName}
        if arg.lower() not in names:
            raise ScriptError(f"check {kind}: {arg!r} is not a tool ({', '.join(sorted(names))})")
        return Check(kind, arg.lower())
    text = _unquote(arg)
    if not text:
        raise ScriptError(f"check {kind} wants some text")
    return Check(kind, text)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


@dataclass
class _Draft:
    """A call being read: its lines, its ``# expect:`` lines, its checks."""

    lines: list[str]
    expects: list[Expect]
    checks: list[Check]


def parse(text: str, name: str = "script") -> Script:
    """The script's caller, and its calls with their expectations."""
    problems: list[str] = []
    callers: list[str] = []
    drafts = [_Draft([], [], [])]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.lower() == NEW_CALL:
            drafts.append(_Draft([], [], []))
            continue
        if not line.startswith("#"):
            drafts[-1].lines.append(line)
            continue
        header = _HEADER.match(line)
        if header is None:
            continue  # an ordinary comment
        try:
            _header(header.group(1).lower(), header.group(2).strip(), callers, drafts[-1])
        except ValueError as err:
            problems.append(f"line {number}: {err}")
    problems += _missing(callers, drafts)
    if problems:
        raise ScriptError(f"{name}: " + "; ".join(problems))
    calls = tuple(Call(tuple(d.lines), d.expects[0], tuple(d.checks)) for d in drafts)
    return Script(name, callers[0], calls)


def _header(key: str, value: str, callers: list[str], draft: _Draft) -> None:
    if key == "from":
        try:
            callers.append(to_e164(value))
        except ValueError as err:
            raise ScriptError(f"# from: {value!r}: {err}") from None
    elif key == "expect":
        draft.expects.append(parse_expect(value))
    else:
        draft.checks.append(parse_check(value))


def _missing(callers: list[str], drafts: list[_Draft]) -> list[str]:
    problems = []
    if not callers:
        problems.append("no '# from: +1NPANXXXXXX' line")
    elif len(set(callers)) > 1:
        problems.append("more than one '# from:' number")
    for index, draft in enumerate(drafts, start=1):
        which = f"call {index}" if len(drafts) > 1 else "the script"
        if not draft.expects:
            problems.append(f"{which} has no '# expect: OUTCOME' line")
        elif len(draft.expects) > 1:
            problems.append(f"{which} has more than one '# expect:' line")
    return problems


def find_scripts(paths: Iterable[Path]) -> list[tuple[str, Path]]:
    """``(name, path)`` of every ``*.txt`` under each directory (or each file given), sorted;
    the name is the path relative to the directory it was found in."""
    found: list[tuple[str, Path]] = []
    for root in paths:
        if root.is_file():
            found.append((root.name, root))
            continue
        if not root.is_dir():
            raise ScriptError(f"no such directory or file: {root}")
        found += [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*.txt"))]
    return found
