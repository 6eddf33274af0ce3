# ghstore — `make test` and `make demo` work on a fresh machine: they build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCHEMA_VERSION := 15.26.1

.PHONY: install test lint typecheck unit demo bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff format --check ghstore tests
	$(BIN)/ruff check ghstore tests
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

test: lint unit

demo: install
	$(BIN)/ghstore demo

bench: install
	$(BIN)/python -m ghstore.bench

# Refresh the shipped GitHub schema from npm (@octokit/graphql-schema, pinned above).
schema: install
	rm -rf .schema-tmp && mkdir .schema-tmp
	cd .schema-tmp && npm pack --silent @octokit/graphql-schema@$(SCHEMA_VERSION)
	$(BIN)/python -m ghstore.emulator.schema .schema-tmp/octokit-graphql-schema-$(SCHEMA_VERSION).tgz
	rm -rf .schema-tmp

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
