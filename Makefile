# Each target creates .venv on first use, so a fresh machine needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# The install compiles the hot modules with mypyc (setup.py), so it is redone whenever one
# of them changes; SIM_PURE=1 installs plain Python instead.
COMPILED := $(wildcard sim/engine/*.py sim/invariants/*.py sim/bots/*.py) sim/runner.py

$(BIN)/sim: pyproject.toml setup.py $(COMPILED)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(BIN)/sim

.PHONY: install run test bench lint clean
install: $(BIN)/sim

run: $(BIN)/sim
	$(BIN)/sim run

test: $(BIN)/sim
	$(BIN)/pytest -n auto -q

bench: $(BIN)/sim
	$(BIN)/python benchmarks/engine.py

# Remove the compiled modules (the package then runs as plain Python until the next install).
clean:
	find sim -name '*.so' -delete
	rm -f *__mypyc*.so
	rm -rf build

lint: $(BIN)/sim
	$(BIN)/ruff check sim benchmarks
	$(BIN)/mypy sim
