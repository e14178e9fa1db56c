"""Settings, read in one place: the process environment over a ``.env`` file, typed, and a bad
value refused with one line that names the variable.

Every service's ``Settings.from_env`` reads through :class:`Env`; ``equity-connect`` loads
``.env`` (``EC_ENV_FILE``, else ``./.env``) once at start-up with :func:`load_dotenv`, so the
services it starts see the same values. An empty value means "not set" (``.env.example`` lists
every variable with most of them empty).
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import TypeVar

E = TypeVar("E", bound=Enum)
N = TypeVar("N", int, float)

#: a ``.env`` line longer than this is not a setting
MAX_LINE = 16_384
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting the operator must fix; ``str()`` is one line naming the variable."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


def parse_dotenv(text: str, source: str = ".env") -> dict[str, str]:
    """``KEY=value`` lines (``export`` allowed, ``#`` comments, single or double quotes);
    a malformed line is refused with its line number."""
    out: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_LINE:
            raise SettingsError(f"{source}:{number}", "line too long")
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "").isalnum() or key[0].isdigit():
            raise SettingsError(f"{source}:{number}", "expected KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        out[key] = value
    return out


def dotenv_path() -> Path:
    return Path(os.environ.get("EC_ENV_FILE") or ".env")


def load_dotenv(path: Path | None = None) -> dict[str, str]:
    """Put the file's non-empty values into ``os.environ`` where the environment has none;
    returns what was added. A missing file is not an error; an unreadable one is."""
    path = path or dotenv_path()
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise SettingsError(str(path), f"cannot read ({err.strerror})") from err
    added = {}
    for key, value in parse_dotenv(text, str(path)).items():
        if value and not os.environ.get(key):
            os.environ[key] = added[key] = value
    return added


class Env:
    """Typed reads of one environment; each raises :class:`SettingsError` naming the
    variable."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = os.environ if env is None else env

    def raw(self, name: str) -> str | None:
        value = self._env.get(name)
        return value.strip() if value and value.strip() else None

    def text(self, name: str, default: str = "") -> str:
        return self.raw(name) or default

    def optional(self, name: str) -> str | None:
        return self.raw(name)

    def require(self, name: str) -> str:
        value = self.raw(name)
        if value is None:
            raise SettingsError(name, "is not set")
        return value

    def integer(self, name: str, default: int, *, low: int | None = None,
                high: int | None = None) -> int:  # fmt: skip
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(name, f"expected a whole number, not {value!r}") from None
        return _bounded(name, number, low, high)

    def number(self, name: str, default: float, *, low: float | None = None,
               high: float | None = None) -> float:  # fmt: skip
        value = self.raw(name)
        if value is None:
            return default
        try:
            parsed = float(value)
        except ValueError:
            raise SettingsError(name, f"expected a number, not {value!r}") from None
        if not math.isfinite(parsed):
            raise SettingsError(name, f"expected a finite number, not {value!r}")
        return _bounded(name, parsed, low, high)

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise SettingsError(name, f"expected 1/0, true/false or yes/no, not {value!r}")

    def choice(self, name: str, kind: type[E], default: E) -> E:
        value = self.raw(name)
        if value is None:
            return default
        for member in kind:
            if str(member.value).lower() == value.lower():
                return member
        allowed = ", ".join(str(m.value) for m in kind)
        raise SettingsError(name, f"expected one of {allowed}, not {value!r}")

    def log_level(self, name: str = "EC_LOG_LEVEL", default: str = "WARNING") -> int:
        value = (self.raw(name) or default).upper()
        if value not in LOG_LEVELS:
            raise SettingsError(name, f"expected one of {', '.join(LOG_LEVELS)}, not {value!r}")
        level: int = getattr(logging, value)
        return level

    def names(self) -> Iterator[str]:
        return iter(self._env)


def _bounded(name: str, number: N, low: N | None, high: N | None) -> N:
    if low is not None and high is not None and not low <= number <= high:
        raise SettingsError(name, f"must be between {low} and {high}, not {number}")
    if low is not None and number < low:
        raise SettingsError(name, f"must be at least {low}, not {number}")
    if high is not None and number > high:
        raise SettingsError(name, f"must be at most {high}, not {number}")
    return number
