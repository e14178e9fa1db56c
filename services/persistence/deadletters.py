"""Dead letters: a message that can never be valid goes to ``dlq.<subject>`` with the reason
and the original payload, then is terminated so it is never redelivered."""

from __future__ import annotations

import base64

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from contracts.bus import publish_event
from contracts.deadletter import DeadLetter, DeadLetterKind
from contracts.subjects import Header, dlq_subject


def dead_letter_for(msg: Msg, consumer: str, kind: DeadLetterKind, reason: str) -> DeadLetter:
    try:
        payload, encoding = msg.data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        payload, encoding = base64.b64encode(msg.data).decode("ascii"), "base64"
    original_id = (msg.headers or {}).get(Header.MSG_ID)
    seq = msg.metadata.sequence.stream if msg.reply else None
    return DeadLetter(
        # stable id: the same poison message dead-lettered twice is stored once
        event_id=f"dlq-{consumer}-{seq}" if seq else f"dlq-{original_id or 'x'}-{len(msg.data)}",
        original_subject=msg.subject,
        consumer=consumer,
        kind=kind,
        reason=reason[:1000],
        payload=payload,
        payload_encoding=encoding,
        original_msg_id=original_id,
    )


async def dead_letter(
    js: JetStreamContext, msg: Msg, consumer: str, kind: DeadLetterKind, reason: str
) -> None:
    letter = dead_letter_for(msg, consumer, kind, reason)
    await publish_event(js, dlq_subject(msg.subject), letter)
    await msg.term()
