# Two commands set up a fresh machine: `make run` (full sync on the embedded stand-ins) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench ui simulate clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,scale]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/afas-mplus sync

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/afas-mplus bench

ui: $(STAMP)
	$(BIN)/afas-mplus ui

simulate: $(STAMP)
	$(BIN)/afas-mplus simulate

clean:
	rm -rf $(VENV) .data
