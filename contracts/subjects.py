"""Every NATS subject, queue group and header name, in one place.

- ``calls.<call_id>.<event>``: everything that happens in a call (JetStream stream CALLS).
  ``calls.>`` is every call, ``calls.<id>.>`` one call, ``calls.*.transcript`` every transcript.
- ``tools.<tool>``: request/reply, one queue group per tool.
- ``store.<query>``: request/reply reads served by persistence, queue group ``store``.
- ``dlq.<original subject>``: dead letters (stream DLQ), deliberately outside ``calls.>``.
Call ids are opaque: phone numbers never appear in a subject.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

CALLS: Final = "calls"
TOOLS: Final = "tools"
STORE: Final = "store"
DLQ: Final = "dlq"

ALL_CALLS: Final = "calls.>"
ALL_DEAD_LETTERS: Final = "dlq.>"

CALLS_STREAM: Final = "CALLS"
DLQ_STREAM: Final = "DLQ"

STORE_QUEUE: Final = "store"

#: Presence: every running copy of every service answers ``ops.ping`` (and
#: ``ops.ping.<service>``) with an ``InstancePong``; ``equity-connect status`` counts copies.
OPS_PING: Final = "ops.ping"


def ops_ping(service: str) -> str:
    return f"{OPS_PING}.{service}"


class CallEventName(StrEnum):
    """The last token of ``calls.<call_id>.<event>``."""

    STARTED = "started"
    TRANSCRIPT = "transcript"
    TURN = "turn"
    REPLY = "reply"
    INTERRUPTED = "interrupted"
    TOOL = "tool"
    STATE = "state"
    OUTCOME = "outcome"
    ENDED = "ended"
    ANALYZED = "analyzed"
    RECORDING = "recording"
    LIVEKIT = "livekit"


class StoreQuery(StrEnum):
    CALLER_CONTEXT = "caller_context"
    TEMPLATE = "template"
    PROMPT = "prompt"
    TRANSCRIPT = "transcript"


class Header:
    """Header names. ``MSG_ID`` is NATS' own de-duplication header."""

    MSG_ID: Final = "Nats-Msg-Id"
    CONTRACT: Final = "Ec-Contract"
    DLQ_REASON: Final = "Ec-Dlq-Reason"
    DLQ_CONSUMER: Final = "Ec-Dlq-Consumer"
    DLQ_ORIGINAL_SUBJECT: Final = "Ec-Dlq-Subject"


_TOKEN = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9_-]{6,64}$")


def call_subject(call_id: str, event: CallEventName | str) -> str:
    """``calls.<call_id>.<event>``; refuses ids that are not opaque, safe subject tokens."""
    if not _TOKEN.match(call_id):
        raise ValueError("call_id must be an opaque token (letters, digits, _ or -)")
    return f"{CALLS}.{call_id}.{CallEventName(event).value}"


def call_wildcard(call_id: str) -> str:
    """Everything about one call: ``calls.<call_id>.>``."""
    if not _TOKEN.match(call_id):
        raise ValueError("call_id must be an opaque token (letters, digits, _ or -)")
    return f"{CALLS}.{call_id}.>"


def every_call(event: CallEventName | str) -> str:
    """One kind of event across all calls, e.g. ``calls.*.transcript``."""
    return f"{CALLS}.*.{CallEventName(event).value}"


def parse_call_subject(subject: str) -> tuple[str, CallEventName]:
    """Split ``calls.<call_id>.<event>``; ``ValueError`` if it is not one."""
    parts = subject.split(".")
    if len(parts) != 3 or parts[0] != CALLS or not _TOKEN.match(parts[1]):
        raise ValueError(f"not a call subject: {subject!r}")
    return parts[1], CallEventName(parts[2])


def tool_subject(tool: str) -> str:
    return f"{TOOLS}.{tool}"


def tool_queue(tool: str) -> str:
    """Queue group per tool, so each tool scales on its own."""
    return f"{TOOLS}.{tool}"


def store_subject(query: StoreQuery | str) -> str:
    return f"{STORE}.{StoreQuery(query).value}"


def dlq_subject(original_subject: str) -> str:
    return f"{DLQ}.{original_subject}"
