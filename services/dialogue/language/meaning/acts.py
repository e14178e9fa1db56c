"""What the caller means, learned from labelled utterances: a nearest-neighbour reader over
sentence vectors.

Each caller turn is split into its sentences; each sentence (and the whole turn) is compared
with every labelled utterance in ``acts.toml``; the ``K`` nearest vote for their act, weighted
by similarity. Two readings are made: what the caller asks for (the requests, among their own
examples) and what they say about the home (:data:`GATE_ACTS`, among every example, the others
voting for none). A :class:`Reading` gives, per act, the best confidence any part of the turn
reached (its vote share, damped when even the nearest example is far away), so "Hm. It sounds
like more debt to me. I'd just as soon your people not phone me anymore" reads as
``stop_calling`` from its last sentence.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt

from services.dialogue.language.meaning.encoder import Encoder, Vectors

ACTS_FILE = Path(__file__).resolve().parent / "acts.toml"
#: the encoder the cached vectors came from (another model, another cache file)
MODEL_ID = "minilm-l6-int8"
K = 7
#: a reading at or above this is taken as what the caller meant
SURE = 0.62
#: between LIKELY and SURE Barbara checks before acting on it; below LIKELY it is ignored
LIKELY = 0.42
#: nearest-example cosine at which a vote counts in full; far below it the reading fades
CLOSE = 0.5
FAR = 0.3


class Act(StrEnum):
    STOP_CALLING = "stop_calling"
    NOT_INTERESTED = "not_interested"
    SEND_INFO = "send_info"
    CALLBACK = "callback"
    BAD_TIMING = "bad_timing"
    OTHER_LENDER = "other_lender"
    WRONG_PERSON = "wrong_person"
    BOOK = "book"
    LINE_TROUBLE = "line_trouble"
    ABOUT_US = "about_us"
    LEGAL_TAX = "legal_tax"
    HOLD_ON = "hold_on"
    RESUME = "resume"
    RM_QUESTION = "rm_question"
    GOODBYE = "goodbye"
    STATEMENT = "statement"
    # the gates, in the caller's words (read apart from the requests above)
    OWNS = "owns"
    NOT_OWNER = "not_owner"
    LIVES_THERE = "lives_there"
    LIVES_ELSEWHERE = "lives_elsewhere"


#: what the caller says about the home, one family per gate: each read over every example,
#: those of other acts voting for none of the family's, so a request never reads as a gate nor
#: a gate as a request, and "we own it and live there" reads fully as both
OWNERSHIP = frozenset({Act.OWNS, Act.NOT_OWNER})
RESIDENCE = frozenset({Act.LIVES_THERE, Act.LIVES_ELSEWHERE})
GATE_ACTS = OWNERSHIP | RESIDENCE


@dataclass(frozen=True)
class Reading:
    """Confidence (0–1) per act: the best any sentence of the turn reached."""

    scores: Mapping[Act, float] = field(default_factory=dict)

    def of(self, act: Act) -> float:
        return self.scores.get(act, 0.0)

    @property
    def top(self) -> tuple[Act, float]:
        """The request read most surely (the gates aside)."""
        asked = [a for a in self.scores if a not in GATE_ACTS]
        if not asked:
            return Act.STATEMENT, 0.0
        act = max(asked, key=lambda a: self.scores[a])
        return act, self.scores[act]

    def sure(self, act: Act) -> bool:
        return self.of(act) >= SURE

    def likely(self, act: Act) -> bool:
        return self.of(act) >= LIKELY


NOTHING = Reading()


def load_examples(path: Path = ACTS_FILE) -> dict[Act, list[str]]:
    """The labelled utterances: ``[act] examples = [...]``; an unknown act is an error."""
    data = tomllib.loads(path.read_text())
    out: dict[Act, list[str]] = {}
    for name, table in data.items():
        act = Act(name)  # ValueError names the unknown act
        out[act] = [str(e).strip() for e in table["examples"] if str(e).strip()]
    return out


def training_examples() -> dict[Act, list[str]]:
    """``acts.toml`` (written by hand) and ``suite.toml`` (the suite's lines, labelled by the
    rules; see :mod:`.harvest`), together."""
    out = load_examples()
    suite = ACTS_FILE.with_name("suite.toml")
    if suite.exists():
        for act, said in load_examples(suite).items():
            out.setdefault(act, []).extend(said)
    return out


#: a sentence ends at . ! ? — not after a title ("Mrs. Abernathy's house")
_SENTENCE = re.compile(
    r"(?<=[.!?])(?<!\b[MD]r\.)(?<!\bM[rs]s\.)(?<!\bMs\.)(?<!\b[JS]r\.)(?<!\bSt\.)\s+"
)


#: a long sentence is also read by its clauses: "… up here in Ballard, 98107, and I'm not
#: going anywhere, it's where I sleep every night"
LONG = 16
_CLAUSE = re.compile(r",\s+(?:and |but |so )?")


def parts(text: str) -> list[str]:
    """The turn and, when it has several, each of its sentences (of three words or more)."""
    whole = text.strip()
    if not whole:
        return []
    sentences = [s for s in _SENTENCE.split(whole) if len(s.split()) >= 3]
    return [whole, *sentences] if len(sentences) > 1 else [whole]


def clauses(text: str) -> list[str]:
    """The clauses (of four words or more) of each sentence of :data:`LONG` words or more: read
    for what they say about the home only (a clause alone is too little to ask for anything)."""
    out: list[str] = []
    for sentence in _SENTENCE.split(text.strip()):
        if len(sentence.split()) >= LONG:
            out += [c for c in _CLAUSE.split(sentence) if len(c.split()) >= 4]
    return out


class MeaningReader:
    """Nearest neighbours over the labelled utterances' vectors (built once, at start)."""

    def __init__(
        self,
        encoder: Encoder,
        examples: Mapping[Act, Sequence[str]],
        k: int = K,
        cache: Path | None = None,
    ):
        """``cache``: a folder where the examples' vectors are kept between starts (named by a
        hash of the examples; any failure to read or write it only costs the time)."""
        self._encoder = encoder
        self._k = k
        self._labels: list[Act] = []
        texts: list[str] = []
        for act, said in examples.items():
            for text in said:
                self._labels.append(act)
                texts.append(text.lower())
        self._acts = sorted(set(self._labels))
        self._label_index = np.array([self._acts.index(a) for a in self._labels])
        self._families = _families(texts, self._labels)
        self._vectors: Vectors = _cached(
            cache, texts, self._labels, lambda: _encode(encoder, texts)
        )

    @property
    def size(self) -> int:
        return len(self._labels)

    def read(self, text: str) -> Reading:
        """Blocking (a model run, a few milliseconds): call it off the event loop."""
        pieces = parts(text)
        if not pieces:
            return NOTHING
        more = clauses(text)
        vectors = self._encoder.encode([p.lower() for p in [*pieces, *more]])
        return self.read_vectors(vectors, requests=len(pieces))

    def read_vectors(self, vectors: Vectors, requests: int | None = None) -> Reading:
        """``vectors``: the turn's parts; the first ``requests`` of them (all, by default) are
        read for requests, every one for the gates."""
        best: dict[Act, float] = {}
        sims = vectors @ self._vectors.T
        for family, mask in self._families:
            if not mask.any():
                continue
            rows = np.flatnonzero(mask)
            read = sims if family & GATE_ACTS or requests is None else sims[:requests]
            for row in read[:, rows]:
                order = np.argsort(-row)[: self._k]
                near, labels = row[order], self._label_index[rows[order]]
                weights = np.maximum(near, 0.0) ** 3
                total = float(weights.sum()) or 1.0
                votes = np.zeros(len(self._acts))
                np.add.at(votes, labels, weights)
                for i in np.nonzero(votes)[0]:
                    act = self._acts[i]
                    if act not in family:
                        continue  # another family's act: a vote for none of this one's
                    closest = float(near[labels == i].max())
                    fade = min(1.0, max(0.0, (closest - FAR) / (CLOSE - FAR)))
                    score = float(votes[i]) / total * fade
                    if score > best.get(act, 0.0):
                        best[act] = score
        return Reading(best)


