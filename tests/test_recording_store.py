"""The real supabase-py client (:class:`SupabaseRecordingStore`) against the FAKE Supabase
Storage server (:mod:`services.ops.fake_storage`), in this process and as the local stack's
background process."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from contracts.recordings import CONTENT_TYPE, StorageError, store_from
from contracts.settings import Env
from contracts.storage_supabase import SupabaseRecordingStore
from services.ops import stack
from services.ops.fake_storage import FakeStorage
from services.ops.infra import FakeStorageProcess, free_port
from services.persistence.settings import recording_settings

KEY = "test-service-role-key"
PATH = "calls/2026/11/call_abc123.ogg"
OGG = b"OggS\x00\x02" + bytes(range(256)) * 40 + b"\r\n--not-a-boundary\r\n"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(tmp_path: Path, clock: Clock) -> Iterator[FakeStorage]:
    server = FakeStorage(tmp_path / "objects", KEY, clock=clock)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def store(fake: FakeStorage) -> AsyncIterator[SupabaseRecordingStore]:
    store = SupabaseRecordingStore(fake.url, KEY, "recordings")
    yield store
    await store.aclose()


async def fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url)


async def test_an_uploaded_recording_comes_back_through_its_signed_url(
    store: SupabaseRecordingStore, fake: FakeStorage
) -> None:
    await store.upload(PATH, OGG)
    url = await store.signed_url(PATH, 600)
    assert url.startswith(f"{fake.url}/storage/v1/object/sign/recordings/{PATH}?token=")
    got = await fetch(url)
    assert got.status_code == 200
    assert got.content == OGG
    assert got.headers["content-type"] == CONTENT_TYPE
    assert fake.objects("recordings") == [PATH]


async def test_a_recording_uploads_from_a_file(
    store: SupabaseRecordingStore, tmp_path: Path
) -> None:
    spooled = tmp_path / "spool.ogg"
    spooled.write_bytes(OGG)
    await store.upload(PATH, spooled)
    assert (await fetch(await store.signed_url(PATH, 60))).content == OGG


async def test_an_upload_retried_after_a_lost_reply_overwrites(
    store: SupabaseRecordingStore,
) -> None:
    await store.upload(PATH, b"first attempt")
    await store.upload(PATH, OGG)
    assert (await fetch(await store.signed_url(PATH, 60))).content == OGG


async def test_the_fake_refuses_a_duplicate_without_upsert_as_supabase_does(
    fake: FakeStorage,
) -> None:
    from storage3.exceptions import StorageApiError
    from supabase import AsyncClientOptions, acreate_client

    async with httpx.AsyncClient() as http:
        client = await acreate_client(fake.url, KEY, AsyncClientOptions(httpx_client=http))
        bucket = client.storage.from_("recordings")
        await bucket.upload(PATH, b"one", {"content-type": CONTENT_TYPE})
        with pytest.raises(StorageApiError) as refused:
            await bucket.upload(PATH, b"two", {"content-type": CONTENT_TYPE})
        assert str(refused.value.status) == "409" and refused.value.code == "Duplicate"
        assert await bucket.exists(PATH) and not await bucket.exists("calls/none.ogg")
        assert await bucket.download(PATH) == b"one"


async def test_a_tampered_token_is_refused(store: SupabaseRecordingStore) -> None:
    await store.upload(PATH, OGG)
    url = await store.signed_url(PATH, 600)
    expiry, _, signature = url.rsplit("token=", 1)[1].partition(".")
    later = url.replace(f"token={expiry}.", f"token={int(expiry) + 3600}.")
    other = url.replace(signature, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"))
    for forged in (later, other, url.split("?")[0], url.replace("call_abc123", "call_other")):
        got = await fetch(forged)
        assert got.status_code == 400, forged
        assert OGG not in got.content


async def test_an_expired_signed_url_is_refused(
    store: SupabaseRecordingStore, clock: Clock
) -> None:
    await store.upload(PATH, OGG)
    url = await store.signed_url(PATH, 60)
    clock.now += 59
    assert (await fetch(url)).status_code == 200
    clock.now += 2
    expired = await fetch(url)
    assert expired.status_code == 400
    assert expired.json()["message"] == "jwt expired"


async def test_removed_recordings_are_gone_and_removing_again_is_fine(
    store: SupabaseRecordingStore, fake: FakeStorage
) -> None:
    other = "calls/2026/11/call_keep.ogg"
    await store.upload(PATH, OGG)
    await store.upload(other, OGG)
    url = await store.signed_url(PATH, 600)
    await store.remove([PATH])
    assert fake.objects("recordings") == [other]
    assert (await fetch(url)).status_code == 404
    await store.remove([PATH, "calls/2026/11/never_uploaded.ogg"])
    await store.remove([])
    assert fake.objects("recordings") == [other]


async def test_a_storage_outage_is_a_storage_error_with_its_status(
    store: SupabaseRecordingStore, fake: FakeStorage
) -> None:
    fake.fail_next(2, status=503)
    with pytest.raises(StorageError) as upload:
        await store.upload(PATH, OGG)
    assert upload.value.status == 503
    assert "recordings/" + PATH in str(upload.value)
    with pytest.raises(StorageError) as sign:
        await store.signed_url(PATH, 60)
    assert sign.value.status == 503
    await store.upload(PATH, OGG)  # the outage is over
    assert fake.objects("recordings") == [PATH]


async def test_a_storage_error_never_quotes_the_recording(fake: FakeStorage) -> None:
    store = SupabaseRecordingStore(fake.url, "wrong-key", "recordings")
    secret = b"caller said: my SSN is 123-45-6789"
    with pytest.raises(StorageError) as refused:
        await store.upload(PATH, secret)
    assert refused.value.status == 403
    assert "123-45-6789" not in repr(refused.value) + str(refused.value)
    assert "wrong-key" not in str(refused.value) + repr(store)
    await store.aclose()


async def test_storage_that_is_down_is_a_storage_error() -> None:
    store = SupabaseRecordingStore(f"http://127.0.0.1:{free_port()}", KEY, "recordings")
    with pytest.raises(StorageError) as down:
        await store.upload(PATH, OGG)
    assert down.value.status is None and "cannot reach" in str(down.value)
    with pytest.raises(StorageError):
        await store.remove([PATH])
    await store.aclose()


async def test_storage_that_never_answers_is_a_storage_error_after_the_timeout() -> None:
    with socket.socket() as silent:  # connections complete in the backlog; nothing answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        store = SupabaseRecordingStore(url, KEY, "recordings", timeout_s=0.5)
        started = time.monotonic()
        with pytest.raises(StorageError) as slow:
            await store.upload(PATH, OGG)
        assert "timed out" in str(slow.value) and time.monotonic() - started < 5
        await store.aclose()


async def test_a_wrong_key_is_refused(fake: FakeStorage) -> None:
    store = SupabaseRecordingStore(fake.url, "not-the-key", "recordings")
    with pytest.raises(StorageError) as refused:
        await store.upload(PATH, OGG)
    assert refused.value.status == 403
    with pytest.raises(StorageError):
        await store.remove([PATH])
    assert fake.objects("recordings") == []
    await store.aclose()


def raw_request(fake: FakeStorage, method: str, path: str, body: bytes = b"") -> tuple[int, dict]:
    """A request as written, not normalised by a client library."""
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    answer = json.loads(response.read() or b"null")
    conn.close()
    return response.status, answer


async def test_dot_segments_in_a_path_are_refused(
    store: SupabaseRecordingStore, fake: FakeStorage, tmp_path: Path
) -> None:
    for bad in ("calls/../../escape.ogg", "./calls/x.ogg", "calls//x.ogg"):
        with pytest.raises(ValueError):
            await store.upload(bad, OGG)
    await store.upload(PATH, OGG)
    (tmp_path / "secret.txt").write_text("outside the bucket")
    for path in (
        "/storage/v1/object/sign/recordings/../../secret.txt",
        "/storage/v1/object/sign/recordings/%2e%2e/%2E%2E/secret.txt",
        "/storage/v1/object/recordings/calls/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    ):
        status, answer = raw_request(fake, "POST", path, b'{"expiresIn": 60}')
        assert status == 400 and answer["error"] == "InvalidKey", path
    status, answer = raw_request(fake, "DELETE", "/storage/v1/object/recordings",
                                 json.dumps({"prefixes": [f"../../{PATH}"]}).encode())  # fmt: skip
    assert status == 400 and answer["error"] == "InvalidKey"
    assert fake.objects("recordings") == [PATH]
    assert (tmp_path / "secret.txt").exists()


# ---- the local stack's fake Storage process --------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "data"
    monkeypatch.setenv("EC_DATA_DIR", str(root))
    for name in ("SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "EC_STORAGE_PORT"):
        monkeypatch.setenv(name, "")  # restored (or removed again) after the test
        monkeypatch.delenv(name)
    yield root
    FakeStorageProcess(root / "storage").stop()


async def test_the_local_stack_runs_a_fake_storage_the_services_find(data_dir: Path) -> None:
    url = stack.start_storage()
    state = stack.read_state()
    assert url == f"http://127.0.0.1:{state['storage_port']}"
    assert os.environ["SUPABASE_URL"] == url
    key_file = data_dir / "storage" / "service.key"
    assert os.environ["SUPABASE_SERVICE_ROLE_KEY"] == key_file.read_text().strip()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert stack.start_storage() == url, "up twice leaves the running one alone"
    pid = FakeStorageProcess(data_dir / "storage").pid()
    assert "fake Supabase Storage" in stack.status()["storage"]

    store = store_from(recording_settings(Env()))  # what persistence reads
    assert isinstance(store, SupabaseRecordingStore)
    await store.upload(PATH, OGG)
    assert (await fetch(await store.signed_url(PATH, 60))).content == OGG
    await store.aclose()
    assert (data_dir / "storage" / "objects" / "recordings" / PATH).read_bytes() == OGG

    stack.down()
    assert stack.status()["storage"] == "stopped"
    assert not FakeStorageProcess(data_dir / "storage").running() and pid
    os.environ.pop("SUPABASE_URL")
    os.environ.pop("SUPABASE_SERVICE_ROLE_KEY")
    stack.export_storage()
    assert "SUPABASE_URL" not in os.environ, "a stopped fake is not exported"


def test_a_real_supabase_url_starts_no_fake(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPABASE_URL", "https://project.supabase.co")
    assert stack.start_storage() == ""
    assert not FakeStorageProcess(data_dir / "storage").running()
    assert stack.status()["storage"] == "external (SUPABASE_URL)"
    stack.export_storage()
    assert os.environ["SUPABASE_URL"] == "https://project.supabase.co"
