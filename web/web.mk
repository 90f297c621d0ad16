# The web app: its virtual environment, its tests and the browser tests. Included by the Makefile.
WEB_VENV := .venv-web
WEB_PY := $(WEB_VENV)/bin/python
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: web-venv browser-deps test-web test-browser test-shared-state load-test

$(WEB_VENV)/.installed: requirements/web.txt requirements/web-constraints.txt pyproject.toml
	$(call install-venv,$(WEB_VENV),requirements/web.txt,requirements/web-constraints.txt)

web-venv: $(WEB_VENV)/.installed ## set up the web app's virtual environment

# Browser tests: Debian's chromium driven by Playwright (no browser download), and axe-core
# from npm (pinned in tests/browser/package-lock.json). apt-get as root, or with sudo.
browser-deps: $(AXE) ## install Chromium (apt) and axe-core (npm) for the browser tests
	@scripts/apt_install.sh chromium chromium

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@scripts/apt_install.sh npm npm
	cd tests/browser && npm ci --silent --no-audit --no-fund
	touch $@

# Flask's test client against a real Rasa and action server.
test-web: web-venv $(MODEL) ## the relay and pages through Flask's test client, against a real Rasa
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/web

# The whole product in headless Chromium: demo page, widget, quick exit, XSS, help card, axe.
test-browser: web-venv browser-deps $(MODEL) ## the whole product in headless Chromium
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/browser

# Two Rasa workers sharing conversations in a real redis-server, behind the relay.
test-shared-state: web-venv redis $(MODEL) ## two Rasa workers sharing conversations in a real redis-server
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/stack

# 1 worker on SQLite, 1 on Redis, 2 on Redis, side by side; writes docs/load.md (not a test).
load-test: web-venv redis $(MODEL) ## 1 worker on SQLite, 1 and 2 on Redis, side by side; writes docs/load.md
	$(WEB_PY) -m benchmarks.load_relay

RUN_DEPS += web-venv
TEST_TARGETS += test-web test-browser test-shared-state
