# Two commands work on a fresh machine (Python >= 3.11 and make, nothing else installed by hand):
#   make demo   set up .venv if missing, install, run the offline demo
#   make test   set up .venv if missing, install, lint, type-check and run the whole test suite
#   make install  set up .venv if missing and install (again after a `git pull` changed pyproject.toml)
#   make install-prod  the same for a server: newsdigest and what it runs on, without the dev tools
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PROD_STAMP := $(VENV)/.installed-prod-stamp

.PHONY: install install-prod demo test lint format bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsdigest needs Python >= 3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# After `git pull`: installs what pyproject.toml now declares (only when it changed). The first
# time, also makes config/newsdigest.toml, the operator's own copy of the shipped example (git
# ignores it, so `git pull` never stops over an edit of it); an existing one is never touched.
install: $(STAMP) config/newsdigest.toml

# A server's install: `pip install -e .` as docs/DEPLOY.md does, so the running bot carries no
# test, lint or benchmark packages. Its own stamp: `make install` (or test, demo) afterwards still
# adds the dev extra, and this one reinstalls only when pyproject.toml changed.
install-prod: $(PROD_STAMP) config/newsdigest.toml

$(PROD_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsdigest needs Python >= 3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(PROD_STAMP)

config/newsdigest.toml:
	cp config/newsdigest.example.toml $@

demo: $(STAMP)
	$(BIN)/newsdigest demo

test: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check --quiet bot tests bench
	$(BIN)/mypy bot
	$(BIN)/python -m pytest -q -n auto --durations=15

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy bot

format: $(STAMP)
	$(BIN)/ruff format bot tests bench

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/cluster_quality.py
	$(BIN)/python bench/cluster_speed.py
	$(BIN)/python bench/summary_quality.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .ruff_cache .mypy_cache
