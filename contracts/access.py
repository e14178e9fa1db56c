"""Who is on the bus: one NATS identity per service, plus ``engineer`` and ``admin``.

The server side is ``deploy/nats/auth.conf``: a user per identity with publish and subscribe
allow-lists (least privilege; ``tests/test_nats_permissions.py`` checks every allowed operation
works and every forbidden one is denied). The client side is here: an identity's user name is
its value, its password comes from ``EC_NATS_PASSWORD_<IDENTITY>`` (each container gets only its
own; ``equity-connect infra up`` generates all of them for the local server), and its replies
arrive under its own inbox prefix ``_INBOX_<identity>`` so no identity can read another's.

- ``gateway``: the only one that may publish ``calls.*.started|turn|transcript|interrupted|ended``.
- ``dialogue``, ``tools``, ``persistence``: what each service really uses, nothing more.
- ``engineer``: read-only; ``tap`` (``calls.>``, ``dlq.>``), ephemeral consumers, ``status``.
- ``admin``: streams, dead-letter replay, ``store.transcript``; operators' commands and tests.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Identity(StrEnum):
    GATEWAY = "gateway"
    DIALOGUE = "dialogue"
    TOOLS = "tools"
    PERSISTENCE = "persistence"
    ENGINEER = "engineer"
    ADMIN = "admin"

    @property
    def password_env(self) -> str:
        """The variable that holds this identity's password."""
        return f"EC_NATS_PASSWORD_{self.value.upper()}"

    @property
    def inbox_prefix(self) -> str:
        return f"_INBOX_{self.value}"


#: connection names that are a service (or its test double) and the identity they use; any
#: other name is an operator's command or a test harness and connects as ``admin`` (which
#: works only where the admin password is in the environment)
_BY_NAME: tuple[tuple[str, Identity], ...] = (
    ("agent-gateway", Identity.GATEWAY),
    ("gateway", Identity.GATEWAY),
    ("simulated-call", Identity.GATEWAY),
    ("dialogue", Identity.DIALOGUE),
    ("tools", Identity.TOOLS),
    ("persistence", Identity.PERSISTENCE),
    ("tap", Identity.ENGINEER),
    ("engineer", Identity.ENGINEER),
)


def identity_for(name: str) -> Identity:
    """The identity a connection called ``name`` uses: ``tools`` and ``tools-under-test``
    are the tools service, ``tap`` is the engineer; anything else is the admin."""
    for prefix, identity in _BY_NAME:
        if name == prefix or name.startswith(f"{prefix}-"):
            return identity
    return Identity.ADMIN


def connect_options(identity: Identity, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """nats-py ``connect`` keywords for ``identity``: its inbox prefix always, its user and
    password when its password is in the environment (an open server ignores them)."""
    e = os.environ if env is None else env
    options: dict[str, Any] = {"inbox_prefix": identity.inbox_prefix.encode()}
    password = e.get(identity.password_env)
    if password:
        options["user"] = identity.value
        options["password"] = password
    return options


#: what a password may look like: nats-server parses a value it takes from the environment as
#: config (``12-03…`` would be a date, ``1k`` a number), so a letter first, then letters/digits
PASSWORD_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9]{15,}")


def generate_passwords() -> dict[str, str]:
    """A fresh random password for every identity, keyed by its variable (a letter, then 48
    hex digits: never read as anything but a string by nats-server's config parser)."""
    return {identity.password_env: "ec" + secrets.token_hex(24) for identity in Identity}


def badly_shaped(passwords: Mapping[str, str]) -> list[str]:
    """The variables whose value nats-server could misread (see :data:`PASSWORD_SHAPE`)."""
    return sorted(k for k, v in passwords.items() if not PASSWORD_SHAPE.fullmatch(v))


def read_env_file(text: str) -> dict[str, str]:
    """``KEY=value`` lines (``#`` comments and blank lines ignored)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out
