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
graphviz: ## install Graphviz (apt), which draws the report's flow diagrams
	@scripts/apt_install.sh dot graphviz

# Builds build/audit/index.html; fails (and prints each failure with its location) when a check fails.
audit: web-venv graphviz ## run the content checks and write the report (build/audit/index.html)
	$(REVIEW_PY) -m audit --out $(AUDIT_REPORT)

# The audit's and the reviewer area's tests, including the browser test and the privacy test
# on the real stack (which needs the trained model).
test-review: web-venv graphviz browser-deps $(MODEL) ## the audit's and the reviewer area's tests
	$(REVIEW_PY) -m pytest -q -p no:cacheprovider tests/audit tests/review

# make reviewer NAME=sam [DISPLAY_NAME="Sam Jones"]  (asks for the password twice)
reviewer: web-venv ## create a reviewer account: make reviewer NAME=sam DISPLAY_NAME="Sam Jones"
	@test -n "$(NAME)" || { echo 'usage: make reviewer NAME=short-name [DISPLAY_NAME="Full Name"]'; exit 2; }
	$(REVIEW_FLASK) --app web create-reviewer "$(NAME)" $(if $(DISPLAY_NAME),--display-name "$(DISPLAY_NAME)")

# Loud warning (exit 0) when the content about to run has no reviewer's sign-off.
check-signoff: web-venv ## warn when the content about to run has no reviewer's sign-off
	@$(REVIEW_PY) scripts/check_signoff.py

# Counts and deletes finished conversations now (the web app also does this every 5 minutes).
purge: web-venv ## count and delete finished conversations now
	TRACKER_DB=$${TRACKER_DB:-state/tracker.db} $(REVIEW_FLASK) --app web purge-conversations
