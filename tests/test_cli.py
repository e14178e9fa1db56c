"""The operator CLI as a newcomer meets it: the real command in a subprocess, with nothing
running and with NATS stopped. Nothing hangs (each run has a hang guard far above what a
healthy command needs) and nothing prints a traceback."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from services.ops.cli import DELEGATED, SERVICES, build_parser

ROOT = Path(__file__).resolve().parents[1]
#: not a time goal (those are in `make bench`): a command still running after this has hung
HANG_GUARD_S = 30


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def nothing_running(tmp_path: Path) -> dict[str, str]:
    """An environment with no infrastructure: an empty data dir, no URLs, no .env."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NATS_URL", "DATABASE_URL")
           and (not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_"))}  # fmt: skip
    env["EC_DATA_DIR"] = str(tmp_path / "data")
    env["EC_ENV_FILE"] = str(tmp_path / "no.env")
    return env


@pytest.fixture
def nats_stopped(nothing_running: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """What `make down` leaves: the recorded ports of servers that are no longer there."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    state = {"nats_port": closed_port(), "postgres_port": closed_port()}
    (data / "infra.json").write_text(json.dumps(state))
    return nothing_running


def ec(env: dict[str, str], *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "services.ops.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=HANG_GUARD_S)  # fmt: skip


def one_clear_line(out: subprocess.CompletedProcess[str], *words: str) -> None:
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def commands() -> set[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return set(sub.choices or {})  # type: ignore[arg-type]


def test_top_level_help_lists_every_command(nothing_running: dict[str, str]) -> None:
    out = ec(nothing_running, "--help")
    assert out.returncode == 0
    listed = set(re.findall(r"^    ([a-z]+)\s", out.stdout, re.MULTILINE))
    assert {"kb", "calls", "dlq", "call", "livekit", "health", "serve", "tap"} <= listed
    assert set(DELEGATED) | {"health", "serve", "status", "up", "down"} <= listed
    assert listed == commands()


def test_the_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text()
    rows = set(re.findall(r"^\| `([a-z]+)", readme, re.MULTILINE))
    assert commands() <= rows, f"README lacks {sorted(commands() - rows)}"
    # watching the bus: the project's own command; the `nats` CLI (not installed by the
    # project) only with the server it must be pointed at, whose port is random
    assert "equity-connect tap" in readme
    for line in re.findall(r"`nats [^`]*`", readme):
        assert "--server" in line, line
    assert "infra status" in readme


@pytest.mark.parametrize("command", sorted(DELEGATED))
def test_every_command_answers_help_with_nothing_running(
    nothing_running: dict[str, str], command: str
) -> None:
    out = ec(nothing_running, command, "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"usage: equity-connect {command}")
    assert "infrastructure is not running" not in out.stdout + out.stderr
    # the command's own name is not a positional argument it asks for again
    usage = out.stdout.split("\n\n", 1)[0].removeprefix(f"usage: equity-connect {command}")
    assert not re.search(rf"(^|\s){command}(\s|$)", usage), usage
    assert not re.search(rf"^  {command}\s*$", out.stdout, re.MULTILINE), out.stdout


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_serve_help_needs_nothing_running(nothing_running: dict[str, str], service: str) -> None:
    out = ec(nothing_running, "serve", service, "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"usage: equity-connect serve {service}")


def test_commands_that_need_the_infrastructure_say_so(nothing_running: dict[str, str]) -> None:
    for args in (["dlq", "list"], ["calls", "list"], ["status"], ["health", "tools"],
                 ["call", "--from", "+12065550199"], ["kb", "search", "taxes"],
                 ["eval"]):  # fmt: skip
        out = ec(nothing_running, *args)
        if args == ["status"]:
            assert out.returncode == 1 and "stopped" in out.stdout
            assert "infrastructure is not running" in out.stdout
            continue
        one_clear_line(out, "infrastructure is not running", "infra up")


def test_status_says_nats_is_down_instead_of_retrying(nats_stopped: dict[str, str]) -> None:
    out = ec(nats_stopped, "status")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "nats         stopped" in out.stdout
    assert "NATS is not reachable" in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["dlq", "list"],
        ["health", "dialogue"],
        ["tap", "--limit", "1"],
        ["call", "--from", "+12065550199"],
        ["eval"],
    ],
    ids=lambda a: a[0],
)
def test_bus_commands_fail_at_once_when_nats_is_down(
    nats_stopped: dict[str, str], args: list[str]
) -> None:
    one_clear_line(ec(nats_stopped, *args), "NATS is not reachable")


def test_infra_up_with_a_stale_nats_url_says_so(nothing_running: dict[str, str]) -> None:
    env = {**nothing_running, "NATS_URL": f"nats://127.0.0.1:{closed_port()}"}
    env["DATABASE_URL"] = os.environ.get("EC_TEST_NEVER_SET", "")  # the project's own Postgres
    env.pop("DATABASE_URL")
    out = ec(env, "infra", "up")
    try:
        one_clear_line(out, "NATS is not reachable", env["NATS_URL"])
    finally:
        ec(env, "infra", "down")


@pytest.mark.parametrize(
    ("service", "variable", "value", "words"),
    [
        ("tools", "EC_TOOLS_MAX_IN_FLIGHT", "abc", "expected a whole number, not 'abc'"),
        ("tools", "EC_TOOLS_EMBEDDER", "magic", "expected one of onnx, openai, hash"),
        ("persistence", "EC_PERSISTENCE_BATCH_SIZE", "0", "must be at least 1"),
        ("dialogue", "EC_DIALOGUE_TOOL_TIMEOUT_S", "soon", "expected a number"),
        ("dialogue", "EC_LOG_LEVEL", "LOUD", "expected one of DEBUG"),
        ("dialogue", "EC_STREAM_REPLICAS", "three", "whole number"),
        ("gateway", "EC_GATEWAY_FILLER_MS", "fast", "expected a number"),
        ("tools", "EC_CPU_NICE", "25", "between 0 and 19"),
    ],
)
def test_a_bad_setting_is_one_clear_line_naming_the_variable(
    nats_stopped: dict[str, str], service: str, variable: str, value: str, words: str
) -> None:
    # settings are checked before anything connects: NATS being down does not matter here
    livekit = {"LIVEKIT_URL": "ws://127.0.0.1:1", "LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": "s"}
    env = {**nats_stopped, **livekit, variable: value}
    one_clear_line(ec(env, "serve", service), f"error: {variable}: ", words)


def test_settings_come_from_dotenv_and_the_environment_wins(
    nats_stopped: dict[str, str], tmp_path: Path
) -> None:
    dotenv = tmp_path / "project"
    dotenv.mkdir()
    (dotenv / ".env").write_text("# a user's .env\nEC_TOOLS_MAX_IN_FLIGHT=abc\nNATS_URL=\n")
    env = {k: v for k, v in nats_stopped.items() if k != "EC_ENV_FILE"}
    one_clear_line(ec(env, "serve", "tools", cwd=dotenv), "EC_TOOLS_MAX_IN_FLIGHT")
    # the environment wins over the file: now the tools service gets past its settings and
    # stops at the next thing it needs
    out = ec({**env, "EC_TOOLS_MAX_IN_FLIGHT": "8", "EC_TOOLS_DATABASE_URL": ""}, "serve",
             "tools", cwd=dotenv)  # fmt: skip
    assert "EC_TOOLS_MAX_IN_FLIGHT" not in out.stderr and "Traceback" not in out.stderr


def test_a_malformed_dotenv_line_is_refused_with_its_line_number(
    nothing_running: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.env"
    bad.write_text("NATS_URL=\nthis is not a setting\n")
    one_clear_line(ec({**nothing_running, "EC_ENV_FILE": str(bad)}, "status"), "bad.env:2")


def test_a_copy_of_env_example_is_accepted_by_every_service() -> None:
    from contracts.bus import stream_specs
    from contracts.settings import parse_dotenv
    from services.agent_gateway.settings import Settings as Gateway
    from services.dialogue.bootstrap import Settings as Dialogue
    from services.persistence.settings import Settings as Persistence
    from services.tools.settings import Settings as Tools

    env = parse_dotenv((ROOT / ".env.example").read_text(), ".env.example")
    env |= {"NATS_URL": "nats://127.0.0.1:4222", "EC_PERSISTENCE_DATABASE_URL": "postgresql://x"}
    assert Tools.from_env(env).max_in_flight == int(env["EC_TOOLS_MAX_IN_FLIGHT"])
    assert Persistence.from_env(env).batch_size == int(env["EC_PERSISTENCE_BATCH_SIZE"])
    assert Dialogue.from_env(env).intake.pull_loops == int(env["EC_DIALOGUE_PULL_LOOPS"])
    assert Gateway.from_env(env).timing.filler_after_s * 1000 == float(env["EC_GATEWAY_FILLER_MS"])
    assert len(stream_specs(env)) >= 2
