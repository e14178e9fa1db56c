"""Standard Webhooks signing and verification (https://www.standardwebhooks.com, spec v1).

A secret is ``whsec_<base64 key>``. The signed content is ``f"{msg_id}.{timestamp}.{body}"``;
the signature is ``v1,<base64(HMAC-SHA256(key, content))>`` in the ``webhook-signature``
header, next to ``webhook-id`` (stable across retries: the receiver's idempotency key) and
``webhook-timestamp`` (unix seconds of the attempt). Several space-separated signatures may be
sent (key rotation); a receiver accepts the message when any one of them matches.
Standard library only, so a receiver can import it without the rest of the project.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time

PREFIX = "whsec_"
TOLERANCE_S = 5 * 60  # the reference libraries' tolerance for the timestamp


class WebhookVerificationError(ValueError):
    """The message is not signed by this secret, or its timestamp is out of tolerance."""


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret; ``ValueError`` when it is not one."""
    if not secret.startswith(PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except binascii.Error as err:
        raise ValueError("a webhook secret is whsec_ then base64") from err
    if not key:
        raise ValueError("an empty webhook secret")
    return key


def new_secret(size: int = 32) -> str:
    """A fresh random secret (the spec asks for 24 to 64 bytes)."""
    return PREFIX + base64.b64encode(secrets.token_bytes(size)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: ``v1,<base64>``."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers of one delivery attempt."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }


def verify(
    secret: str,
    body: bytes,
    received: dict[str, str],
    *,
    now: float | None = None,
    tolerance_s: int = TOLERANCE_S,
) -> None:
    """Raise :class:`WebhookVerificationError` unless ``received`` (header names in lower case)
    carries a valid signature of ``body`` by ``secret`` with a timestamp within tolerance."""
    msg_id = received.get("webhook-id")
    stamp = received.get("webhook-timestamp")
    given = received.get("webhook-signature")
    if not msg_id or not stamp or not given:
        raise WebhookVerificationError("missing webhook headers")
    try:
        timestamp = int(stamp)
    except ValueError as err:
        raise WebhookVerificationError("bad webhook-timestamp") from err
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        raise WebhookVerificationError("webhook-timestamp out of tolerance")
    expected = sign(secret, msg_id, timestamp, body).split(",", 1)[1]
    for candidate in given.split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return
    raise WebhookVerificationError("no matching signature")
