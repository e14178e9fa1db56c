"""The operator CLI against real, misbehaving infrastructure: `equity-connect call` while NATS
restarts, and `serve` honouring EC_LOG_LEVEL. The real command runs in a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from contracts.bus import connect
from contracts.runtime import Stats
from services.ops.infra import NatsServer
from services.ops.migrate import service_url
from services.ops.seeding import seed_all

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD_S = 60  # not a time goal: past this the command has hung


def cli_env(nats_url: str, db: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    env.update(NATS_URL=nats_url, DATABASE_URL=db, EC_DATA_DIR=str(tmp_path / "data"),
               EC_ENV_FILE=str(tmp_path / "no.env"), **extra)  # fmt: skip
    return env


class Output:
    """A subprocess's stdout, read as it comes."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.text = ""
        self._task = asyncio.create_task(self._read(proc))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        while chunk := await proc.stdout.read(4096):
            self.text += chunk.decode(errors="replace")

    async def until(self, words: str, count: int, limit_s: float = HANG_GUARD_S) -> None:
        for _ in range(int(limit_s * 20)):
            if self.text.count(words) >= count:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"waited for {count}× {words!r}: {self.text[-2000:]}")


@pytest.fixture
async def restartable_nats(tmp_path: Path) -> AsyncIterator[tuple[NatsServer, int]]:
    server = NatsServer(tmp_path / "nats")
    port = server.start()
    try:
        yield server, port
    finally:
        server.stop()


@pytest.fixture
async def stack_on(restartable_nats: tuple[NatsServer, int], db: str) -> AsyncIterator[str]:
    """Persistence, tools and dialogue in-process, each with its own reconnecting connection
    to a NATS the test can restart."""
    from contracts.bus import ensure_streams
    from services.dialogue import bootstrap as dialogue
    from services.persistence import bootstrap as persistence
    from services.persistence.settings import Settings as PersistenceSettings
    from services.tools import bootstrap as tools
    from services.tools.settings import Settings as ToolsSettings

    _, port = restartable_nats
    url = f"nats://127.0.0.1:{port}"
    seed_all(db)
    running: list[tuple[Any, Any]] = []
    admin = await connect(url, "streams")  # the admin declares them; services only use them
    await ensure_streams(admin.jetstream())
    await admin.close()
    conn = await connect(url, "persistence")
    settings = PersistenceSettings(nats_url=url, database_url=service_url(db, "persistence"))
    running.append((await persistence.start(conn, Stats("persistence"), settings), conn))
    conn = await connect(url, "tools")
    tools_settings = ToolsSettings(nats_url=url, database_url=service_url(db, "tools"))
    running.append(((await tools.start(conn, Stats("tools"), tools_settings)).stop, conn))
    conn = await connect(url, "dialogue")
    dialogue_settings = dialogue.Settings.from_env({"NATS_URL": url,
                                                    "EC_DIALOGUE_POLICY": "offline"})  # fmt: skip
    running.append((await dialogue.start(conn, Stats("dialogue"), dialogue_settings), conn))
    try:
        yield url
    finally:
        for stop, c in reversed(running):
            await stop()
            await c.close()


@pytest.mark.slow
@pytest.mark.fault
async def test_a_simulated_call_survives_a_nats_restart_and_is_ended_in_the_record(
    restartable_nats: tuple[NatsServer, int], stack_on: str, db: str, tmp_path: Path
) -> None:
    server, port = restartable_nats
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.ops.cli", "call", "--from", "+12065550177", "--json",
        cwd=tmp_path, env=cli_env(stack_on, db, tmp_path),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stderr is not None
    out = Output(proc)
    try:
        await out.until("Barbara:", 1)  # the greeting
        proc.stdin.write(b"Hi, I got a letter about a reverse mortgage.\n")
        await out.until("Barbara:", 2)
        server.stop()  # down for longer than a few reconnect attempts, as `make down; make up`
        proc.stdin.write(b"What is a reverse mortgage, exactly?\n")
        await asyncio.sleep(3)
        assert server.start(port) == port  # same port, same JetStream store
        await out.until("reverse mortgage is", 1)
        proc.stdin.close()  # the caller hangs up
        code = await asyncio.wait_for(proc.wait(), HANG_GUARD_S)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    errors = (await proc.stderr.read()).decode()
    assert code == 0, errors + out.text[-2000:]
    assert "Traceback" not in errors
    summary = json.loads(out.text.strip().splitlines()[-1])
    assert summary["turns"] == 2 and len(summary["transcript"]) >= 5
    with psycopg.connect(service_url(db, "persistence")) as conn:
        for _ in range(200):
            row = conn.execute("SELECT end_reason::text FROM calls WHERE call_id = %s",
                               (summary["call_id"],)).fetchone()  # fmt: skip
            if row and row[0]:
                break
            await asyncio.sleep(0.05)
    assert row == ("caller_hung_up",)


