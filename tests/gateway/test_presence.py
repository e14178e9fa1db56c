"""The gateway is a service like the others: the real LiveKit worker (`equity-connect serve
gateway start`, as compose and `up` run it), registered with a fake LiveKit server, answers
presence on the bus from its main process — ready while registered, with its calls in progress
and handled — and stops answering when it stops."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from contracts.ops import InstancePong
from services.ops.infra import free_port
from services.ops.presence import instances
from tests.gateway.fake_livekit import KEY, SECRET, FakeLiveKit

pytestmark = pytest.mark.slow

#: ``start`` mode: the worker's own HTTP health server listens on this port
WORKER_HTTP_PORT = 8081


@dataclass
class Gateway:
    proc: asyncio.subprocess.Process
    env: dict[str, str]
    log: Path

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
async def gateway(
    livekit: FakeLiveKit, nats_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Gateway]:
    with socket.socket() as probe:
        try:
            probe.bind(("", WORKER_HTTP_PORT))
        except OSError:
            pytest.fail(f"port {WORKER_HTTP_PORT} is taken: the worker (start mode) needs it")
    monkeypatch.setenv("NATS_URL", nats_url)  # for instances()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EC_", "LIVEKIT_")) or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {
        "LIVEKIT_URL": livekit.url,
        "LIVEKIT_API_KEY": KEY,
        "LIVEKIT_API_SECRET": SECRET,
        "NATS_URL": nats_url,
        "EC_DATA_DIR": str(tmp_path / "data"),
        "EC_GATEWAY_WEBHOOK_PORT": str(free_port()),  # LiveKit's webhooks
    }
    log = tmp_path / "gateway.log"
    with open(log, "wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.ops.cli", "serve", "gateway", "start",
            env=env, stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        yield Gateway(proc, env, log)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: the worker and its jobs
                await proc.wait()


async def pong_when(
    check: Callable[[list[InstancePong]], bool], gw: Gateway, limit_s: float = 60.0
) -> list[InstancePong]:
    deadline = time.monotonic() + limit_s
    while True:
        found = await instances("gateway", wait=0.3)
        if check(found):
            return found
        assert gw.proc.returncode is None, f"the gateway exited:\n{gw.logs()}"
        assert time.monotonic() < deadline, f"last pongs: {found}\n{gw.logs()}"
        await asyncio.sleep(0.2)


async def health(gw: Gateway, *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.ops.cli", *(args or ("health", "gateway")),
        env=gw.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode()


async def webhooks_answer(gw: Gateway) -> None:
    """The worker's main process serves LiveKit's webhooks: signed → 200, unsigned → 401."""
    from tests.gateway.test_webhooks import Receiver, event, sign

    receiver = Receiver(int(gw.env["EC_GATEWAY_WEBHOOK_PORT"]))
    body = event("participant_joined", "RM_presence1")
    assert (await receiver.post(body, sign(body)))[0] == 200
    assert (await receiver.post(body, None))[0] == 401


def ready(found: list[InstancePong]) -> bool:
    return len(found) == 1 and found[0].ready


async def test_the_worker_answers_while_it_runs_ready_while_registered(
    gateway: Gateway, livekit: FakeLiveKit
) -> None:
    await livekit.wait_for_worker()
    (pong,) = await pong_when(ready, gateway)
    first = pong.instance_id
    assert pong.service == "gateway"
    assert pong.pid == gateway.proc.pid, "the worker's main process answers, not a job process"
    assert (pong.in_flight, pong.handled) == (0, 0)
    code, out = await health(gateway)
    assert code == 0 and "gateway: 1 running" in out, out
    code, out = await health(gateway, "status")
    assert "gateway      1 copy answering" in out and "1 ready (registered with LiveKit)" in out
    await webhooks_answer(gateway)

    # LiveKit goes away: the worker keeps answering, not ready, until it registers again
    livekit.accept_workers = False
    await livekit.drop_workers()
    (pong,) = await pong_when(lambda found: len(found) == 1 and not found[0].ready, gateway)
    assert pong.instance_id == first
    code, out = await health(gateway)
    assert code == 1 and "none ready" in out, out
    livekit.accept_workers = True
    await livekit.wait_for_worker()
    await pong_when(ready, gateway)

    gateway.proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(gateway.proc.wait(), 60) == 0, gateway.logs()
    assert await instances("gateway", wait=0.5) == []
    code, out = await health(gateway)
    assert code == 1 and "no running copy answered" in out, out


async def test_calls_in_progress_and_handled_and_a_drain_answers_until_the_last_call_ends(
    gateway: Gateway, livekit: FakeLiveKit
) -> None:
    worker = await livekit.wait_for_worker()
    await pong_when(ready, gateway)

    # a call: the job's room connection is held (in progress), then fails and the job ends
    livekit.media_released.clear()
    await livekit.offer_job(worker)
    (pong,) = await pong_when(lambda found: len(found) == 1 and found[0].in_flight == 1, gateway)
    assert pong.handled == 0 and pong.ready
    livekit.media_released.set()
    (pong,) = await pong_when(lambda found: len(found) == 1 and found[0].handled == 1, gateway)
    assert pong.in_flight == 0

    # SIGTERM with a call in progress: draining (not ready), answering until the call ends
    livekit.media_released.clear()
    await livekit.offer_job(worker)
    await pong_when(lambda found: len(found) == 1 and found[0].in_flight == 1, gateway)
    gateway.proc.send_signal(signal.SIGTERM)
    (pong,) = await pong_when(lambda found: len(found) == 1 and not found[0].ready, gateway)
    assert (pong.in_flight, pong.handled) == (1, 1)
    livekit.media_released.set()
    assert await asyncio.wait_for(gateway.proc.wait(), 60) == 0, gateway.logs()
    assert await instances("gateway", wait=0.5) == []
