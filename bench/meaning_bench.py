"""The learned reading's cost: what reading a caller's turn adds to the offline policy.

Measured in one process on this machine, over every caller line of tests/conversations:
- ``understand`` alone (the rules: what a turn cost before the reader), ``understand`` + the
  reader's ``read`` + ``weigh`` on every line, and as a turn does it (short plain answers the
  rules read whole are not read again), per line, one at a time;
- ``read`` alone, and ``read`` with a second thread reading at the same time (two turns of two
  calls at once on this 2-core machine);
- building the reader: embedding every labelled example (a cold start) and loading the cached
  vectors (every later start).

Run: ``.venv/bin/python bench/meaning_bench.py`` → ``bench/results/meaning.json``.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, summary, write

from services.dialogue.absorb import carries_facts
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect
from services.dialogue.language.meaning.acts import NOTHING, MeaningReader, training_examples
from services.dialogue.language.meaning.encoder import MiniLM
from services.dialogue.language.meaning.weigh import needs_reading, weigh


def caller_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "tests" / "conversations").rglob("*.txt")):
        for line in path.read_text().splitlines():
            text = line.strip()
            if text and not text.startswith(("#", "<")):
                lines.append(text)
    return lines


def timed(fn: object, items: list[str]) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def _turn(reader: MeaningReader, text: str) -> None:
    """What a turn of the offline policy does: the rules, then the reader unless the turn is a
    short plain answer (``needs_reading``)."""
    heard = understand(text, Expect.NOTHING)
    facts = carries_facts(heard)
    reading = reader.read(text) if needs_reading(heard, facts) else NOTHING
    weigh(heard, reading, Expect.NOTHING, facts=facts)


def main() -> None:
    lines = caller_lines()
    examples = training_examples()
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        MeaningReader(MiniLM(), examples, cache=Path(cache))
        cold_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        reader = MeaningReader(MiniLM(), examples, cache=Path(cache))
        warm_ms = (time.perf_counter() - start) * 1000
    for line in lines[:50]:  # warm the model and the tokenizer
        reader.read(line)
    rules = timed(lambda t: understand(t, Expect.NOTHING), lines)
    both = timed(lambda t: weigh(understand(t, Expect.NOTHING), reader.read(t), Expect.NOTHING),
                 lines)  # fmt: skip
    as_the_turn_does = timed(lambda t: _turn(reader, t), lines)
    alone = timed(reader.read, lines)
    other: list[float] = []
    thread = threading.Thread(target=lambda: other.extend(timed(reader.read, lines)))
    thread.start()
    busy = timed(reader.read, lines)
    thread.join()
    figures = {
        "understand_rules_only": summary(rules),
        "understand_with_reader": summary(both),
        "understand_as_the_turn_does": summary(as_the_turn_does),
        "read": summary(alone),
        "read_two_at_once": summary(busy + other),
        "build_cold_ms": round(cold_ms, 1),
        "build_cached_ms": round(warm_ms, 1),
        "examples": reader.size,
        "lines": len(lines),
    }
    write("meaning", {"figures": figures})
    for name, value in figures.items():
        print(f"{name:26} {value}")


if __name__ == "__main__":
    main()
