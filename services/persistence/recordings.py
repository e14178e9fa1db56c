"""Recordings on the call record: a signed URL for one call, and retention.

The gateway uploads a recording and announces it (``calls.<id>.recording``); the writer puts
its object path, length and offset on the call row (``apply.py``). Here persistence, which owns
that row and the transcripts, reads them back: :func:`signed_url` for ``equity-connect calls
recording ID`` and :func:`apply_retention` for ``equity-connect retention``, which deletes the
recordings and transcripts of calls older than the configured number of days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from contracts.recordings import RecordingStore, StorageError


class NoRecording(LookupError):
    """The call does not exist, or has no recording (not yet uploaded, or deleted)."""


async def signed_url(
    conn: psycopg.AsyncConnection, store: RecordingStore, call_id: str, expires_in_s: int
) -> str:
    cur = await conn.execute(
        "SELECT recording_path, retention_at FROM calls WHERE call_id = %s", (call_id,)
    )
    row = await cur.fetchone()
    if row is None:
        raise NoRecording(f"no call {call_id}")
    path, deleted = row
    if path is None:
        why = "deleted by retention" if deleted else "none uploaded (yet)"
        raise NoRecording(f"call {call_id} has no recording: {why}")
    return await store.signed_url(path, expires_in_s)


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    recordings_deleted: int = 0
    transcript_lines_deleted: int = 0
    calls: int = 0
    #: recordings left because Storage is not configured or refused (retried next run)
    recordings_left: int = 0
    dry_run: bool = False


async def apply_retention(
    conn: psycopg.AsyncConnection,
    store: RecordingStore | None,
    *,
    days: int,
    now: datetime,
    dry_run: bool = False,
    batch: int = 500,
) -> RetentionReport:
    """Delete the recordings (Storage objects first, then the row's reference) and transcript
    lines of calls that started more than ``days`` ago. Idempotent: a second run finds
    nothing. A recording Storage would not delete keeps its reference, so the next run
    tries again; the transcript goes either way."""
    cutoff = now - timedelta(days=days)
    cur = await conn.execute(
        """SELECT c.call_id, c.recording_path FROM calls c
           WHERE c.started_at < %s AND (c.recording_path IS NOT NULL OR EXISTS (
               SELECT 1 FROM transcript_segments t WHERE t.call_id = c.call_id))
           ORDER BY c.started_at""",
        (cutoff,),
    )
    rows: list[tuple[str, str | None]] = list(await cur.fetchall())
    recorded = [(call_id, path) for call_id, path in rows if path]
    if dry_run:
        count = await conn.execute(
            """SELECT count(*) FROM transcript_segments t JOIN calls c USING (call_id)
               WHERE c.started_at < %s""",
            (cutoff,),
        )
        lines = (await count.fetchone() or (0,))[0]
        return RetentionReport(cutoff, len(recorded), lines, len(rows), dry_run=True)
    deleted: list[str] = []
    left = 0
    for start in range(0, len(recorded), batch):
        chunk = recorded[start : start + batch]
        if store is None:
            left += len(chunk)
            continue
        try:
            await store.remove([path for _, path in chunk if path])
        except StorageError:
            left += len(chunk)
            continue
        deleted.extend(call_id for call_id, _ in chunk)
    async with conn.transaction():
        if deleted:
            await conn.execute(
                """UPDATE calls SET recording_path = NULL, recording_bucket = NULL,
                       retention_at = %s WHERE call_id = ANY(%s)""",
                (now, deleted),
            )
        gone = await conn.execute(
            """DELETE FROM transcript_segments t USING calls c
               WHERE t.call_id = c.call_id AND c.started_at < %s""",
            (cutoff,),
        )
        await conn.execute(
            """UPDATE calls SET retention_at = %s
               WHERE started_at < %s AND retention_at IS NULL AND recording_path IS NULL""",
            (now, cutoff),
        )
    return RetentionReport(cutoff, len(deleted), gone.rowcount, len(rows), left)
