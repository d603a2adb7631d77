# Podium — the README's commands. Everything runs inside .venv, built from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# Test processes (pytest-xdist); 0 runs everything in one process.
PYTEST_WORKERS ?= 2

.PHONY: demo test fuzz lint typecheck contracts migrations-check pytest pytest-postgres bench clean help

help:
	@echo "make demo   - install into .venv, set up a SQLite database with the demo program, serve it on http://$(HOST):$(PORT)"
	@echo "make test   - lint, type checks, migrations check, import contracts, tests on SQLite and PostgreSQL"
	@echo "make fuzz   - the long variants: 1,000 API fuzz examples per operation, 50 kill -9 runs per crash scenario on 2,000 activities"
	@echo "make bench  - benchmarks (ratios against a baseline run in the same process)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/podium demo --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check $(wildcard src tests bench)
	$(BIN)/ruff format --check $(wildcard src tests bench)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

contracts: $(VENV)/.installed-dev
	$(BIN)/lint-imports

migrations-check: $(VENV)/.installed-dev
	PODIUM_DEBUG=1 DATABASE_URL=sqlite:///:memory: $(BIN)/podium manage makemigrations --check --dry-run

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

# PostgreSQL run: required when CI=true, skipped with a message otherwise when no server answers.
# It leaves out the suites that never touch a database (tests/conftest.py, DATABASE_FREE).
pytest-postgres: $(VENV)/.installed-dev
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	if $(BIN)/python -m podium.config.dbcheck "$$url"; then \
		echo "== tests on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" PODIUM_DATABASE_TESTS_ONLY=1 \
			$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required in CI but $$url does not answer" >&2; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $$url: PostgreSQL run skipped"; \
	fi

test: lint typecheck contracts migrations-check pytest pytest-postgres

# The long variants (tests/fuzz, tests/reliability/README.md); PostgreSQL with DATABASE_URL set.
fuzz: $(VENV)/.installed-dev
	PODIUM_FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest tests/fuzz -n $(PYTEST_WORKERS) --dist loadgroup
	PODIUM_CRASH_RUNS=50 PODIUM_CRASH_ACTIVITIES=2000 $(BIN)/python -m pytest tests/reliability -m slow

bench: $(VENV)/.installed-dev
	@for f in bench/bench_*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(BIN)/python "$$f"; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
