"""A call's recording: the generated audio of a text call, and the spool-then-upload path
(retries, what is left for later, the event) against a unit fake of the Storage protocol.
The real supabase client against the fake Storage server is in tests/test_recording_store.py
and, end to end, tests/gateway/test_recorded_calls.py."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np
import pytest

from contracts.calls import RecordingStored
from contracts.conversation import Speaker
from contracts.recordings import StorageError
from services.agent_gateway.recording import Recorder, Spoken, duration_ms, generated_audio

STARTED = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


class MemoryStore:
    """A unit fake of :class:`contracts.recordings.RecordingStore`: objects in a dict; the
    next ``failures`` uploads raise :class:`StorageError`."""

    bucket = "recordings"

    def __init__(self, failures: int = 0) -> None:
        self.objects: dict[str, bytes] = {}
        self.failures = failures
        self.attempts = 0

    async def upload(self, path: str, data: bytes | Path, content_type: str = "") -> None:
        self.attempts += 1
        if self.failures > 0:
            self.failures -= 1
            raise StorageError("Storage is unavailable", status=503)
        self.objects[path] = data if isinstance(data, bytes) else data.read_bytes()  # noqa: ASYNC240 (a test fake)

    async def signed_url(self, path: str, expires_in_s: int) -> str:
        return f"http://storage.invalid/{path}?expires={expires_in_s}"

    async def remove(self, paths: Sequence[str]) -> None:
        for path in paths:
            self.objects.pop(path, None)


def channels(data: bytes) -> np.ndarray:
    """The decoded audio as (samples, 2) floats."""
    frames = []
    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(audio=0):
            frames.append(frame.to_ndarray().reshape(-1, 2) if frame.format.is_packed
                          else frame.to_ndarray().T)  # fmt: skip
    return np.concatenate(frames).astype(np.float64)


def test_a_text_call_gets_stereo_ogg_opus_with_each_side_on_its_channel() -> None:
    lines = [Spoken(Speaker.AGENT, 0, 20), Spoken(Speaker.CALLER, 1500, 20)]
    data = generated_audio(lines, 3000)
    assert data[:4] == b"OggS"
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "opus"
        assert stream.codec_context.channels == 2 and stream.rate == 48_000
    pcm = channels(data)
    rate = 48_000
    barbara_first = np.abs(pcm[int(0.1 * rate) : int(1.0 * rate)])
    caller_later = np.abs(pcm[int(1.6 * rate) : int(2.5 * rate)])
    assert barbara_first[:, 1].mean() > 10 * max(barbara_first[:, 0].mean(), 1e-6)
    assert caller_later[:, 0].mean() > 10 * max(caller_later[:, 1].mean(), 1e-6)


def test_the_recording_lasts_as_long_as_the_call(tmp_path: Path) -> None:
    path = tmp_path / "call.ogg"
    path.write_bytes(generated_audio([Spoken(Speaker.AGENT, 0, 10)], 4200))
    assert abs(duration_ms(path) - 4200) <= 40


class Published(list[RecordingStored]):
    fail_next = 0

    async def __call__(self, event: RecordingStored) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("bus down")
        self.append(event)


def recorder(store: MemoryStore, published: Published, spool: Path, attempts: int = 3) -> Recorder:
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    made = Recorder(store, published, spool, attempts=attempts, sleep=no_wait)
    made.waits = waits  # type: ignore[attr-defined]
    return made


async def test_a_recording_is_uploaded_then_announced_and_leaves_the_spool(tmp_path: Path) -> None:
    store, published = MemoryStore(), Published()
    audio = generated_audio([Spoken(Speaker.AGENT, 0, 30)], 2000)
    keeper = recorder(store, published, tmp_path / "spool")
    assert await keeper.keep("call_rec0001", audio, started_at=STARTED, offset_ms=-120)
    path = "calls/2026/11/call_rec0001.ogg"
    assert store.objects == {path: audio}
    (event,) = published
    assert event.call_id == "call_rec0001" and event.path == path
    assert event.bucket == "recordings" and event.content_type == "audio/ogg"
    assert event.size_bytes == len(audio) and event.sha256 == hashlib.sha256(audio).hexdigest()
    assert abs(event.duration_ms - 2000) <= 40 and event.offset_ms == -120
    assert event.event_id == "call_rec0001.recording"  # a repeat is dropped by the stream
    assert list((tmp_path / "spool").iterdir()) == []


async def test_a_failed_upload_is_retried_with_backoff(tmp_path: Path) -> None:
    store, published = MemoryStore(failures=2), Published()
    keeper = recorder(store, published, tmp_path / "spool", attempts=4)
    audio = generated_audio([Spoken(Speaker.CALLER, 0, 10)], 1000)
    assert await keeper.keep("call_rec0002", audio, started_at=STARTED)
    assert store.attempts == 3 and len(published) == 1
    assert keeper.waits == [1.0, 2.0]  # type: ignore[attr-defined]


async def test_an_upload_that_keeps_failing_waits_in_the_spool_for_a_later_retry(
    tmp_path: Path,
) -> None:
    audio = generated_audio([Spoken(Speaker.CALLER, 0, 10)], 1000)
    store, published = MemoryStore(failures=10), Published()
    spool = tmp_path / "spool"
    assert not await recorder(store, published, spool).keep("call_rec0003", audio,
                                                             started_at=STARTED)  # fmt: skip
    assert store.attempts == 3 and not published and not store.objects
    assert sorted(p.name for p in spool.iterdir()) == ["call_rec0003.json", "call_rec0003.ogg"]
    # later (the worker's sweep, `equity-connect recordings retry`): Storage is back
    store.failures = 0
    assert await recorder(store, published, spool).upload_spooled() == 1
    assert list(store.objects) == ["calls/2026/11/call_rec0003.ogg"] and len(published) == 1
    assert list(spool.iterdir()) == []
    assert await recorder(store, published, spool).upload_spooled() == 0  # nothing twice


async def test_an_announcement_the_bus_refused_is_retried_with_the_upload(tmp_path: Path) -> None:
    audio = generated_audio([Spoken(Speaker.CALLER, 0, 10)], 1000)
    store, published = MemoryStore(), Published()
    published.fail_next = 1
    assert await recorder(store, published, tmp_path / "spool").keep(
        "call_rec0004", audio, started_at=STARTED
    )
    assert store.attempts == 2 and len(published) == 1  # upsert: the same object again


async def test_a_file_from_livekits_session_directory_is_moved_into_the_spool(
    tmp_path: Path,
) -> None:
    session_dir = tmp_path / "session"
    session_dir.mkdir()
    audio_file = session_dir / "audio.ogg"
    audio_file.write_bytes(generated_audio([Spoken(Speaker.AGENT, 0, 10)], 1000))
    store, published = MemoryStore(failures=10), Published()
    await recorder(store, published, tmp_path / "spool").keep(
        "call_rec0005", audio_file, started_at=STARTED
    )
    assert not audio_file.exists()  # LiveKit deletes its temp directory after the job
    assert (tmp_path / "spool" / "call_rec0005.ogg").exists()


@pytest.mark.parametrize("call_id", ["../etc/passwd", "call id", ""])
async def test_a_call_id_that_is_not_an_id_never_becomes_a_path(
    tmp_path: Path, call_id: str
) -> None:
    with pytest.raises(ValueError):
        await recorder(MemoryStore(), Published(), tmp_path).keep(call_id, b"x", started_at=STARTED)
