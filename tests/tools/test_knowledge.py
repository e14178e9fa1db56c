"""The knowledge base with the real local MiniLM model: embedded at start-up, answers, a
graceful "no good answer", exact terms via the keyword signal, `kb add|embed|search`, and an
OpenAI-compatible provider (against a local fake endpoint)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from contracts.base import new_call_id
from contracts.tools import KnowledgeResult, SearchKnowledge, ToolErrorCode, ToolSession
from services.ops.migrate import service_url
from services.tools import cli
from services.tools.kb import store
from services.tools.kb.embedder import DIMENSIONS, Vectors
from services.tools.kb.onnx import OnnxMiniLM
from services.tools.kb.openai_compat import EmbeddingsUnavailable, OpenAICompatibleEmbedder
from services.tools.kb.search import FALLBACK, rank
from services.tools.kb.terms import TermStats
from services.tools.settings import Settings
from tests.tools.helpers import ok, refused, request


@pytest.fixture
async def kb(settings: Settings, make_tools: Any, remembering_minilm: Any) -> Any:
    """The service with the real model, after its start-up embedding of the seed passages."""
    service = await make_tools(
        dataclasses.replace(settings, embed_on_start=True), embedder=remembering_minilm
    )
    await service.kb_ready()
    return service


async def ask(nc: Any, question: str, top_k: int = 3) -> KnowledgeResult:
    req = SearchKnowledge(session=ToolSession(call_id=new_call_id()), query=question, top_k=top_k)
    return ok(await request(nc, req), KnowledgeResult)


async def test_start_up_embeds_every_seed_passage(kb: Any, query: Any) -> None:
    assert query(
        "SELECT count(*), count(embedding), count(DISTINCT embedding_model) FROM kb_chunks"
    ) == [(59, 59, 1)]
    assert query("SELECT DISTINCT embedding_model FROM kb_chunks") == [(OnnxMiniLM.model_id,)]


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("how old do I have to be to get one of these", "Minimum age requirement"),
        ("will the bank take my house", "Will the bank take my house"),
        ("can I leave the home to my kids", "Leaving the home to family"),
        ("do I still have to pay property taxes", "Property taxes and insurance"),  # prefix
        ("is this some kind of scam", "Contractor and repair fraud"),
    ],
)
async def test_questions_find_their_passage(nc: Any, kb: Any, question: str, section: str) -> None:
    result = await ask(nc, question)
    assert result.answered and result.fallback == ""
    assert result.passages[0].section.startswith(section)
    assert 1 <= len(result.passages) <= 3
    assert [p.score for p in result.passages] == sorted(
        (p.score for p in result.passages), reverse=True
    )


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather in Paris tomorrow",
        "recipe for lasagna",
        "tell me a joke",
        "who won the super bowl",
    ],
)
async def test_off_topic_questions_get_the_graceful_fallback(
    nc: Any, kb: Any, question: str
) -> None:
    result = await ask(nc, question)
    assert not result.answered and result.passages == [] and result.fallback == FALLBACK


@pytest.mark.parametrize("term", ["FHA", "HECM", "NMLS"])
async def test_exact_terms_hit(nc: Any, kb: Any, term: str) -> None:
    result = await ask(nc, term)
    assert result.answered and term in result.passages[0].text


class BlindEmbedder:
    """Knows no meaning at all: every text is the same vector."""

    model_id = "blind"

    async def embed(self, texts: Sequence[str]) -> Vectors:
        row = np.zeros(DIMENSIONS, dtype=np.float32)
        row[0] = 1.0
        return np.tile(row, (len(texts), 1))

    async def aclose(self) -> None:
        return None


async def test_the_keyword_signal_alone_ranks_the_exact_term_first(kb: Any) -> None:
    stats = TermStats()
    async with kb.deps.pool.connection() as conn:
        await stats.refresh(conn)
        words = stats.terms("NMLS number")
        assert words.stems == ("nmls", "number") and words.rare
        blind = (await BlindEmbedder().embed(["x"]))[0]
        hits = await store.search(conn, blind, words)
    best = rank(words, hits, stats, top_k=2, min_score=-1.0).passages
    assert all("NMLS" in p.text for p in best)


async def test_search_is_fast_with_the_real_model(nc: Any, kb: Any) -> None:
    await ask(nc, "warm up")
    loop = asyncio.get_running_loop()
    started = loop.time()
    for question in ["what fees are there", "what is a line of credit", "do I need counseling"]:
        await ask(nc, question)
    assert (loop.time() - started) / 3 < 0.25  # generous here; the benchmark measures for real


# ---- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: Any, seeded: str) -> str:
    url = service_url(seeded, "tools")
    monkeypatch.setenv("EC_TOOLS_DATABASE_URL", url)
    monkeypatch.setenv("EC_TOOLS_EMBEDDER", "onnx")
    return url


def test_kb_add_chunks_embeds_and_search_finds_it(
    cli_env: str, tmp_path: Path, capsys: Any, query: Any
) -> None:
    docs = tmp_path / "extra"
    docs.mkdir()
    long_section = " ".join(
        f"Reverse mortgage fact number {i} is explained in plain words here." for i in range(40)
    )
    (docs / "wildfire.md").write_text(
        "# Wildfire Insurance\n\n## Wildfire coverage\nHomes in wildfire zones must keep "
        f"hazard insurance that covers fire damage.\n\n## Long notes\n{long_section}\n"
    )
    (docs / "pets.txt").write_text("Pets\n\nPets are welcome at the consultation.\n")
    assert cli.main(["kb", "add", str(docs)]) == 0
    assert "2 files, 2 new or changed" in capsys.readouterr().out
    rows = query(
        "SELECT count(*), count(embedding) FROM kb_chunks c JOIN kb_documents d"
        " ON d.id = c.document_id WHERE d.source LIKE 'extra/%%'"
    )
    assert rows[0][0] >= 5 and rows[0][0] == rows[0][1]  # the long section was split
    assert cli.main(["kb", "add", str(docs)]) == 0
    assert "0 new or changed" in capsys.readouterr().out
    assert cli.main(["kb", "search", "does my home insurance need to cover wildfires"]) == 0
    assert "extra/wildfire.md § Wildfire coverage" in capsys.readouterr().out
    assert cli.main(["kb", "search", "recipe for lasagna"]) == 1
    assert "no good answer" in capsys.readouterr().out


def test_kb_embed_redoes_passages_of_another_model(cli_env: str, capsys: Any, query: Any) -> None:
    assert cli.main(["kb", "embed"]) == 0
    assert "embedded 59 passages" in capsys.readouterr().out
    with __import__("psycopg").connect(cli_env, autocommit=True) as conn:
        conn.execute("UPDATE kb_chunks SET embedding_model = 'old-model' WHERE ordinal = 0")
    assert cli.main(["kb", "embed"]) == 0
    assert "embedded 10 passages" in capsys.readouterr().out
    assert cli.main(["kb", "add", "/nonexistent/path"]) == 1


# ---- an OpenAI-compatible provider ---------------------------------------------------------


@pytest.fixture
async def fake_provider() -> AsyncIterator[dict[str, Any]]:
    """A local /v1/embeddings endpoint that records requests and answers from a hash."""
    state: dict[str, Any] = {"requests": [], "dims": DIMENSIONS, "status": 200}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        body = json.loads(await reader.readexactly(int(headers.get("content-length", 0))))
        state["requests"].append({"path": lines[0].split()[1], "headers": headers, "body": body})
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": [float((hash(t) >> (j % 32)) & 7) + 1 for j in range(state["dims"])],
            }
            for i, t in enumerate(body["input"])
        ]
        payload = json.dumps(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        ).encode()
        status = state["status"]
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
            + payload
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    state["url"] = f"http://127.0.0.1:{port}/v1"
    async with server:
        yield state


async def test_an_openai_compatible_provider_can_embed(fake_provider: dict[str, Any]) -> None:
    embedder = OpenAICompatibleEmbedder(fake_provider["url"], "text-embedding-3-small", "sk-test")
    try:
        vectors = await embedder.embed(["one", "two"])
        assert vectors.shape == (2, DIMENSIONS)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
        sent = fake_provider["requests"][0]
        assert sent["path"] == "/v1/embeddings"
        assert sent["body"]["dimensions"] == DIMENSIONS and sent["body"]["input"] == ["one", "two"]
        assert sent["headers"]["authorization"] == "Bearer sk-test"
        fake_provider["dims"] = 1536
        with pytest.raises(EmbeddingsUnavailable):
            await embedder.embed(["wrong size"])
    finally:
        await embedder.aclose()


async def test_a_failing_provider_is_a_retryable_unavailable_answer(
    nc: Any, settings: Settings, make_tools: Any, fake_provider: dict[str, Any]
) -> None:
    fake_provider["status"] = 500
    embedder = OpenAICompatibleEmbedder(fake_provider["url"], "m", timeout_s=1.0)
    await make_tools(settings, embedder=embedder)
    req = SearchKnowledge(session=ToolSession(call_id=new_call_id()), query="fees")
    error = refused(await request(nc, req))
    assert error.code is ToolErrorCode.UNAVAILABLE and error.retryable
    await embedder.aclose()


async def test_concurrent_single_queries_are_batched_and_match_one_by_one(
    minilm: OnnxMiniLM,
) -> None:
    texts = [f"question number {i} about reverse mortgages" for i in range(12)]
    together = await asyncio.gather(*(minilm.embed([t]) for t in texts))
    alone = minilm.embed_sync(texts)
    for got, want in zip(together, alone, strict=True):
        assert float(got[0] @ want) > 0.999


async def test_without_a_usable_embedder_only_search_is_unavailable(
    nc: Any, nats_url: str, settings: Settings
) -> None:
    from contracts.bus import connect
    from contracts.runtime import Stats
    from services.tools import bootstrap
    from services.tools.settings import EmbedderKind
    from tests.tools.helpers import MARGARET, Call

    broken = dataclasses.replace(settings, embedder=EmbedderKind.OPENAI, embeddings_url=None)
    conn = await connect(nats_url, "tools-no-kb")
    service = await bootstrap.start(conn, Stats(service="tools"), broken)
    try:
        req = SearchKnowledge(session=ToolSession(call_id=new_call_id()), query="fees")
        error = refused(await request(nc, req))
        assert error.code is ToolErrorCode.UNAVAILABLE and error.retryable
        assert (await Call(nc=nc, caller_number=MARGARET).lookup()).found
    finally:
        await service.stop()
        await conn.drain()
