"""Every caller script in tests/conversations/ (format: its README.md), through the same code
as ``equity-connect eval``: the gateway's session code in text mode against persistence, tools
and dialogue (offline policy) running in-process on the test NATS and Postgres.

One stack serves the whole module (it only takes new calls; every script calls from fresh
numbers, so scripts cannot see each other's leads, appointments or memory)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from contracts.bus import connect, ensure_streams, stream_specs
from services.ops.evaluate import Suite, Table
from services.ops.inprocess import services_running
from services.ops.migrate import service_url
from services.ops.seeding import seed_all

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent / "conversations"
SCRIPTS = sorted(HERE.rglob("*.txt"))
#: scripts known to fail today, one per line with the reason (`PATH  reason`): each is a gap
#: in Barbara's understanding still to close, reported as xfail so the gap stays visible
PENDING_FILE = HERE / "PENDING"


def _pending() -> dict[str, str]:
    if not PENDING_FILE.exists():
        return {}
    out: dict[str, str] = {}
    for line in PENDING_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip() or "known gap"
    return out


PENDING = _pending()


def _params() -> list[object]:
    out: list[object] = []
    for path in SCRIPTS:
        name = path.relative_to(HERE).as_posix()
        marks = [pytest.mark.xfail(reason=PENDING[name], strict=False)] if name in PENDING else []
        out.append(pytest.param(path, id=name, marks=marks))
    return out


@pytest.fixture(scope="module")
async def conversations(nats_url: str, admin_db_url: str) -> AsyncIterator[Suite]:
    """Fresh streams, the seed data, and the three services for the module's lifetime."""
    nc = await connect(nats_url, "conversations")
    js = nc.jetstream()
    for spec in stream_specs():
        try:
            await js.delete_stream(spec.name)
        except Exception:
            pass
    await ensure_streams(js)
    seed_all(admin_db_url)
    try:
        async with services_running(nats_url, admin_db_url, {"EC_DIALOGUE_POLICY": "offline"}):
            yield Suite(nc, service_url(admin_db_url, "tools"))
    finally:
        await nc.drain()


def test_the_pending_list_names_real_scripts() -> None:
    names = {p.relative_to(HERE).as_posix() for p in SCRIPTS}
    assert set(PENDING) <= names, sorted(set(PENDING) - names)


@pytest.mark.parametrize("path", _params())
async def test_the_script_passes(conversations: Suite, path: Path) -> None:
    name = path.relative_to(HERE).as_posix()
    report = await conversations.run(name, await asyncio.to_thread(path.read_text))
    if report.passed:
        return
    shown = io.StringIO()
    table = Table([name], [report.expected], shown)
    table.header()
    table.row(report)
    failures = "\n".join(f"  - {f}" for f in report.failures)
    pytest.fail(f"{shown.getvalue()}{failures}\n\n{report.transcript()}", pytrace=False)


async def test_the_eval_command_scores_a_directory(
    conversations: Suite, nats_url: str, admin_db_url: str, tmp_path: Path
) -> None:
    """``equity-connect eval --json`` in a subprocess against the same stack: one object per
    script, then the summary; exit 1 because one script is malformed."""
    (tmp_path / "stop.txt").write_text(
        "# from: +14155550100\n# expect: do_not_call\n# check: do_not_call\n"
        "Please stop calling me.\n"
    )
    (tmp_path / "typo.txt").write_text("# from: +14155550100\n# expect: booked\n# check: bookd\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {"NATS_URL": nats_url, "DATABASE_URL": admin_db_url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.ops.cli", "eval", "--json", str(tmp_path), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 1, err.decode()
    stop, typo, summary = (json.loads(line) for line in out.decode().splitlines())
    assert stop["script"] == "stop.txt" and stop["pass"], stop
    assert stop["number"].startswith("+1415") and stop["number"] != "+14155550100"
    assert "record_do_not_call" in stop["calls"][0]["tools"]
    assert typo["pass"] is False and "unknown check 'bookd'" in typo["failures"][0]
    assert summary == {"summary": True, "passed": 1, "total": 2, "failed": ["typo.txt"],
                       "by_outcome": {"?": {"passed": 0, "total": 1},
                                      "do_not_call": {"passed": 1, "total": 1}}}  # fmt: skip
