"""A minimal HTTP/1.1 POST over asyncio streams (the persistence image has no HTTP client,
and webhooks need nothing more): one request per connection; the status code and the
``Retry-After`` seconds (if given as seconds) back."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import NamedTuple
from urllib.parse import urlsplit


class Answer(NamedTuple):
    status: int
    retry_after_s: float | None = None


#: ``post(url, headers, body, timeout_s) -> Answer``; raises ``OSError`` / ``TimeoutError`` /
#: ``ValueError`` when there is no answer
Post = Callable[[str, Mapping[str, str], bytes, float], Awaitable[Answer]]


async def post(url: str, headers: Mapping[str, str], body: bytes, timeout_s: float) -> Answer:
    return await asyncio.wait_for(_post(url, headers, body), timeout_s)


async def _post(url: str, headers: Mapping[str, str], body: bytes) -> Answer:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    context = ssl.create_default_context() if secure else None
    reader, writer = await asyncio.open_connection(parts.hostname, port, ssl=context)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [
            f"POST {target} HTTP/1.1",
            f"Host: {parts.netloc.rsplit('@', 1)[-1]}",
            "User-Agent: equity-connect-webhooks",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            "Connection: close",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        status = (await reader.readline()).decode("latin-1").split()
        if len(status) < 2 or not status[0].startswith("HTTP/") or not status[1].isdigit():
            raise ValueError("not an HTTP response")
        retry_after = None
        while (line := (await reader.readline()).decode("latin-1").strip()) != "":
            name, _, value = line.partition(":")
            if name.strip().lower() == "retry-after" and value.strip().isdigit():
                retry_after = float(value.strip())  # an HTTP date instead: ignored
        return Answer(int(status[1]), retry_after)
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (OSError, ssl.SSLError):
            pass
