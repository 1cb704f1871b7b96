# Two commands from a fresh clone: `make run` and `make test`. Each builds .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format console sync bench backup gifts screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

console: $(STAMP)
	$(BIN)/python -m bot console

sync: $(STAMP)
	$(BIN)/python -m bot sync $(if $(GUILD),--guild $(GUILD),--global)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench

# Rebuild economy/data/gifts.json from economy/data/sources/ (CHECK=1: only say if it is stale).
gifts: $(STAMP)
	$(BIN)/python -m tools.build_gifts $(if $(CHECK),--check)

# The README's pictures: the cards the test suite's own fixtures draw (docs/images/*.png).
screenshots: $(STAMP)
	SCREENSHOTS=docs/images $(BIN)/python -m pytest -q tests/commands/test_card_commands.py -k screenshots

backup: $(STAMP)
	$(BIN)/python -m bot backup $(or $(TO),backups/tiktok-gift-bot-$(shell date +%F).sqlite3)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
