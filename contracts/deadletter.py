"""Dead letters (``dlq.<original subject>``): a message that can never be processed."""

from __future__ import annotations

from enum import StrEnum

from contracts.base import Message


class DeadLetterKind(StrEnum):
    DECODE = "decode"  # not JSON
    VALIDATION = "validation"  # JSON, but not the contract
    UNHANDLED = "unhandled"  # valid, but the handler can never succeed (e.g. unknown event)


class DeadLetter(Message, kw_only=True, frozen=True):
    """The reason, who gave up, and the original payload (UTF-8, else base64)."""

    original_subject: str
    consumer: str
    kind: DeadLetterKind
    reason: str
    payload: str
    payload_encoding: str = "utf-8"
    original_msg_id: str | None = None
