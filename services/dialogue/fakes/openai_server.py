"""A fake OpenAI-compatible server (``POST /v1/chat/completions`` with SSE streaming and tool
calls), scripted per test, so the real ``openai`` client runs against the network boundary.

    server = FakeOpenAI(); await server.start()
    server.script(Reply(text="Hello there."), Reply(tool_calls=[("search_knowledge", {...})]))
    ... EC_LLM_BASE_URL = server.base_url ...
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """One scripted answer. ``status`` ≠ 200 answers with that HTTP error instead."""

    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0  # between streamed pieces
    first_delay: float = 0.0  # before the first piece
    tool_delay: float = 0.0  # between a tool call's first delta and the rest of it
    prompt_tokens: int = 100  # reported when the request asks for usage (include_usage)


Responder = Callable[[dict[str, Any]], Reply]


class FakeOpenAI:
    def __init__(self) -> None:
        self._script: list[Reply | Responder] = []
        self.default: Reply | Responder = Reply(text="Of course.")
        self.requests: list[dict[str, Any]] = []
        self.keep_requests = True  # a long benchmark run keeps none
        self._server: asyncio.AbstractServer | None = None
        self._ids = itertools.count(1)
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply | Responder) -> FakeOpenAI:
        self._script.extend(replies)
        return self

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1)

    def _next(self, body: dict[str, Any]) -> Reply:
        answer = self._script.pop(0) if self._script else self.default
        return answer(body) if callable(answer) else answer

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (x.partition(":") for x in lines[1:] if x)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                request = json.loads(body or b"{}")
                if self.keep_requests:
                    self.requests.append(request)
                await self._answer(writer, request)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _answer(self, writer: asyncio.StreamWriter, request: dict[str, Any]) -> None:
        reply = self._next(request)
        if reply.first_delay:
            await asyncio.sleep(reply.first_delay)
        if reply.status != 200:
            payload = json.dumps(
                {"error": {"message": "scripted failure", "type": "server_error"}}
            ).encode()
            writer.write(
                f"HTTP/1.1 {reply.status} Error\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        cid = f"chatcmpl-{next(self._ids)}"
        model = request.get("model", "fake")
        for piece in pieces(reply.text):
            await self._event(writer, _chunk(cid, model, {"content": piece}))
            if reply.delay:
                await asyncio.sleep(reply.delay)
        for index, (name, args) in enumerate(reply.tool_calls):
            arguments = json.dumps(args)
            half = len(arguments) // 2
            call_id = f"call_{next(self._ids)}"
            first = {"index": index, "id": call_id, "type": "function",
                     "function": {"name": name, "arguments": arguments[:half]}}  # fmt: skip
            await self._event(writer, _chunk(cid, model, {"tool_calls": [first]}))
            if reply.tool_delay:
                await asyncio.sleep(reply.tool_delay)
            rest = {"index": index, "function": {"arguments": arguments[half:]}}
            await self._event(writer, _chunk(cid, model, {"tool_calls": [rest]}))
        finish = "tool_calls" if reply.tool_calls else "stop"
        await self._event(writer, _chunk(cid, model, {}, finish))
        if (request.get("stream_options") or {}).get("include_usage"):
            await self._event(writer, _usage(cid, model, reply))
        await self._raw(writer, b"data: [DONE]\n\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def _event(self, writer: asyncio.StreamWriter, payload: dict[str, Any]) -> None:
        await self._raw(writer, b"data: " + json.dumps(payload).encode() + b"\n\n")

    async def _raw(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        await writer.drain()


def pieces(text: str) -> list[str]:
    """Stream text a few words at a time, like a model."""
    words = text.split(" ")
    return (
        [
            " ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "")
            for i in range(0, len(words), 3)
        ]
        if text
        else []
    )


def _chunk(
    cid: str, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": 1764000000,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _usage(cid: str, model: str, reply: Reply) -> dict[str, Any]:
    """The last chunk of a stream that asked for usage: no choices, the token counts (the
    completion counted as one token per streamed piece and tool call)."""
    completion = len(pieces(reply.text)) + len(reply.tool_calls)
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": 1764000000,
        "model": model,
        "choices": [],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": reply.prompt_tokens + completion,
        },
    }
