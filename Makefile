# make run   - set up .venv if needed, validate the graphs and print a summary
# make test  - set up .venv if needed, run the test suite
# make clean - remove generated files (keeps .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever pyproject.toml changes (new dependency, new entry point).
STAMP  := $(VENV)/.installed

.PHONY: run test clean

run: $(STAMP)
	$(BIN)/diplograph build

# One worker per core; a test module stays on one worker so that its fixtures are made once.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf out .pytest_cache .hypothesis build
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
