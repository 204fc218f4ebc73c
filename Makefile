# `make run` serves Sauti on SQLite with an in-process worker; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
export FLASK_APP := wsgi

.PHONY: setup translations run test lint bench browser clean

setup: $(STAMP) translations

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# Staff pages in Kiswahili: the .po files are the source, the .mo files are built. After changing
# strings: pybabel extract -F app/babel.cfg -o /tmp/sauti.pot . && pybabel update -i /tmp/sauti.pot -d app/translations
translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d app/translations

run: setup
	$(BIN)/flask demo
	@echo "Sauti on http://127.0.0.1:5000 - try: $(BIN)/flask --app wsgi sim sms +254712345678 'Polisi wamemkamata kijana Eastleigh'"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

test: setup browser
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy storage triage

bench: setup
	$(BIN)/python bench/triage.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/metrics.py
	$(BIN)/python bench/queue.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
