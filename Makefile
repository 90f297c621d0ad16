# Two commands: `make run` starts everything, `make test` sets up and runs every test.
# Everything else here is a step those two depend on.
SHELL := bash
.DEFAULT_GOAL := help
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

# Evaluated when first needed; prints what to do when there is no Python 3.10.
PYTHON310 = $(shell scripts/find_python310.sh)
RASA_VENV := .venv-rasa
RASA := $(RASA_VENV)/bin/rasa
RASA_PY := $(RASA_VENV)/bin/python
MODEL := models/current.tar.gz
MODEL_INPUTS := config.yml domain.yml $(shell find data components -name '*.yml' -o -name '*.py' 2>/dev/null)

.PHONY: help shell test run run-deps run-assistant validate test-assistant test-stories model assistant-venv benchmark-default \
	benchmark lint test-content test-standalone redis

# Every target with a "## what it does" comment, from this file and the ones it includes.
help: ## list every target
	@awk -F ':.*## ' '/^[a-zA-Z_-]+:.*## / { printf "  make %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# Rasa 3.6 pins SQLAlchemy 1.4, which prints a long "not compatible with SQLAlchemy 2.0" warning
# on every Rasa command; it says nothing about this project, and this is SQLAlchemy's own switch.
# (PYTHONWARNINGS cannot hide the other library deprecations: Sanic and Rasa put their own
# filters in front of it when they start.)
ASSISTANT_COMMANDS := $(MODEL) validate test-stories test-assistant run run-assistant shell benchmark benchmark-default
$(ASSISTANT_COMMANDS): export SQLALCHEMY_SILENCE_UBER_WARNING := 1

# --- setup -------------------------------------------------------------------------------
# $(call install-venv,VENV,REQUIREMENTS,CONSTRAINTS): a Python 3.10 venv with exact versions,
# and the project's own packages installed from here (pyproject.toml), so that everything
# imports them by name.
define install-venv
	@py="$(PYTHON310)"; test -n "$$py" || exit 1; \
	  test -x $(1)/bin/python || $$py -m venv $(1)
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==24.0
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check -r $(2) -c $(3)
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@
endef

# Redis, for several Rasa workers sharing conversations (`make run WORKERS=2`, the tests, load-test).
redis: ## install Debian's redis-server when it is missing
	@scripts/apt_install.sh redis-server redis-server

$(RASA_VENV)/.installed: requirements/rasa.txt requirements/rasa-constraints.txt pyproject.toml
	$(call install-venv,$(RASA_VENV),requirements/rasa.txt,requirements/rasa-constraints.txt)

assistant-venv: $(RASA_VENV)/.installed ## set up the assistant's virtual environment (Rasa)

# Trains only when the data, domain, config or custom components changed, or Rasa's pinned
# versions did; the venv must be there first, but reinstalling it (say, for pyproject.toml's
# lint settings) is no reason to train again.
$(MODEL): requirements/rasa.txt requirements/rasa-constraints.txt $(MODEL_INPUTS) | $(RASA_VENV)/.installed
	$(RASA) train --fixed-model-name current --out models --quiet
	touch $@

model: $(MODEL) ## train the assistant (only when data, domain, config or components changed)

# --- run ---------------------------------------------------------------------------------
# make run: one Rasa process, conversations in SQLite. make run WORKERS=2: Redis and 2 Rasa workers.
WORKERS ?= 1
run: $(MODEL) run-deps $(if $(filter-out 1,$(WORKERS)),redis) ## set up and start everything (WORKERS=2: Redis and 2 Rasa workers)
	$(RASA_PY) scripts/stack.py run --workers $(WORKERS)

run-assistant: $(MODEL) ## start the action server and the assistant, without the web app
	$(RASA_PY) scripts/stack.py run --no-web

shell: $(MODEL) ## talk to the assistant in the terminal
	ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook TRACKER_DB=state/shell.db \
	  bash -c 'mkdir -p state; SANIC_HOST=127.0.0.1 $(RASA_PY) -m rasa_sdk --actions actions --port 5055 >/dev/null 2>&1 & pid=$$!; \
	  trap "kill $$pid" EXIT; $(RASA) shell --model $(MODEL) --endpoints endpoints.yml'

# --- test --------------------------------------------------------------------------------
validate: $(RASA_VENV)/.installed ## Rasa's own check of the training data and domain
	$(RASA) data validate --fail-on-warnings --quiet

test-assistant: $(MODEL) ## the assistant's tests against a real Rasa and action server
	$(RASA_VENV)/bin/pytest -q tests/assistant

# Every test story, through the trained model; any wrong prediction fails.
test-stories: $(MODEL) ## every test story through the trained model
	ACTION_ENDPOINT_URL=http://127.0.0.1:9/webhook TRACKER_DB=:memory: \
	  $(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/stories --quiet

benchmark: $(MODEL) ## measure the assistant against Rasa's defaults (FOLDS=0 skips cross-validation, SKIP_DEFAULT=1 reuses the default's saved figures)
	$(RASA_PY) tests/benchmarks/assistant.py --folds $(or $(FOLDS),3) $(if $(SKIP_DEFAULT),--skip-default)

benchmark-default: assistant-venv ## measure only Rasa's default config and save its figures for make benchmark SKIP_DEFAULT=1
	$(RASA_PY) tests/benchmarks/assistant.py --folds $(or $(FOLDS),3) --only-default

# Ruff, pinned in requirements/web.txt and set up in pyproject.toml; first, as it takes seconds.
lint: web-venv ## check the code's style and find unused or undefined names (ruff)
	$(WEB_PY) -m ruff check .

# The content files' loaders and the content version (seconds).
test-content: web-venv ## the content files' loaders and what the content version covers
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/content

# The product from a fresh clone with nothing beside it (no ../shared): the web app starts and
# the audit runs (it reuses this checkout's web venv rather than installing another).
test-standalone: web-venv graphviz ## the web app and `make audit` from a lone clone
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/standalone

# The web and review parts add their own setup and test targets to TEST_TARGETS.
TEST_TARGETS := lint test-content validate test-stories test-assistant
-include web/web.mk
-include audit/audit.mk
TEST_TARGETS += test-standalone

# Defined after the includes, which add to these lists.
run-deps: $(RUN_DEPS) ## what `make run` needs before it starts (the web venv, the sign-off warning)

test: $(TEST_TARGETS) ## set up and run every test (what CI runs)
