"""``equity-connect kb add FILE|DIR`` / ``kb embed`` / ``kb search "query"``.

Uses ``EC_TOOLS_DATABASE_URL`` (set by ``equity-connect`` from the project's infrastructure)
and the same embedder settings as the service.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg

from services.tools.bootstrap import build_embedder, open_pool
from services.tools.kb.chunking import load_file
from services.tools.kb.embedder import Embedder
from services.tools.kb.search import embed_missing, search_knowledge
from services.tools.kb.terms import TermStats
from services.tools.seed import Document, upsert_document
from services.tools.settings import Settings

SUFFIXES = (".md", ".markdown", ".txt")


def collect(paths: list[Path]) -> list[tuple[Path, str]]:
    """Files to ingest with their source names (a directory's files keep their sub-path)."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix.lower() in SUFFIXES:
                    found.append((file, f"{path.name}/{file.relative_to(path).as_posix()}"))
        elif path.is_file():
            found.append((path, path.name))
        else:
            raise FileNotFoundError(str(path))
    return found


def add(settings: Settings, paths: list[Path]) -> tuple[int, int, int]:
    """Ingest files (chunked, unchanged ones skipped); returns (files, changed, passages)."""
    docs: list[Document] = [load_file(file, source) for file, source in collect(paths)]
    changed = 0
    with psycopg.connect(settings.database_url) as conn, conn.transaction():
        for doc in docs:
            changed += upsert_document(conn, doc)
    return len(docs), changed, sum(len(d.passages) for d in docs)


async def embed(settings: Settings, embedder: Embedder | None = None) -> int:
    owned = embedder is None
    embedder = embedder or build_embedder(settings)
    pool = await open_pool(settings)
    try:
        return await embed_missing(pool, embedder)
    finally:
        await pool.close()
        if owned:
            await embedder.aclose()


async def search(settings: Settings, query: str, top_k: int) -> int:
    embedder = build_embedder(settings)
    pool = await open_pool(settings)
    terms = TermStats()
    try:
        async with pool.connection() as conn:
            await terms.refresh(conn)
        result = await search_knowledge(pool, embedder, terms, query, top_k, settings.kb_min_score)
    finally:
        await pool.close()
        await embedder.aclose()
    if not result.answered:
        print(f"no good answer (nothing scored {settings.kb_min_score} or more)")
        print(f"fallback: {result.fallback}")
        return 1
    for p in result.passages:
        print(f"{p.score:.3f}  {p.source} § {p.section}")
        print(f"       {p.text}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="equity-connect kb", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    add_p = sub.add_parser("add", help="ingest Markdown/text files or directories, then embed")
    add_p.add_argument("paths", nargs="+", type=Path)
    add_p.add_argument("--no-embed", action="store_true", help="leave embedding to the service")
    sub.add_parser("embed", help="embed every passage that lacks a current embedding")
    search_p = sub.add_parser("search", help="search the knowledge base")
    search_p.add_argument("query")
    search_p.add_argument("--top-k", type=int, default=3)
    return parser


def main(argv: list[str], prepare: Callable[[], None] = lambda: None) -> int:
    """``prepare`` runs after the arguments parse (``--help`` needs nothing running): the
    operator CLI passes the step that finds the infrastructure."""
    args = build_parser().parse_args(argv[1:] if argv and argv[0] == "kb" else argv)
    prepare()
    settings = Settings.from_env()
    if not settings.database_url:
        print("error: EC_TOOLS_DATABASE_URL is not set", file=sys.stderr)
        return 1
    try:
        if args.action == "add":
            files, changed, passages = add(settings, args.paths)
            print(f"{files} files, {changed} new or changed, {passages} passages")
            if not args.no_embed:
                print(f"embedded {asyncio.run(embed(settings))} passages")
            return 0
        if args.action == "embed":
            print(f"embedded {asyncio.run(embed(settings))} passages")
            return 0
        return asyncio.run(search(settings, args.query, args.top_k))
    except FileNotFoundError as err:
        print(f"error: no such file or directory: {err}", file=sys.stderr)
        return 1
    except psycopg.OperationalError:
        print(
            "error: cannot connect to the database (is `equity-connect infra up` done?)",
            file=sys.stderr,
        )
        return 1
