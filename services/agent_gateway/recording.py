"""A call's recording, from the end of the call to Supabase Storage, without holding it up.

The audio comes from LiveKit's agent-side recorder on a real call (``session.start(record=…)``:
stereo Ogg/Opus, channel 0 the caller, channel 1 Barbara as played) or, on a simulated (text)
call, from :func:`generated_audio` (a stand-in: tones where each side spoke; the event says
``generated``). Either way :meth:`Recorder.keep` runs after ``calls.<id>.ended`` is out:

1. the file goes into the spool directory with a sidecar (``<call_id>.json``: the object
   path, where the call's clock is in the audio) — from here a crash loses nothing;
2. it is uploaded (upsert: a retry after a lost reply overwrites the same object), retried
   with backoff up to ``attempts`` times;
3. ``RecordingStored`` goes out on ``calls.<id>.recording`` (event id fixed by the call, so a
   repeat is dropped by the stream) and the spool entry is deleted.

What could not be uploaded stays in the spool; :meth:`Recorder.upload_spooled` retries it (the
worker's main process every few minutes, ``equity-connect recordings retry``, and a
simulated call whose own upload went through, once, after it). Nothing here logs a phone
number or what was said.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from nats.aio.client import Client as NATS

from contracts.bus import publish_event
from contracts.calls import RecordingStored
from contracts.conversation import Speaker
from contracts.recordings import (
    CONTENT_TYPE,
    RecordingSettings,
    RecordingStore,
    object_path,
    store_from,
)
from contracts.subjects import CallEventName, call_subject

log = logging.getLogger(__name__)

RATE = 48_000
FRAME = 960  # 20 ms at 48 kHz: what libopus takes
#: a generated line lasts as long as it would take to say, at about this many ms a character
MS_PER_CHAR = 65

Publish = Callable[[RecordingStored], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Spoken:
    """A line of a simulated call: who spoke, when (the call's clock) and how much."""

    speaker: Speaker
    offset_ms: int
    chars: int


def generated_audio(lines: Sequence[Spoken], duration_ms: int) -> bytes:
    """A stand-in recording for a simulated call, in the real one's format (stereo Ogg/Opus,
    48 kHz; channel 0 the caller, channel 1 Barbara): a quiet tone on a speaker's channel from
    each line's offset for as long as the line would take to say (cut at the next line),
    silence elsewhere. Generated, so the event says ``generated``."""
    import av
    import numpy as np

    samples = max(FRAME, RATE * duration_ms // 1000)
    pcm = np.zeros((samples, 2), dtype=np.int16)
    ordered = sorted(lines, key=lambda s: s.offset_ms)
    for i, line in enumerate(ordered):
        start = RATE * max(0, line.offset_ms) // 1000
        end = start + RATE * line.chars * MS_PER_CHAR // 1000
        if i + 1 < len(ordered):
            end = min(end, RATE * ordered[i + 1].offset_ms // 1000)
        end = min(end, samples)
        if end <= start:
            continue
        channel = 0 if line.speaker is Speaker.CALLER else 1
        t = np.arange(end - start) / RATE
        pitch = 220.0 if channel == 0 else 330.0
        pcm[start:end, channel] = (2000 * np.sin(2 * np.pi * pitch * t)).astype(np.int16)
    out_buf = io.BytesIO()
    with av.open(out_buf, "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=RATE, layout="stereo")
        for at in range(0, samples, FRAME):
            chunk = pcm[at : at + FRAME]
            if len(chunk) < FRAME:
                chunk = np.vstack([chunk, np.zeros((FRAME - len(chunk), 2), dtype=np.int16)])
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="stereo")
            frame.sample_rate = RATE
            frame.pts = at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return out_buf.getvalue()


def duration_ms(path: Path) -> int:
    """The audio's length, from the last packet's end (Ogg keeps no duration header)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        end = 0
        for packet in container.demux(stream):
            if packet.pts is not None:
                end = max(end, packet.pts + (packet.duration or 0))
        return int(end * stream.time_base * 1000) if stream.time_base else 0


@dataclass(frozen=True)
class Spooled:
    """A recording waiting in the spool: ``<call_id>.ogg`` and this, as ``<call_id>.json``."""

    call_id: str
    path: str  # the object path in the bucket
    offset_ms: int
    generated: bool

    @classmethod
    def read(cls, sidecar: Path) -> Spooled:
        data = json.loads(sidecar.read_text())
        return cls(call_id=str(data["call_id"]), path=str(data["path"]),
                   offset_ms=int(data["offset_ms"]), generated=bool(data["generated"]))  # fmt: skip

    def write(self, sidecar: Path) -> None:
        tmp = sidecar.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__))
        tmp.replace(sidecar)


class Recorder:
    def __init__(
        self,
        store: RecordingStore,
        publish: Publish,
        spool: Path,
        *,
        attempts: int = 4,
        backoff_s: float = 1.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.store = store
        self.publish = publish
        self.spool = spool
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.sleep = sleep
        # one upload of a spool entry at a time in this process; across processes (a job and
        # the worker's sweep share the spool) a second upload overwrites the same object and
        # its announcement is dropped by the stream (the same event id)
        self._lock = asyncio.Lock()

    async def keep(
        self,
        call_id: str,
        audio: Path | bytes,
        *,
        started_at: datetime,
        offset_ms: int = 0,
        generated: bool = False,
    ) -> bool:
        """Spool the call's audio, then upload it. True once it is stored and announced;
        False when it stays in the spool for a later retry. Never raises for Storage or the
        bus: the call has ended, nothing here may reach the caller."""
        entry = Spooled(call_id, object_path(call_id, started_at.astimezone(UTC)), offset_ms,
                        generated)  # fmt: skip
        await asyncio.to_thread(self._spool, entry, audio)
        return await self._upload(entry)

    async def upload_spooled(self, attempts: int | None = None) -> int:
        """Upload what earlier attempts left in the spool; returns how many went up.
        ``attempts`` per entry (default: the recorder's)."""
        done = 0
        for sidecar in sorted(self.spool.glob("*.json")) if self.spool.exists() else []:
            try:
                entry = Spooled.read(sidecar)
            except (OSError, ValueError, KeyError):
                log.error("recordings: unreadable spool entry %s left in place", sidecar.name)
                continue
            if await self._upload(entry, attempts):
                done += 1
        return done

    def _files(self, call_id: str) -> tuple[Path, Path]:
        return self.spool / f"{call_id}.ogg", self.spool / f"{call_id}.json"

    def _spool(self, entry: Spooled, audio: Path | bytes) -> None:
        self.spool.mkdir(parents=True, exist_ok=True, mode=0o700)
        ogg, sidecar = self._files(entry.call_id)
        if isinstance(audio, bytes):
            tmp = ogg.with_suffix(".part")
            tmp.write_bytes(audio)
            tmp.replace(ogg)
        elif audio.resolve() != ogg.resolve():
            try:
                os.replace(audio, ogg)  # LiveKit deletes its session directory after the job
            except OSError:  # another filesystem
                tmp = ogg.with_suffix(".part")
                tmp.write_bytes(audio.read_bytes())
                tmp.replace(ogg)
        entry.write(sidecar)

    async def _upload(self, entry: Spooled, attempts: int | None = None) -> bool:
        tries = attempts or self.attempts
        async with self._lock:
            ogg, sidecar = self._files(entry.call_id)
            if not sidecar.exists():
                return True  # uploaded meanwhile
            for attempt in range(1, tries + 1):
                if not sidecar.exists():
                    return True  # another process (a job, the sweep) uploaded it meanwhile
                try:
                    event = await self._upload_once(entry, ogg)
                    await self.publish(event)
                except asyncio.CancelledError:
                    raise
                except Exception as err:
                    log.warning(
                        "recordings: %s upload attempt %d/%d failed (%s)",
                        entry.call_id, attempt, tries, type(err).__name__,
                    )  # fmt: skip
                    if attempt < tries:
                        await self.sleep(self.backoff_s * 2 ** (attempt - 1))
                    continue
                ogg.unlink(missing_ok=True)
                sidecar.unlink(missing_ok=True)
                log.info("recordings: %s stored (%d ms)", entry.call_id, event.duration_ms)
                return True
            log.error("recordings: %s left in the spool for a later retry", entry.call_id)
            return False

    async def _upload_once(self, entry: Spooled, ogg: Path) -> RecordingStored:
        data = await asyncio.to_thread(ogg.read_bytes)
        length = await asyncio.to_thread(duration_ms, ogg)
        await self.store.upload(entry.path, data, CONTENT_TYPE)
        return RecordingStored(
            event_id=f"{entry.call_id}.recording",
            call_id=entry.call_id,
            bucket=self.store.bucket,
            path=entry.path,
            content_type=CONTENT_TYPE,
            duration_ms=length,
            offset_ms=entry.offset_ms,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            generated=entry.generated,
        )


def recorder_for(settings: RecordingSettings, spool: Path, nc: NATS) -> Recorder | None:
    """The recorder of a gateway process (None when recordings are off): Storage from the
    settings, ``RecordingStored`` published on the bus connection ``nc``."""
    store = store_from(settings)
    if store is None:
        return None
    js = nc.jetstream()

    async def publish(event: RecordingStored) -> None:
        await publish_event(js, call_subject(event.call_id, CallEventName.RECORDING), event)

    return Recorder(store, publish, spool, attempts=settings.upload_attempts)


async def sweep_spool(
    nc: NATS, *, settings: RecordingSettings, spool: Path, every_s: float = 300.0
) -> Callable[[], Awaitable[None]]:
    """Retry what the spool holds now and every ``every_s`` (the worker's main process:
    a job whose uploads all failed, or that was killed, left it there). Returns ``stop()``."""
    recorder = recorder_for(settings, spool, nc)

    async def loop() -> None:
        while recorder is not None:
            try:
                if (done := await recorder.upload_spooled()) > 0:
                    log.info("recordings: %d spooled recordings uploaded", done)
            except Exception as err:
                log.error("recordings: spool sweep failed (%s); going on", type(err).__name__)
            await asyncio.sleep(every_s)

    task = asyncio.create_task(loop(), name="recordings-spool")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return stop
