"""What the caller means, learned: sentence vectors (:mod:`.encoder`), a nearest-neighbour
reader over labelled utterances (:mod:`.acts`, data in ``acts.toml``), and how its reading is
weighed with the rules' (:mod:`.weigh`)."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from pathlib import Path

from services.dialogue.language.meaning.acts import NOTHING, Act, MeaningReader, Reading

log = logging.getLogger(__name__)


@functools.cache
def shared_reader() -> MeaningReader:
    """One reader per process (the model and the examples' vectors, built on first use)."""
    from services.dialogue.language.meaning.acts import training_examples
    from services.dialogue.language.meaning.encoder import MiniLM

    return MeaningReader(MiniLM(), training_examples(), cache=cache_dir())


def cache_dir() -> Path:
    """Where the examples' vectors are kept between starts: ``EC_MEANING_CACHE``, else the
    user's cache folder (shared by every data dir, so a test's private stack starts fast)."""
    configured = os.environ.get("EC_MEANING_CACHE")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "equity-connect"


async def read(reader: MeaningReader | None, text: str, timeout: float = 1.0) -> Reading:
    """The reading of one turn, off the event loop; nothing (rules only) without a reader or
    when the model has not answered within ``timeout`` seconds."""
    if reader is None or not text.strip():
        return NOTHING
    try:
        return await asyncio.wait_for(asyncio.to_thread(reader.read, text), timeout)
    except TimeoutError:
        log.warning("the meaning reader gave no reading within %.1f s: the rules alone read "
                    "this turn", timeout)  # fmt: skip
        return NOTHING


__all__ = ["NOTHING", "Act", "MeaningReader", "Reading", "read", "shared_reader"]
