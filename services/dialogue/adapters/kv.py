"""Per-call dialogue state in a NATS KV bucket, declared in code; writes are revision-checked."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import (
    BucketNotFoundError,
    KeyDeletedError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue

from services.dialogue.ports import StateConflict
from services.dialogue.state import CallState, decode_state, encode_state

BUCKET = "dialogue_calls"
#: A call's state is kept a day after its last turn, then expires.
TTL_S = 24 * 3600.0


async def ensure_bucket(js: JetStreamContext, bucket: str = BUCKET, ttl: float = TTL_S,
                        replicas: int = 1) -> KeyValue:  # fmt: skip
    """Create the bucket if missing; running it again changes nothing."""
    try:
        return await js.key_value(bucket)
    except BucketNotFoundError:
        config = KeyValueConfig(
            bucket=bucket,
            description="Per-call dialogue state (PII; expires).",
            history=1,
            ttl=ttl,
            storage=StorageType.FILE,
            replicas=replicas,
            direct=True,
        )
        return await js.create_key_value(config=config)


class KvStates:
    def __init__(self, kv: KeyValue) -> None:
        self._kv = kv

    async def load(self, call_id: str) -> tuple[CallState, int] | None:
        try:
            entry = await self._kv.get(call_id)
        except (KeyNotFoundError, KeyDeletedError):
            return None
        if entry.value is None or entry.revision is None:
            return None
        return decode_state(entry.value), entry.revision

    async def create(self, state: CallState) -> int:
        try:
            return await self._kv.create(state.call_id, encode_state(state))
        except KeyWrongLastSequenceError as err:
            raise StateConflict(state.call_id) from err

    async def update(self, state: CallState, revision: int) -> int:
        try:
            return await self._kv.update(state.call_id, encode_state(state), last=revision)
        except KeyWrongLastSequenceError as err:
            raise StateConflict(state.call_id) from err
