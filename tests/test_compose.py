"""compose.yaml checked against the code, without Docker: the file is rendered the way compose
renders it (``<<`` merges by PyYAML, ``${VAR}`` / ``${VAR:-default}`` / ``${VAR:?message}``
interpolated from ``.env.example`` plus the passwords a real ``.env`` holds), then every service's
command, health check, image, environment and database login is compared with what the code
accepts and reads.

Also here: ``equity-connect migrate`` really sets the service roles' passwords (a private
Postgres that, like the postgres image, refuses password-less network logins), and — only where
a Docker engine runs — the stack brought up for real and a simulated call placed through it.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
import pytest
import yaml

from contracts.access import Identity, identity_for
from services.ops import cli
from services.ops.infra import InfraError, PostgresCluster, free_port, pg_url
from services.ops.migrate import OWNERS, migrate, owner, service_url
from services.ops.stack import create_database

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"

#: compose service → the ``equity-connect serve`` name and the extra its image must install
APP = {
    "persistence": ("persistence", "persistence"),
    "tools": ("tools", "tools"),
    "dialogue": ("dialogue", "dialogue"),
    "agent_gateway": ("gateway", "gateway"),
}
APP_EXTRAS = tuple(extra for _, extra in APP.values())
#: where each service's settings are read (``Settings.from_env``)
SETTINGS = {
    "persistence": "services.persistence.settings",
    "tools": "services.tools.settings",
    "dialogue": "services.dialogue.bootstrap",
    "agent_gateway": "services.agent_gateway.settings",
}
#: what a real .env holds and compose must demand (URL-safe, as .env.example asks)
PASSWORDS = {
    "POSTGRES_PASSWORD": "superuser-Pw_1",
    "EC_TOOLS_DB_PASSWORD": "tools-Pw_2",
    "EC_PERSISTENCE_DB_PASSWORD": "persistence-Pw_3",
    **{i.password_env: f"nats{i}Pw4abcdefghijk" for i in Identity},
}
SECRET = re.compile(r"(?:^|_)(?:KEY|SECRET|PASSWORD|TOKEN)(?:_|$)")
#: read by ``equity-connect serve`` itself in every service container
SERVE_READS = {"NATS_URL", "EC_LOG_LEVEL", "EC_CPU_NICE"}
#: read by the operator CLI but not wanted in a container: the admin DSN (the migrate job's
#: only), the .env file (none in the images; compose passes values), the data dir (the image sets
#: it)
NOT_FOR_SERVICES = {"DATABASE_URL", "EC_ENV_FILE", "EC_DATA_DIR"}
REF = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^${}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*)|(?P<bad>\{))"
)


# ---- rendering ---------------------------------------------------------------------------------


def env_example() -> dict[str, str]:
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE))


def interpolate(value: str, env: Mapping[str, str], missing: list[str]) -> str:
    """Compose's interpolation; an unset required variable is appended to ``missing``."""

    def one(m: re.Match[str]) -> str:
        if m["escaped"]:
            return "$"
        if m["bare"] or m["bad"]:
            raise AssertionError(f"write ${{NAME}} (braced, not nested) in compose: {value!r}")
        name, op, arg = m["name"], m["op"] or "", m["arg"] or ""
        current = env.get(name)
        absent = current is None or (op.startswith(":") and current == "")
        if op.endswith("-"):
            return arg if absent else str(current)
        if op.endswith("?"):
            if absent:
                missing.append(f"{name} ({arg})")
            return current or ""
        return current or ""

    return REF.sub(one, value)


