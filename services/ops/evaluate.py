"""``equity-connect eval [DIR ...]``: caller scripts against the running stack, scored.

Each script (format: :mod:`services.ops.scripts`) is placed as one or more simulated calls
through the gateway's own session code (``run_call``, as ``equity-connect call --script``),
from a fresh number in the script's area code unless ``--keep-numbers``. After each call its
outcome is compared with ``# expect:`` and every ``# check:`` is checked against the tools
database and the call itself. Once a script is done, what its fresh number booked is cancelled
so the brokers' calendars stay open for the next run. Prints a table (or JSON lines) and exits
1 on any miss.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

import msgspec
import psycopg
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from psycopg.rows import dict_row

from contracts.subjects import TOOLS
from contracts.tools import ToolName
from services.agent_gateway.simulate import Printer, run_call
from services.ops.quality import asked_three_times, deflections, slot_failures
from services.ops.scripts import Call, Check, CheckKind, ScriptError, find_scripts, parse

BUS_SERVICES = ("persistence", "tools", "dialogue")


# ---- one script ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallReport:
    call_id: str
    expected: str
    outcome: str | None
    reason: str | None
    turns: int
    failures: tuple[str, ...]
    tools: tuple[str, ...]
    #: what ``equity-connect call`` would have printed: Barbara, the caller, tools, notes
    log: str
    #: on the LLM path: (requests the LLM answered, requests that failed) during the call
    llm: tuple[int, int] | None = None

    @property
    def got(self) -> str:
        return (self.outcome or "no outcome") + (f" {self.reason}" if self.reason else "")


@dataclass(frozen=True)
class ScriptReport:
    name: str
    expected: str
    number: str | None = None
    calls: tuple[CallReport, ...] = ()
    #: the script could not be run (malformed, or a call failed): says why
    error: str | None = None

    @property
    def got(self) -> str:
        return " → ".join(c.got for c in self.calls) if self.calls else "error"

    @property
    def turns(self) -> int:
        return sum(c.turns for c in self.calls)

    @property
    def passed(self) -> bool:
        return self.error is None and not any(c.failures for c in self.calls)

    @property
    def failures(self) -> list[str]:
        many = len(self.calls) > 1
        found = [f"call {i}: {f}" if many else f
                 for i, c in enumerate(self.calls, start=1) for f in c.failures]  # fmt: skip
        return [*found, self.error] if self.error else found

    def transcript(self) -> str:
        parts = [f"── call {i} ({c.call_id}) ──\n{c.log}" for i, c in enumerate(self.calls, 1)]
        return "\n".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "script": self.name,
            "expected": self.expected,
            "got": self.got,
            "turns": self.turns,
            "pass": self.passed,
            "number": self.number,
            "failures": self.failures,
            "calls": [
                {"call_id": c.call_id, "expected": c.expected, "outcome": c.outcome,
                 "disqualification_reason": c.reason, "turns": c.turns,
                 "failures": list(c.failures), "tools": list(c.tools),
                 **({"llm": {"answered": c.llm[0], "failed": c.llm[1]}} if c.llm else {})}
                for c in self.calls
            ],
        }  # fmt: skip


class _Session(msgspec.Struct):
    call_id: str = ""


class _Requested(msgspec.Struct):
    session: _Session | None = None


class ToolRequests:
    """Which tools each call asked for, seen on the bus as the dialogue sends the requests.

    The dialogue sends a turn's tool requests before that turn's reply, and every request
    before the call's outcome, on one connection; NATS keeps that order to our connection, so
    once ``run_call`` is back (it waits for the outcome) the call's requests are all here. (The
    tools service's audit events, which ``call`` prints, may come later than that.)"""

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = defaultdict(list)
        self.sub: Any = None

    async def start(self, nc: NATS) -> None:
        if self.sub is None:
            self.sub = await nc.subscribe(f"{TOOLS}.>", cb=self._on_request)

    async def _on_request(self, msg: Msg) -> None:
        try:
            session = msgspec.json.decode(msg.data, type=_Requested).session
        except msgspec.MsgspecError:
            return
        if session is not None and session.call_id:
            self.seen[session.call_id].append(msg.subject.removeprefix(f"{TOOLS}."))

    async def of(self, call_id: str) -> list[str]:
        for _ in range(200):  # whatever arrived is handled within a few loop turns
            if not self.sub.pending_msgs:
                break
            await asyncio.sleep(0.005)
        return self.seen.pop(call_id, [])


