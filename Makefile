# Two entry points: `make demo` (the main job, on the embedded SQLite default)
# and `make test` (the whole test suite, SQLite and PostgreSQL, real tj3 and bpy).
# Both bootstrap .venv themselves with nothing but python3 (>= 3.11).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-stamp: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-stamp: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,blender,bench]'
	touch $@ $(VENV)/.run-stamp

demo: $(VENV)/.run-stamp
	$(BIN)/stalker demo

test: $(VENV)/.dev-stamp
	$(BIN)/lint-imports --no-cache
	$(BIN)/lint-imports --no-cache .importlinter-runtime
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.dev-stamp
	$(BIN)/lint-imports --no-cache
	$(BIN)/lint-imports --no-cache .importlinter-runtime
	$(BIN)/ruff check stalker_core hosts plugins tests benchmarks
	$(BIN)/mypy stalker_core hosts plugins

clean:
	rm -rf $(VENV) build dist *.egg-info

# Concurrent saves and publishes with random kills, then a check that the database
# and the files agree (benchmarks/soak.py); SOAK_SECONDS=300, SOAK_DB=postgresql://...
SOAK_SECONDS ?= 60
.PHONY: soak
soak: $(VENV)/.dev-stamp
	$(BIN)/python benchmarks/soak.py --seconds $(SOAK_SECONDS) $(if $(SOAK_DB),--db $(SOAK_DB))
