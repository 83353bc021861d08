# Set-up and everyday commands. `make demo` and `make test` each work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= config.example.toml
QUESTION ?= Is Allegri leaving Milan?
export HF_HUB_OFFLINE := 1

.PHONY: install demo test lint bench clean

# The stamp is rebuilt when the dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/transferdesk --config $(CONFIG) reindex
	$(BIN)/transferdesk --config $(CONFIG) ask "$(QUESTION)"

test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check bot index tests bench
	$(BIN)/ruff format --check bot index tests bench

bench: install
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_eval.py
	$(BIN)/python bench/calibrate_min_score.py
	$(BIN)/python bench/bench_startup.py

clean:
	rm -rf $(VENV) data
