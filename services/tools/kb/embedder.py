"""The ``Embedder`` port: text in, unit-length 384-d vectors out.

Implementations: :class:`~services.tools.kb.onnx.OnnxMiniLM` (default, local, no network),
:class:`~services.tools.kb.openai_compat.OpenAICompatibleEmbedder` (configured by env) and
:class:`HashEmbedder` (a crude offline stand-in for tests that do not judge relevance).
Vectors from different models are not comparable: each stored passage records its model id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384  # kb_chunks.embedding is vector(384)

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    @property
    def model_id(self) -> str: ...

    async def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row of ``DIMENSIONS`` floats per text."""
        ...

    async def aclose(self) -> None: ...


def normalise(vectors: npt.NDArray[np.floating]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class HashEmbedder:
    """Bag of hashed words: deterministic, instant, only lexically "semantic". Tests only."""

    model_id = "hash-bow-384"

    async def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % DIMENSIONS] += 1.0
            out[row, 0] += 1e-3  # never the zero vector
        return normalise(out)

    async def aclose(self) -> None:
        return None


class UnavailableEmbedder:
    """Stands in when the configured embedder cannot be built: search answers "unavailable"
    (retryable) while every other tool keeps working."""

    def __init__(self, reason: str) -> None:
        self.model_id = "unavailable"
        self.reason = reason

    async def embed(self, texts: Sequence[str]) -> Vectors:
        from services.tools.kb.openai_compat import EmbeddingsUnavailable

        raise EmbeddingsUnavailable(self.reason)

    async def aclose(self) -> None:
        return None
