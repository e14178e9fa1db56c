"""The bridge tells a complete reply from one cut short (the simulated callers count the
latter as lost)."""

from __future__ import annotations

from typing import Any

from contracts import codec
from contracts.base import new_call_id
from contracts.conversation import ReplyChunk
from contracts.subjects import call_subject
from services.agent_gateway.bridge import CallBridge, Reply, Timing


async def chunks(nc: Any, call_id: str, *parts: tuple[int, str, bool]) -> None:
    for seq, text, final in parts:
        chunk = ReplyChunk(call_id=call_id, reply_id="rpl_1", turn_id="turn_1", seq=seq,
                           text=text, final=final)  # fmt: skip
        await nc.publish(call_subject(call_id, "reply"), codec.encode(chunk))
    await nc.flush()


async def test_a_reply_with_its_final_chunk_is_complete(nc: Any) -> None:
    bridge = CallBridge(nc, new_call_id())
    await bridge.open()
    await chunks(nc, bridge.call_id, (0, "Of course.", False), (1, "Anything else?", True))
    out = Reply()
    said = [piece async for piece in bridge.reply_stream("turn_1", out)]
    await bridge.close()
    assert said == ["Of course. ", "Anything else? "]
    assert out.complete and not out.filled


async def test_a_reply_that_stops_arriving_is_not_complete(nc: Any) -> None:
    bridge = CallBridge(nc, new_call_id(), Timing(filler_after_s=5, reply_timeout_s=5,
                                                  stall_timeout_s=0.3))  # fmt: skip
    await bridge.open()
    await chunks(nc, bridge.call_id, (0, "Of course.", False))
    out = Reply()
    said = [piece async for piece in bridge.reply_stream("turn_1", out)]
    await bridge.close()
    assert said == ["Of course. "]
    assert not out.complete
