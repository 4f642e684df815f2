# Two commands for a fresh machine: `make run` (the app) and `make test` (every test);
# `make serve` starts the HTTP API.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The app installs only what it runs on; the tests add their tools (pytest, hypothesis, playwright).
APP    := $(VENV)/.installed-app
DEV    := $(VENV)/.installed-dev

.PHONY: run serve test lint bench clean

$(APP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(APP)

$(DEV): $(APP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV)

run: $(APP)
	$(BIN)/streamlit run app.py --browser.gatherUsageStats false

serve: $(APP)
	$(BIN)/regelsjekk serve

test: $(DEV)
	scripts/ensure-browser
	$(BIN)/regelsjekk regler sjekk
	$(BIN)/python -m pytest -n 2

bench: $(DEV)
	status=0; for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache build dist
