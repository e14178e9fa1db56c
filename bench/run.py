"""`make bench`: every benchmark in one run, one table, one JSON.

Runs the persistence, tools and dialogue benchmarks (each against a private nats-server and
Postgres, the service under test as its own process where the benchmark says so), then writes
bench/results/latest.json and a dated copy with p50 / p99 / max / count per figure and the
machine. Figures not measured yet are listed as null, not guessed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

from common import RESULTS, ROOT, machine

BENCHES = [
    ("persistence", ["bench/persistence_bench.py"]),
    ("tools", ["bench/tools_bench.py"]),
    ("dialogue", ["bench/dialogue_bench.py"]),
]
GOALS = {
    "turn_overhead_1call": "p50 ≤ 1, p99 ≤ 3",
    "turn_overhead_200calls": "p99 ≤ 10",
    "greeting_ready": "≤ 50",
    "persist_ingest_events_per_s": "≥ 10,000/s",
    "persist_event_to_row": "p99 ≤ 500",
    "store_reads": "p99 ≤ 5",
    "tool_availability": "p99 ≤ 5",
    "tool_booking": "p99 ≤ 10",
    "kb_search_10k": "p99 ≤ 25",
    "turn_e2e_bus": "ratio ≤ 1.02",
    "turn_e2e_inprocess": "",
    "capacity": "≥ 1,000 calls",
}


def load(name: str) -> dict[str, Any]:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def collect() -> dict[str, Any]:
    p, t, d = load("persistence"), load("tools"), load("dialogue")
    pf, tf = p.get("figures", {}), t.get("figures", {})
    dr = d.get("results", {})
    one, many = dr.get("llm_instant_one_call", {}), dr.get("llm_instant_200_calls", {})
    return {
        "turn_overhead_1call": one.get("turn_published_to_first_chunk_received_ms"),
        "turn_overhead_200calls": many.get("turn_published_to_first_chunk_received_ms"),
        "greeting_ready": one.get("call_started_to_greeting_chunk_ms"),
        "persist_ingest_events_per_s": pf.get("persist_ingest_events_per_s"),
        "persist_event_to_row": pf.get("persist_event_to_row"),
        "store_reads": pf.get("store_caller_context_uncached"),
        "store_reads_cached_config": pf.get("store_template"),
        "tool_availability": tf.get("availability"),
        "tool_booking": tf.get("booking"),
        "kb_search_10k": tf.get("kb_search"),
        "turn_e2e_bus": None,
        "turn_e2e_inprocess": None,
        "bus_vs_inprocess_ratio": None,
        "capacity": None,
    }


def cell(value: Any) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, dict):
        if "p50" in value:
            p50, p99, top, n = value["p50"], value["p99"], value["max"], value["count"]
            return f"p50 {p50:.2f}  p99 {p99:.2f}  max {top:.2f}  n={n}"
        return json.dumps(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def main() -> int:
    started = time.monotonic()
    for name, args in BENCHES:
        print(f"== {name} ==", flush=True)
        code = subprocess.run([sys.executable, *args], cwd=ROOT).returncode
        if code != 0:
            print(f"{name} benchmark failed (exit {code})", file=sys.stderr)
    figures = collect()
    result = {
        "machine": machine(),
        "duration_s": round(time.monotonic() - started, 1),
        "figures": figures,
        "goals": GOALS,
        "sources": {name: f"bench/results/{name}.json" for name, _ in BENCHES},
    }
    text = json.dumps(result, indent=2) + "\n"
    (RESULTS / "latest.json").write_text(text)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    (RESULTS / f"{stamp}.json").write_text(text)
    print(f"\n{'figure (ms unless named)':<30} {'measured':<58} goal")
    for key, value in figures.items():
        print(f"{key:<30} {cell(value):<58} {GOALS.get(key, '')}")
    print(f"\nwritten to bench/results/latest.json and bench/results/{stamp}.json "
          f"({result['duration_s']} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
