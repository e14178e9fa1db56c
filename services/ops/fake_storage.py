"""A FAKE Supabase Storage server, for tests and the local stack: not Supabase, no database,
no policies, no quotas. Standard library only.

It answers the routes supabase-py's ``storage3`` calls for one bucket's objects, under
``/storage/v1/``, with the same wire format (see ``storage3/_async/file_api.py``), so the real
client runs against it:

- ``POST object/{bucket}/{path}`` upload (multipart part ``file``; ``x-upsert: true`` to
  overwrite, else a duplicate is HTTP 400 with ``statusCode`` "409"), ``PUT`` the same to update;
- ``POST object/sign/{bucket}/{path}`` ``{"expiresIn": N}`` → ``{"signedURL": "/object/sign/
  {bucket}/{path}?token=…"}``; ``GET`` that URL serves the bytes while the token is valid
  (an HMAC of bucket, path and expiry with a secret of this server), no key needed;
- ``DELETE object/{bucket}`` ``{"prefixes": [paths]}`` → the objects removed (gone ones are
  skipped); ``GET object/info/{bucket}/{path}`` (``exists``/``info``); ``GET object/{bucket}/
  {path}`` (``download``).

Every other request needs ``Authorization: Bearer <key>`` equal to the server's key. Buckets
exist on first upload. Objects are files ``root/<bucket>/<path>``; their content types are kept
beside them under ``root/.meta/``. ``fail_next(n, status)`` makes the next ``n`` requests fail.

    fake = FakeStorage(tmp_path, key="k"); url = fake.start()   # what SUPABASE_URL would be
    ...; fake.stop()

As a process (``equity-connect infra up`` starts one when ``SUPABASE_URL`` is not set):
``python -m services.ops.fake_storage --root DIR --key-file FILE --port 0 --port-file FILE``
writes its port to the port file once it listens and stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PREFIX = "/storage/v1/"
MAX_BODY = 200 * 1024 * 1024
_BUCKET = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,62}$")
META_DIR = ".meta"
TMP_DIR = ".tmp"
#: ``object/<this>/…`` routes of Storage: never a bucket; the fake serves only sign and info
_OTHER_ROUTES = {"sign", "info", "list", "list-v2", "upload", "move", "copy", "public",
                 "authenticated"}  # fmt: skip


class _Refusal(Exception):
    def __init__(self, http: int, code: str, error: str, message: str) -> None:
        super().__init__(message)
        self.http, self.code, self.error, self.message = http, code, error, message


def _bad_key() -> _Refusal:
    return _Refusal(400, "400", "InvalidKey", "Invalid key: a path segment is empty, . or ..")


def _not_found() -> _Refusal:
    return _Refusal(404, "404", "not_found", "Object not found")


class FakeStorage:
    """The FAKE Storage server: objects under ``root``, every caller must present ``key``.

    ``clock`` (seconds since the epoch) decides when signed URLs expire; tests may replace it.
    """

    def __init__(self, root: Path, key: str, clock: Callable[[], float] = time.time) -> None:
        if not key:
            raise ValueError("the fake Storage server needs a key")
        self.root = Path(root)
        self.key = key
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- control ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int = 0) -> str:
        """Listen on loopback (``port`` 0: any free one); returns the base URL."""
        self.root.mkdir(parents=True, exist_ok=True)
        handler = type("Handler", (_Handler,), {"storage": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-storage", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def fail_next(self, n: int = 1, status: int = 503) -> None:
        """The next ``n`` requests (of any kind) fail with ``status`` and a JSON error."""
        with self._lock:
            self._failures.extend([status] * n)

    def objects(self, bucket: str) -> list[str]:
        """The paths of the bucket's objects, sorted."""
        base = self.root / bucket
        if not base.is_dir():
            return []
        return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())

    # ---- storage ---------------------------------------------------------------------------

    def _take_failure(self) -> int | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _file(self, bucket: str, path: str, under: str = "") -> Path:
        base = (self.root / under / bucket) if under else (self.root / bucket)
        target = base.joinpath(*path.split("/"))
        if not target.resolve().is_relative_to(base.resolve()):
            raise _bad_key()
        return target

    def _write(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp_dir = self.root / TMP_DIR
        tmp_dir.mkdir(exist_ok=True)
        tmp = tmp_dir / secrets.token_hex(8)
        tmp.write_bytes(data)
        tmp.replace(target)

    def _put(self, bucket: str, path: str, data: bytes, content_type: str, upsert: bool) -> None:
        target = self._file(bucket, path)
        with self._lock:
            if target.exists() and not upsert:
                raise _Refusal(400, "409", "Duplicate", "The resource already exists")
            if target.is_dir():
                raise _Refusal(400, "409", "Duplicate", "A folder has this name")
            self._write(target, data)
            meta = {"content_type": content_type, "updated_at": time.time()}
            self._write(
                self._file(bucket, path, META_DIR).with_suffix(".json"), json.dumps(meta).encode()
            )

    def _get(self, bucket: str, path: str) -> tuple[bytes, str]:
        target = self._file(bucket, path)
        with self._lock:
            if not target.is_file():
                raise _not_found()
            data = target.read_bytes()
            try:
                meta = json.loads(
                    self._file(bucket, path, META_DIR).with_suffix(".json").read_text()
                )
            except (OSError, ValueError):
                meta = {}
        return data, str(meta.get("content_type") or "application/octet-stream")

    def _remove(self, bucket: str, paths: list[str]) -> list[str]:
        removed = []
        with self._lock:
            for path in paths:
                target = self._file(bucket, path)
                if target.is_file():
                    target.unlink()
                    self._file(bucket, path, META_DIR).with_suffix(".json").unlink(missing_ok=True)
                    removed.append(path)
        return removed

    # ---- signed URLs -----------------------------------------------------------------------

    def _signature(self, bucket: str, path: str, expires: int) -> str:
        message = f"{bucket}\0{path}\0{expires}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, bucket: str, path: str, expires_in: int) -> str:
        expires = int(self.clock()) + expires_in
        return f"{expires}.{self._signature(bucket, path, expires)}"

    def check_token(self, bucket: str, path: str, token: str) -> None:
        expires_text, _, signature = token.partition(".")
        try:
            expires = int(expires_text)
        except ValueError:
            expires = -1
        good = self._signature(bucket, path, expires)
        if expires < 0 or not hmac.compare_digest(signature.encode(), good.encode()):
            raise _Refusal(400, "400", "InvalidJWT", "invalid signature")
        if self.clock() >= expires:
            raise _Refusal(400, "400", "InvalidJWT", "jwt expired")


def _split(rest: str) -> tuple[str, str]:
    """``bucket/a/b.ogg`` → (bucket, ``a/b.ogg``), refusing empty, ``.`` and ``..`` segments."""
    parts = rest.split("/")
    if len(parts) < 2 or any(p in ("", ".", "..") or "\0" in p or "\\" in p for p in parts):
        raise _bad_key()
    if not _BUCKET.match(parts[0]) or parts[0] in (META_DIR, TMP_DIR):
        raise _Refusal(400, "400", "InvalidBucketName", "The bucket name is invalid")
    return parts[0], "/".join(parts[1:])


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[dict[str, str], bytes]]:
    """A multipart/form-data body → name → (part headers, content)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or not match:
        raise _Refusal(400, "400", "InvalidRequest", "expected multipart/form-data")
    delimiter = b"--" + match.group(1).encode()
    fields: dict[str, tuple[dict[str, str], bytes]] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            continue
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        name_match = re.search(r'\bname="([^"]*)"', headers.get("content-disposition", ""))
        if name_match:
            fields[name_match.group(1)] = (headers, content.removesuffix(b"\r\n"))
    return fields


class _Handler(BaseHTTPRequestHandler):
    storage: FakeStorage
    _consumed = False
    protocol_version = "HTTP/1.1"
    server_version = "FakeSupabaseStorage/1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no paths in logs
        pass

    # ---- plumbing --------------------------------------------------------------------------

    def _body(self) -> bytes:
        self._consumed = True
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                if len(out) + size > MAX_BODY:
                    raise _Refusal(413, "413", "Payload too large", "The object is too large")
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY:
            raise _Refusal(413, "413", "Payload too large", "The object is too large")
        return self.rfile.read(length) if length else b""

    def _json_body(self) -> dict[str, Any]:
        try:
            value = json.loads(self._body() or b"{}")
        except ValueError as err:
            raise _Refusal(400, "400", "InvalidRequest", "the body is not JSON") from err
        if not isinstance(value, dict):
            raise _Refusal(400, "400", "InvalidRequest", "the body is not a JSON object")
        return value

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, value: Any, status: int = 200) -> None:
        self._send(status, json.dumps(value).encode(), "application/json")

    def _refuse(self, refusal: _Refusal) -> None:
        if refusal.http == 413:
            self.close_connection = True
        elif not self._consumed:
            try:  # read what was sent, so the client sees the answer on a usable connection
                self._body()
            except (_Refusal, OSError, ValueError):
                self.close_connection = True
        body = {"statusCode": refusal.code, "error": refusal.error, "message": refusal.message}
        self._json(body, refusal.http)

    def _authorised(self) -> None:
        given = self.headers.get("authorization", "")
        if not given:
            raise _Refusal(
                400, "403", "Unauthorized", "headers must have required property 'authorization'"
            )
        expected = f"Bearer {self.storage.key}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise _Refusal(400, "403", "Unauthorized", "invalid signature")

    def _handle(self) -> None:
        self._consumed = False
        try:
            failure = self.storage._take_failure()
            if failure is not None:
                raise _Refusal(failure, str(failure), "Injected", "injected failure (fake)")
            raw = urllib.parse.urlsplit(self.path)
            if not raw.path.startswith(PREFIX):
                raise _Refusal(404, "404", "not_found", "Route not found")
            route = urllib.parse.unquote(raw.path[len(PREFIX) :], errors="strict")
            query = urllib.parse.parse_qs(raw.query)
            self._route(self.command, route, query)
        except _Refusal as refusal:
            self._refuse(refusal)
        except UnicodeDecodeError:
            self._refuse(_bad_key())
        except OSError as err:  # e.g. an object where a folder of the path would go
            self._refuse(_Refusal(500, "500", "InternalError", type(err).__name__))

    def _route(self, method: str, route: str, query: dict[str, list[str]]) -> None:
        storage = self.storage
        if method == "GET" and route.startswith("object/sign/"):
            bucket, path = _split(route.removeprefix("object/sign/"))
            storage.check_token(bucket, path, (query.get("token") or [""])[0])
            data, content_type = storage._get(bucket, path)
            self._send(200, data, content_type)
            return
        self._authorised()
        segments = route.split("/")
        if (
            len(segments) > 1
            and segments[0] == "object"
            and segments[1] in _OTHER_ROUTES
            and not (segments[1] in ("sign", "info") and len(segments) > 3)
        ):
            raise _Refusal(404, "404", "not_found", "Route not implemented by the fake")
        if method == "POST" and route.startswith("object/sign/"):
            bucket, path = _split(route.removeprefix("object/sign/"))
            try:
                expires_in = int(self._json_body().get("expiresIn", ""))
            except (TypeError, ValueError) as err:
                raise _Refusal(400, "400", "InvalidRequest", "expiresIn is a number") from err
            if expires_in < 1:
                raise _Refusal(400, "400", "InvalidRequest", "expiresIn must be positive")
            storage._get(bucket, path)  # 404 for a missing object, as Supabase does
            token = urllib.parse.quote(storage.sign(bucket, path, expires_in))
            quoted = urllib.parse.quote(f"{bucket}/{path}")
            self._json({"signedURL": f"/object/sign/{quoted}?token={token}"})
        elif method in ("POST", "PUT") and route.startswith("object/") and "/" in route[7:]:
            bucket, path = _split(route.removeprefix("object/"))
            fields = _multipart(self.headers.get("content-type", ""), self._body())
            if "file" not in fields:
                raise _Refusal(400, "400", "InvalidRequest", "no file part")
            headers, data = fields["file"]
            upsert = method == "PUT" or self.headers.get("x-upsert", "").lower() == "true"
            if method == "PUT" and not storage._file(bucket, path).is_file():
                raise _not_found()
            content_type = headers.get("content-type") or "application/octet-stream"
            storage._put(bucket, path, data, content_type, upsert)
            self._json({"Key": f"{bucket}/{path}", "Id": secrets.token_hex(16)})
        elif method == "DELETE" and route.startswith("object/") and "/" not in route[7:]:
            bucket = route.removeprefix("object/")
            prefixes = self._json_body().get("prefixes")
            if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
                raise _Refusal(400, "400", "InvalidRequest", "prefixes is a list of paths")
            checked = [_split(f"{bucket}/{p}")[1] for p in prefixes]
            removed = storage._remove(bucket, checked)
            self._json([{"name": p, "bucket_id": bucket} for p in removed])
        elif method == "GET" and route.startswith("object/info/"):
            bucket, path = _split(route.removeprefix("object/info/"))
            data, content_type = storage._get(bucket, path)
            when = datetime.fromtimestamp(storage._file(bucket, path).stat().st_mtime, UTC)
            self._json(
                {
                    "name": path,
                    "bucket_id": bucket,
                    "size": len(data),
                    "content_type": content_type,
                    "updated_at": when.isoformat(),
                    "created_at": when.isoformat(),
                }
            )
        elif method == "GET" and route.startswith("object/"):
            bucket, path = _split(route.removeprefix("object/"))
            data, content_type = storage._get(bucket, path)
            self._send(200, data, content_type)
        else:
            raise _Refusal(404, "404", "not_found", "Route not found")

    do_GET = do_POST = do_PUT = do_DELETE = _handle


# ---- as a process ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A FAKE Supabase Storage server (local only).")
    parser.add_argument("--root", type=Path, required=True, help="where the objects are kept")
    parser.add_argument("--key-file", type=Path, required=True, help="the key callers present")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", type=Path, help="written with the port once listening")
    args = parser.parse_args(argv)
    key = args.key_file.read_text().strip()
    fake = FakeStorage(args.root, key)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    fake.start(args.port)
    if args.port_file:
        tmp = args.port_file.with_suffix(".tmp")
        tmp.write_text(f"{fake.port}\n")
        os.replace(tmp, args.port_file)
    print(f"fake Supabase Storage listening on {fake.url}", flush=True)
    while not stopped.wait(0.5):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
