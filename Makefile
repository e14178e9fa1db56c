# Two commands: `make demo` and `make test`. Each sets up what it needs from a fresh clone
# with only Python 3.11 on the machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
EC     := $(BIN)/equity-connect
STAMP  := $(VENV)/.installed
EXTRAS := local,dev,bench,tools,persistence,dialogue,gateway

.PHONY: install demo test test-fast lint up down infra migrate seed asyncapi bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

infra: install
	$(EC) infra up
	$(EC) migrate
	$(EC) seed

up: infra
	$(EC) up

demo: up
	$(EC) demo

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

asyncapi: install
	$(EC) asyncapi --write

down: install
	$(EC) down

clean: down
	rm -rf .data
