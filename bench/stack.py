"""The deployed stack for a benchmark: each service its own process (``equity-connect serve``),
the fake LLM provider its own process, against the benchmark's nats-server and Postgres; and
CPU / memory per process from /proc."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from common import ROOT, Infra

from services.ops.presence import instances

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Stack:
    infra: Infra
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    llm_port: int = 0

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("EC_", "OPENAI", "OPENR")) or k.startswith("EC_NATS_PASSWORD_")
        }
        env |= {"NATS_URL": self.infra.nats_url, "DATABASE_URL": self.infra.database_url,
                "EC_LOG_LEVEL": "WARNING", "EC_HTTP_PORT": "0"}  # fmt: skip
        return env | (extra or {})

    def _spawn(self, name: str, args: list[str], extra: dict[str, str] | None = None) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env(extra), stdout=log, stderr=subprocess.STDOUT
        )

    def start_llm(self, ttft_ms: float, tokens_per_s: float) -> None:
        proc = subprocess.Popen(
            [sys.executable, "bench/fake_llm.py", "--ttft-ms", str(ttft_ms),
             "--tokens-per-s", str(tokens_per_s)],
            cwd=ROOT, env=self.env(), stdout=subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None
        self.llm_port = int(proc.stdout.readline())
        self.procs["fake_llm"] = proc

    async def start_service(self, name: str, extra: dict[str, str] | None = None) -> None:
        self._spawn(name, [sys.executable, "-m", "services.ops.cli", "serve", name], extra)
        os.environ["NATS_URL"] = self.infra.nats_url
        deadline = time.monotonic() + 60
        while not await instances(name, wait=0.2):
            if self.procs[name].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start; see {self.logs / (name + '.log')}")
            await asyncio.sleep(0.1)

    async def stop_service(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.terminate()
        try:
            await asyncio.to_thread(proc.wait, 20)
        except subprocess.TimeoutExpired:
            proc.kill()

    def llm_env(self) -> dict[str, str]:
        """The dialogue's real provider path (the ``openai`` client) to the fake provider."""
        return {
            "OPENAI_API_KEY": "bench",
            "EC_LLM_BASE_URL": f"http://127.0.0.1:{self.llm_port}/v1",
        }

    async def kb_ready(self, timeout: float = 120) -> None:
        """The tools service embeds the seeded passages at start; wait until it has."""
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.infra.database_url, autocommit=True) as conn:
            while True:
                row = conn.execute(
                    "SELECT count(*) FROM tools.kb_chunks WHERE embedding IS NULL"
                ).fetchone()
                if row is not None and row[0] == 0:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError("knowledge base not embedded in time")
                await asyncio.sleep(0.2)

    def close(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    # ---- CPU and memory -----------------------------------------------------------------

    def groups(self, extra: dict[str, int] | None = None) -> dict[str, list[int]]:
        """Process ids per name: each service, the fake provider, nats-server, and Postgres
        (the postmaster and every backend)."""
        out = {name: [p.pid] for name, p in self.procs.items() if p.poll() is None}
        if self.infra.nats_pid:
            out["nats-server"] = [self.infra.nats_pid]
        if self.infra.pg_pid:
            out["postgres"] = [self.infra.pg_pid, *children(self.infra.pg_pid)]
        for name, pid in (extra or {}).items():
            out[name] = [pid]
        return out


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (Postgres' shared buffers) split between the
    processes that map them, so a group's sum is not inflated; RSS where PSS is unreadable."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    except OSError:
        return 0


@dataclass
class Snapshot:
    at: float
    ticks: dict[str, int]


def snapshot(groups: dict[str, list[int]]) -> Snapshot:
    return Snapshot(
        time.monotonic(), {n: sum(_cpu_ticks(p) for p in ps) for n, ps in groups.items()}
    )


def usage(before: Snapshot, after: Snapshot, groups: dict[str, list[int]]) -> dict[str, Any]:
    """CPU (% of one core, averaged over the window) and memory (PSS, MB) per process."""
    span = max(after.at - before.at, 1e-6)
    out: dict[str, Any] = {}
    for name, pids in groups.items():
        used = after.ticks.get(name, 0) - before.ticks.get(name, 0)
        out[name] = {
            "cpu_pct_of_one_core": round(100 * used / TICKS / span, 1),
            "memory_mb": round(sum(_pss_kb(p) for p in pids) / 1024, 1),
        }
    return out
