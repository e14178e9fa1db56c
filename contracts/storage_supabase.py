"""The real :class:`~contracts.recordings.RecordingStore`: one bucket of Supabase Storage through
supabase-py (``storage3``).

supabase-py is imported only when a store is first used, so a service that never records does
not need it installed. Every refusal or network failure comes out as
:class:`~contracts.recordings.StorageError` with the HTTP status Storage reported (None when
it could not be reached); its message names the operation and the object path, never the
object's data. A path with ``.``/``..`` segments is a :class:`ValueError`, before any request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from contracts.recordings import CONTENT_TYPE, StorageError

T = TypeVar("T")


def _status(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _check_path(path: str) -> None:
    parts = path.split("/")
    if not path or any(part in ("", ".", "..") for part in parts):
        raise ValueError("an object path is non-empty segments, none of them . or ..")


class SupabaseRecordingStore:
    """``bucket`` of the Supabase project at ``url``, with the service-role ``key``.

    The client is created on first use and kept (one connection pool); use the store from one
    event loop, and :meth:`aclose` it when done.
    """

    def __init__(self, url: str, key: str, bucket: str, *, timeout_s: float = 30.0) -> None:
        self.url = url
        self.bucket = bucket
        self.timeout_s = timeout_s
        self._key = key
        self._client: Any = None
        self._http: Any = None
        self._lock: asyncio.Lock | None = None

    def __repr__(self) -> str:  # never the key
        return f"SupabaseRecordingStore(url={self.url!r}, bucket={self.bucket!r})"

    async def _bucket(self) -> Any:
        if self._client is None:
            if self._lock is None:
                self._lock = asyncio.Lock()
            async with self._lock:
                if self._client is None:
                    import httpx
                    from supabase import AsyncClientOptions, acreate_client

                    # our own connection pool: its timeouts, and closed by aclose()
                    http = httpx.AsyncClient(
                        timeout=httpx.Timeout(self.timeout_s, connect=min(5.0, self.timeout_s)),
                        follow_redirects=True,
                    )
                    try:
                        self._client = await acreate_client(
                            self.url, self._key, options=AsyncClientOptions(httpx_client=http)
                        )
                        self._http = http
                    except Exception as err:  # a malformed URL or key, said without the key
                        await http.aclose()
                        raise StorageError(
                            f"storage: cannot create a client for {self.url} ({type(err).__name__})"
                        ) from err
        return self._client.storage.from_(self.bucket)

    async def _call(self, what: str, action: Callable[[Any], Awaitable[T]]) -> T:
        import httpx
        from storage3.exceptions import StorageApiError
        from storage3.utils import StorageException

        bucket = await self._bucket()
        try:
            return await action(bucket)
        except StorageApiError as err:
            status = _status(err.status)
            raise StorageError(
                f"storage: {what} refused ({status or '?'} {err.code}: {err.message})",
                status=status,
            ) from err
        except httpx.TimeoutException as err:
            raise StorageError(f"storage: {what} timed out ({type(err).__name__})") from err
        except httpx.HTTPStatusError as err:
            status = err.response.status_code
            raise StorageError(f"storage: {what} refused ({status})", status=status) from err
        except httpx.HTTPError as err:
            raise StorageError(
                f"storage: {what} failed: cannot reach {self.url} ({type(err).__name__})"
            ) from err
        except StorageException as err:
            raise StorageError(f"storage: {what} failed ({type(err).__name__})") from err

    async def upload(self, path: str, data: bytes | Path, content_type: str = CONTENT_TYPE) -> None:
        _check_path(path)
        options = {"content-type": content_type, "upsert": "true"}
        await self._call(
            f"upload of {self.bucket}/{path}",
            lambda b: b.upload(path, data, options),
        )

    async def signed_url(self, path: str, expires_in_s: int) -> str:
        _check_path(path)
        answer = await self._call(
            f"signing {self.bucket}/{path}",
            lambda b: b.create_signed_url(path, expires_in_s),
        )
        url = answer.get("signedURL") or answer.get("signedUrl")
        if not url:
            raise StorageError(f"storage: signing {self.bucket}/{path} gave no URL")
        return str(url)

    async def remove(self, paths: Sequence[str]) -> None:
        if not paths:
            return
        for path in paths:
            _check_path(path)
        await self._call(
            f"removing {len(paths)} object(s) from {self.bucket}",
            lambda b: b.remove(list(paths)),
        )

    async def aclose(self) -> None:
        """Close the client's connections (the store opens a new client if used again)."""
        http, self._http, self._client = self._http, None, None
        if http is not None:
            await http.aclose()
