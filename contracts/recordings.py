"""Call recordings in Supabase Storage: where an object goes, the settings, and the store.

The gateway uploads a call's recording (stereo Ogg/Opus; ch0 the caller, ch1 Barbara as
played) when the session ends; persistence signs URLs for it (``equity-connect calls
recording ID``, webhooks) and deletes it after the retention period. Both talk to Storage
through :class:`RecordingStore`: :class:`SupabaseRecordingStore` is the real one (supabase-py's
``storage3``); tests and the local stack point it at a local fake Storage server
(:mod:`services.ops.fake_storage`), so the real client runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

CONTENT_TYPE = "audio/ogg"
DEFAULT_BUCKET = "recordings"
_CALL_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


class StorageError(RuntimeError):
    """Storage refused or could not be reached; the message never quotes an object's data."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def object_path(call_id: str, started_at: datetime) -> str:
    """``calls/<yyyy>/<mm>/<call_id>.ogg``: by month (retention and listing), then call id."""
    if not _CALL_ID.match(call_id):
        raise ValueError("a call id is letters, digits, _ and -")
    return f"calls/{started_at:%Y}/{started_at:%m}/{call_id}.ogg"


class RecordingStore(Protocol):
    """One bucket of Storage."""

    bucket: str

    async def upload(self, path: str, data: bytes | Path, content_type: str = CONTENT_TYPE) -> None:
        """Store ``data`` at ``path`` (overwriting: an upload retried after a lost reply is
        not an error). :class:`StorageError` when Storage refuses or is unreachable."""
        ...

    async def signed_url(self, path: str, expires_in_s: int) -> str:
        """An absolute URL anyone may GET for ``expires_in_s`` seconds."""
        ...

    async def remove(self, paths: Sequence[str]) -> None:
        """Delete these objects; one that is already gone is not an error."""
        ...


@dataclass(frozen=True)
class RecordingSettings:
    """``SUPABASE_URL`` + ``SUPABASE_SERVICE_ROLE_KEY`` turn recordings on. Each service's
    own settings read the variables it uses (the gateway uploads, persistence signs and
    deletes), so a container is given only those."""

    supabase_url: str = ""
    service_key: str = field(default="", repr=False)
    bucket: str = DEFAULT_BUCKET
    #: how long a signed URL (CLI, webhooks) stays valid
    url_expiry_s: int = 3600
    #: upload attempts before the file is left in the spool for a later retry
    upload_attempts: int = 4
    #: recordings and transcripts older than this are deleted by ``equity-connect retention``
    retention_days: int = 365

    @property
    def enabled(self) -> bool:
        return bool(self.supabase_url and self.service_key)


def store_from(settings: RecordingSettings) -> RecordingStore | None:
    """The real store for these settings; None when recordings are off."""
    if not settings.enabled:
        return None
    from contracts.storage_supabase import SupabaseRecordingStore

    return SupabaseRecordingStore(settings.supabase_url, settings.service_key, settings.bucket)
