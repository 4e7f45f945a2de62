# Children's social care complaints: assistant, triage and intake API.
# `make run` and `make test` work from a fresh clone; everything else is a step of those.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV := .venv
VENV_BOT := .venv-bot
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app intake_api
RASA := $(VENV_BOT)/bin/rasa

# No network at run time: Rasa must never try to send telemetry.
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

API_PORT ?= 8000
# gunicorn processes for the intake API (triage runs in its own worker process).
API_WORKERS ?= 4
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
# Rasa listens on loopback only; put a reverse proxy in front of it in production.
RASA_INTERFACE ?= 127.0.0.1
# Origins allowed to talk to Rasa from a browser: the chat page, plus any site embedding it.
RASA_CORS ?= http://localhost:$(API_PORT) http://127.0.0.1:$(API_PORT)
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
DEMO_OFFICER_EMAIL ?= demo.officer@example.org

RASA_MODEL := models/rasa/assistant.tar.gz
RASA_SOURCES := config.yml domain.yml $(shell find nlu_data -name '*.yml' 2>/dev/null)
TRIAGE_MODEL := models/triage/metadata.json
TRIAGE_SOURCES := $(wildcard triage/data/*.jsonl) $(shell find triage -name '*.py' 2>/dev/null)

# Python 3.10 from $PYTHON, python3.10 on PATH, or pyenv; nothing else (Rasa 3.6 needs it).
define FIND_PYTHON
is310() { "$$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }; \
if [ -n "$${PYTHON:-}" ]; then \
  if is310 "$$PYTHON"; then echo "$$PYTHON"; exit 0; fi; \
  echo "PYTHON=$$PYTHON is not a working Python 3.10. Rasa Open Source 3.6 needs Python 3.10." >&2; exit 1; \
fi; \
if is310 python3.10; then command -v python3.10; exit 0; fi; \
p=$$(pyenv prefix 3.10 2>/dev/null | head -n 1)/bin/python3.10; \
if is310 "$$p"; then echo "$$p"; exit 0; fi; \
echo "Python 3.10 was not found. Rasa Open Source 3.6 needs it." >&2; \
echo "Install it (for example 'pyenv install 3.10') or set PYTHON=/path/to/python3.10." >&2; \
exit 1
endef

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- environments

$(VENV)/.installed: pyproject.toml constraints/app.txt
	@py=$$($(FIND_PYTHON)); echo "Creating $(VENV) with $$py"; \
	  [ -x $(VENV)/bin/python ] || "$$py" -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade 'pip>=25.1'
	$(VENV)/bin/pip install -q -c constraints/app.txt -e . --group dev
	@touch $@

$(VENV_BOT)/.installed: pyproject.toml constraints/bot.txt
	@py=$$($(FIND_PYTHON)); echo "Creating $(VENV_BOT) with $$py"; \
	  [ -x $(VENV_BOT)/bin/python ] || "$$py" -m venv $(VENV_BOT)
	$(VENV_BOT)/bin/python -m pip install -q --upgrade 'pip>=25.1'
	$(VENV_BOT)/bin/pip install -q -c constraints/bot.txt --group bot
	@touch $@

.PHONY: setup
setup: $(VENV)/.installed $(VENV_BOT)/.installed ## Create both virtual environments

# Browser tests: Debian's Chromium (never a browser download) and axe-core from npm.
BROWSER_DEPS := tests/browser/node_modules/.package-lock.json

$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

.PHONY: chromium
chromium: ## Install Debian's Chromium for the browser tests, if missing (needs root)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' (Debian) for the browser tests." >&2; exit 1; \
	  fi; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    chromium fonts-dejavu-core fonts-liberation; }

.PHONY: browser-deps
browser-deps: chromium $(BROWSER_DEPS)

.PHONY: lock
lock: ## Re-pin constraints/*.txt from the installed environments
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^-e ' > constraints/app.txt
	$(VENV_BOT)/bin/pip freeze > constraints/bot.txt

# ---------------------------------------------------------------- models

$(RASA_MODEL): $(RASA_SOURCES) | $(VENV_BOT)/.installed
	$(RASA) train --config config.yml --domain domain.yml --data nlu_data \
	  --out models/rasa --fixed-model-name assistant
	@touch $@

$(TRIAGE_MODEL): $(TRIAGE_SOURCES) | $(VENV)/.installed
	$(PY) -m triage train --out models/triage

.PHONY: train
train: $(RASA_MODEL) $(TRIAGE_MODEL) ## Train the Rasa and triage models (skips what is up to date)

# ---------------------------------------------------------------- database

.PHONY: migrate
migrate: $(VENV)/.installed ## Apply the database migrations ($$DATABASE_URL, default SQLite in instance/)
	$(FLASK) db-upgrade

.PHONY: demo-officer
demo-officer: migrate ## Create the demo officer and the bot's service token, if missing
	@mkdir -p instance
	@[ -s instance/demo-officer-password ] || \
	  ( umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(12))' > instance/demo-officer-password )
	@DEMO_OFFICER_PASSWORD=$$(cat instance/demo-officer-password) $(FLASK) create-officer \
	  --email $(DEMO_OFFICER_EMAIL) --name "Demo Officer" --role manager \
	  --password-env DEMO_OFFICER_PASSWORD --if-missing
	@$(FLASK) create-token bot --if-missing --token-file instance/bot-token > /dev/null

# ---------------------------------------------------------------- run

.PHONY: run
run: setup train demo-officer ## Set up, train, migrate, then start every service and print the URLs
	@mkdir -p .run
	@trap 'trap - EXIT INT TERM; echo; echo "Stopping..."; kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	export INTAKE_API_TOKEN=$$(cat instance/bot-token) INTAKE_API_URL=http://localhost:$(API_PORT); \
	$(PY) -m rasa_sdk --actions bot.actions -p $(ACTIONS_PORT) > .run/actions.log 2>&1 & \
	$(PY) -m bot.actions.outbox deliver --loop 30 > .run/outbox.log 2>&1 & \
	INTAKE_TRIAGE_MODE=worker $(VENV)/bin/gunicorn -w $(API_WORKERS) -b 127.0.0.1:$(API_PORT) 'intake_api:create_app()' > .run/intake.log 2>&1 & \
	nice -n 10 $(PY) -m intake_api triage-worker --loop > .run/triage-worker.log 2>&1 & \
	$(RASA) run --enable-api -m $(RASA_MODEL) -i $(RASA_INTERFACE) -p $(RASA_PORT) \
	  --endpoints bot/endpoints.yml --credentials bot/credentials.yml \
	  --cors $(RASA_CORS) > .run/rasa.log 2>&1 & \
	echo "Starting services (logs in .run/)..."; \
	for url in http://127.0.0.1:$(API_PORT)/healthz http://127.0.0.1:$(ACTIONS_PORT)/health \
	           http://127.0.0.1:$(RASA_PORT)/status; do \
	  for i in $$(seq 1 180); do curl -fs -o /dev/null $$url && break; sleep 1; done; \
	  curl -fs -o /dev/null $$url || { echo "Not up: $$url (see .run/*.log)"; exit 1; }; \
	done; \
	echo ""; \
	echo "  Web chat          http://localhost:$(API_PORT)/chat   (embedded on a page: /chat/demo)"; \
	echo "  Officer queue     http://localhost:$(API_PORT)/officer/"; \
	echo "                    sign in as $(DEMO_OFFICER_EMAIL), password $$(cat instance/demo-officer-password)"; \
	echo "  Reports           http://localhost:$(API_PORT)/officer/reports"; \
	echo "  Intake API        http://localhost:$(API_PORT)/api/v1/cases   (OpenAPI: /api/v1/openapi.json)"; \
	echo "  Rasa REST channel http://localhost:$(RASA_PORT)/webhooks/rest/webhook"; \
	echo "  Action server     http://localhost:$(ACTIONS_PORT)/health"; \
	echo ""; echo "Press Ctrl-C to stop."; \
	wait

# ---------------------------------------------------------------- checks

.PHONY: lint
lint: $(VENV)/.installed ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: test-python
test-python: setup train browser-deps ## Every pytest suite on SQLite (unit, API, actions, end to end, browser)
	$(PY) -m pytest

.PHONY: test-postgres
test-postgres: setup train ## The database suites again on PostgreSQL ($$TEST_DATABASE_URL)
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest tests/intake_api

.PHONY: test-bot
test-bot: setup train ## rasa data validate and the dialogue tests
	$(RASA) data validate --config config.yml --domain domain.yml --data nlu_data --fail-on-warnings
	$(RASA) test core --model $(RASA_MODEL) --stories tests/bot/conversations \
	  --fail-on-prediction-errors --out results/core

.PHONY: test
test: setup train lint test-python test-postgres test-bot ## Everything, from a fresh clone

.PHONY: clean
clean: ## Remove trained models and run files (keeps environments and data)
	rm -rf models .run results
