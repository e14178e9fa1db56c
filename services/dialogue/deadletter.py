"""Dead letters: a message that can never be processed goes to ``dlq.<original subject>`` with
the reason and the original payload, then is terminated so it is not redelivered."""

from __future__ import annotations

import base64
import logging

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from contracts import codec
from contracts.deadletter import DeadLetter, DeadLetterKind
from contracts.subjects import Header, dlq_subject

log = logging.getLogger(__name__)


def dead_letter_for(msg: Msg, consumer: str, kind: DeadLetterKind, reason: str) -> DeadLetter:
    try:
        payload, encoding = msg.data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        payload, encoding = base64.b64encode(msg.data).decode("ascii"), "base64"
    try:
        where = f"{msg.metadata.stream}-{msg.metadata.sequence.stream}"
    except Exception:
        where = codec.encode(msg.subject).hex()[:32]
    return DeadLetter(
        event_id=f"dlq-{consumer}-{where}"[:128],
        original_subject=msg.subject,
        consumer=consumer,
        kind=kind,
        reason=reason[:1000],
        payload=payload,
        payload_encoding=encoding,
        original_msg_id=(msg.headers or {}).get(Header.MSG_ID),
    )


async def dead_letter(js: JetStreamContext, msg: Msg, consumer: str, kind: DeadLetterKind,
                      reason: str) -> None:  # fmt: skip
    letter = dead_letter_for(msg, consumer, kind, reason)
    headers = {
        Header.MSG_ID: letter.event_id,
        Header.CONTRACT: "DeadLetter",
        Header.DLQ_REASON: reason[:200].replace("\n", " "),
        Header.DLQ_CONSUMER: consumer,
        Header.DLQ_ORIGINAL_SUBJECT: msg.subject,
    }
    await js.publish(dlq_subject(msg.subject), codec.encode(letter), headers=headers)
    log.warning("dead letter on %s: %s", dlq_subject(msg.subject), kind.value)
    await msg.term()
