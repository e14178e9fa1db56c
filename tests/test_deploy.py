"""Layout, compose file and images, checked without Docker (no engine runs here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["persistence", "tools", "dialogue", "agent_gateway"]


def test_top_level_layout() -> None:
    for name in ["services/agent_gateway", "services/dialogue", "services/tools",
                 "services/persistence", "contracts", "deploy", "tests", "compose.yaml",
                 "README.md", "Makefile", "pyproject.toml", ".ci/run", "docs/architecture.md",
                 "docs/asyncapi.yaml", ".env.example"]:  # fmt: skip
        assert (ROOT / name).exists(), name
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_compose_has_infrastructure_and_one_container_per_service_with_health_checks() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    nats_conf = (ROOT / "deploy/nats/nats-server.conf").read_text()
    assert "jetstream" in nats_conf and "sync_interval" in nats_conf
    assert "/etc/nats/nats-server.conf" in services["nats"]["command"]
    assert "pgvector" in services["postgres"]["image"]
    for infra in ["nats", "postgres"]:
        assert services[infra]["healthcheck"]["test"]
        assert services[infra]["volumes"], f"{infra} keeps its data in a volume"
    for name in SERVICES:
        svc = services[name]
        assert svc["healthcheck"]["test"], name
        dockerfile = ROOT / svc["build"]["dockerfile"]
        assert dockerfile.exists(), dockerfile
        assert svc["depends_on"]["nats"]["condition"] == "service_healthy"
    for volume in compose["volumes"]:
        assert volume in {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}


def test_only_the_gateway_image_installs_livekit() -> None:
    for name in SERVICES:
        text = (ROOT / f"deploy/Dockerfile.{name}").read_text()
        installs = re.findall(r"^RUN uv sync --locked[^\n]*", text, re.M)
        assert len(installs) == 1, f"{name}: one locked install"
        extras = set(re.findall(r"--extra ([a-z_]+)", installs[0]))
        assert extras, name
        assert ("gateway" in extras) == (name == "agent_gateway"), name
        assert "local" not in extras, "images use external NATS/Postgres"
        assert "pip install ." not in text and "'.[" not in text, f"{name}: unlocked install"


def _uv_pin(text: str) -> str:
    found = re.findall(r"uv==([0-9.]+)", text) or re.findall(r"UV_VERSION := ([0-9.]+)", text)
    assert found, "uv is pinned"
    return found[0]


def test_every_install_path_installs_from_the_lock() -> None:
    lock = (ROOT / "uv.lock").read_text()
    assert 'name = "equity-connect"' in lock
    # every locked wheel and sdist carries its hash
    urls = re.findall(r"url = \"(https://[^\"]+)\"", lock)
    assert urls and all(f'{u}", hash = "sha256:' in lock for u in urls[:50])
    makefile = (ROOT / "Makefile").read_text()
    assert "sync --locked" in makefile and "pip install -e" not in makefile
    assert "lock --upgrade" in makefile, "make lock upgrades on purpose"
    assert "make test" in (ROOT / ".ci/run").read_text()
    pins = {_uv_pin(makefile)}
    for name in SERVICES:
        pins.add(_uv_pin((ROOT / f"deploy/Dockerfile.{name}").read_text()))
    assert len(pins) == 1, f"one uv version everywhere, found {sorted(pins)}"


def test_the_lock_matches_pyproject() -> None:
    """`uv lock --check` (offline, from the lock alone): an edited pyproject without a new lock
    fails here rather than in CI's `uv sync --locked`."""
    uv = ROOT / ".uv/bin/uv"
    if not uv.exists():
        import pytest

        pytest.skip("uv is installed by `make install`")
    out = subprocess.run([str(uv), "lock", "--check", "--offline"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr


def test_non_gateway_services_do_not_import_livekit() -> None:
    # the services' own entrypoints and the operator CLI; `demo` and `call` run the gateway's
    # session code on purpose and import LiveKit lazily
    modules = ["services.ops.cli", "services.tools.main", "services.persistence.main",
               "services.dialogue.main", "services.ops.stack", "contracts.asyncapi"]  # fmt: skip
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + ("print(any(m.split('.')[0] == 'livekit' for m in sys.modules))")
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _variables_read_by_code() -> set[str]:
    pattern = re.compile(
        r"""(?:environ\.get|environ\[|env\.get|getenv|\b[eE]nv\(\)\.\w+|\be\.\w+)\(?\s*"""
        r"""["']([A-Z][A-Z0-9_]+)["']"""
    )
    names: set[str] = set()
    for path in [*ROOT.glob("contracts/**/*.py"), *ROOT.glob("services/**/*.py")]:
        names |= set(pattern.findall(path.read_text()))
    return names


def test_env_example_lists_every_variable_and_no_secret() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    read = _variables_read_by_code()
    # the scanner sees reads through contracts.settings.Env, not only os.environ
    assert {"EC_TOOLS_MAX_IN_FLIGHT", "EC_PERSISTENCE_BATCH_SIZE", "EC_GATEWAY_FILLER_MS",
            "EC_DIALOGUE_PULL_LOOPS", "EC_STREAM_REPLICAS", "EC_LOG_LEVEL"} <= read  # fmt: skip
    missing = read - listed
    assert not missing, f".env.example lacks {sorted(missing)}"
    for line in text.splitlines():
        if re.match(r"^[A-Z0-9_]*(KEY|SECRET|PASSWORD|TOKEN)=", line):  # a name ending so
            assert line.split("=", 1)[1] == "", f"a value for a secret in .env.example: {line}"


def _deployments() -> list[dict[str, object]]:
    docs: list[dict[str, object]] = []
    for path in sorted((ROOT / "deploy/k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return [d for d in docs if d.get("kind") == "Deployment"]


def test_kubernetes_probes_use_each_copys_http_health_endpoints() -> None:
    """Every service has a Deployment whose readiness is GET /health/ready and liveness GET
    /health/live on the port its code listens on (EC_HTTP_PORT), scraped on /metrics."""
    from contracts.observability.http import DEFAULT_PORTS
    from services.ops import cli

    found = {}
    for deployment in _deployments():
        pod = deployment["spec"]["template"]  # type: ignore[index]
        (container,) = pod["spec"]["containers"]
        args = cli.build_parser().parse_args(container["command"][1:])
        assert container["command"][0] == "equity-connect" and args.command == "serve"
        service = args.service
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        port = int(env["EC_HTTP_PORT"])
        assert port == DEFAULT_PORTS[service], service
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports["http"] == port, service
        assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
        notes = pod["metadata"]["annotations"]
        assert notes["prometheus.io/port"] == str(port), service
        assert notes["prometheus.io/path"] == "/metrics", service
        grace = pod["spec"]["terminationGracePeriodSeconds"]
        assert grace >= (1800 if service == "gateway" else 15), f"{service}: drain time"
        found[service] = deployment
    assert set(found) == set(DEFAULT_PORTS), sorted(found)


def test_the_grafana_dashboard_shows_what_the_services_record() -> None:
    import json

    from contracts.observability import metrics

    dashboard = json.loads((ROOT / "deploy/grafana/equity-connect.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    used = set(re.findall(r"\b(ec_[a-z_]+)", " ".join(exprs)))
    ours = {m.name for m in metrics.REGISTRY.collect() if m.name.startswith("ec_")}
    exported = {f"{name}{suffix}" for name in ours
                for suffix in ("", "_total", "_bucket", "_count", "_sum")}  # fmt: skip
    assert used <= exported, f"the dashboard queries unknown metrics: {sorted(used - exported)}"
    shown = {u.removesuffix("_total").removesuffix("_bucket").removesuffix("_count") for u in used}
    assert ours <= shown, f"metrics without a panel: {sorted(ours - shown)}"
    for text in exprs:
        assert "call_id" not in text, "no per-call series"
