"""Embeddings from any OpenAI-compatible ``/v1/embeddings`` endpoint (configured by env).

The stored vectors are 384-d, so the model must produce (or be asked for, with
``dimensions``) 384 dimensions, e.g. ``text-embedding-3-small``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from services.tools.kb.embedder import DIMENSIONS, Vectors, normalise


class EmbeddingsUnavailable(RuntimeError):
    """The provider failed or answered something unusable."""


class OpenAICompatibleEmbedder:
    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout_s: float = 5.0
    ) -> None:
        from openai import AsyncOpenAI

        self._model = model
        self._client: Any = AsyncOpenAI(
            base_url=base_url, api_key=api_key or "unused", timeout=timeout_s, max_retries=1
        )

    @property
    def model_id(self) -> str:
        return f"openai:{self._model}:{DIMENSIONS}"

    async def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        try:
            response = await self._client.embeddings.create(
                model=self._model, input=list(texts), dimensions=DIMENSIONS
            )
        except Exception as err:  # the client's own error types vary by version
            raise EmbeddingsUnavailable(type(err).__name__) from err
        rows = sorted(response.data, key=lambda d: d.index)
        vectors = np.array([r.embedding for r in rows], dtype=np.float32)
        if vectors.shape != (len(texts), DIMENSIONS):
            raise EmbeddingsUnavailable(f"expected {len(texts)}x{DIMENSIONS}, got {vectors.shape}")
        return normalise(vectors)

    async def aclose(self) -> None:
        await self._client.close()
