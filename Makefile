# Two commands do all set-up on a fresh machine:
#   make demo   — install, then screen the sample applications into an embedded SQLite store
#   make test   — install, then run the whole test suite
#   make serve  — the web pages and the API on the demo store (built by `make demo` only when it is
#                 missing: what was done in the browser stays) with sample users
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test serve bench load lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# `make demo` starts afresh; `make serve` keeps the store it finds.
SCREEN_DEMO = $(BIN)/subsidy screen applications --db demo.db --format csv > demo-decisions.csv

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(SCREEN_DEMO)
	$(BIN)/subsidy verify --db demo.db
	$(BIN)/subsidy report --db demo.db

demo.db: | $(STAMP)
	$(SCREEN_DEMO)

test: $(STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP) demo.db
	$(BIN)/subsidy serve --db demo.db --sample-users

bench: $(STAMP)
	$(BIN)/python bench/benchmark.py

load: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[load]'
	$(BIN)/python bench/load_selfcheck.py

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/ruff check engine tests bench
	$(BIN)/ruff format --check engine tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
