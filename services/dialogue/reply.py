"""Streaming one reply as ordered, speakable chunks on ``calls.<id>.reply``.

Chunk ids are deterministic (``<reply_id>:<seq>``) so a turn redelivered to another copy never
publishes a chunk twice: the stream drops a repeated ``Nats-Msg-Id`` and the gateway drops a
repeated ``(reply_id, seq)``. After a redelivery the chunks already in the stream are skipped
and numbering continues after them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from contracts.conversation import Action, ReplyChunk
from services.dialogue.ports import Clock, Publisher
from services.dialogue.speech.chunker import SentenceChunker, split_sentences
from services.dialogue.speech.compose import speakable

MAX_CHUNK = 2000
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


def safe_token(value: str, limit: int = 80) -> str:
    """A string usable inside an event id (``[A-Za-z0-9_.:-]``)."""
    token = _UNSAFE.sub("-", value)[:limit]
    return token if len(token) >= 1 else "x"


def reply_id_for(turn_id: str) -> str:
    return f"rpl_{safe_token(turn_id)}"


class ReplyStream:
    """One reply: ``say`` speakable sentences as they complete, then ``end`` it."""

    def __init__(
        self,
        publisher: Publisher,
        clock: Clock,
        *,
        call_id: str,
        reply_id: str,
        turn_id: str | None,
        already: list[ReplyChunk] | None = None,
    ) -> None:
        self._publisher = publisher
        self._clock = clock
        self.call_id = call_id
        self.reply_id = reply_id
        self.turn_id = turn_id
        already = sorted(already or [], key=lambda c: c.seq)
        self._seq = already[-1].seq + 1 if already else 0
        self._skip = [c.text for c in already if c.text and not c.filler]
        self.spoken: list[str] = list(self._skip)
        self.finished = any(c.final for c in already)
        self.cancelled = False
        self.first_chunk_at: float | None = None
        self.fillers = 0
        self._live = SentenceChunker()
        #: set when the caller barges in: nothing more is spoken for this reply
        self.stop: asyncio.Event | None = None
        #: checks each streamed sentence before it is spoken (the LLM path sets it): returns
        #: the sentence, a replacement, or ``None`` to drop it. ``say`` is not checked.
        self.guard: Callable[[str], str | None] | None = None

    @property
    def stopped(self) -> bool:
        return self.cancelled or (self.stop is not None and self.stop.is_set())

    @property
    def text(self) -> str:
        return " ".join(self.spoken)

    @property
    def sentences(self) -> int:
        return len(self.spoken)

    async def say(self, text: str) -> None:
        """Speak complete text (one or more sentences)."""
        for piece in split_sentences(text):
            await self._piece(piece)

    async def feed(self, delta: str) -> None:
        """Streamed text: every sentence is spoken the moment it is complete (and checked)."""
        for piece in self._live.feed(delta):
            await self._checked(piece)

    async def flush(self) -> None:
        for piece in self._live.flush():
            await self._checked(piece)

    async def _checked(self, piece: str) -> None:
        checked = self.guard(piece) if self.guard is not None else piece
        if checked:
            await self._piece(checked)

    async def filler(self, text: str) -> None:
        if self.stopped or self.finished:
            return
        self.fillers += 1
        await self._publish(speakable(text), filler=True)

    async def end(self, action: Action | None = None) -> None:
        """The final chunk: marks the end of the reply and carries the action, if any."""
        if self.finished:
            return
        if self.stopped and action is None:
            self.finished = True
            return
        await self._publish("", final=True, action=action)
        self.finished = True

    async def _piece(self, piece: str) -> None:
        if self.stopped or self.finished:
            return
        text = speakable(piece)
        if not text:
            return
        if self._skip:
            if self._skip[0] == text:
                self._skip.pop(0)  # already spoken before a redelivery
                return
            self._skip.clear()
        self.spoken.append(text)
        await self._publish(text)

    async def _publish(self, text: str, *, filler: bool = False, final: bool = False,
                       action: Action | None = None) -> None:  # fmt: skip
        seq = self._seq
        self._seq += 1
        chunk = ReplyChunk(
            event_id=f"{self.reply_id}:{seq}",
            call_id=self.call_id,
            reply_id=self.reply_id,
            seq=seq,
            text=text[:MAX_CHUNK],
            turn_id=self.turn_id,
            final=final,
            filler=filler,
            action=action,
        )
        if self.first_chunk_at is None and text:
            self.first_chunk_at = self._clock.monotonic()
        await self._publisher.chunk(chunk)