class CountingLlm:
    """The dialogue's LLM client, counting the requests it answered and those that failed:
    when the LLM fails the dialogue quietly answers with its offline policy, and an LLM eval
    must not pass on the offline policy's answers."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.answered = 0
        self.failed = 0

    def counts(self) -> tuple[int, int]:
        return self.answered, self.failed

    async def stream(self, request: Any) -> AsyncIterator[Any]:
        try:
            async for event in self.inner.stream(request):
                yield event
        except Exception:
            self.failed += 1
            raise
        self.answered += 1

    async def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            await close()


@dataclass
class Suite:
    """Runs scripts one after another on one bus connection, against one tools database."""

    nc: NATS
    tools_dsn: str
    keep_numbers: bool = False
    timing: Any = None
    outcome_wait_s: float = 5.0
    #: numbers handed out in this run (so two scripts never share one)
    taken: set[str] = field(default_factory=set)
    tools: ToolRequests = field(default_factory=ToolRequests)
    #: the LLM path: counts what the dialogue's LLM answered during each call
    llm: CountingLlm | None = None

    async def run(self, name: str, text: str) -> ScriptReport:
        try:
            script = parse(text, name)
        except ScriptError as err:
            return ScriptReport(name, "?", error=str(err))
        async with await psycopg.AsyncConnection.connect(self.tools_dsn, autocommit=True) as db:
            number = script.caller
            if not self.keep_numbers:
                try:
                    number = await fresh_number(db, script.caller, self.taken)
                except ScriptError as err:
                    return ScriptReport(name, script.expected, error=str(err))
            done: list[CallReport] = []
            error = None
            for index, call in enumerate(script.calls, start=1):
                try:
                    done.append(await self._call(db, number, call))
                except Exception as err:  # a stalled or broken call fails this script only
                    error = f"call {index}: {type(err).__name__}: {err}"
                    break
            if not self.keep_numbers:
                await release_bookings(db, number)
        return ScriptReport(name, script.expected, number, tuple(done), error)

    async def _call(self, db: psycopg.AsyncConnection[Any], number: str, call: Call) -> CallReport:
        await self.tools.start(self.nc)
        before = self.llm.counts() if self.llm else (0, 0)
        printout = io.StringIO()
        result = await run_call(
            self.nc, number, _said(call.lines), timing=self.timing,
            printer=Printer(stream=printout), outcome_wait_s=self.outcome_wait_s,
        )  # fmt: skip
        tools = await self.tools.of(result.call_id)
        failures = expect_failures(call, result.outcome, result.disqualification_reason)
        agent = [t["text"] for t in result.transcript if t["role"] == "agent"]
        failures += quality_failures(result.transcript, agent)
        for check in call.checks:
            problem = await check_failure(db, number, check, result.outcome, agent, tools)
            if problem:
                failures.append(f"check {check}: {problem}")
        llm = None
        if self.llm is not None:
            answered, failed = (a - b for a, b in zip(self.llm.counts(), before, strict=True))
            llm = (answered, failed)
            if failed and not answered:
                failures.append(f"the LLM answered none of its requests ({failed} failed): "
                                "the dialogue's offline policy took the turns")  # fmt: skip
        return CallReport(result.call_id, str(call.expect), result.outcome,
                          result.disqualification_reason, result.turns, tuple(failures),
                          tuple(tools), printout.getvalue(), llm)  # fmt: skip


def quality_failures(transcript: Sequence[dict[str, str]], agent: Sequence[str]) -> list[str]:
    """What every call is held to, whatever its script says: no question asked three times,
    no "great question for the broker" to a line that asked nothing."""
    out = [f"asked three times: {q!r}" for q in asked_three_times(agent)]
    out += [f"deflected a non-question: {line!r}" for line in deflections(transcript)]
    return out


def _as_read(line: str) -> str:
    """What Barbara said, as text: letters she spells for the voice ("N-M-L-S") read as the
    word they spell."""
    return re.sub(r"\b(?:[A-Za-z]-)+[A-Za-z]\b", lambda m: m.group().replace("-", ""), line).lower()


async def _said(lines: Sequence[str]) -> AsyncIterator[str]:
    for line in lines:
        yield line


def expect_failures(call: Call, outcome: str | None, reason: str | None) -> list[str]:
    expect, failures = call.expect, []
    if outcome not in expect.outcomes:
        failures.append(f"expected {'|'.join(expect.outcomes)}, got {outcome or 'no outcome'}")
    if expect.reasons and reason not in expect.reasons:
        failures.append(f"expected reason {'|'.join(expect.reasons)}, got {reason or 'none'}")
    return failures


# ---- checks --------------------------------------------------------------------------------


async def check_failure(
    db: psycopg.AsyncConnection[Any], number: str, check: Check, outcome: str | None,
    agent_lines: list[str], tools: list[str],
) -> str | None:  # fmt: skip
    """Why ``check`` does not hold after the call, or ``None`` when it does."""
    kind = check.kind
    if kind is CheckKind.SLOTS:
        return slot_failures(check.arg, agent_lines)
    if kind in (CheckKind.SAID, CheckKind.NOT_SAID):
        said = any(check.arg.lower() in _as_read(line) for line in agent_lines)
        if said != (kind is CheckKind.SAID):
            return "Barbara said it" if said else "not in any of Barbara's lines"
        return None
    if kind in (CheckKind.TOOL, CheckKind.NO_TOOL, CheckKind.NO_SLOTS):
        name = ToolName.GET_AVAILABILITY.value if kind is CheckKind.NO_SLOTS else check.arg
        if (name in tools) != (kind is CheckKind.TOOL):
            return f"{name} was called" if name in tools else f"{name} was not called"
        return None
    lead = await _lead(db, number)
    if lead is None:
        ok_without_lead = kind in (CheckKind.NO_APPOINTMENT,) or (
            kind is CheckKind.EMAIL and outcome == "email_requested"
        )
        return None if ok_without_lead else f"no lead has the number {number}"
    return await _lead_check(db, lead, check, outcome)


async def _lead(db: psycopg.AsyncConnection[Any], number: str) -> dict[str, Any] | None:
    async with db.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT * FROM leads WHERE phone = %s", (number,))
        return await cur.fetchone()


_STATUSES = {
    "appointments": "SELECT status::text FROM appointments WHERE lead_id = %s",
    "callbacks": "SELECT status::text FROM callbacks WHERE lead_id = %s",
}


async def _statuses(db: psycopg.AsyncConnection[Any], table: str, lead_id: Any) -> set[str]:
    cur = await db.execute(_STATUSES[table], (lead_id,))
    return {row[0] for row in await cur.fetchall()}


async def _lead_check(
    db: psycopg.AsyncConnection[Any], lead: dict[str, Any], check: Check, outcome: str | None
) -> str | None:
    kind = check.kind
    if kind in (CheckKind.APPOINTMENT, CheckKind.NO_APPOINTMENT, CheckKind.CANCELLED):
        statuses = await _statuses(db, "appointments", lead["id"])
        if kind is CheckKind.CANCELLED:
            return None if "cancelled" in statuses else _listed("appointments", statuses)
        if ("scheduled" in statuses) != (kind is CheckKind.APPOINTMENT):
            return "the lead has a scheduled appointment" if "scheduled" in statuses else \
                _listed("appointments", statuses)  # fmt: skip
        return None
    if kind is CheckKind.CALLBACK:
        statuses = await _statuses(db, "callbacks", lead["id"])
        return None if "scheduled" in statuses else _listed("callbacks", statuses)
    if kind is CheckKind.DO_NOT_CALL:
        return None if lead["do_not_call"] else "leads.do_not_call is false"
    if kind is CheckKind.EMAIL:
        if lead["email"] or outcome == "email_requested":
            return None
        return f"no email stored and the outcome is {outcome or 'none'}, not email_requested"
    return fact_failure(lead, check.arg, check.value)


def _listed(what: str, statuses: set[str]) -> str:
    return f"the lead's {what}: {', '.join(sorted(statuses))}" if statuses else f"no {what}"


def fact_failure(lead: dict[str, Any], column: str, expected: str) -> str | None:
    """Compare a lead column as text, case-insensitive; numbers by value (``400000`` matches
    ``400000.00``); an empty expected value means the column is empty."""
    if column not in lead:
        return f"leads has no column {column!r}"
    value = lead[column]
    got = "" if value is None else str(value).lower()
    if got == expected.strip().lower() or _same_number(got, expected):
        return None
    return f"{column} is {got!r}" if value is not None else f"{column} is empty"


def _same_number(a: str, b: str) -> bool:
    try:
        return Decimal(a.replace(",", "")) == Decimal(b.strip().replace(",", ""))
    except InvalidOperation:
        return False


async def release_bookings(db: psycopg.AsyncConnection[Any], number: str) -> None:
    """Cancel the scheduled appointments of eval's own fresh-number lead (and void their
    billing, as ``cancel_appointment`` does), so repeated runs do not fill the brokers'
    calendars: the next script finds the same openings. The rows stay, for inspection."""
    async with db.transaction():
        await db.execute(
            """UPDATE billing_events SET status = 'void'
               WHERE status = 'pending' AND appointment_id IN (
                   SELECT a.id FROM appointments a JOIN leads l ON l.id = a.lead_id
                   WHERE l.phone = %s AND a.status = 'scheduled')""",
            (number,),
        )
        await db.execute(
            """UPDATE appointments SET status = 'cancelled', updated_at = now()
               WHERE status = 'scheduled'
                 AND lead_id IN (SELECT id FROM leads WHERE phone = %s)""",
            (number,),
        )


# ---- numbers -------------------------------------------------------------------------------


def candidate_number(like: str, rng: random.Random) -> str:
    """A number in the same area code as ``like`` (North America: ``+1 NPA 555 XXXX``, other
    exchanges once 555 is crowded); elsewhere the country and all but the last six digits."""
    if like.startswith("+1") and len(like) == 12:
        exchange = 555 if rng.random() < 0.5 else rng.choice(_EXCHANGES)
        return f"+1{like[2:5]}{exchange}{rng.randrange(10_000):04d}"
    return f"{like[:-6]}{rng.randrange(1_000_000):06d}"


_EXCHANGES = [n for n in range(200, 1000) if n % 100 != 11]


async def fresh_number(db: psycopg.AsyncConnection[Any], like: str, taken: set[str]) -> str:
    """A number no lead has and this run has not handed out, in ``like``'s area code."""
    rng = random.Random()
    for _ in range(1000):
        number = candidate_number(like, rng)
        if number in taken:
            continue
        cur = await db.execute("SELECT 1 FROM leads WHERE phone = %s", (number,))
        if await cur.fetchone() is None:
            taken.add(number)
            return number
    raise ScriptError(f"no free number found like {like}")


