"""What is said: transcripts, caller turns, streamed replies, barge-in."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from contracts.base import E164, CallEvent, Contract, NonNegInt, Seq


class Speaker(StrEnum):
    CALLER = "caller"
    AGENT = "agent"


class TranscriptSegment(CallEvent, kw_only=True, frozen=True):
    """A final transcript segment (``calls.<id>.transcript``).

    For the agent, ``text`` is what was meant and ``heard_text`` what was actually spoken
    before an interruption.
    """

    seq: Seq
    speaker: Speaker
    text: str
    heard_text: str | None = None
    interrupted: bool = False
    offset_ms: NonNegInt | None = None


class CallerTurn(CallEvent, kw_only=True, frozen=True):
    """The caller finished a turn (``calls.<id>.turn``). ``silence``: they said nothing.

    ``tentative`` turns come from preemptive generation: no side-effecting tool may run
    for them until a confirmed turn with the same ``turn_id`` arrives.
    """

    turn_id: str
    seq: Seq
    text: str = ""
    silence: bool = False
    tentative: bool = False


class EndCall(Contract, kw_only=True, frozen=True, tag="end_call", tag_field="kind"):
    """Say the final chunk, then hang up."""

    reason: str = ""


class Transfer(Contract, kw_only=True, frozen=True, tag="transfer", tag_field="kind"):
    """Transfer to the broker; the number comes from the tools service, never the LLM."""

    broker_id: str
    to_number: E164
    reason: str = ""


Action = EndCall | Transfer


class ReplyChunk(CallEvent, kw_only=True, frozen=True):
    """One speakable piece of a reply (``calls.<id>.reply``), in ``seq`` order.

    ``final`` marks the last chunk of the reply; ``action`` (only on the final chunk) is
    carried out by the gateway after speaking it.
    """

    reply_id: str
    seq: Seq
    text: Annotated[str, msgspec.Meta(max_length=2000)]
    turn_id: str | None = None
    final: bool = False
    filler: bool = False
    action: Action | None = None


class ReplyInterrupted(CallEvent, kw_only=True, frozen=True):
    """The caller barged in (``calls.<id>.interrupted``); ``heard_text`` was spoken."""

    reply_id: str
    heard_text: str
