"""Service boundaries are enforced, not hoped for: every import of every module is checked.

A module under ``services/<svc>/`` may import the standard library, third-party packages,
``contracts`` and ``services.<svc>`` itself; nothing of another service. ``contracts`` imports
no service. Imports are read with ``ast``, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The operator CLI and composition tool is the one exception: it launches and drives the
#: services, so it may import any of them. Today it imports ``services.agent_gateway.simulate``
#: (``demo`` places simulated calls), ``services.persistence.seed`` and ``services.tools.seed``
#: (``seed``), and loads each service's entry point and sub-CLI by name with ``importlib``.
#: No other service, and nothing in ``contracts``, gets an exception.
MAY_IMPORT_ANY_SERVICE = {"ops"}


def first_party(root: Path = ROOT) -> set[str]:
    """Top-level names that are this repository's code (``services``, ``contracts``, ``tests``,
    ``bench``, …); anything else an import names is the standard library or third-party."""
    names = {p.stem for p in root.glob("*.py")}
    for d in root.iterdir():
        if d.is_dir() and not d.name.startswith(".") and any(d.rglob("*.py")):
            names.add(d.name)
    return names


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """``(line, absolute module)`` for every import in the file, at any depth; relative imports
    are resolved; ``from pkg import name`` yields ``pkg.name`` (``name`` may be a module)."""
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                yield node.lineno, module if alias.name == "*" else f"{module}.{alias.name}"


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path = ROOT) -> list[str]:
    ours = first_party(root)
    found: list[str] = []
    for path in sorted([*root.glob("services/**/*.py"), *root.glob("contracts/**/*.py")]):
        parts = path.relative_to(root).parts
        svc = parts[1] if parts[0] == "services" and len(parts) > 2 else None
        for line, name in imports(path, root):
            top = name.split(".")[0]
            if top not in ours or top == "contracts":
                continue  # stdlib, third-party, or the shared contracts
            if svc is not None and _within(name, f"services.{svc}"):
                continue  # the service's own code
            if svc in MAY_IMPORT_ANY_SERVICE and _within(name, "services") and name != "services":
                continue  # the operator CLI launches the services (see above)
            found.append(f"{path.relative_to(root)}:{line} imports {name}")
    return found


def test_services_import_only_themselves_and_contracts_and_contracts_no_service() -> None:
    assert violations() == []


def test_the_checker_sees_nested_relative_and_from_imports(tmp_path: Path) -> None:
    def write(rel: str, text: str) -> None:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    for pkg in ["services", "services/dialogue", "services/tools", "services/ops", "contracts"]:
        write(f"{pkg}/__init__.py", "")
    write("services/dialogue/ok.py", "import json\nimport msgspec\nfrom contracts import calls\n"
          "from services.dialogue import state\nfrom . import ok\n")  # fmt: skip
    write("services/dialogue/nested.py", "def f():\n    from services.tools.phone import x\n")
    write("services/dialogue/sneaky.py", "from services import tools\nfrom .. import tools\n")
    write("services/dialogue/tests_too.py", "import bench.run\n")
    write("bench/run.py", "")
    write("services/ops/launch.py", "from services.tools import seed\nimport bench.run\n")
    write("contracts/bad.py", "from services.tools.seed import x\n")
    assert violations(tmp_path) == [
        "contracts/bad.py:1 imports services.tools.seed.x",
        "services/dialogue/nested.py:2 imports services.tools.phone.x",
        "services/dialogue/sneaky.py:1 imports services.tools",
        "services/dialogue/sneaky.py:2 imports services.tools",
        "services/dialogue/tests_too.py:1 imports bench.run",
        "services/ops/launch.py:2 imports bench.run",
    ]


def test_every_service_is_checked() -> None:
    services = {p.parent.name for p in ROOT.glob("services/*/__init__.py")}
    assert {"agent_gateway", "dialogue", "tools", "persistence", "ops"} <= services
    assert MAY_IMPORT_ANY_SERVICE <= services