# ---- output --------------------------------------------------------------------------------


class Table:
    """The rows as each script finishes (a long suite shows progress), then the misses and
    the summary."""

    def __init__(self, names: list[str], expected: list[str], out: TextIO) -> None:
        self.out = out
        wide = max([8, *map(len, expected)])
        self.widths = (max([6, *map(len, names)]), wide, wide, 5)

    def _line(self, *cells: str) -> None:
        w = self.widths
        text = f"{cells[0]:<{w[0]}}  {cells[1]:<{w[1]}}  {cells[2]:<{w[2]}}  {cells[3]:>{w[3]}}"
        print(f"{text}  {cells[4]}", file=self.out, flush=True)

    def header(self) -> None:
        self._line("script", "expected", "got", "turns", "pass")

    def row(self, report: ScriptReport) -> None:
        self._line(report.name, report.expected, report.got, str(report.turns),
                   "ok" if report.passed else "FAIL")  # fmt: skip

    def footer(self, reports: list[ScriptReport]) -> None:
        missed = [r for r in reports if not r.passed]
        if missed:
            print("\nmisses:", file=self.out)
        for report in missed:
            ids = ", ".join(c.call_id for c in report.calls)
            print(f"  {report.name}" + (f" (calls {ids})" if ids else ""), file=self.out)
            for failure in report.failures:
                print(f"    - {failure}", file=self.out)
        print("\n" + summary_line(reports), file=self.out, flush=True)


