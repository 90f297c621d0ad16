# Content review: the audit report, the reviewer area's tests, reviewer accounts, the purge.
# Included by the Makefile; uses the web venv (`web-venv` in web/web.mk), which holds
# textstat, argon2-cffi and Flask-WTF (requirements/web.txt).
REVIEW_PY := .venv-web/bin/python
REVIEW_FLASK := .venv-web/bin/flask
AUDIT_REPORT := build/audit/index.html

.PHONY: audit test-review reviewer purge graphviz check-signoff

# `make test` runs the review tests and the audit; `make run` warns first when the content is
# not signed off.
TEST_TARGETS += test-review audit
RUN_DEPS += check-signoff

# Graphviz draws the flow diagrams at build time (Debian's package; no network at report time).
graphviz:
	@command -v dot >/dev/null || { echo "Installing Graphviz (Debian package graphviz)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; }

# Builds build/audit/index.html; fails (and prints each failure with its location) when a check fails.
audit: web-venv graphviz
	$(REVIEW_PY) -m audit --out $(AUDIT_REPORT)

# The audit's and the reviewer area's tests, including the browser test and the privacy test
# on the real stack (which needs the trained model).
test-review: web-venv graphviz browser-deps $(MODEL)
	$(REVIEW_PY) -m pytest -q -p no:cacheprovider tests/audit tests/review

# make reviewer NAME=sam [DISPLAY_NAME="Sam Jones"]  (asks for the password twice)
reviewer: web-venv
	@test -n "$(NAME)" || { echo 'usage: make reviewer NAME=short-name [DISPLAY_NAME="Full Name"]'; exit 2; }
	$(REVIEW_FLASK) --app web create-reviewer "$(NAME)" $(if $(DISPLAY_NAME),--display-name "$(DISPLAY_NAME)")

# Loud warning (exit 0) when the content about to run has no reviewer's sign-off.
check-signoff:
	@python3 scripts/check_signoff.py

# Counts and deletes finished conversations now (the web app also does this every 5 minutes).
purge: web-venv
	TRACKER_DB=$${TRACKER_DB:-state/tracker.db} $(REVIEW_FLASK) --app web purge-conversations
