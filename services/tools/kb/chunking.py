"""Split documents into passages a caller-sized answer can come from.

Markdown: ``# Title`` and ``## Section`` headings; text: blank-line paragraphs. A section longer
than ``max_words`` is cut at sentence ends into passages of about that size, each keeping its
section name, so every passage is short enough to embed whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from services.tools.seed import Document, Passage, parse_markdown

MAX_WORDS = 120
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def chunk_text(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Sentences packed into pieces of at most ``max_words`` (a longer sentence stands alone)."""
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in split_sentences(" ".join(text.split())):
        words = len(sentence.split())
        if current and count + words > max_words:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def parse_text(text: str, source: str) -> Document:
    """Plain text: the first line is the title when followed by a blank line; paragraphs."""
    title = Path(source).stem.replace("-", " ").replace("_", " ").title()
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) > 1 and "\n" not in blocks[0] and len(blocks[0].split()) <= 12:
        title = blocks.pop(0).lstrip("# ").strip()
    return Document(source=source, title=title, passages=[Passage(title, b) for b in blocks])


def chunk_document(doc: Document, max_words: int = MAX_WORDS) -> Document:
    passages = [
        Passage(p.section, piece)
        for p in doc.passages
        for piece in chunk_text(p.content, max_words)
    ]
    return Document(source=doc.source, title=doc.title, passages=passages)


def load_file(path: Path, source: str | None = None) -> Document:
    text = path.read_text(encoding="utf-8")
    name = source or path.name
    if path.suffix.lower() in (".md", ".markdown"):
        doc = parse_markdown(text, name)
    else:
        doc = parse_text(text, name)
    return chunk_document(doc)
