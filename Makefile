# crmdesk: `make run` opens the app, `make test` runs the tests. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench bench-quick lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/crmdesk $(ARGS)

# On every core (pytest-xdist); tests marked xdist_group share a worker (one 100,000-row
# file for the big-list tests); the 15 slowest tests are listed at the end. A worker that
# dies (a crash, or a test stopped by pytest-timeout) ends the run at once, naming the
# test: xdist 3.8 would otherwise replace it and, with --dist loadgroup, wait forever.
test: $(TEST_STAMP)
	cd $(CURDIR) && $(BIN)/lint-imports
	cd $(CURDIR) && $(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto --dist loadgroup --max-worker-restart=0 \
		--durations=15 $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench $(BENCH_ARGS)

# The same sections at 10,000 contacts with a tenth of the rounds: under a minute,
# before every submission.
bench-quick: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench --contacts 10000 --quick $(BENCH_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check crmdesk tests bench

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
