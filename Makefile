# Two commands: `make demo` and `make test`. Each sets up what it needs from a fresh clone
# with only Python 3.11 on the machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
EC     := $(BIN)/equity-connect
STAMP  := $(VENV)/.installed
EXTRAS := local dev bench tools persistence dialogue gateway
# Every install comes from uv.lock (exact versions and hashes): a new release of a dependency
# cannot change what `make test` runs. uv itself is pinned and lives in its own small venv.
UV_VERSION := 0.13.9
UV     := .uv/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: install lock demo eval test test-fast lint up down infra migrate seed asyncapi bench chaos clean

install: $(STAMP)

$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet --python $(PYTHON) $(addprefix --extra ,$(EXTRAS))
	touch $(STAMP)

# Upgrade every dependency on purpose (commit the new uv.lock on its own).
lock: | $(UV)
	$(UV) lock --upgrade

infra: install
	$(EC) infra up
	$(EC) migrate
	$(EC) seed

up: infra
	$(EC) up

demo: up
	$(EC) demo

# Every caller script in tests/conversations against the running stack (see its README.md).
eval: up
	$(EC) eval tests/conversations

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow and not fault"

lint: install
	$(BIN)/ruff check contracts services tests bench
	$(BIN)/ruff format --check contracts services tests bench
	$(BIN)/mypy

bench: install
	cd bench && ../$(BIN)/python run.py

# The fault drills (services/ops/README.md, "Chaos drills") on private infrastructure and free
# ports: one table (drill, bar, measured), results in bench/results/chaos-<time>.json.
chaos: install
	$(EC) chaos

asyncapi: install
	$(EC) asyncapi --write

down: install
	$(EC) down

clean: down
	rm -rf .data