def by_outcome(reports: list[ScriptReport]) -> dict[str, dict[str, int]]:
    total = Counter(r.expected for r in reports)
    passed = Counter(r.expected for r in reports if r.passed)
    return {k: {"passed": passed[k], "total": total[k]} for k in sorted(total)}


def summary_line(reports: list[ScriptReport]) -> str:
    passed = sum(r.passed for r in reports)
    groups = ", ".join(f"{k} {v['passed']}/{v['total']}" for k, v in by_outcome(reports).items())
    return f"{passed}/{len(reports)} passed" + (f" (by outcome: {groups})" if groups else "")


def summary_json(reports: list[ScriptReport]) -> dict[str, Any]:
    return {"summary": True, "passed": sum(r.passed for r in reports), "total": len(reports),
            "failed": [r.name for r in reports if not r.passed],
            "by_outcome": by_outcome(reports)}  # fmt: skip


def expected_of(text: str) -> str:
    try:
        return parse(text).expected
    except ScriptError:
        return "?"


async def run_suite(
    suite: Suite, scripts: list[tuple[str, Path]], *, as_json: bool, out: TextIO
) -> list[ScriptReport]:
    texts = [(name, await asyncio.to_thread(path.read_text)) for name, path in scripts]
    table = Table([name for name, _ in texts], [expected_of(text) for _, text in texts], out)
    if not as_json:
        table.header()
    reports: list[ScriptReport] = []
    for name, text in texts:
        report = await suite.run(name, text)
        reports.append(report)
        if as_json:
            print(json.dumps(report.as_json()), file=out, flush=True)
        else:
            table.row(report)
    if as_json:
        print(json.dumps(summary_json(reports)), file=out, flush=True)
    else:
        table.footer(reports)
    return reports


# ---- the command ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    paths: list[Path]
    as_json: bool = False
    keep_numbers: bool = False
    llm_base_url: str | None = None
    model: str | None = None


LLM_NOTE = """\
eval: the LLM path. The LLM is a setting of the dialogue service, read when it starts, so the
running dialogue keeps its own: eval runs its own persistence, tools and dialogue in this
process on a private NATS, against the project's database, the dialogue with
    {settings}
To evaluate the running stack on an LLM instead, restart it with EC_LLM_BASE_URL, EC_LLM_MODEL
and EC_LLM_API_KEY set (`equity-connect down --keep-infra`, then
`EC_LLM_BASE_URL=… EC_LLM_MODEL=… EC_LLM_API_KEY=… equity-connect up`) and run eval without
these flags."""


async def run(options: Options, out: TextIO = sys.stdout) -> int:
    """0 when every script passed, 1 on any miss (or nothing to run), 2 on bad arguments."""
    from services.agent_gateway.settings import Settings as GatewaySettings
    from services.ops.stack import resolve_urls

    try:
        scripts = find_scripts(options.paths)
    except ScriptError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not scripts:
        print(f"error: no *.txt scripts in {', '.join(map(str, options.paths))}", file=sys.stderr)
        return 2
    urls = resolve_urls()
    timing = GatewaySettings.from_env().timing
    if options.llm_base_url or options.model:
        return await _run_llm(options, scripts, timing, urls.database, out)
    missing = await not_answering()
    if missing:
        print(f"error: not answering: {', '.join(missing)} — start the stack with "
              "`equity-connect up`", file=sys.stderr)  # fmt: skip
        return 1
    reports = await _run_on(urls.nats, options, scripts, timing, urls.database, out)
    return 0 if all(r.passed for r in reports) else 1


