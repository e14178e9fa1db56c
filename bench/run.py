"""`make bench`: every benchmark in one run, one table, one JSON.

Runs the persistence, tools and stack benchmarks (each against its own private nats-server and
Postgres, every service under test as its own process), then writes bench/results/latest.json
and a dated copy with p50 / p99 / max / count per figure and the machine. A figure that could
not be measured is listed as null, not guessed. (bench/dialogue_bench.py — the dialogue
in-process with fakes, timed inside the service — is a diagnostic, not part of this run.)
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
    # the dialogue's learned reader, in-process (≈1 min): what reading a turn costs
    ("meaning", ["bench/meaning_bench.py"]),
    ("persistence", ["bench/persistence_bench.py"]),
    # 15 requests per caller and phase (750 samples per figure) keeps `make bench` under
    # 10 minutes on 2 cores; `python bench/tools_bench.py` alone runs 30
    ("tools", ["bench/tools_bench.py", "--requests", "15"]),
    ("stack", ["bench/stack_bench.py"]),
    ("recording", ["bench/recording_bench.py"]),
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
    "turn_e2e_bus": "",
    "turn_e2e_inprocess": "",
    "bus_vs_inprocess_ratio": "≤ 1.02",
    "capacity": "≥ 1,000 calls (p99 ≤ 20, none lost)",
    "recording_keep_5min": "after the call: off the caller's path",
    "meaning_read": "",
    "understand_turn": "",
}


def load(name: str) -> dict[str, Any]:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def collect() -> dict[str, Any]:
    p, t, st = load("persistence"), load("tools"), load("stack")
    mf = load("meaning").get("figures", {})
    rec = load("recording").get("figures", {})
    pf, tf, sf = p.get("figures", {}), t.get("figures", {}), st.get("figures", {})
    capacity = sf.get("capacity")
    return {
        "turn_overhead_1call": sf.get("turn_overhead_1call"),
        "turn_overhead_200calls": sf.get("turn_overhead_200calls"),
        "greeting_ready": sf.get("greeting_ready"),
        "turn_e2e_bus": sf.get("turn_e2e_bus"),
        "turn_e2e_inprocess": sf.get("turn_e2e_inprocess"),
        "bus_vs_inprocess_ratio": sf.get("bus_vs_inprocess_ratio"),
        "capacity": capacity,
        "persist_ingest_events_per_s": pf.get("persist_ingest_events_per_s"),
        "persist_event_to_row": pf.get("persist_event_to_row"),
        "store_reads": pf.get("store_caller_context_uncached"),
        "store_reads_cached_config": pf.get("store_template"),
        "tool_availability": tf.get("availability"),
        "tool_booking": tf.get("booking"),
        "kb_search_10k": tf.get("kb_search"),
        "nats_round_trip_floor": sf.get("nats_round_trip_floor"),
        "capacity_profile": sf.get("capacity_profile"),
        "recording_keep_5min": rec.get("recording_keep_5min"),
        "meaning_read": mf.get("read"),
        "understand_turn": mf.get("understand_as_the_turn_does"),
    }


def cell(value: Any) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, dict):
        if "turn_every_s" in value:  # capacity
            at = value.get("at_capacity") or {}
            o = at.get("turn_overhead") or {}
            return (f"{value['calls']} calls (p99 {o.get('p99', float('nan')):.2f} ms, "
                    f"{at.get('turns_per_s', 0)} turns/s)")  # fmt: skip
        if "back_to_back" in value:  # the machine's floor
            return (f"back to back p50 {value['back_to_back']['p50']:.2f}, after a pause "
                    f"p50 {value['after_pause']['p50']:.2f}")  # fmt: skip
        if "own_time_pct" in value:  # the profile
            return f"{value.get('samples', 0)} samples: see latest.json / {value.get('file')}"
        if "p50" in value:
            p50, p99, top, n = value["p50"], value["p99"], value["max"], value["count"]
            return f"p50 {p50:.2f}  p99 {p99:.2f}  max {top:.2f}  n={n}"
        return json.dumps(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def main() -> int:
    started = time.monotonic()
    for name, args in BENCHES:
        print(f"== {name} ==", flush=True)
        (RESULTS / f"{name}.json").unlink(
            missing_ok=True
        )  # a failed run leaves nulls, not old figures
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
