"""Cut streamed text into speakable pieces the moment each is complete.

A piece ends at a sentence end (``. ! ?`` then a space or a new line), or at a clause break
(``, ; —``) once it is long, so the voice can start before the model has finished.
"""

from __future__ import annotations

import re

#: Past this many characters a clause break is good enough to speak.
LONG_PIECE = 140
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "a.m", "p.m", "u.s",
    "no", "ave", "approx", "inc", "co",
}  # fmt: skip
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n+")
_CLAUSE = re.compile(r"[,;:]\s|\s[—–-]\s")


def split_sentences(text: str) -> list[str]:
    """All complete pieces of ``text`` (the last one even without a full stop)."""
    chunker = SentenceChunker()
    return [*chunker.feed(text), *chunker.flush()]


class SentenceChunker:
    """Feed text deltas; get back the pieces that are complete."""

    def __init__(self, long_piece: int = LONG_PIECE) -> None:
        self._buffer = ""
        self._long = long_piece

    def feed(self, delta: str) -> list[str]:
        self._buffer += delta
        pieces: list[str] = []
        start = 0
        for match in _END.finditer(self._buffer):
            if match.group().startswith(".") and _is_abbreviation(self._buffer[: match.start()]):
                continue
            piece = self._buffer[start : match.end()].strip()
            if piece:
                pieces.append(piece)
            start = match.end()
        self._buffer = self._buffer[start:]
        if len(self._buffer) > self._long:
            cut = None
            for match in _CLAUSE.finditer(self._buffer):
                if match.start() >= 20:
                    cut = match.end()
            if cut is not None:
                piece = self._buffer[:cut].strip()
                self._buffer = self._buffer[cut:]
                if piece:
                    pieces.append(piece)
        return pieces

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if rest else []


def _is_abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    return word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
