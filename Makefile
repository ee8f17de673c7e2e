# Two commands set everything up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run demo test bench lint format screenshots translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/refurb-station run

demo: $(STAMP)
	$(BIN)/refurb-station run --simulate

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/benchmarks -o addopts="" -p no:cacheprovider -q -s

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The README's screenshots, from the demo bench under a virtual X server (apt-get install xvfb); not part of CI.
screenshots: $(STAMP)
	xvfb-run -a $(BIN)/python tools/screenshots.py docs/screenshots

# Refresh the French catalogue from the tr() strings in app/, then compile it; translate new entries in between
# (pyside6-linguist) and run this again. tests/gui checks that no entry is left unfinished.
TS := resources/translations/refurb_station_fr.ts
translations: $(STAMP)
	$(BIN)/pyside6-lupdate -silent -extensions py -no-obsolete app -ts $(TS)
	$(BIN)/pyside6-lrelease -silent $(TS) -qm $(TS:.ts=.qm)

clean:
	rm -rf $(VENV) build *.egg-info
