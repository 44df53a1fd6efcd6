# Shahrak: `make run` serves the app with demo data; `make test` passes the tests.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := shahrak.settings
# Development defaults; production sets SECRET_KEY and DEBUG=false itself.
export DEBUG ?= true
PG_URL ?= postgres://postgres@127.0.0.1:5432/shahrak
DEMO_SCALE ?= 0.1
# The demo's records run from 1398 to 1402: `make run` opens its pages on 1401, the article's year.
DEMO_YEAR ?= 1401
HOST ?= 127.0.0.1
# Two workers: CI machines have two cores.
PYTEST_ARGS ?= -n 2
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres install install-dev assets migrate demo bench lint clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found (see scripts/find-python)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Front-end packages come from the npm registry (package-lock.json) and are copied to shahrak/web/static/vendor (git-ignored).
assets: shahrak/web/static/vendor/.built
shahrak/web/static/vendor/.built: package.json package-lock.json scripts/build-assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/build-assets.mjs
	touch $@

migrate: install assets
	$(BIN)/shahrak migrate --no-input
	$(BIN)/shahrak load_reference

demo: migrate
	$(BIN)/shahrak demo --scale $(DEMO_SCALE) --seed 1401 --if-empty
	$(BIN)/shahrak load_claims
	$(BIN)/shahrak load_price_index --demo
	$(BIN)/shahrak ensure_demo_users

run: demo
	@echo
	@echo "  Shahrak: http://$(HOST):$(PORT)/   sign in as admin / shahrak-admin"
	@echo
	@echo "  (web server and task worker together; Ctrl-C stops both)"
	@echo
	SHAHRAK_DEFAULT_YEAR=$(DEMO_YEAR) scripts/supervise "$(BIN)/shahrak runserver $(HOST):$(PORT)" "$(BIN)/shahrak db_worker"

test: install-dev assets
	@$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python scripts/pg-answers.py "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL did not answer at $(PG_URL): tests ran on SQLite only."; fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL ($(PG_URL)) =="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -m "not browser" $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python bench/metrics.py

# The same checks as .pre-commit-config.yaml; CI runs them before the tests.
lint: install-dev
	$(BIN)/ruff check shahrak bench scripts conftest.py
	$(BIN)/lint-imports --no-logo
	$(BIN)/shahrak check
	$(BIN)/shahrak makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var node_modules
