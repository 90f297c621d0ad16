# The web app: its virtual environment, its tests and the browser tests. Included by the Makefile.
WEB_VENV := .venv-web
WEB_PY := $(WEB_VENV)/bin/python
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: web-venv browser-deps test-web test-browser test-shared-state load-test

$(WEB_VENV)/.installed: requirements/web.txt requirements/web-constraints.txt
	$(call install-venv,$(WEB_VENV),requirements/web.txt,requirements/web-constraints.txt)

web-venv: $(WEB_VENV)/.installed

# Browser tests: Debian's chromium driven by Playwright (no browser download), and axe-core
# from npm (pinned in tests/browser/package-lock.json).
browser-deps: $(AXE)
	@test -x /usr/bin/chromium || { echo "Installing Chromium (Debian package chromium)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "Installing npm (Debian package npm)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd tests/browser && npm ci --silent --no-audit --no-fund
	touch $@

# Flask's test client against a real Rasa and action server.
test-web: web-venv $(MODEL)
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/web

# The whole product in headless Chromium: demo page, widget, quick exit, XSS, help card, axe.
test-browser: web-venv browser-deps $(MODEL)
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/browser

# Two Rasa workers sharing conversations in a real redis-server, behind the relay.
test-shared-state: web-venv redis $(MODEL)
	$(WEB_PY) -m pytest -q -p no:cacheprovider tests/stack

# 1 worker on SQLite, 1 on Redis, 2 on Redis, side by side; writes docs/load.md (not a test).
load-test: web-venv redis $(MODEL)
	$(WEB_PY) -m benchmarks.load_relay

RUN_DEPS += web-venv
TEST_TARGETS += test-web test-browser test-shared-state