def walk(node: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(node, dict):
        return {key: walk(value, fn) for key, value in node.items()}
    if isinstance(node, list):
        return [walk(item, fn) for item in node]
    return fn(node) if isinstance(node, str) else node


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    elif isinstance(node, str):
        yield node


def load(path: Path | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((path or COMPOSE).read_text())
    return doc


def render(
    env: Mapping[str, str], raw: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[str]]:
    missing: list[str] = []
    doc = walk(load() if raw is None else raw, lambda s: interpolate(s, env, missing))
    return doc, missing


def references(raw: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(name, operator, argument)`` of every ``${...}`` in the file."""
    return [
        (m["name"], m["op"] or "", m["arg"] or "")
        for text in strings(raw)
        for m in REF.finditer(text)
        if m["name"]
    ]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return load()


@pytest.fixture(scope="module")
def rendered(raw: dict[str, Any]) -> dict[str, Any]:
    doc, missing = render(env_example() | PASSWORDS, raw)
    assert not missing, f"compose demands more than the database passwords: {missing}"
    return doc


# ---- what the code reads -----------------------------------------------------------------------


@cache
def literals(*folders: str) -> frozenset[str]:
    """Upper-case string literals in the code under ``folders`` (how settings name variables:
    ``environ.get("X")``, ``Env().integer("X", …)``, tuples of names)."""
    names: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"""["']([A-Z][A-Z0-9_]{2,})["']""", path.read_text()))
    return frozenset(names)


#: variables the operator CLI builds from the owners: EC_<SERVICE>_DB_PASSWORD (migrate) and
#: EC_<SERVICE>_DATABASE_URL (``equity-connect`` derives it when unset)
DERIVED = (
    {own.password_env() for own in OWNERS}
    | {f"EC_{own.service.upper()}_DATABASE_URL" for own in OWNERS}
    | {i.password_env for i in Identity}  # contracts.access: EC_NATS_PASSWORD_<IDENTITY>
)


def read_by(compose_name: str) -> frozenset[str]:
    """What the code running in that container may read: the operator CLI, contracts and the
    service's own package (the migrate job: the CLI and contracts)."""
    common = literals("services/ops", "contracts") | DERIVED
    return common | (literals(f"services/{compose_name}") if compose_name in APP else set())


def parse(argv: list[str]) -> Any:
    try:
        return cli.build_parser().parse_args(argv)
    except SystemExit as exit:
        raise AssertionError(f"`equity-connect {shlex.join(argv)}` does not parse") from exit


def container_env(monkeypatch: pytest.MonkeyPatch, env: Mapping[str, str]) -> None:
    """This process's environment as the container's: every project variable removed, the
    container's set (all undone after the test, including what the code under test adds)."""
    names = set(env_example()) | set(env) | DERIVED | {"EC_DATA_DIR", "EC_ENV_FILE"}
    for name in names:
        monkeypatch.setenv(name, "")  # recorded, so anything set later is removed again
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


# ---- the compose file --------------------------------------------------------------------------


def test_compose_refuses_to_start_without_the_three_database_passwords(
    raw: dict[str, Any],
) -> None:
    """.env.example copied as is (passwords empty): compose must stop with a message naming
    each password, and demand nothing else."""
    _, missing = render(env_example(), raw)
    named = {entry.split(" ", 1)[0] for entry in missing}
    assert named == set(PASSWORDS), f"required: {sorted(named)}; expected {sorted(PASSWORDS)}"
    for name, op, arg in references(raw):
        if name in PASSWORDS:
            assert op == ":?" and name in arg, f"${{{name}}} must be ${{{name}:?set {name} ...}}"


def test_every_variable_compose_uses_is_listed_in_env_example(raw: dict[str, Any]) -> None:
    unlisted = {name for name, _, _ in references(raw)} - set(env_example())
    assert not unlisted, f"compose uses variables .env.example does not list: {sorted(unlisted)}"


def test_nothing_secret_has_a_value_in_compose(raw: dict[str, Any]) -> None:
    for name, op, arg in references(raw):
        if SECRET.search(name):
            assert op in ("", "?", ":?"), f"${{{name}{op}{arg}}}: a secret without a default"
    for service_name, service in raw["services"].items():
        for key, value in environment(service).items():
            if SECRET.search(key):
                assert re.fullmatch(rf"\$\{{{key}(:?\?[^}}]*)?\}}", value), (
                    f"{service_name}: {key} must come from .env as ${{{key}}}, not {value!r}"
                )
            dsn = re.fullmatch(r"[a-z][a-z0-9+.-]*://[^:@/]*(?::(?P<password>.*))?@[^@]*", value)
            if dsn:  # a login: its password comes from a required variable
                assert re.fullmatch(r"\$\{[A-Z0-9_]*PASSWORD:\?[^}]*\}", dsn["password"] or ""), (
                    f"{service_name}: {key} must take its password from ${{..._PASSWORD:?...}}"
                )


@pytest.mark.parametrize("name", sorted(APP))
def test_each_service_runs_a_real_command_and_health_check(
    rendered: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    service_name, _ = APP[name]
    service = rendered["services"][name]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts.get("equity-connect") == "services.ops.cli:main"
    command = service["command"]
    assert command[0] == "equity-connect", command
    args = parse(command[1:])
    assert args.command == "serve" and args.service == service_name, command
    assert service_name in cli.SERVICES
    if service_name == "gateway":
        # the arguments after `serve gateway` reach the gateway's own mode check
        argv = [args.mode] if hasattr(args, "mode") else list(args.rest)
        for var in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"):
            monkeypatch.delenv(var, raising=False)
        code = importlib.import_module(cli.SERVICES["gateway"]).main(argv)
        err = capsys.readouterr().err
        assert code != 2 and "start or dev" not in err, f"the gateway refuses {argv}: {err}"
        assert "LIVEKIT_URL" in err, "past the mode check it asks for LiveKit"
    test = service["healthcheck"]["test"]
    assert test[:2] == ["CMD", "equity-connect"], test
    health = parse(test[2:])
    assert health.command == "health" and health.service == service_name, test
    # readiness over HTTP: the copy in this container, on its own port (EC_HTTP_PORT)
    assert health.http, f"{name}: the healthcheck asks /health/ready (`health --http`)"
    assert service["healthcheck"].get("start_period"), f"{name}: time to start before retries"


def test_the_migrate_job_migrates_declares_the_streams_then_seeds(rendered: dict[str, Any]) -> None:
    command = rendered["services"]["migrate"]["command"]
    assert command[:2] == ["sh", "-c"], command
    steps = [shlex.split(step) for step in command[2].split("&&")]
    assert all(step[0] == "equity-connect" for step in steps), command
    assert [parse(step[1:]).command for step in steps] == ["migrate", "streams", "seed"]


def test_start_order(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    for name in APP:
        depends = services[name]["depends_on"]
        assert depends["nats"]["condition"] == "service_healthy", name
        # `up --wait` accepts the exited migrate job only because a running service waits for it
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    default = [n for n, s in services.items() if not s.get("profiles")]
    assert {"nats", "postgres", "migrate", "persistence", "tools", "dialogue"} <= set(default)


def _requirements() -> dict[str, set[str]]:
    """Direct requirements (canonical names) of the base install and of each extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(reqs: list[str]) -> set[str]:
        return {_canonical(re.match(r"[A-Za-z0-9_.-]+", r)[0]) for r in reqs}  # type: ignore[index]

    out = {"": names(project["dependencies"])}
    for extra, reqs in project["optional-dependencies"].items():
        out[extra] = names(reqs)
    return out


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("name", [*sorted(APP), "migrate"])
def test_each_image_exists_and_installs_what_its_commands_import(
    rendered: dict[str, Any], name: str
) -> None:
    service = rendered["services"][name]
    assert service["build"]["context"] == "."
    dockerfile = ROOT / service["build"]["dockerfile"]
    assert dockerfile.exists(), dockerfile
    installs = re.findall(r"^RUN\b.*?(uv sync --locked[^\n]*)", dockerfile.read_text(), re.M)
    assert len(installs) == 1, f"{dockerfile.name}: one locked install"
    extras = set(re.findall(r"--extra ([a-z_]+)", installs[0]))
    if name in APP:
        assert extras == {APP[name][1]}, f"{name} builds {dockerfile.name} with {extras}"
        modules = [cli.SERVICES[APP[name][0]]]
    else:
        modules = ["services.ops.migrate", "services.ops.seeding"]
    # what the container's commands import must be installed by that image
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in ["services.ops.cli", "services.ops.presence", *modules])
        + "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    reqs = _requirements()
    installed = reqs[""].union(*(reqs[e] for e in extras))
    elsewhere = set().union(*(r for e, r in reqs.items() if e in ("local", *APP_EXTRAS)))
    absent = elsewhere - installed
    providers = packages_distributions()
    lacking = sorted(
        module
        for module in out.stdout.split()
        if (dists := {_canonical(d) for d in providers.get(module, [])})
        and dists & absent
        and not dists & installed
    )
    assert not lacking, f"{name}: {dockerfile.name} does not install {lacking}"


@pytest.mark.parametrize("name", [*sorted(APP), "migrate"])
def test_each_container_gets_what_its_code_reads_and_nothing_else(
    raw: dict[str, Any], rendered: dict[str, Any], name: str
) -> None:
    assert "env_file" not in raw["services"][name], (
        f"{name}: env_file hands every container all of .env (the superuser's password, other "
        "services' keys); list what the service reads under environment"
    )
    env = environment(rendered["services"][name])
    unread = set(env) - read_by(name)
    assert not unread, f"{name} is given variables its code never reads: {sorted(unread)}"
    listed = set(env_example())
    if name in APP:
        own = literals(f"services/{name}")
        needed = ((own | literals("contracts") | SERVE_READS) & listed) - NOT_FOR_SERVICES
        lacking = needed - set(env)
        assert not lacking, f"{name} reads {sorted(lacking)} but compose does not pass them"
        nats_own = identity_for(APP[name][0]).password_env
        nats_given = {key for key in env if key.startswith("EC_NATS_PASSWORD_")}
        assert nats_given == {nats_own}, f"{name} must get its own NATS password only"
        for key in env:
            if SECRET.search(key) and key != nats_own:
                assert key in own, f"{name} is given {key}, which only other code reads"
    else:
        assert {"DATABASE_URL", "NATS_URL", *(o.password_env() for o in OWNERS)} <= set(env)
        assert Identity.ADMIN.password_env in env, "the streams are the admin's to declare"


def _login(url: str) -> tuple[str | None, str | None, str | None, int | None, str]:
    parts = urlsplit(url)
    password = unquote(parts.password) if parts.password is not None else None
    return parts.username, password, parts.hostname, parts.port, parts.path


def test_the_migrate_job_is_the_only_superuser_login(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    database = services["postgres"]["environment"]["POSTGRES_DB"]
    assert (
        services["postgres"]["environment"]["POSTGRES_PASSWORD"] == PASSWORDS["POSTGRES_PASSWORD"]
    )
    env = environment(services["migrate"])
    assert _login(env["DATABASE_URL"]) == (
        "postgres", PASSWORDS["POSTGRES_PASSWORD"], "postgres", 5432, f"/{database}"
    )  # fmt: skip
    for own in OWNERS:  # migrate sets these on the roles
        assert env.get(own.password_env()) == PASSWORDS[own.password_env()], (
            f"migrate needs ${own.password_env()} to set the {own.role} role's password"
        )
    admin_only = {"DATABASE_URL", "POSTGRES_PASSWORD", *(own.password_env() for own in OWNERS)}
    for name, service in services.items():
        if name in ("migrate", "postgres"):
            continue
        given = environment(service)
        assert not admin_only & set(given), f"{name} is given {sorted(admin_only & set(given))}"
        for key, value in given.items():
            if "://" in value:
                assert urlsplit(value).username != "postgres", f"{name}: {key} is the superuser"


@pytest.mark.parametrize("name", sorted(APP))
def test_each_service_logs_in_as_its_own_role(
    raw: dict[str, Any], rendered: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = rendered["services"]
    env = environment(services[name])
    dsns = {k: v for k, v in env.items() if re.match(r"postgres(ql)?://", v)}
    owners = {own.service for own in OWNERS}
    if name not in owners:
        assert not dsns, f"{name} owns no tables and needs no database login: {sorted(dsns)}"
        return
    own = owner(name)
    key = f"EC_{name.upper()}_DATABASE_URL"
    assert set(dsns) == {key}, f"{name}: only its own DSN {key}, got {sorted(dsns)}"
    database = services["postgres"]["environment"]["POSTGRES_DB"]
    assert _login(dsns[key]) == (
        own.role, PASSWORDS[own.password_env()], "postgres", 5432, f"/{database}"
    ), f"{name} must log in as {own.role} with ${own.password_env()}"  # fmt: skip
    assert own.role != "postgres"
    raw_value = environment(raw["services"][name])[key]
    assert f"${{{own.password_env()}:?" in raw_value, raw_value
    # the same login the migrate job's seed step derives (and the role's password it sets)
    admin = environment(services["migrate"])["DATABASE_URL"]
    monkeypatch.setenv(own.password_env(), PASSWORDS[own.password_env()])
    assert _login(service_url(admin, name)) == _login(dsns[key])


@pytest.mark.parametrize("name", sorted(APP))
def test_each_service_reads_its_settings_from_the_container_environment(
    rendered: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contracts.bus import stream_specs

    container_env(monkeypatch, environment(rendered["services"][name]))
    stream_specs()
    settings = importlib.import_module(SETTINGS[name]).Settings.from_env()
    assert settings.nats_url == "nats://nats:4222"
    if hasattr(settings, "database_url"):
        assert urlsplit(settings.database_url).username == owner(name).role, settings.database_url


@pytest.mark.parametrize("name", sorted(APP))
def test_serve_and_health_find_the_infrastructure_in_the_container(
    rendered: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``serve`` and ``health`` first run ``export_urls`` (the image has no infra.json)."""
    container_env(monkeypatch, environment(rendered["services"][name]))
    monkeypatch.setenv("EC_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    cli.export_urls()  # no InfraError: NATS_URL is enough for a service without tables
    assert os.environ["NATS_URL"] == "nats://nats:4222"
    own = {own.service: own for own in OWNERS}.get(name)
    for key, value in os.environ.items():
        if key.endswith("DATABASE_URL") and value:
            login = urlsplit(value)
            assert login.username != "postgres", f"{name}: {key} is a superuser login"
            if own is None or key != f"EC_{name.upper()}_DATABASE_URL":
                assert login.password is None, f"{name}: {key} carries a password it needs not"


def test_docker_compose_renders_the_file_the_same_way(raw: dict[str, Any], tmp_path: Path) -> None:
    """Where the compose plugin is installed (no engine needed), its own rendering agrees."""
    if shutil.which("docker") is None:
        pytest.skip("no docker client")
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if version.returncode != 0:
        pytest.skip("no Docker Compose plugin (`docker compose version` failed)")
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in (env_example() | PASSWORDS).items()))
    out = subprocess.run(
        ["docker", "compose", "--project-directory", str(ROOT), "--file", str(COMPOSE),
         "--env-file", str(env_file), "--profile", "livekit", "config", "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    theirs = json.loads(out.stdout)["services"]
    ours, _ = render(env_example() | PASSWORDS, raw)
    for name in [*APP, "migrate"]:
        assert {k: v or "" for k, v in theirs[name].get("environment", {}).items()} == environment(
            ours["services"][name]
        ), name
        assert theirs[name]["command"] == ours["services"][name]["command"], name


# ---- the roles' passwords, for real ------------------------------------------------------------


@pytest.fixture(scope="module")
def password_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private cluster of its own (like the postgres image, every login needs its password;
    the roles are new, so the first migrate sets the test's passwords), its admin URL."""
    cluster = PostgresCluster(tmp_path_factory.mktemp("scram") / "postgres")
    try:
        cluster.init()
    except InfraError as err:
        pytest.skip(f"no embedded Postgres: {err}")
    port = free_port()
    cluster.start(port, fast=True)
    try:
        create_database(cluster.admin_url(port, "postgres"), "equity_connect")
        yield cluster.admin_url(port)
    finally:
        cluster.stop()


def _connects(url: str) -> str:
    """``current_user`` of a fresh login, or the server's refusal."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT current_user").fetchone()
            return str(row[0]) if row else ""
    except psycopg.OperationalError as err:
        return f"refused: {err}"


def test_migrate_sets_the_role_passwords(
    password_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    first = {
        own.password_env(): f"first-{own.service}-{secrets.token_urlsafe(8)}" for own in OWNERS
    }
    for key, value in first.items():
        monkeypatch.setenv(key, value)
    migrate(password_db)
    for own in OWNERS:
        url = service_url(password_db, own.service)  # with the password, as compose writes it
        assert urlsplit(url).password, url
        assert _connects(url) == own.role
        with psycopg.connect(url) as conn:
            row = conn.execute(f"SELECT count(*) FROM {own.schema}.schema_migrations").fetchone()
            assert row and row[0] > 0, f"{own.role} reads its own schema"
        wrong = psycopg.conninfo.make_conninfo(url, password="not-the-password")
        assert "password authentication failed" in _connects(wrong)
        bare = pg_url(urlsplit(password_db).port or 0, "equity_connect", user=own.role)
        assert _connects(bare).startswith("refused"), "a password-less login is refused"
    # run again with new passwords (compose's .env changed): the roles take them
    for own in OWNERS:
        old = service_url(password_db, own.service)
        monkeypatch.setenv(own.password_env(), f"second-{secrets.token_urlsafe(8)}")
        migrate(password_db)
        assert "password authentication failed" in _connects(old)
        assert _connects(service_url(password_db, own.service)) == own.role
        # and a run without the variable leaves the role's password as it is
        password = os.environ[own.password_env()]
        monkeypatch.delenv(own.password_env())
        migrate(password_db)
        monkeypatch.setenv(own.password_env(), password)
        assert _connects(service_url(password_db, own.service)) == own.role


# ---- the stack, for real (needs a Docker engine) -----------------------------------------------


def _docker_compose_or_skip() -> None:
    if shutil.which("docker") is None:
        pytest.skip("no Docker engine: the docker client is not installed")
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    if info.returncode != 0:
        reason = (info.stderr.strip().splitlines() or ["docker info failed"])[-1]
        pytest.skip(f"no Docker engine: `docker info` failed ({reason})")
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if version.returncode != 0:
        pytest.skip("no Docker Compose plugin: `docker compose version` failed")


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_the_compose_stack_answers_a_simulated_call(tmp_path: Path) -> None:
    """``docker compose up --wait`` with generated passwords, then a call placed with the
    gateway's image (``equity-connect call`` runs the gateway's session code, which needs
    LiveKit's packages — only that image has them; no LiveKit server is needed)."""
    _docker_compose_or_skip()
    env = env_example() | {k: secrets.token_urlsafe(24) for k in PASSWORDS}
    env["EC_DIALOGUE_POLICY"] = "offline"  # no LLM, no network
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    env_file.chmod(0o600)
    project = f"ec-test-{secrets.token_hex(4)}"
    base = ["docker", "compose", "--project-name", project, "--project-directory", str(ROOT),
            "--file", str(COMPOSE), "--env-file", str(env_file)]  # fmt: skip

    def compose(*args: str, stdin: str | None = None, timeout: float = 600) -> Any:
        return subprocess.run([*base, *args], cwd=ROOT, input=stdin, capture_output=True,
                              text=True, timeout=timeout)  # fmt: skip

    try:
        up = compose("up", "-d", "--build", "--wait", "--wait-timeout", "300", timeout=3000)
        if up.returncode != 0:
            logs = compose("logs", "--no-color", "--tail", "40").stdout
            raise AssertionError(f"compose up failed:\n{up.stderr[-3000:]}\n{logs[-6000:]}")
        script = (ROOT / "services/ops/demo_calls/first-call.txt").read_text()
        call = compose("run", "--rm", "-T", "agent_gateway", "equity-connect", "call",
                       "--from", "+12065550199", "--script", "/dev/stdin", "--json",
                       stdin=script)  # fmt: skip
        assert call.returncode == 0, call.stderr[-3000:]
        result = json.loads(call.stdout.strip().splitlines()[-1])
        assert result["outcome"] == "booked", result
        # persistence recorded it, logged in as its own role
        deadline = time.monotonic() + 60
        while True:
            shown = compose("exec", "-T", "persistence", "equity-connect", "calls", "show",
                            result["call_id"], timeout=60)  # fmt: skip
            if shown.returncode == 0 and "booked" in shown.stdout:
                break
            assert time.monotonic() < deadline, shown.stdout + shown.stderr
            time.sleep(2)
    finally:
        compose("down", "--volumes", "--remove-orphans", timeout=600)
