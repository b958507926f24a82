# Each target creates .venv on first use, so a fresh machine needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The install compiles the hot modules with mypyc (see setup.py), so it is redone whenever
# one of them changes; `make clean` drops the compiled modules and this stamp.
STAMP := $(VENV)/.installed
COMPILED := $(wildcard sim/engine/*.py sim/invariants/*.py sim/bots/*.py sim/runner/*.py sim/driver/*.py sim/hooks/*.py sim/outside/phh.py sim/outside/plan.py)

$(STAMP): pyproject.toml setup.py $(COMPILED)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench,oracle,dask,plots]'
	touch $(STAMP)

.PHONY: install run test test-pure bench lint clean mark-built
install: $(STAMP)

# CI restores .venv and the compiled modules from its cache, keyed on the hash of what they
# are built from (the compiled sources, setup.py, pyproject.toml, the Python version). The
# checkout's sources are then newer files with the same content: this marks the restored
# build current, so neither make nor `sim` (stale_builds) rebuilds or refuses it. Only
# where that key vouches for the build.
mark-built:
	find sim -name '*.so' -exec touch {} +
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sim run

test: $(STAMP)
	$(BIN)/pytest -n auto -q

# The same tests on plain Python (what a machine without a C compiler runs); the next
# `make install`, `make run` or `make test` compiles again.
test-pure: clean
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	SIM_PURE=1 $(BIN)/pip install -q -e '.[test,bench,oracle,dask,plots]'
	$(BIN)/pytest -n auto -q

# The engine benchmark's OpenSpiel peer is an extra of its own (heavy); installed on first use.
bench: $(STAMP)
	$(BIN)/python -c 'import pyspiel' 2>/dev/null || $(BIN)/pip install -q -e '.[openspiel]'
	$(BIN)/python benchmarks/engine.py

# Remove the compiled modules (the package then runs as plain Python until the next install).
clean:
	find sim -name '*.so' -delete
	rm -f *__mypyc*.so $(STAMP)
	rm -rf build

lint: $(STAMP)
	$(BIN)/ruff check sim benchmarks setup.py
	$(BIN)/mypy sim
