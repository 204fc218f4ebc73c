# `make run` serves Sauti on SQLite with an in-process worker; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
LOCKS := requirements.txt requirements-train.txt requirements-dev.txt
STAMP := $(VENV)/.installed-$(shell cat $(LOCKS) | sha1sum | cut -c1-12)
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
PACKAGES := app channels workers storage triage
export FLASK_APP := wsgi

.PHONY: setup translations run test lint lock bench browser clean

setup: $(STAMP) translations

# Every package pinned with its hashes: what CI installs is what was reviewed.
$(STAMP): $(LOCKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# After changing a *.in file: pin the new versions (and their hashes) into the *.txt files.
lock:
	test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet pip-tools==7.5.1
	$(COMPILE) -o requirements.txt requirements.in
	$(COMPILE) -o requirements-train.txt requirements-train.in
	$(COMPILE) -o requirements-dev.txt requirements-dev.in

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

# ruff (lint and format), mypy over every package, and the one-way import contract.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PACKAGES)
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/triage.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/intake_cpu.py
	$(BIN)/python bench/intake_steps.py
	$(BIN)/python bench/metrics.py
	$(BIN)/python bench/panel_queue.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
