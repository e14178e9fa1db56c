"""Where the project keeps its local state: the data dir (``EC_DATA_DIR``, default ``.data``)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """The checkout (when installed editable), else the current directory."""
    if (PACKAGE_ROOT / "pyproject.toml").exists():
        return PACKAGE_ROOT
    return Path.cwd()


def data_dir() -> Path:
    configured = os.environ.get("EC_DATA_DIR")
    path = Path(configured) if configured else project_root() / ".data"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()
