"""equity-connect: the one command for operators and developers.

Errors an operator must fix end with one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from services.ops.infra import InfraError


def _infra(args: argparse.Namespace) -> int:
    from services.ops import stack

    if args.action == "up":
        urls = stack.up()
        print(f"nats      {urls.nats}")
        print(f"postgres  {_redact(urls.database)}")
        if urls.storage:
            print(f"storage   {urls.storage} (fake Supabase Storage, local)")
        else:
            print("storage   external (SUPABASE_URL)")
    elif args.action == "down":
        stack.down()
        print("infrastructure stopped (data kept)")
    else:
        for key, value in stack.status().items():
            print(f"{key:<9} {value}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from services.ops.migrate import migrate
    from services.ops.stack import resolve_urls

    applied = migrate(resolve_urls().database)
    if not applied:
        print("migrations: up to date")
    for item in applied:
        print(f"applied {item.service}/{item.version}")
    return 0


def _streams(args: argparse.Namespace) -> int:
    import asyncio

    from services.ops.stack import declare_streams

    export_urls()
    asyncio.run(declare_streams(os.environ["NATS_URL"]))
    print("streams: declared")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from services.ops.seeding import seed_all
    from services.ops.stack import resolve_urls

    summary = seed_all(resolve_urls().database)
    print("seeded: " + ", ".join(f"{k} {v}" for k, v in summary.counts.items()))
    return 0


def _asyncapi(args: argparse.Namespace) -> int:
    from contracts import asyncapi

    if args.write:
        asyncapi.write()
        print(f"wrote {asyncapi.DOC_PATH}")
        return 0
    if args.check:
        if asyncapi.is_current():
            print("docs/asyncapi.yaml is current")
            return 0
        print(
            "docs/asyncapi.yaml is out of date: run `equity-connect asyncapi --write`",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(asyncapi.render())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from services.ops.demo import run

    export_urls()
    return asyncio.run(run())


def _eval(args: argparse.Namespace) -> int:
    from services.ops.evaluate import Options, run

    export_urls()
    options = Options(args.dirs, as_json=args.json, keep_numbers=args.keep_numbers,
                      llm_base_url=args.llm_base_url, model=args.model)  # fmt: skip
    return asyncio.run(run(options))


def _chaos(args: argparse.Namespace) -> int:
    from services.ops import chaos

    return chaos.main(args.drills, quick=args.quick, keep=args.dir)


SERVICES = {
    "persistence": "services.persistence.main",
    "tools": "services.tools.main",
    "dialogue": "services.dialogue.main",
    "gateway": "services.agent_gateway.main",
}
#: Sub-commands owned by a service's own CLI module: ``equity-connect <cmd> ...`` → ``main(argv)``.
DELEGATED = {
    "kb": "services.tools.cli",
    "calls": "services.persistence.cli",
    "dlq": "services.persistence.cli",
    "retention": "services.persistence.cli",
    "webhooks": "services.persistence.cli",
    "recordings": "services.agent_gateway.recordings_cli",
    "call": "services.agent_gateway.cli",
    "livekit": "services.agent_gateway.livekit_setup",
}
DELEGATED_HELP = {
    "call": "place a simulated (text) call through the gateway's session code",
    "calls": "the call record: list, show ID, scores, recording ID (a signed URL)",
    "retention": "delete recordings and transcripts older than EC_RETENTION_DAYS",
    "webhooks": "the webhook outbox: list, retry dead rows",
    "recordings": "recordings waiting in this machine's spool: list, retry",
    "dlq": "dead letters: list, replay",
    "kb": "the knowledge base: add FILE|DIR, embed, search QUERY",
    "livekit": "create or update the inbound SIP trunk and dispatch rule on LiveKit",
}
SERVE_HELP = {
    "persistence": "the call record, conversation memory, templates and prompts",
    "tools": "leads, qualification, brokers, calendar, booking, knowledge base",
    "dialogue": "the conversation: node graph, LLM or offline policy",
    "gateway": "the LiveKit worker (needs LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)",
}
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Delegated commands that talk to LiveKit only, not to our bus or database.
NO_BUS = {"livekit"}


def export_urls() -> None:
    """Put the bus and database URLs (and each service's own DSN) in the environment."""

    from services.ops.migrate import OWNERS, service_url
    from services.ops.stack import export_credentials, resolve_urls

    urls = resolve_urls(need_database=False)
    export_credentials()
    os.environ["NATS_URL"] = urls.nats
    if not urls.database:  # a container of a service without tables: NATS is enough
        return
    os.environ["DATABASE_URL"] = urls.database
    for own in OWNERS:
        key = f"EC_{own.service.upper()}_DATABASE_URL"
        os.environ.setdefault(key, service_url(urls.database, own.service))


#: CPU priority (nice) per service when ``EC_CPU_NICE`` is not set: the record writer is batch
#: work and yields the CPU to the conversation on a busy machine.
DEFAULT_NICE = {"persistence": 10}


def lower_priority(service: str) -> None:
    """Run this copy at ``EC_CPU_NICE`` (0–19), else the service's default; a bad value is
    refused with one clear line."""

    from contracts.settings import Env, SettingsError

    try:
        nice = Env().integer("EC_CPU_NICE", DEFAULT_NICE.get(service, 0), low=0, high=19)
    except SettingsError as err:
        raise SystemExit(f"error: {err}") from None
    if nice:
        os.nice(nice)


def log_format() -> str:
    """``EC_LOG_FORMAT``: ``json`` (the default under ``serve``) or ``text``."""
    from contracts.settings import Env, SettingsError

    value = Env().text("EC_LOG_FORMAT", "json").lower()
    if value not in ("json", "text"):
        raise SettingsError("EC_LOG_FORMAT", f"expected json or text, not {value!r}")
    return value


def _serve(args: argparse.Namespace) -> int:
    import importlib

    from contracts.observability import logs
    from contracts.settings import Env

    export_urls()
    level = Env().log_level("EC_LOG_LEVEL", default="INFO" if args.verbose else "WARNING")
    # one JSON object per line (EC_LOG_FORMAT=text: human lines), call/trace id, PII redacted
    logs.configure(level, log_format(), service=args.service)
    lower_priority(args.service)
    module = importlib.import_module(SERVICES[args.service])
    code: int = module.main([args.mode] if args.service == "gateway" else [])
    return code


def _health(args: argparse.Namespace) -> int:
    from services.ops.presence import instances

    if args.http:
        return _health_http(args)
    export_urls()
    found = asyncio.run(instances(args.service, wait=args.timeout))
    if not found:
        print(f"{args.service}: no running copy answered", file=sys.stderr)
        return 1
    ready = [i for i in found if i.ready]
    if not ready:  # e.g. a gateway worker not (or no longer) registered with LiveKit
        print(f"{args.service}: {len(found)} running, none ready", file=sys.stderr)
        return 1
    print(f"{args.service}: {len(ready)} running")
    return 0


def _health_http(args: argparse.Namespace) -> int:
    """``GET http://127.0.0.1:<EC_HTTP_PORT>/health/ready`` of the copy in this container:
    exit 0 on 200 (the compose healthcheck; the images have no curl)."""
    import json
    import urllib.error
    import urllib.request

    from contracts.observability.http import HttpSettings

    port = args.port or HttpSettings.from_env(args.service).port
    url = f"http://127.0.0.1:{port}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout + 2) as answer:
            body = answer.read().decode()
    except urllib.error.HTTPError as err:  # 503: not ready, and why
        print(f"{args.service}: not ready: {err.read().decode().strip()}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"{args.service}: nothing answers on {url} ({err})", file=sys.stderr)
        return 1
    checks = json.loads(body).get("checks", {})
    print(f"{args.service}: ready ({', '.join(sorted(checks))})")
    return 0


def _up(args: argparse.Namespace) -> int:
    import time

    from services.ops import processes, stack
    from services.ops.migrate import migrate
    from services.ops.presence import instances

    urls = stack.up()
    migrate(urls.database)
    export_urls()
    scale = dict(_scale(item) for item in args.scale)
    for copy, state in processes.start_copies(scale):
        print(f"{copy.name:<16} {state}")
    wanted = {s: scale.get(s, 1) for s in processes.services_to_run()}
    deadline = time.monotonic() + args.wait
    while True:
        found = asyncio.run(instances(wait=0.3))
        counts = {s: sum(1 for i in found if i.service == s and i.ready) for s in wanted}
        if all(counts[s] >= n for s, n in wanted.items()):
            print("all services answering: " + ", ".join(f"{s} ×{n}" for s, n in counts.items()))
            return 0
        if time.monotonic() > deadline:
            missing = [s for s, n in wanted.items() if counts[s] < n]
            print(f"error: not answering after {args.wait:.0f}s: {', '.join(missing)} "
                  f"(logs in {stack.data_dir() / 'logs'})", file=sys.stderr)  # fmt: skip
            return 1


def _scale(item: str) -> tuple[str, int]:
    service, _, count = item.partition("=")
    if service not in SERVICES or not count.isdigit() or int(count) < 1:
        raise SystemExit(f"error: --scale wants SERVICE=N with SERVICE in {sorted(SERVICES)}")
    return service, int(count)


def _down(args: argparse.Namespace) -> int:
    from services.ops import processes, stack

    for copy in processes.stop_copies():
        print(f"{copy.name:<16} stopped")
    if not args.keep_infra:
        stack.down()
        print("infrastructure stopped (data kept)")
    return 0


def _status(args: argparse.Namespace) -> int:
    """What runs, within about 2 s whatever is down: the servers, then the copies of each
    service that answer on the bus (a stopped NATS is reported, not waited for)."""
    from contracts.bus import BusUnavailable
    from services.ops import processes, stack
    from services.ops.presence import instances

    for key, value in stack.status().items():
        print(f"{key:<12} {value}")
    local = processes.local_copies()
    try:
        export_urls()
        found = asyncio.run(instances(wait=0.5))
    except (InfraError, BusUnavailable) as err:
        print(f"services     unknown: {err}")
        for service, count in sorted(local.items()):
            print(f"{service:<12} {count} started here (cannot ask them without NATS)")
        return 1
    for service in SERVICES:
        answering = [i for i in found if i.service == service]
        if service == "gateway" and not answering and not os.environ.get("LIVEKIT_URL"):
            print(f"{service:<12} not configured (LIVEKIT_URL is not set; "
                  "`equity-connect call` places simulated calls)")  # fmt: skip
            continue
        handled = sum(i.handled for i in answering)
        in_flight = sum(i.in_flight for i in answering)
        ready = sum(i.ready for i in answering)
        line = (f"{service:<12} {len(answering)} cop{'y' if len(answering) == 1 else 'ies'} "
                f"answering ({local.get(service, 0)} started here), {handled} handled, "
                f"{in_flight} in progress")  # fmt: skip
        if service == "gateway":
            line += f", {ready} ready (registered with LiveKit)"
        elif ready < len(answering):
            line += f", {len(answering) - ready} not ready"
        print(line)
        for copy in sorted(answering, key=lambda i: i.started_at):
            print("  " + copy_line(copy))
    return 0


def copy_line(pong: object) -> str:
    """One copy in ``status``: id, pid, HTTP port, lag, dead letters, last error."""
    from datetime import UTC, datetime

    from contracts.ops import InstancePong

    assert isinstance(pong, InstancePong)
    parts = [f"{pong.instance_id:<18}", f"pid {pong.pid:<7}",
             f"http :{pong.http_port}" if pong.http_port else "http -",
             "ready" if pong.ready else "NOT READY",
             f"lag {pong.consumer_lag}" if pong.consumer_lag is not None else "lag -",
             f"dead letters {pong.dead_letters}"]  # fmt: skip
    if pong.last_error:
        ago = ""
        if pong.last_error_at is not None:
            seconds = max((datetime.now(UTC) - pong.last_error_at).total_seconds(), 0)
            ago = f" ({_ago(seconds)} ago)"
        parts.append(f"last error{ago}: {pong.last_error[:120]}")
    else:
        parts.append("no errors")
    return "  ".join(parts)


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def _tap(args: argparse.Namespace) -> int:
    from services.ops.tap import tap

    export_urls()
    return asyncio.run(tap(args.subject, call=args.call, raw=args.json, redact=args.redact,
                           limit=args.limit))  # fmt: skip


def _redact(url: str) -> str:
    """Never print a password."""
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        scheme, rest = url.split("//", 1)
        user = rest.split(":", 1)[0]
        return f"{scheme}//{user}:***@{rest.split('@', 1)[1]}"
    return url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="equity-connect", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    infra = sub.add_parser("infra", help="start/stop/show the project's NATS and Postgres")
    infra.add_argument("action", choices=["up", "down", "status"])
    infra.set_defaults(func=_infra)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    sub.add_parser("seed", help="load seed data (idempotent)").set_defaults(func=_seed)
    sub.add_parser(
        "streams", help="declare the JetStream streams, as the admin (idempotent)"
    ).set_defaults(func=_streams)

    spec = sub.add_parser("asyncapi", help="print, write or check docs/asyncapi.yaml")
    group = spec.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    spec.set_defaults(func=_asyncapi)

    serve = sub.add_parser(
        "serve", help="run one copy of a service in the foreground",
        description="Run one copy of a service in the foreground until SIGTERM/SIGINT; run it "
        "again to add copies. Configured by the environment and .env (see .env.example); "
        "EC_LOG_LEVEL sets the log level.",
    )  # fmt: skip
    which = serve.add_subparsers(dest="service", required=True, metavar="SERVICE")
    for name, about in SERVE_HELP.items():
        one = which.add_parser(name, help=about, description=about)
        if name == "gateway":
            one.add_argument("mode", nargs="?", choices=["start", "dev"], default="start",
                             help="LiveKit worker mode (default: start)")  # fmt: skip
        one.set_defaults(func=_serve)

    health = sub.add_parser("health", help="exit 0 when a copy of the service answers")
    health.add_argument("service", choices=sorted(SERVICES))
    health.add_argument("--timeout", type=float, default=1.0)
    health.add_argument("--http", action="store_true",
                        help="ask this machine's copy over HTTP (/health/ready on EC_HTTP_PORT) "
                        "instead of the bus")  # fmt: skip
    health.add_argument("--port", type=int, default=0, help="with --http: this port")
    health.set_defaults(func=_health)

    up = sub.add_parser("up", help="infrastructure + every service in the background")
    up.add_argument("--scale", action="append", default=[], metavar="SERVICE=N")
    up.add_argument("--wait", type=float, default=60.0, help="seconds to wait for health")
    up.set_defaults(func=_up)
    down = sub.add_parser("down", help="stop every service (and the infrastructure)")
    down.add_argument("--keep-infra", action="store_true")
    down.set_defaults(func=_down)
    sub.add_parser("status", help="infrastructure and running copies").set_defaults(func=_status)

    tap = sub.add_parser("tap", help="watch bus traffic, decoded")
    tap.add_argument("subject", nargs="?", default="calls.>")
    tap.add_argument("--call", help="follow one call")
    tap.add_argument("--json", action="store_true", help="raw JSON")
    tap.add_argument("--redact", action="store_true", help="mask phones, emails, addresses")
    tap.add_argument("--limit", type=int, default=0, help="stop after N messages")
    tap.set_defaults(func=_tap)

    sub.add_parser("demo", help="run the main job against the running infrastructure").set_defaults(
        func=_demo
    )
    evaluate = sub.add_parser(
        "eval", help="run caller scripts against the running stack and score them",
        description="Place each caller script (default: tests/conversations/**/*.txt; format in "
        "tests/conversations/README.md) as simulated calls against the running services, from "
        "a fresh number in the script's area code, and compare the outcome and checks. Exit 1 "
        "on any miss.",
    )  # fmt: skip
    evaluate.add_argument("dirs", nargs="*", type=Path, metavar="DIR",
                          default=[Path("tests/conversations")],
                          help="directories of *.txt scripts, or script files "
                          "(default: tests/conversations)")  # fmt: skip
    evaluate.add_argument("--json", action="store_true",
                          help="one JSON object per script, then a summary object")  # fmt: skip
    evaluate.add_argument("--keep-numbers", action="store_true",
                          help="call from the scripts' own numbers (not fresh ones)")  # fmt: skip
    evaluate.add_argument("--llm-base-url", metavar="URL",
                          help="run the suite through the LLM path (EC_LLM_BASE_URL): eval then "
                          "runs its own services in-process on a private NATS")  # fmt: skip
    evaluate.add_argument("--model", metavar="M", help="the LLM model (EC_LLM_MODEL), as above")
    evaluate.set_defaults(func=_eval)
    chaos = sub.add_parser(
        "chaos", help="the fault drills on private infrastructure; one table: drill, bar, measured",
        description="Start a private NATS and Postgres (free ports, a temporary directory) and "
        "two copies of each service, run the fault drills (kill -9 of each service under load, "
        "NATS restart, Postgres down 30 s, 10,000 malformed messages, 1,000 bookings of one "
        "slot, forged sessions), print one table and write bench/results/chaos-<time>.json. "
        "Exit 1 if any drill failed.",
    )  # fmt: skip
    chaos.add_argument("drills", nargs="*", metavar="DRILL",
                       help="run only these (kill-persistence, kill-tools, kill-dialogue, "
                       "nats-restart, postgres-down, malformed, forged-sessions, booking-race, "
                       "forbidden-operations)")  # fmt: skip
    chaos.add_argument(
        "--quick",
        action="store_true",
        help="smaller sizes (2,000 messages, 300 bookings, Postgres down 10 s)",
    )
    chaos.add_argument("--dir", type=Path, help="keep the infrastructure's data and the "
                       "services' logs here (default: a temporary directory)")  # fmt: skip
    chaos.set_defaults(func=_chaos)
    # Listed here for the help; `equity-connect <cmd> --help` is answered by the command's own
    # parser, which needs nothing running.
    for name, about in DELEGATED_HELP.items():
        listed = sub.add_parser(name, help=about, add_help=False)
        listed.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from contracts.bus import BusUnavailable
    from contracts.settings import SettingsError, load_dotenv

    argv = list(sys.argv[1:] if argv is None else argv)
    errors = (InfraError, SettingsError, BusUnavailable)
    try:
        load_dotenv()
        if argv and argv[0] in DELEGATED:
            return _delegate(argv)
        args = build_parser().parse_args(argv)
        logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                            format=LOG_FORMAT)  # fmt: skip
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except errors as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `equity-connect calls show ID | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _delegate(argv: list[str]) -> int:
    """``argv[0]`` names the command; its module parses the rest and calls ``prepare`` (which
    finds the infrastructure) only once the arguments are good — so ``--help`` needs nothing
    running."""
    import importlib

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    module = importlib.import_module(DELEGATED[argv[0]])
    if argv[0] in NO_BUS:
        code: int = module.main(argv)
    else:
        code = module.main(argv, prepare=export_urls)
    return code


if __name__ == "__main__":
    sys.exit(main())
