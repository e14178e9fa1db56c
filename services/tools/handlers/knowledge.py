"""Knowledge-base search: meaning and exact words, or a graceful "no good answer"."""

from __future__ import annotations

from contracts.tools import KnowledgeResult, SearchKnowledge
from services.tools.deps import Deps
from services.tools.kb.search import search_knowledge as search


async def search_knowledge(req: SearchKnowledge, deps: Deps) -> KnowledgeResult:
    """Reads no lead data: any call may search."""
    query = " ".join(req.query.split())
    return await search(
        deps.pool, deps.embedder, deps.terms, query, req.top_k, deps.settings.kb_min_score
    )
