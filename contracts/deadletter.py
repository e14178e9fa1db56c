"""Dead letters (``dlq.<original subject>``): a message that can never be processed."""

from __future__ import annotations

from enum import StrEnum

from contracts.base import Message


class DeadLetterKind(StrEnum):
    DECODE = "decode"  # not JSON
    VALIDATION = "validation"  # JSON, but not the contract
    UNHANDLED = "unhandled"  # valid, but the handler can never succeed (e.g. unknown event)
    OVERSIZED = "oversized"  # over the size a contract may have: refused unparsed


#: payloads up to this size are copied into the dead letter; a larger one is referenced
INLINE_PAYLOAD_MAX = 64 * 1024


class DeadLetter(Message, kw_only=True, frozen=True):
    """The reason, who gave up, and the original payload: copied (``payload_encoding``
    ``utf-8``, else ``base64``) when it is at most :data:`INLINE_PAYLOAD_MAX` bytes, else
    ``reference`` — ``payload`` empty, the original found by ``original_stream`` /
    ``original_seq`` and checked by ``payload_sha256`` (a copy of a 900 KB payload, base64,
    would not fit in a NATS message)."""

    original_subject: str
    consumer: str
    kind: DeadLetterKind
    reason: str
    payload: str
    payload_encoding: str = "utf-8"
    original_msg_id: str | None = None
    original_stream: str | None = None
    original_seq: int | None = None
    payload_bytes: int | None = None
    payload_sha256: str | None = None
