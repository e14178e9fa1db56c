"""Standard Webhooks signing (contracts/webhooks.py): the spec's published test vector, a
round trip, and every way a message must fail verification."""

from __future__ import annotations

import pytest

from contracts.webhooks import (
    WebhookVerificationError,
    headers,
    new_secret,
    secret_key,
    sign,
    verify,
)

# the test vector of the standard-webhooks reference libraries (e.g. python/tests)
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_published_test_vector() -> None:
    assert sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TS, VECTOR_BODY) == VECTOR_SIGNATURE
    received = {"webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TS),
                "webhook-signature": VECTOR_SIGNATURE}  # fmt: skip
    verify(VECTOR_SECRET, VECTOR_BODY, received, now=VECTOR_TS + 10)


def test_round_trip_and_tampering() -> None:
    secret = new_secret()
    assert 24 <= len(secret_key(secret)) <= 64
    body = b'{"type":"call.ended","data":{"call_id":"c-123456"}}'
    sent = headers(secret, "01JEVENT", 1_800_000_000, body)
    assert set(sent) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    verify(secret, body, sent, now=1_800_000_000)
    bad = [
        (secret, body.replace(b"ended", b"start"), sent),  # the body changed
        (new_secret(), body, sent),  # another secret
        (secret, body, {**sent, "webhook-id": "01JOTHER"}),  # another id
        (secret, body, {**sent, "webhook-timestamp": "1800000001"}),  # another time
        (secret, body, {**sent, "webhook-signature": "v2," + sent["webhook-signature"][3:]}),
        (secret, body, {k: v for k, v in sent.items() if k != "webhook-signature"}),
    ]
    for key, content, received in bad:
        with pytest.raises(WebhookVerificationError):
            verify(key, content, received, now=1_800_000_000)


def test_a_stale_or_future_timestamp_is_refused() -> None:
    secret = new_secret()
    sent = headers(secret, "01JEVENT", 1_800_000_000, b"{}")
    verify(secret, b"{}", sent, now=1_800_000_000 + 299)
    for now in (1_800_000_000 + 301, 1_800_000_000 - 301):
        with pytest.raises(WebhookVerificationError, match="tolerance"):
            verify(secret, b"{}", sent, now=now)


def test_any_of_several_signatures_matches_during_key_rotation() -> None:
    old, new = new_secret(), new_secret()
    body = b"{}"
    both = f"{sign(old, 'm', 1, body)} {sign(new, 'm', 1, body)}"
    received = {"webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": both}
    verify(old, body, received, now=1)
    verify(new, body, received, now=1)


@pytest.mark.parametrize("secret", ["", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_!!"])
def test_a_malformed_secret_is_refused(secret: str) -> None:
    with pytest.raises(ValueError):
        secret_key(secret)
