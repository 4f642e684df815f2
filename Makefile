# Two commands for a fresh machine: `make run` (the app) and `make test` (every test);
# `make serve` starts the HTTP API.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --browser.gatherUsageStats false

serve: $(STAMP)
	$(BIN)/regelsjekk serve

test: $(STAMP)
	scripts/ensure-browser
	$(BIN)/regelsjekk regler sjekk
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build dist
