"""Search the knowledge base (hybrid: meaning + exact words) and embed what lacks vectors."""

from __future__ import annotations

import asyncio
import logging

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from contracts.tools import KnowledgeResult, Passage
from services.tools.kb import store
from services.tools.kb.embedder import Embedder
from services.tools.kb.terms import QueryTerms, TermStats

log = logging.getLogger(__name__)

#: Weight of keyword coverage (0..1) next to cosine similarity (-1..1): a passage with the
#: query's exact terms ("HECM", "FHA", "NMLS") is lifted even where the model is vague.
KEYWORD_WEIGHT = 0.25
FALLBACK = (
    "That's a good question for the licensed specialist. They can go over it with you in the "
    "consultation."
)
EMBED_BATCH = 64
EMBED_LOCK = 0x45_43_4B_42  # "ECKB": one copy embeds at a time


def rank(
    query: QueryTerms, hits: list[store.Hit], stats: TermStats, top_k: int, min_score: float
) -> KnowledgeResult:
    """Meaning plus a bounded lift for the query's words a passage contains (rare words count
    more); nothing at or above ``min_score``: no answer."""
    ranked = sorted(
        ((h.similarity + KEYWORD_WEIGHT * stats.coverage(query, h.matched), h) for h in hits),
        key=lambda pair: pair[0],
        reverse=True,
    )
    passages = [
        Passage(text=h.content, source=h.source, section=h.section, score=round(score, 4))
        for score, h in ranked
        if score >= min_score
    ][:top_k]
    return KnowledgeResult(
        answered=bool(passages), passages=passages, fallback="" if passages else FALLBACK
    )


async def search_knowledge(
    pool: AsyncConnectionPool,
    embedder: Embedder,
    terms: TermStats,
    query: str,
    top_k: int,
    min_score: float,
) -> KnowledgeResult:
    """Embed the query (no database connection held meanwhile; a word never seen before is
    stemmed by Postgres in the meantime), then one query for both signals."""
    embedding = asyncio.ensure_future(embedder.embed([query]))
    try:
        unknown = terms.unknown_words(query)
        if unknown:
            async with pool.connection() as conn:
                await terms.learn(conn, unknown)
        vector = (await embedding)[0]
    finally:
        embedding.cancel()
    words = terms.terms(query)
    async with pool.connection() as conn:
        hits = await store.search(conn, vector, words)
    return rank(words, hits, terms, top_k, min_score)


async def embed_missing(pool: AsyncConnectionPool, embedder: Embedder) -> int:
    """Embed every passage without a vector from ``embedder``'s model; returns how many.

    Several copies may start together: an advisory lock lets one of them do the work.
    """
    done = 0
    async with pool.connection() as conn:
        await conn.set_autocommit(True)
        cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (EMBED_LOCK,))
        row = await cur.fetchone()
        if not row or not row[0]:
            return 0
        try:
            done = await _embed_all(conn, embedder)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (EMBED_LOCK,))
    if done:
        log.info("knowledge base: embedded %d passages with %s", done, embedder.model_id)
    return done


async def _embed_all(conn: AsyncConnection, embedder: Embedder) -> int:
    done = 0
    while True:
        pending = await store.unembedded(conn, embedder.model_id, EMBED_BATCH * 4)
        if not pending:
            return done
        vectors = await embedder.embed([p.text for p in pending])
        async with conn.transaction():
            await store.store_embeddings(
                conn, embedder.model_id, [p.chunk_id for p in pending], vectors
            )
        done += len(pending)