@pytest.mark.slow
@pytest.mark.parametrize(("level", "verbose", "logs_info"),
                         [("INFO", False, True), ("ERROR", True, False)])  # fmt: skip
async def test_serve_honours_ec_log_level(
    nats_url: str, tmp_path: Path, level: str, verbose: bool, logs_info: bool
) -> None:
    from services.ops.presence import instances

    env = cli_env(nats_url, "postgresql://unused@127.0.0.1:1/unused", tmp_path,
                  EC_LOG_LEVEL=level, EC_DIALOGUE_POLICY="offline")  # fmt: skip
    os.environ["NATS_URL"] = nats_url  # for instances() in this process
    args = ["-v"] if verbose else []
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.ops.cli", *args, "serve", "dialogue", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(HANG_GUARD_S * 10):
            if any(i.pid == proc.pid for i in await instances("dialogue", wait=0.1)):
                break
        else:
            raise AssertionError("the dialogue copy never answered")
    finally:
        proc.send_signal(signal.SIGTERM)
        text, _ = await asyncio.wait_for(proc.communicate(), HANG_GUARD_S)
    assert proc.returncode == 0, text.decode()
    assert (b'"level": "INFO"' in text and b"ready" in text) == logs_info, text.decode()


@pytest.mark.slow
async def test_serve_logs_json_lines_and_answers_http(nats_url: str, tmp_path: Path) -> None:
    """`serve dialogue` with EC_HTTP_PORT=0: the pong names the port it took; /health/live,
    /health/ready and /metrics answer there; every log line is one JSON object."""
    import json
    import urllib.request

    from services.ops.presence import instances

    env = cli_env(nats_url, "postgresql://unused@127.0.0.1:1/unused", tmp_path,
                  EC_LOG_LEVEL="INFO", EC_DIALOGUE_POLICY="offline", EC_HTTP_PORT="0")  # fmt: skip
    os.environ["NATS_URL"] = nats_url  # for instances() in this process
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.ops.cli", "serve", "dialogue", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip

    def get(path: str) -> tuple[int, bytes]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return answer.status, answer.read()

    try:
        for _ in range(HANG_GUARD_S * 10):
            mine = [i for i in await instances("dialogue", wait=0.1) if i.pid == proc.pid]
            if mine:
                break
        else:
            raise AssertionError("the dialogue copy never answered")
        port = mine[0].http_port
        assert port, mine
        assert (await asyncio.to_thread(get, "/health/live"))[0] == 200
        status, body = await asyncio.to_thread(get, "/health/ready")
        assert status == 200 and json.loads(body)["ready"] is True, body
        status, body = await asyncio.to_thread(get, "/metrics")
        assert status == 200 and b"# TYPE ec_turn_latency_seconds histogram" in body
    finally:
        proc.send_signal(signal.SIGTERM)
        text, _ = await asyncio.wait_for(proc.communicate(), HANG_GUARD_S)
    assert proc.returncode == 0, text.decode()
    lines = [json.loads(line) for line in text.decode().splitlines() if line.strip()]
    assert any(r["msg"].endswith("ready") and r["service"] == "dialogue" for r in lines), lines
