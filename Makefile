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

.PHONY: help shell test run run-deps run-assistant test validate test-assistant test-stories model assistant-venv benchmark redis

help:
	@echo "make run     set up and start the action server, the assistant and the web app"
	@echo "make test    set up and run every test (what CI runs)"
	@echo "make shell   talk to the assistant in the terminal"
	@echo "make benchmark  measure the assistant against Rasa's defaults"
	@echo "make load-test  1 Rasa worker on SQLite, 1 and 2 on Redis, side by side: writes docs/load.md"

# --- setup -------------------------------------------------------------------------------
# $(call install-venv,VENV,REQUIREMENTS,CONSTRAINTS): a Python 3.10 venv with exact versions.
define install-venv
	@py="$(PYTHON310)"; test -n "$$py" || exit 1; \
	  test -x $(1)/bin/python || $$py -m venv $(1)
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==24.0
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check -r $(2) -c $(3)
	touch $@
endef

# $(call apt-install,PACKAGE,COMMAND): Debian's PACKAGE when COMMAND is missing, with sudo when not
# root (never asking for a password: CI has no stdin); a clear message when it cannot be installed.
define apt-install
	@command -v $(2) >/dev/null || { echo "Installing $(1) (Debian package $(1))..."; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo="sudo -n"; fi; \
	  { $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; } \
	  || { echo "Could not install $(1). Install it as root (apt-get install $(1)) and run make again." >&2; exit 1; }; }
endef

# Redis, for several Rasa workers sharing conversations (`make run WORKERS=2`, the tests, load-test).
redis:
	$(call apt-install,redis-server,redis-server)

$(RASA_VENV)/.installed: requirements/rasa.txt requirements/rasa-constraints.txt
	$(call install-venv,$(RASA_VENV),requirements/rasa.txt,requirements/rasa-constraints.txt)

assistant-venv: $(RASA_VENV)/.installed

# Trains only when the data, domain, config or custom components changed.
$(MODEL): $(RASA_VENV)/.installed $(MODEL_INPUTS)
	$(RASA) train --fixed-model-name current --out models --quiet
	touch $@

model: $(MODEL)

# --- run ---------------------------------------------------------------------------------
# make run: one Rasa process, conversations in SQLite. make run WORKERS=2: Redis and 2 Rasa workers.
WORKERS ?= 1
run: $(MODEL) run-deps $(if $(filter-out 1,$(WORKERS)),redis)
	$(RASA_PY) scripts/stack.py run --workers $(WORKERS)

run-assistant: $(MODEL)
	$(RASA_PY) scripts/stack.py run --no-web

shell: $(MODEL)
	ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook TRACKER_DB=state/shell.db \
	  bash -c 'mkdir -p state; SANIC_HOST=127.0.0.1 $(RASA_PY) -m rasa_sdk --actions actions --port 5055 >/dev/null 2>&1 & pid=$$!; \
	  trap "kill $$pid" EXIT; $(RASA) shell --model $(MODEL) --endpoints endpoints.yml'

# --- test --------------------------------------------------------------------------------
validate: $(RASA_VENV)/.installed
	$(RASA) data validate --fail-on-warnings --quiet

test-assistant: $(MODEL)
	$(RASA_VENV)/bin/pytest -q tests/assistant

# Every test story, through the trained model; any wrong prediction fails.
test-stories: $(MODEL)
	ACTION_ENDPOINT_URL=http://127.0.0.1:9/webhook TRACKER_DB=:memory: \
	  $(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/stories --quiet

benchmark: $(MODEL)
	$(RASA_PY) tests/benchmarks/assistant.py --folds $(or $(FOLDS),3) $(if $(SKIP_DEFAULT),--skip-default)

# The web and review parts add their own setup and test targets to TEST_TARGETS.
TEST_TARGETS := validate test-stories test-assistant
-include web/web.mk
-include audit/audit.mk

# Defined after the includes, which add to these lists.
run-deps: $(RUN_DEPS)

test: $(TEST_TARGETS)
