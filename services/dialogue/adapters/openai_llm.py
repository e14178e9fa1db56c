"""The LLM through the ``openai`` client: any OpenAI-compatible server by base URL (OpenAI,
OpenRouter, a local server, the tests' fake).

Text deltas are yielded as they come; tool calls are collected and yielded whole at the end,
after an empty ``TextDelta`` on their first delta (progress, never spoken), so a reply that
only calls tools is timed by its first delta like a spoken one."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import openai

from contracts.observability.metrics import LLM_TOKENS
from services.dialogue.ports import (
    LlmConfig,
    LlmEvent,
    LlmRequest,
    LlmUnavailable,
    TextDelta,
    ToolCall,
    Usage,
)

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 15.0


class OpenAiLlm:
    def __init__(self) -> None:
        self._clients: dict[tuple[str | None, str], openai.AsyncOpenAI] = {}

    def _client(self, config: LlmConfig) -> openai.AsyncOpenAI:
        key = (config.base_url, config.api_key)
        client = self._clients.get(key)
        if client is None:
            client = openai.AsyncOpenAI(
                api_key=config.api_key,
                base_url=config.base_url,
                max_retries=0,  # retries and fallbacks are the dialogue's own
                timeout=REQUEST_TIMEOUT_S,
            )
            self._clients[key] = client
        return client

    async def stream(self, request: LlmRequest) -> AsyncIterator[LlmEvent]:
        client = self._client(request.config)
        params: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "temperature": request.config.temperature,
            "max_tokens": request.config.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},  # token counts (metrics)
        }
        if request.tools:
            params["tools"] = request.tools
            params["tool_choice"] = request.tool_choice
        partial: dict[int, dict[str, str]] = {}
        started = False
        stream: Any = None
        try:
            stream = await client.chat.completions.create(**params)
            async for chunk in stream:
                if getattr(chunk, "usage", None) is not None:
                    yield count_tokens(request.model, chunk.usage)
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta
                if delta.content:
                    started = True
                    yield TextDelta(delta.content)
                elif delta.tool_calls and not started:
                    # the model has begun, with a tool call (yielded whole at the end): an
                    # empty delta tells the dialogue's first-token timer it is under way
                    started = True
                    yield TextDelta("")
                for call in delta.tool_calls or []:
                    acc = partial.setdefault(call.index, {"id": "", "name": "", "arguments": ""})
                    if call.id:
                        acc["id"] = call.id
                    if call.function and call.function.name:
                        acc["name"] += call.function.name
                    if call.function and call.function.arguments:
                        acc["arguments"] += call.function.arguments
        except openai.APIError as err:
            raise LlmUnavailable(
                f"{type(err).__name__}: {getattr(err, 'status_code', '')}"
            ) from err
        except (OSError, TimeoutError) as err:
            raise LlmUnavailable(type(err).__name__) from err
        finally:
            if stream is not None:
                # an attempt given up (no first delta in time, a barge-in) frees its connection
                with contextlib.suppress(Exception):
                    await stream.close()
        for index in sorted(partial):
            acc = partial[index]
            if acc["name"]:
                yield ToolCall(
                    id=acc["id"] or f"call_{index}", name=acc["name"], arguments=acc["arguments"]
                )

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()


def count_tokens(model: str, usage: Any) -> Usage:
    """The provider's token counts for one request (the last streamed chunk carries them):
    to the metrics, and back to the dialogue for the call's cost."""
    counts: dict[str, int] = {}
    for kind in ("prompt", "completion"):
        count = getattr(usage, f"{kind}_tokens", None)
        counts[kind] = count if isinstance(count, int) and count > 0 else 0
        if counts[kind]:
            LLM_TOKENS.labels(model, kind).inc(counts[kind])
    return Usage(counts["prompt"], counts["completion"])
