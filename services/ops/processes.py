"""``equity-connect up|down|status``: every service as background processes, logs and pid
files under the data dir. Idempotent: a copy that is running is left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from services.ops.infra import pid_alive
from services.ops.paths import data_dir

#: Started by ``up``, in this order. The gateway needs LiveKit (``LIVEKIT_URL``); without it,
#: calls are placed with ``equity-connect call``, which runs the gateway's session code itself.
BACKGROUND = ("persistence", "tools", "dialogue")


@dataclass(frozen=True)
class Copy:
    service: str
    index: int

    @property
    def name(self) -> str:
        return f"{self.service}-{self.index}"

    def pid_file(self, root: Path) -> Path:
        return root / "run" / f"{self.name}.pid"

    def log_file(self, root: Path) -> Path:
        return root / "logs" / f"{self.name}.log"

    def pid(self, root: Path) -> int | None:
        try:
            return int(self.pid_file(root).read_text())
        except (OSError, ValueError):
            return None

    def running(self, root: Path) -> bool:
        return pid_alive(self.pid(root))


def services_to_run() -> list[str]:
    return [*BACKGROUND, "gateway"] if os.environ.get("LIVEKIT_URL") else list(BACKGROUND)


def start_copies(scale: dict[str, int]) -> list[tuple[Copy, str]]:
    """Start what is not running; returns (copy, "started" | "running")."""
    root = data_dir()
    (root / "run").mkdir(exist_ok=True)
    (root / "logs").mkdir(exist_ok=True)
    report: list[tuple[Copy, str]] = []
    for service in services_to_run():
        for index in range(1, scale.get(service, 1) + 1):
            copy = Copy(service, index)
            if copy.running(root):
                report.append((copy, "running"))
                continue
            args = [sys.executable, "-m", "services.ops.cli", "serve", service]
            if service == "gateway":
                args.append("start")
            env = os.environ.copy()
            if index > 1:  # copies after the first take a free HTTP port (`status` shows it)
                env["EC_HTTP_PORT"] = "0"
            with open(copy.log_file(root), "ab") as log:
                proc = subprocess.Popen(
                    args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    env=env,
                )  # fmt: skip
            copy.pid_file(root).write_text(str(proc.pid))
            report.append((copy, "started"))
    return report


def stop_copies(timeout: float = 15) -> list[Copy]:
    root = data_dir()
    stopped: list[Copy] = []
    for pid_file in sorted((root / "run").glob("*.pid")) if (root / "run").exists() else []:
        service, _, index = pid_file.stem.rpartition("-")
        copy = Copy(service, int(index))
        pid = copy.pid(root)
        if pid and pid_alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
            stopped.append(copy)
        pid_file.unlink(missing_ok=True)
    return stopped


def local_copies() -> dict[str, int]:
    """Copies started by ``up`` on this machine that are alive, per service."""
    root = data_dir()
    counts: dict[str, int] = {}
    for pid_file in (root / "run").glob("*.pid") if (root / "run").exists() else []:
        service, _, index = pid_file.stem.rpartition("-")
        if Copy(service, int(index)).running(root):
            counts[service] = counts.get(service, 0) + 1
    return counts
