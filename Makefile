# Each target creates .venv on first use, so a fresh machine needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/sim: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(BIN)/sim

.PHONY: install run test bench lint
install: $(BIN)/sim

run: $(BIN)/sim
	$(BIN)/sim run

test: $(BIN)/sim
	$(BIN)/pytest -n auto -q

bench: $(BIN)/sim
	$(BIN)/python benchmarks/engine.py

lint: $(BIN)/sim
	$(BIN)/ruff check sim benchmarks
	$(BIN)/mypy sim
