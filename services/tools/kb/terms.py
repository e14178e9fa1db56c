"""The knowledge base's vocabulary: each word's stem (Postgres' english stemmer) and how many
passages contain it, for the keyword signal.

A query's words are weighted by inverse document frequency: a passage that contains the rare
word "FHA" covers more of the query "what is FHA insurance" than one that only says
"insurance". Only rare words look for passages by full text (common ones would match
thousands of passages and find nothing the meaning search did not). Refreshed at start-up, by
housekeeping and after ingestion; until then no word is known and only meaning counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from psycopg import AsyncConnection

_WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 200_000  # words whose stem is remembered (the corpus's, then queries')
#: A word in more passages than this share (or ``RARE_MIN`` passages) is not searched by text.
RARE_SHARE = 0.01
RARE_MIN = 20


@dataclass(frozen=True)
class QueryTerms:
    """The stems of a query's words that some passage contains, and how many other (non-stop)
    words it has: they weigh as the rarest, since no passage covers them."""

    stems: tuple[str, ...]
    unknown: int
    rare: tuple[str, ...]


class TermStats:
    def __init__(self) -> None:
        self.documents = 0
        self._frequency: dict[str, int] = {}
        self._stem: dict[str, str | None] = {}  # word → stem; None for stop words

    def weight(self, stem: str) -> float:
        df = self._frequency.get(stem, 0)
        return math.log(1.0 + (self.documents + 1) / (df + 1))

    @staticmethod
    def words(query: str) -> list[str]:
        return list(dict.fromkeys(_WORD.findall(query.lower())))[:40]

    def unknown_words(self, query: str) -> list[str]:
        return [w for w in self.words(query) if w not in self._stem]

    async def learn(self, conn: AsyncConnection, words: list[str]) -> None:
        """Stem words the corpus does not contain (one round trip), and remember them."""
        cur = await conn.execute(
            """SELECT w, (SELECT lexeme FROM unnest(to_tsvector('english', w)) LIMIT 1)
               FROM unnest(%s::text[]) AS w""",
            (words,),
        )
        rows = await cur.fetchall()
        if len(self._stem) < MAX_WORDS:
            self._stem.update({str(w): (str(stem) if stem else None) for w, stem in rows})

    def terms(self, query: str) -> QueryTerms:
        stems: list[str] = []
        unknown = 0
        for word in self.words(query):
            if word not in self._stem:
                unknown += 1
            elif (stem := self._stem[word]) is not None and stem not in stems:
                if self._frequency.get(stem, 0):
                    stems.append(stem)
                else:
                    unknown += 1  # a word no passage contains
        limit = max(RARE_MIN, RARE_SHARE * self.documents)
        rare = tuple(s for s in stems if 0 < self._frequency.get(s, 0) <= limit)
        return QueryTerms(tuple(stems), unknown, rare)

    def coverage(self, query: QueryTerms, matched: tuple[str, ...]) -> float:
        """Share of the query's (IDF-weighted) words the passage contains, 0..1."""
        total = sum(self.weight(s) for s in query.stems)
        total += query.unknown * math.log(2.0 + self.documents)
        if total <= 0:
            return 0.0
        return sum(self.weight(s) for s in set(matched)) / total

    async def refresh(self, conn: AsyncConnection) -> None:
        cur = await conn.execute("SELECT word, ndoc FROM ts_stat('SELECT tsv FROM kb_chunks')")
        frequency = {str(word): int(ndoc) for word, ndoc in await cur.fetchall()}
        cur = await conn.execute(
            """SELECT w.word, (SELECT lexeme FROM unnest(to_tsvector('english', w.word)) LIMIT 1)
               FROM (SELECT DISTINCT regexp_split_to_table(lower(section || ' ' || content),
                                                           '[^a-z0-9]+') AS word
                     FROM kb_chunks) AS w
               WHERE w.word <> ''"""
        )
        stems = {str(word): (str(stem) if stem else None) for word, stem in await cur.fetchall()}
        cur = await conn.execute("SELECT count(*) FROM kb_chunks")
        row = await cur.fetchone()
        self._frequency, self._stem = frequency, {**self._stem, **stems}
        self.documents = int(row[0]) if row else 0
