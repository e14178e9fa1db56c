"""``equity-connect``: the one command for operators and developers.

Errors an operator must fix end with one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence

from services.ops.infra import InfraError


def _infra(args: argparse.Namespace) -> int:
    from services.ops import stack

    if args.action == "up":
        urls = stack.up()
        print(f"nats      {urls.nats}")
        print(f"postgres  {_redact(urls.database)}")
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

    return asyncio.run(run())


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

    spec = sub.add_parser("asyncapi", help="print, write or check docs/asyncapi.yaml")
    group = spec.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    spec.set_defaults(func=_asyncapi)

    sub.add_parser("demo", help="run the main job against the running infrastructure").set_defaults(
        func=_demo
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except InfraError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
