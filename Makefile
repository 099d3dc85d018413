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

.PHONY: run serve test test-sqlite test-postgres lint translations install chromium a11y-tools wrk bench clean

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

# The production setup (deploy/gunicorn.conf.py, docs/DEPLOYMENT.md) on this machine, to try it:
# PostgreSQL database $(SERVE_DB) (created if missing), Redis, 2 gunicorn workers. Open
# http://localhost:8000 (production cookies are Secure: browsers keep them on localhost only).
SERVE_DB ?= portal_serve
SERVE_PG ?= host=127.0.0.1 port=5432 user=postgres
SERVE_ENV = PORTAL_ENV=production DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/$(SERVE_DB) \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} \
	GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:8000} SECRET_KEY="$$(cat instance/serve-secret-key)"

serve: install translations
	@mkdir -p instance && test -s instance/serve-secret-key || \
	  $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(32))" > instance/serve-secret-key
	@$(BIN)/python -c "import psycopg; c = psycopg.connect('$(SERVE_PG) dbname=postgres', autocommit=True); \
	  c.execute(\"SELECT 1 FROM pg_database WHERE datname = '$(SERVE_DB)'\").fetchone() or \
	  c.execute('CREATE DATABASE $(SERVE_DB)'); c.close()"
	$(SERVE_ENV) $(BIN)/flask db upgrade
	$(SERVE_ENV) $(BIN)/flask seed-reference
	$(SERVE_ENV) $(BIN)/flask seed-demo
	@echo "Portal (production settings) on http://localhost:8000 (Ctrl+C to stop)"
	$(SERVE_ENV) $(BIN)/gunicorn -c deploy/gunicorn.conf.py

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

# The accessibility checkers of tests/e2e/test_a11y_pages.py from the npm registry (versions
# pinned in tests/e2e/package-lock.json): axe-core, and vnu-jar (the Nu HTML checker; runs on
# the installed java, so its postinstall Java download is skipped).
A11Y_STAMP := tests/e2e/node_modules/.installed
$(A11Y_STAMP): tests/e2e/package-lock.json
	cd tests/e2e && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(A11Y_STAMP)

a11y-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(A11Y_STAMP); \
	else echo "npm missing: the axe/Nu page checks will be skipped (failed under CI=true)"; fi

# Debian's wrk for bench/pages_bench.py.
wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian wrk for the page benchmark..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk missing and not root: bench/pages_bench.py will stop"; fi; \
	fi

test: install translations chromium a11y-tools
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
	$(BIN)/ruff format --check portal tests bench deploy
	$(BIN)/lint-imports

bench: install translations wrk
	@for f in bench/*_bench.py; do echo "== $$f =="; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache tests/e2e/node_modules
