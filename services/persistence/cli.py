"""``equity-connect calls list|show|scores|recording``, ``equity-connect retention``,
``equity-connect webhooks list|retry`` and ``equity-connect dlq list|replay``.

Engineers are authorised to see call content; phone numbers are still shortened in lists.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from nats.js import JetStreamContext

from contracts import codec
from contracts.bus import BusUnavailable, connect_once
from contracts.deadletter import DeadLetter
from contracts.recordings import StorageError, store_from
from contracts.settings import Env
from contracts.subjects import DLQ_STREAM, Header


def main(argv: list[str], prepare: Callable[[], None] = lambda: None) -> int:
    """``argv`` starts with ``calls`` or ``dlq``. ``prepare`` runs after the arguments parse
    (``--help`` needs nothing running): the operator CLI passes the step that finds the
    infrastructure."""
    parser = argparse.ArgumentParser(prog="equity-connect")
    sub = parser.add_subparsers(dest="group", required=True)
    calls = sub.add_parser("calls", help="the call record")
    calls_sub = calls.add_subparsers(dest="action", required=True)
    listing = calls_sub.add_parser("list", help="recent calls")
    listing.add_argument("--limit", type=int, default=20)
    show = calls_sub.add_parser("show", help="one call: transcript, tools, outcome, timing")
    show.add_argument("call_id")
    scores = calls_sub.add_parser(
        "scores", help="average evaluation scores per prompt version (calls with a conversation)"
    )
    scores.add_argument("--days", type=int, default=30, help="calls of the last N days")
    rec = calls_sub.add_parser("recording", help="a signed URL of one call's recording")
    rec.add_argument("call_id")
    rec.add_argument("--expires", type=int, help="seconds (default EC_RECORDING_URL_EXPIRY_S)")
    keep = sub.add_parser(
        "retention",
        help="delete recordings and transcripts older than EC_RETENTION_DAYS (or --days)",
    )
    keep.add_argument("--days", type=int, help="keep this many days (default EC_RETENTION_DAYS)")
    keep.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    hooks = sub.add_parser("webhooks", help="the webhook outbox")
    hooks_sub = hooks.add_subparsers(dest="action", required=True)
    hooks_list = hooks_sub.add_parser("list", help="recent webhooks and their state")
    hooks_list.add_argument("--status", choices=("pending", "delivered", "dead"))
    hooks_list.add_argument("--limit", type=int, default=50)
    hooks_retry = hooks_sub.add_parser("retry", help="send dead webhooks again")
    hooks_retry.add_argument("ids", nargs="*", type=int, help="outbox row ids")
    hooks_retry.add_argument("--dead", action="store_true", help="every dead row")
    dlq = sub.add_parser("dlq", help="dead letters")
    dlq_sub = dlq.add_subparsers(dest="action", required=True)
    dlq_list = dlq_sub.add_parser("list", help="dead letters with their reasons")
    dlq_list.add_argument("--limit", type=int, default=50)
    replay = dlq_sub.add_parser("replay", help="publish dead letters again, then remove them")
    replay.add_argument("seqs", nargs="*", type=int, help="DLQ sequence numbers (default: all)")
    args = parser.parse_args(argv)
    prepare()
    if args.group == "retention" or (args.group == "calls" and args.action == "recording"):
        return asyncio.run(_recordings(args))
    if args.group in ("calls", "webhooks"):
        dsn = Env().require("EC_PERSISTENCE_DATABASE_URL")
        try:
            conn = psycopg.connect(dsn, connect_timeout=2)
        except psycopg.OperationalError:
            print("error: cannot connect to the database (is `equity-connect infra up` done?)",
                  file=sys.stderr)  # fmt: skip
            return 1
        with conn:
            if args.group == "webhooks":
                return webhooks_command(conn, args)
            if args.action == "list":
                return list_calls(conn, args.limit)
            if args.action == "scores":
                return prompt_scores(conn, args.days)
            return show_call(conn, args.call_id)
    try:
        if args.action == "list":
            return asyncio.run(list_dead_letters(args.limit))
        return asyncio.run(replay_dead_letters(args.seqs))
    except BusUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


async def _recordings(args: argparse.Namespace) -> int:
    from services.persistence.recordings import NoRecording, apply_retention, signed_url
    from services.persistence.settings import recording_settings

    settings = recording_settings(Env())
    store = store_from(settings)
    try:
        conn = await psycopg.AsyncConnection.connect(
            Env().require("EC_PERSISTENCE_DATABASE_URL"), autocommit=True, connect_timeout=2
        )
    except psycopg.OperationalError:
        print("error: cannot connect to the database (is `equity-connect infra up` done?)",
              file=sys.stderr)  # fmt: skip
        return 1
    async with conn:
        if args.group == "calls":
            if store is None:
                print("error: recordings are off (set SUPABASE_URL and "
                      "SUPABASE_SERVICE_ROLE_KEY)", file=sys.stderr)  # fmt: skip
                return 1
            try:
                url = await signed_url(conn, store, args.call_id,
                                       args.expires or settings.url_expiry_s)  # fmt: skip
            except NoRecording as err:
                print(f"error: {err}", file=sys.stderr)
                return 1
            except StorageError as err:
                print(f"error: Storage could not sign the URL ({err})", file=sys.stderr)
                return 1
            print(url)
            return 0
        days = args.days or settings.retention_days
        if days < 1:
            print("error: --days must be at least 1", file=sys.stderr)
            return 2
        report = await apply_retention(conn, store, days=days, now=datetime.now(UTC),
                                       dry_run=args.dry_run)  # fmt: skip
    verb = "would delete" if report.dry_run else "deleted"
    print(f"retention {days} days (before {_when(report.cutoff)} UTC): {verb} "
          f"{report.recordings_deleted} recordings and {report.transcript_lines_deleted} "
          f"transcript lines of {report.calls} calls")  # fmt: skip
    if report.recordings_left:
        why = "Storage is not configured" if store is None else "Storage refused"
        print(f"left {report.recordings_left} recordings ({why}); the next run tries again")
        return 1
    return 0


def webhooks_command(conn: psycopg.Connection, args: argparse.Namespace) -> int:
    from services.persistence.webhooks import admin

    if args.action == "retry":
        if not args.ids and not args.dead:
            print("error: name outbox ids, or --dead for every dead row", file=sys.stderr)
            return 2
        n = admin.retry(conn, args.ids, all_dead=args.dead)
        print(f"{n} dead webhooks are pending again (delivered by a running persistence copy)")
        return 0
    totals = admin.counts(conn)
    print("outbox    " + (", ".join(f"{s} {n}" for s, n in sorted(totals.items())) or "empty"))
    print(f"{'id':>6} {'type':<14} {'status':<9} {'tries':>5} {'next':<19} call / endpoint / last")
    for row in admin.rows(conn, args.status, args.limit):
        last = f"HTTP {row.last_status}" if row.last_status else (row.last_error or "-")
        print(f"{row.id:>6} {row.event_type:<14} {row.status:<9} {row.attempts:>5} "
              f"{_when(row.next_attempt_at)} {row.call_id} {row.endpoint} {last}")  # fmt: skip
    return 0


def _short(phone: str | None) -> str:
    return f"…{phone[-4:]}" if phone else "-"


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def list_calls(conn: psycopg.Connection, limit: int) -> int:
    rows = conn.execute(
        """SELECT c.call_id, c.started_at, c.duration_ms, c.outcome, c.from_number,
                  (SELECT count(*) FROM transcript_segments t WHERE t.call_id = c.call_id)
           FROM calls c ORDER BY c.started_at DESC LIMIT %s""",
        (limit,),
    ).fetchall()
    print(f"{'call':<38} {'started':<19} {'secs':>5} {'lines':>5} {'from':>6}  outcome")
    for call_id, started, duration, outcome, caller, lines in rows:
        secs = f"{duration / 1000:.0f}" if duration is not None else "-"
        print(f"{call_id:<38} {_when(started)} {secs:>5} {lines:>5} {_short(caller):>6}  "
              f"{outcome or '-'}")  # fmt: skip
    return 0


def show_call(conn: psycopg.Connection, call_id: str) -> int:
    call = conn.execute(
        """SELECT direction, call_type, from_number, to_number, started_at, ended_at, duration_ms,
                  end_reason, outcome, outcome_reason FROM calls WHERE call_id = %s""",
        (call_id,),
    ).fetchone()
    if call is None:
        print(f"error: no call {call_id}", file=sys.stderr)
        return 1
    direction, call_type, caller, dialled, started, ended, duration, end_reason, outcome, why = call
    print(f"call      {call_id}  ({direction}, {call_type or 'type unknown'})")
    print(f"numbers   from {caller or '-'} to {dialled or '-'}")
    secs = f"{duration / 1000:.1f}s" if duration is not None else "-"
    print(f"timing    {_when(started)} → {_when(ended)}  ({secs}, {end_reason or 'not ended'})")
    print(f"outcome   {outcome or '-'}" + (f" ({why})" if why else ""))
    summary = conn.execute(
        "SELECT summary FROM interactions WHERE call_id = %s", (call_id,)
    ).fetchone()
    if summary and summary[0]:
        print(f"summary   {summary[0]}")
    show_analysis(conn, call_id)
    show_recording(conn, call_id)
    print("\ntranscript")
    for seq, speaker, text, heard, interrupted in conn.execute(
        """SELECT seq, speaker, text, heard_text, interrupted FROM transcript_segments
           WHERE call_id = %s ORDER BY seq""",
        (call_id,),
    ):
        said = heard if interrupted and heard is not None else text
        mark = "  [interrupted]" if interrupted else ""
        print(f"  {seq:>3} {speaker:<6} {said}{mark}")
    tools = conn.execute(
        """SELECT tool, latency_ms, error IS NOT NULL, invoked_at FROM tool_invocations
           WHERE call_id = %s ORDER BY invoked_at""",
        (call_id,),
    ).fetchall()
    if tools:
        print("\ntools")
        for tool, latency, failed, at in tools:
            print(f"  {_when(at)} {tool:<24} {latency:7.1f} ms{'  ERROR' if failed else ''}")
    return 0


def prompt_scores(conn: psycopg.Connection, days: int) -> int:
    """Per prompt version: how many calls, the six average scores, how many booked — to compare
    versions. Calls with no conversation (``skipped-no-conversation``) are left out."""
    rows = conn.execute(
        """SELECT p.call_type::text, pv.version, pv.status::text, count(*),
                  avg(e.opening), avg(e.property_discussion), avg(e.objection_handling),
                  avg(e.booking_attempt), avg(e.tone), avg(e.overall_flow),
                  count(*) FILTER (WHERE c.outcome = 'booked'),
                  string_agg(DISTINCT e.evaluator, ',')
           FROM evaluations e
           JOIN calls c USING (call_id)
           LEFT JOIN prompt_versions pv ON pv.id = e.prompt_version_id
           LEFT JOIN prompts p ON p.id = pv.prompt_id
           WHERE e.evaluator <> 'skipped-no-conversation'
             AND c.started_at > now() - make_interval(days => %s)
           GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 2""",
        (days,),
    ).fetchall()
    print(f"last {days} days, calls with a conversation")
    print(f"{'prompt':<22} {'ver':>3} {'status':<8} {'calls':>5}  open  prop  objn  book  "
          "tone  flow  booked  evaluators")  # fmt: skip
    for call_type, version, status, n, *averages, booked, evaluators in rows:
        scores = "  ".join(f"{float(a):4.1f}" for a in averages)
        print(f"{call_type or '(none)':<22} {version or '-':>3} {status or '-':<8} {n:>5}  "
              f"{scores}  {booked:>6}  {evaluators}")  # fmt: skip
    return 0


def show_recording(conn: psycopg.Connection, call_id: str) -> None:
    row = conn.execute(
        """SELECT recording_path, recording_duration_ms, recording_offset_ms, recording_bytes,
                  recording_generated, retention_at FROM calls WHERE call_id = %s""",
        (call_id,),
    ).fetchone()
    if row is None:
        return
    path, length, offset, size, generated, deleted = row
    if path is None:
        print("recording " + ("deleted by retention" if deleted else "none"))
        return
    kind = ", generated for a text call" if generated else ""
    print(
        f"recording {path}  ({(length or 0) / 1000:.1f}s, {(size or 0) / 1024:.0f} KB, "
        f"offset {offset or 0} ms{kind}); URL: equity-connect calls recording {call_id}"
    )


def show_analysis(conn: psycopg.Connection, call_id: str) -> None:
    """Cost and the post-call evaluation, when the call has been analysed."""
    cost = conn.execute(
        "SELECT cost_cents, cost_per_min_cents, llm_tokens FROM calls WHERE call_id = %s",
        (call_id,),
    ).fetchone()
    if cost and cost[0] is not None:
        cents, per_min, tokens = cost
        print(f"cost      {float(cents):.2f}¢  ({float(per_min or 0):g}¢/min"
              f" + {tokens} LLM tokens)")  # fmt: skip
    row = conn.execute(
        """SELECT evaluator, opening, property_discussion, objection_handling, booking_attempt,
                  tone, overall_flow, strengths, weaknesses, red_flags, llm_tokens
           FROM evaluations WHERE call_id = %s""",
        (call_id,),
    ).fetchone()
    if row is None:
        print("analysis  not yet")
        return
    evaluator, *scores = row[:7]
    strengths, weaknesses, red_flags, llm_tokens = row[7:]
    names = ("opening", "property", "objections", "booking", "tone", "flow")
    print(f"analysis  {evaluator}" + (f" ({llm_tokens} tokens)" if llm_tokens else ""))
    print("scores    " + "  ".join(f"{n} {s}" for n, s in zip(names, scores, strict=True)))
    for label, items in (("strengths", strengths), ("weakness", weaknesses),
                         ("red flags", red_flags)):  # fmt: skip
        if items:
            print(f"{label:<9} " + "; ".join(items))


async def _dead_letters(js: JetStreamContext, limit: int) -> list[tuple[int, DeadLetter | None]]:
    info = await js.stream_info(DLQ_STREAM)
    out: list[tuple[int, DeadLetter | None]] = []
    seq = info.state.first_seq
    while seq and seq <= info.state.last_seq and len(out) < limit:
        try:
            msg = await js.get_msg(DLQ_STREAM, seq)
        except Exception:
            seq += 1
            continue
        try:
            out.append((seq, codec.decode(msg.data or b"", DeadLetter)))
        except codec.ContractError:
            out.append((seq, None))
        seq += 1
    return out


async def list_dead_letters(limit: int) -> int:
    nc = await connect_once(Env().require("NATS_URL"), "dlq-cli")
    try:
        letters = await _dead_letters(nc.jetstream(), limit)
    finally:
        await nc.close()
    if not letters:
        print("no dead letters")
    for seq, letter in letters:
        if letter is None:
            print(f"{seq:>6}  (unreadable dead letter)")
            continue
        print(f"{seq:>6}  {_when(letter.occurred_at)}  {letter.original_subject:<48} "
              f"{letter.kind.value:<10} {letter.reason[:120]}")  # fmt: skip
    return 0


async def _original(js: JetStreamContext, letter: DeadLetter) -> bytes | None:
    """The dead letter's payload: its copy, or (a ``reference``) the original message read
    back from its stream and checked against its hash."""
    if letter.payload_encoding == "base64":
        return base64.b64decode(letter.payload)
    if letter.payload_encoding != "reference":
        return letter.payload.encode()
    if not letter.original_stream or letter.original_seq is None:
        return None
    try:
        raw = await js.get_msg(letter.original_stream, letter.original_seq)
    except Exception:
        return None
    data = raw.data or b""
    if letter.payload_sha256 and hashlib.sha256(data).hexdigest() != letter.payload_sha256:
        return None
    return data


async def replay_dead_letters(seqs: list[int]) -> int:
    nc = await connect_once(Env().require("NATS_URL"), "dlq-cli")
    js = nc.jetstream()
    replayed = 0
    try:
        for seq, letter in await _dead_letters(js, 1_000_000):
            if letter is None or (seqs and seq not in seqs):
                continue
            payload = await _original(js, letter)
            if payload is None:
                print(f"{seq}: the original is no longer in its stream; not replayed")
                continue
            msg_id = f"replay-{seq}-{letter.event_id}"
            await js.publish(letter.original_subject, payload, headers={Header.MSG_ID: msg_id})
            await js.delete_msg(DLQ_STREAM, seq)
            replayed += 1
    finally:
        await nc.close()
    print(f"replayed {replayed} dead letter(s)")
    return 0
