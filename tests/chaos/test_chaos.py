"""The fast version of ``make chaos``: every drill of services/ops/chaos.py, with small sizes
(3 calls, 200 malformed messages, 50 bookings of one slot, Postgres down 3 s), on one private
rig of its own — a nats-server, a Postgres and two copies of each service as processes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.ops import chaos

pytestmark = pytest.mark.fault


@pytest.fixture(scope="module")
async def rig(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[chaos.Rig]:
    rig = chaos.Rig(tmp_path_factory.mktemp("chaos"), chaos.SMALL)
    try:
        await rig.start()
        yield rig
    finally:
        await rig.close()


async def drill(rig: chaos.Rig, name: str) -> chaos.Result:
    [result] = await chaos.run_drills(rig, [name], echo=False)
    if result.passed is None:
        pytest.skip(f"{result.drill}: {result.measured}")
    assert result.passed, f"{result.drill}: {result.measured}\n{result.details}"
    return result


@pytest.mark.parametrize("service", ["persistence", "tools", "dialogue"])
async def test_a_copy_killed_mid_call_leaves_no_caller_in_silence_and_no_event_lost(
    rig: chaos.Rig, service: str
) -> None:
    result = await drill(rig, f"kill-{service}")
    assert result.details["calls_in_progress_at_kill"] > 0
    assert result.details["recorded"] == result.details["events"] > 0
    race = result.details["race_at_kill"]
    assert race["appointments"] <= 1 and race["billed"] == race["appointments"]


async def test_a_nats_restart_loses_no_acknowledged_event(rig: chaos.Rig) -> None:
    result = await drill(rig, "nats-restart")
    assert result.details["acked"] == result.details["recorded"] > 0


async def test_postgres_down_then_back_every_event_lands_and_callers_were_answered(
    rig: chaos.Rig,
) -> None:
    result = await drill(rig, "postgres-down")
    assert result.details["alive_during"]
    assert result.details["callers_during_outage"]["unanswered"] == 0


async def test_malformed_messages_become_dead_letters_or_typed_errors(rig: chaos.Rig) -> None:
    result = await drill(rig, "malformed")
    assert result.details["letters_by_consumer"]["persistence-writer"] > 0
    assert not result.details["untyped"]


async def test_concurrent_bookings_of_one_slot_make_exactly_one_appointment(
    rig: chaos.Rig,
) -> None:
    result = await drill(rig, "booking-race")
    assert result.details["booked"] == 1
    assert sum(result.details["replies"].values()) == chaos.SMALL.bookings - 1


async def test_forged_sessions_are_all_refused(rig: chaos.Rig) -> None:
    result = await drill(rig, "forged-sessions")
    assert result.details["accepted_by_case"] == {} and result.details["bound"] == 0


async def test_forbidden_operations_are_refused(rig: chaos.Rig) -> None:
    result = await drill(rig, "forbidden-operations")
    assert result.details["through"] == [] and result.details["not_reported"] == []


# ---- the report ------------------------------------------------------------------------------


def test_the_table_has_a_row_per_drill_with_its_bar_measure_and_verdict() -> None:
    results = [
        chaos.Result("kill -9 tools", "every turn answered", "15/15 replies", True),
        chaos.Result("forged sessions", "0 accepted", "2 of 30 accepted", False),
        chaos.Result("forbidden operations", "all refused", "pending: not merged", None),
    ]
    lines = chaos.table(results).splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["drill", "bar", "measured", "pass"]
    assert lines[2].split("|")[-1].strip() == "pass"
    assert lines[3].split("|")[-1].strip() == "FAIL"
    assert lines[4].split("|")[-1].strip() == "pending"
    assert len({line.index("|") for line in lines if "|" in line}) == 1  # columns aligned


def test_the_results_file_says_whether_every_drill_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.setattr(chaos, "project_root", lambda: tmp_path)
    ok = chaos.Result("a", "bar", "measured", True)
    pending = chaos.Result("b", "bar", "pending", None)
    path = chaos.write_results([ok, pending], chaos.SMALL, 1.0)
    data = json.loads(path.read_text())
    assert path.parent == tmp_path / "bench" / "results"
    assert data["passed"] is True and [d["drill"] for d in data["drills"]] == ["a", "b"]
    failed = chaos.write_results([chaos.Result("c", "bar", "x", False)], chaos.SMALL, 1.0)
    assert json.loads(failed.read_text())["passed"] is False


def test_an_unknown_drill_is_refused_before_anything_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert chaos.main(["no-such-drill"]) == 2
    assert "unknown drill no-such-drill" in capsys.readouterr().err
