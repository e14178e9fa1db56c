"""`equity-connect infra up|down|status` as a user runs it: real processes, real ports."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from services.ops.infra import PostgresCluster, free_port

EC = [sys.executable, "-m", "services.ops.cli"]


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private data dir, and no NATS_URL / DATABASE_URL: the project starts its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
    env["EC_DATA_DIR"] = str(tmp_path / "data")
    yield env
    subprocess.run([*EC, "infra", "down"], env=env, capture_output=True, timeout=60)


def ec(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EC, *args], env=env, capture_output=True, text=True, timeout=120)


def urls(out: str) -> dict[str, str]:
    return dict(line.split(None, 1) for line in out.strip().splitlines())


@pytest.mark.slow
def test_infra_survives_down_and_up_with_data_intact(env: dict[str, str]) -> None:
    first = ec(env, "infra", "up")
    assert first.returncode == 0, first.stderr
    again = ec(env, "infra", "up")  # idempotent: same servers, same ports
    assert urls(again.stdout) == urls(first.stdout)
    status = ec(env, "infra", "status").stdout
    assert "nats      running" in status and "postgres  running" in status
    state = json.loads((Path(env["EC_DATA_DIR"]) / "infra.json").read_text())
    assert urls(first.stdout)["nats"] == f"nats://127.0.0.1:{state['nats_port']}"
    assert f":{state['postgres_port']}/" in urls(first.stdout)["postgres"]
    cluster = PostgresCluster(Path(env["EC_DATA_DIR"]) / "postgres")
    password = cluster.password()
    assert password and password not in first.stdout + first.stderr, "never printed"
    assert ec(env, "migrate").returncode == 0
    db = cluster.admin_url(state["postgres_port"])
    # the local server runs with the shipped permissions: the admin's password is in its dir
    as_admin = (
        "import asyncio, os, pathlib\n"
        "from services.ops.infra import NatsServer\n"
        "from contracts.bus import connect\n"
        f"os.environ.update(NatsServer(pathlib.Path({env['EC_DATA_DIR']!r}) / 'nats')"
        ".credentials())\n"
    )
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO tools.leads (id, phone) VALUES (gen_random_uuid(), '+12065550299')"
        )
    publish = (
        f"{as_admin}"
        "async def main(url):\n"
        "    nc = await connect(url, 'admin'); js = nc.jetstream()\n"
        "    await js.publish('calls.call_keepme.started', b'{}'); await nc.close()\n"
        f"asyncio.run(main({urls(first.stdout)['nats']!r}))\n"
    )
    subprocess.run([sys.executable, "-c", publish], check=True, timeout=30, env=env)

    assert ec(env, "infra", "down").returncode == 0
    assert "stopped" in ec(env, "infra", "status").stdout
    restarted = ec(env, "infra", "up")
    assert restarted.returncode == 0, restarted.stderr
    assert urls(restarted.stdout) == urls(first.stdout)
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT phone FROM tools.leads").fetchall() == [("+12065550299",)]
    check = (
        f"{as_admin}"
        "async def main(url):\n"
        "    nc = await connect(url, 'admin'); js = nc.jetstream()\n"
        "    m = await js.get_last_msg('CALLS', 'calls.call_keepme.started'); print(m.seq)\n"
        "    await nc.close()\n"
        f"asyncio.run(main({urls(first.stdout)['nats']!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=30, env=env
    )
    assert out.stdout.strip() == "1", out.stderr
    assert ec(env, "migrate").stdout.strip() == "migrations: up to date"


def _one_clear_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in result.stderr


def test_a_busy_port_ends_with_one_clear_line(env: dict[str, str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env["EC_NATS_PORT"] = str(busy.getsockname()[1])
        _one_clear_line(ec(env, "infra", "up"), "already taken")


def test_a_missing_binary_ends_with_one_clear_line(env: dict[str, str]) -> None:
    env["EC_NATS_SERVER"] = "/nonexistent/nats-server"
    _one_clear_line(ec(env, "infra", "up"), "nats-server not found")


def test_a_bad_database_url_ends_with_one_clear_line(env: dict[str, str]) -> None:
    env["DATABASE_URL"] = f"postgresql://nobody@127.0.0.1:{free_port()}/nowhere"
    _one_clear_line(ec(env, "infra", "up"), "cannot connect to the database")


def test_commands_before_infra_up_say_what_to_do(env: dict[str, str]) -> None:
    _one_clear_line(ec(env, "migrate"), "equity-connect infra up")


def test_status_with_nothing_running(env: dict[str, str]) -> None:
    out = ec(env, "infra", "status")
    assert out.returncode == 0
    assert "nats      stopped" in out.stdout and "postgres  stopped" in out.stdout


def nice_after(service: str, value: str) -> subprocess.CompletedProcess[str]:
    code = ("from services.ops.cli import lower_priority; import os; b = os.nice(0); "
            f"lower_priority({service!r}); print(os.nice(0) - b)")  # fmt: skip
    env = {**os.environ, "EC_CPU_NICE": value}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_persistence_runs_at_a_lower_cpu_priority_unless_told_otherwise() -> None:
    assert nice_after("persistence", "").stdout.strip() == "10"
    assert nice_after("dialogue", "").stdout.strip() == "0"
    assert nice_after("persistence", "0").stdout.strip() == "0"
    assert nice_after("dialogue", "7").stdout.strip() == "7"


def test_a_bad_cpu_priority_is_refused_with_one_clear_line() -> None:
    for value, words in (("high", "whole number"), ("25", "between 0 and 19")):
        out = nice_after("tools", value)
        assert out.returncode == 1 and out.stdout == ""
        assert out.stderr.strip().startswith("error: EC_CPU_NICE") and words in out.stderr
        assert "Traceback" not in out.stderr
