"""The LiveKit agent whose "LLM" is the bus: a caller's turn goes to the dialogue service and
its reply chunks stream into TTS as they arrive. The same class runs real calls (with STT,
TTS, VAD) and simulated text calls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import Any

from livekit.agents import Agent, llm
from livekit.agents.voice.events import ConversationItemAddedEvent

from contracts.conversation import EndCall, Speaker
from services.agent_gateway.bridge import APOLOGY, CallBridge, NoReply, Reply

log = logging.getLogger(__name__)

#: Called once a reply has been spoken, with what it asked for (end call, transfer) if anything.
OnReplyDone = Callable[[Reply], Awaitable[None]]


class BusLLM(llm.LLM):
    """AgentSession needs an LLM object; every reply comes from :meth:`BusAgent.llm_node`."""

    def chat(self, **_: Any) -> llm.LLMStream:
        raise RuntimeError("replies come from the dialogue service over the bus")


class BusAgent(Agent):
    def __init__(self, bridge: CallBridge, on_reply_done: OnReplyDone) -> None:
        super().__init__(instructions="Replies come from the dialogue service over the bus.")
        self.bridge = bridge
        self.on_reply_done = on_reply_done
        self.replies: list[Reply] = []
        self.idle = asyncio.Event()
        self.idle.set()
        self._current: Reply | None = None
        self._tasks: set[asyncio.Future[None]] = set()

    # ---- speaking -------------------------------------------------------------------------

    async def on_enter(self) -> None:
        """Barbara speaks first: the dialogue's greeting (answered to ``calls.<id>.started``)."""
        self.session.on("conversation_item_added", self._on_item)
        self.session.say(self._speak(None))

    async def llm_node(
        self, chat_ctx: llm.ChatContext, tools: list[Any], model_settings: Any
    ) -> AsyncIterable[str]:
        text = ""
        for item in reversed(chat_ctx.items):
            if isinstance(item, llm.ChatMessage) and item.role == "user":
                text = item.text_content or ""
                break
        turn_id = await self.bridge.caller_said(text)
        return self._speak(turn_id)

    async def caller_silent(self) -> None:
        """The caller said nothing for a while: the dialogue decides what to say."""
        turn_id = await self.bridge.caller_said("")
        self.session.say(self._speak(turn_id))

    async def _speak(self, turn_id: str | None) -> AsyncIterator[str]:
        reply = Reply()
        self._current = reply
        self.idle.clear()
        try:
            async for text in self.bridge.reply_stream(turn_id, reply):
                yield text
        except NoReply:
            log.error("no reply from the dialogue service: apologising and hanging up")
            reply.failed = True
            reply.action = EndCall(reason="no reply from the dialogue service")
            reply.text = APOLOGY
            yield APOLOGY

    # ---- after speaking -------------------------------------------------------------------

    def _on_item(self, event: ConversationItemAddedEvent) -> None:
        item = event.item
        if not isinstance(item, llm.ChatMessage) or item.role != "assistant":
            return
        if self._current is None:
            return
        reply, self._current = self._current, None
        self.replies.append(reply)
        heard = item.text_content or ""
        interrupted = bool(getattr(item, "interrupted", False))
        task = asyncio.ensure_future(self._after(reply, heard, interrupted))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _after(self, reply: Reply, heard: str, interrupted: bool) -> None:
        try:
            await self.bridge.transcript(
                Speaker.AGENT, reply.text or heard,
                heard=heard if interrupted else None, interrupted=interrupted,
            )  # fmt: skip
            if interrupted and reply.reply_id:
                await self.bridge.interrupted(reply.reply_id, heard)
            await self.on_reply_done(reply)
        finally:
            self.idle.set()