def _families(
    texts: list[str], labels: list[Act]
) -> list[tuple[frozenset[Act], npt.NDArray[np.bool_]]]:
    """Each family of acts and the examples read for it: the requests among their own
    examples; a gate's acts among theirs and one row of every other text (voting for none)."""
    requests = frozenset(Act) - GATE_ACTS
    out = [(requests, np.array([a in requests for a in labels], dtype=bool))]
    for family in (OWNERSHIP, RESIDENCE):
        own = {t for t, a in zip(texts, labels, strict=True) if a in family}
        seen: set[str] = set()
        mask = []
        for text, act in zip(texts, labels, strict=True):
            neutral = text not in own and text not in seen
            seen.add(text)
            mask.append(act in family or neutral)
        out.append((family, np.array(mask, dtype=bool)))
    return out


def _encode(encoder: Encoder, texts: list[str]) -> Vectors:
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), 384), dtype=np.float32)
    for start in range(0, len(order), 32):  # like lengths together: little padding
        batch = order[start : start + 32]
        vectors[batch] = encoder.encode([texts[i] for i in batch])
    return vectors


def _cached(
    folder: Path | None, texts: list[str], labels: list[Act], build: Callable[[], Vectors]
) -> Vectors:
    if folder is None:
        return build()
    digest = hashlib.sha256("\n".join(f"{a}\t{t}" for a, t in zip(labels, texts, strict=True))
                            .encode()).hexdigest()[:16]  # fmt: skip
    path = folder / f"meaning-{MODEL_ID}-{digest}.npy"
    try:
        cached = np.load(path)
        if cached.shape == (len(texts), 384):
            return cached.astype(np.float32)
    except (OSError, ValueError):
        pass
    vectors = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(partial, vectors)
        os.replace(partial, path)
    except OSError:
        pass
    return vectors
