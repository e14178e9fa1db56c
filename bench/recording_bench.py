"""Recording benchmark: from the end of a call to its recording announced on the bus.

What runs after ``calls.<id>.ended`` for every call (services/agent_gateway/recording.py):
spool the file, upload it with the real supabase-py client to the FAKE Supabase Storage server
(services/ops/fake_storage.py, on loopback: Storage's own latency and bandwidth are not in
it), publish ``RecordingStored`` to JetStream (a real nats-server). Run:
`.venv/bin/python bench/recording_bench.py` → bench/results/recording.json.

- ``recording_keep_<n>min``: ``Recorder.keep`` for an n-minute call's stereo Ogg/Opus file
  (one file, uploaded ``--count`` times under new call ids), milliseconds.
- ``recording_generate_5min``: generating a 5-minute stand-in recording (text calls only).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import infrastructure, summary, unwind_on_sigterm, write

from contracts.access import Identity
from contracts.base import new_call_id
from contracts.bus import connect, ensure_streams
from contracts.conversation import Speaker
from contracts.recordings import RecordingSettings
from services.agent_gateway.recording import Spoken, generated_audio, recorder_for
from services.ops.fake_storage import FakeStorage

KEY = "bench-key"


def audio_of(minutes: int) -> bytes:
    """A call's worth of audio: the two sides taking turns every 6 s."""
    lines = [Spoken(Speaker.AGENT if i % 2 == 0 else Speaker.CALLER, i * 6000, 80)
             for i in range(minutes * 10)]  # fmt: skip
    return generated_audio(lines, minutes * 60_000)


async def measure(nats_url: str, count: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    admin = await connect(nats_url, "bench-admin", Identity.ADMIN)
    await ensure_streams(admin.jetstream())  # what `infra up` does: services only use them
    await admin.drain()
    started = time.perf_counter()
    five = audio_of(5)
    figures["recording_generate_5min"] = summary([(time.perf_counter() - started) * 1000])
    with tempfile.TemporaryDirectory(prefix="ec-bench-rec-") as tmp:
        storage = FakeStorage(Path(tmp) / "storage", KEY)
        storage.start()
        nc = await connect(nats_url, "gateway-bench")
        try:
            settings = RecordingSettings(supabase_url=storage.url, service_key=KEY)
            recorder = recorder_for(settings, Path(tmp) / "spool", nc)
            assert recorder is not None
            for minutes, audio in ((1, audio_of(1)), (5, five)):
                samples: list[float] = []
                for _ in range(count):
                    began = time.perf_counter()
                    ok = await recorder.keep(new_call_id(), audio, started_at=datetime.now(UTC))
                    assert ok, "an upload to the local fake failed"
                    samples.append((time.perf_counter() - began) * 1000)
                figures[f"recording_keep_{minutes}min"] = summary(samples) | {"bytes": len(audio)}
        finally:
            await nc.drain()
            storage.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30, help="uploads per file size")
    args = parser.parse_args()
    unwind_on_sigterm()
    with infrastructure() as infra:
        figures = asyncio.run(measure(infra.nats_url, args.count))
    path = write("recording", {"figures": figures, "how": __doc__})
    for name, value in figures.items():
        print(f"{name:<28} {value}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
