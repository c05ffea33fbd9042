# The two commands of the README: `make run` and `make test`. Both set up .venv/ themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format lock bench clean screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

run: $(VENV)/.base-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev-installed
	$(PY) -m pytest
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-pin every dependency from pyproject.toml (needs network access to PyPI).
lock: | $(PY)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url \
		--no-emit-find-links -o requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url \
		--no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url \
		--no-emit-find-links --extra dev --extra bench -o requirements/bench.txt pyproject.toml

$(VENV)/.bench-installed: requirements/bench.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/bench.txt
	touch $@ $(VENV)/.dev-installed $(VENV)/.base-installed

# Benchmarks against PostgreSQL (DATABASE_URL must be set). Prints a table, writes bench/results/.
bench: $(VENV)/.bench-installed
	@test -n "$$DATABASE_URL" || { echo "make bench needs DATABASE_URL=postgres://..." >&2; exit 2; }
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m bench $(BENCH_ARGS)

# The README's screenshots (docs/screenshots/), made by a browser test with made-up residents.
screenshots: $(VENV)/.dev-installed
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -q tests/browser/test_screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
