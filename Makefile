# The front door. `make run` serves the portal; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi.py
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
XDIST ?= -n 2

.PHONY: run test test-sqlite test-postgres lint translations install chromium bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Every area's catalog (translations/<area>/id/LC_MESSAGES/messages.po) to .mo files.
translations: $(STAMP)
	$(BIN)/python -m portal.i18n

run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Portal on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

test: install translations chromium
	$(MAKE) --no-print-directory test-sqlite
	@if [ "$$CI" = "true" ]; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif $(BIN)/python -c "import psycopg,sys; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=test', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL not reachable: skipped the PostgreSQL run (CI=true makes it required)"; fi

test-sqlite: install
	@echo "== test suite on SQLite =="
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: install
	@echo "== test suite on PostgreSQL =="
	@$(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=test', connect_timeout=5).close()" \
	  || { echo "PostgreSQL at 127.0.0.1:5432 is unreachable"; exit 1; }
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal tests bench
	$(BIN)/lint-imports

bench: install translations
	@for f in bench/*_bench.py; do echo "== $$f =="; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache
