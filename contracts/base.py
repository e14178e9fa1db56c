"""Base classes and shared field types for every contract.

Versioning rule (see docs/architecture.md): a payload carries ``schema_version``. Adding an
optional field keeps the version; removing or re-typing a field, or adding a required one, is a
new version. Decoders ignore unknown fields, so an older consumer tolerates a newer producer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec

SCHEMA_VERSION = 1

#: Opaque call id: letters, digits, ``_`` or ``-``, at least one letter (so a bare phone
#: number can never be used as a call id and leak into a subject).
CallId = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(?=.*[A-Za-z])[A-Za-z0-9_-]{6,64}$",
        description="Opaque call id (never a phone number); safe as a NATS subject token.",
    ),
]
#: Unique id of one message, used for de-duplication (``Nats-Msg-Id``) and idempotent writes.
EventId = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.:-]{8,128}$", description="Unique message id.")
]
#: A phone number in E.164 form.
E164 = Annotated[
    str, msgspec.Meta(pattern=r"^\+[1-9][0-9]{7,14}$", description="Phone number, E.164.")
]
#: A timezone-aware timestamp (producers write UTC).
UtcDateTime = Annotated[datetime, msgspec.Meta(tz=True, description="Timestamp with timezone.")]
NonNegInt = Annotated[int, msgspec.Meta(ge=0)]
Seq = Annotated[int, msgspec.Meta(ge=0, description="Order within the call, from 0.")]
NonEmptyStr = Annotated[str, msgspec.Meta(min_length=1)]
JsonObject = dict[str, Any]


def new_id(prefix: str = "") -> str:
    """A new unique id; ``prefix`` makes ids readable in logs (``call_…``, ``evt_…``)."""
    return f"{prefix}{uuid.uuid4().hex}"


def new_call_id() -> str:
    return new_id("call_")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Contract(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=False):
    """Base of every payload: frozen, keyword-only, tolerant of unknown fields."""


class Message(Contract, kw_only=True, frozen=True):
    """A message with identity: every event, command, request and reply carries these."""

    event_id: EventId = msgspec.field(default_factory=lambda: new_id("evt_"))
    occurred_at: UtcDateTime = msgspec.field(default_factory=utcnow)
    schema_version: Annotated[int, msgspec.Meta(ge=1)] = SCHEMA_VERSION


class CallEvent(Message, kw_only=True, frozen=True):
    """Something that happened in one call; published on ``calls.<call_id>.<event>``."""

    call_id: CallId