async def _run_llm(
    options: Options, scripts: list[tuple[str, Path]], timing: Any, database_url: str,
    out: TextIO,
) -> int:  # fmt: skip
    """The suite on eval's own in-process services, the dialogue on the LLM; 1 also when any
    LLM request failed (the dialogue then answers with its offline policy for a while)."""
    from services.dialogue.bootstrap import build_llm
    from services.ops.inprocess import services_running

    env = llm_env(options, os.environ)
    shown = " ".join(f"{k}={env[k]}" for k in ("EC_LLM_BASE_URL", "EC_LLM_MODEL") if k in env)
    print(LLM_NOTE.format(settings=shown), file=sys.stderr)
    llm = CountingLlm(build_llm(env))
    try:
        with private_nats() as nats_url:
            async with services_running(nats_url, database_url, env, llm=llm):
                reports = await _run_on(nats_url, options, scripts, timing, database_url, out,
                                        llm)  # fmt: skip
    finally:
        await llm.close()
    answered, failed = llm.counts()
    print(f"LLM: {answered} requests answered, {failed} failed", file=sys.stderr)
    if failed or not answered:
        print("error: the LLM " + (f"failed {failed} requests; after a failure the dialogue "
              "answers with its offline policy for a while, so these results are not all the "
              "LLM's" if failed else "answered no request"), file=sys.stderr)  # fmt: skip
        return 1
    return 0 if all(r.passed for r in reports) else 1


async def _run_on(
    nats_url: str, options: Options, scripts: list[tuple[str, Path]], timing: Any,
    database_url: str, out: TextIO, llm: CountingLlm | None = None,
) -> list[ScriptReport]:  # fmt: skip
    from contracts.bus import connect_resilient
    from services.ops.migrate import service_url

    nc = await connect_resilient(nats_url, "eval")
    try:
        suite = Suite(nc, service_url(database_url, "tools"), options.keep_numbers, timing,
                      llm=llm)  # fmt: skip
        return await run_suite(suite, scripts, as_json=options.as_json, out=out)
    finally:
        try:
            await asyncio.wait_for(nc.drain(), 10)
        except Exception:
            await nc.close()


async def not_answering() -> list[str]:
    from services.ops.presence import instances

    found = await instances(wait=0.5)
    return [s for s in BUS_SERVICES if not any(i.service == s and i.ready for i in found)]


def llm_env(options: Options, environ: Any) -> dict[str, str]:
    """The in-process services' settings: the environment, with the LLM turned on."""
    env = {k: v for k, v in environ.items() if isinstance(v, str)}
    if env.get("EC_DIALOGUE_POLICY", "").lower() == "offline":
        del env["EC_DIALOGUE_POLICY"]
    if options.llm_base_url:
        env["EC_LLM_BASE_URL"] = options.llm_base_url
    if options.model:
        env["EC_LLM_MODEL"] = options.model
    if not any(env.get(k) for k in ("EC_LLM_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY")):
        # without a key the dialogue would quietly answer with its offline policy
        print("eval: no EC_LLM_API_KEY set: sending the placeholder key 'none' (enough for a "
              "local server that wants no key)", file=sys.stderr)  # fmt: skip
        env["EC_LLM_API_KEY"] = "none"
    return env


@contextmanager
def private_nats() -> Iterator[str]:
    from services.ops.infra import NatsServer

    with tempfile.TemporaryDirectory(prefix="ec-eval-") as root:
        server = NatsServer(Path(root) / "nats")
        port = server.start()
        os.environ.update(server.credentials())  # the services connect as their identities
        try:
            yield f"nats://127.0.0.1:{port}"
        finally:
            server.stop()
