"""Knowledge-base tables: passages without (current) embeddings, and the hybrid search."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from psycopg import AsyncConnection

from services.tools.kb.embedder import Vectors
from services.tools.kb.terms import QueryTerms

#: How many candidates each signal (vector, full text) contributes before ranking.
CANDIDATES = 12


@dataclass(frozen=True)
class Hit:
    content: str
    source: str
    section: str
    similarity: float
    #: the query's (stemmed) words this passage contains
    matched: tuple[str, ...]


async def search(
    conn: AsyncConnection, vector: Vectors, terms: QueryTerms, limit: int = CANDIDATES
) -> list[Hit]:
    """The nearest passages by cosine (HNSW) together with the best full-text matches of the
    query's rare words, each with the query's words (stems) it contains."""
    rare = " | ".join(quote_lexeme(s) for s in terms.rare) or None
    cur = await conn.execute(
        """
        WITH near AS (
            SELECT id FROM kb_chunks ORDER BY embedding <=> %(v)b LIMIT %(n)s
        ),
        lexical AS (
            SELECT id FROM (
                SELECT id, tsv FROM kb_chunks
                WHERE %(rare)s::text IS NOT NULL AND tsv @@ to_tsquery('simple', %(rare)s)
                LIMIT 200
            ) AS m
            ORDER BY ts_rank_cd(m.tsv, to_tsquery('simple', %(rare)s)) DESC LIMIT %(n)s
        )
        SELECT c.content, d.source, c.section,
               coalesce(1 - (c.embedding <=> %(v)b), 0) AS similarity,
               array(SELECT w FROM unnest(%(stems)s::text[]) AS w
                     WHERE c.tsv @@ to_tsquery('simple', quote_literal(w))) AS matched
        FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id
        WHERE c.id IN (SELECT id FROM near UNION SELECT id FROM lexical)
        """,
        {"v": vector, "n": limit, "rare": rare, "stems": list(terms.stems)},
    )
    return [Hit(r[0], r[1], r[2], float(r[3]), tuple(r[4])) for r in await cur.fetchall()]


def quote_lexeme(stem: str) -> str:
    return "'" + stem.replace("'", "''") + "'"


@dataclass(frozen=True)
class Pending:
    chunk_id: uuid.UUID
    text: str


async def unembedded(conn: AsyncConnection, model_id: str, limit: int) -> list[Pending]:
    """Passages with no embedding, or one from another model; section first, as searched."""
    cur = await conn.execute(
        """SELECT id, section, content FROM kb_chunks
           WHERE embedding IS NULL OR embedding_model IS DISTINCT FROM %s
           ORDER BY id LIMIT %s""",
        (model_id, limit),
    )
    return [Pending(r[0], f"{r[1]}. {r[2]}") for r in await cur.fetchall()]


async def store_embeddings(
    conn: AsyncConnection, model_id: str, chunk_ids: Sequence[uuid.UUID], vectors: Vectors
) -> None:
    async with conn.cursor() as cur:
        await cur.executemany(
            "UPDATE kb_chunks SET embedding = %b, embedding_model = %s WHERE id = %s",
            [(np.asarray(v), model_id, cid) for cid, v in zip(chunk_ids, vectors, strict=True)],
        )


async def count_chunks(conn: AsyncConnection) -> tuple[int, int]:
    """(all passages, passages with an embedding)."""
    cur = await conn.execute("SELECT count(*), count(embedding) FROM kb_chunks")
    row = await cur.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
