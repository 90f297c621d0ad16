"""The reviewer area (/review): content reviewers read the flows, run the checks, try the
assistant in a sandbox, sign content versions off and see the anonymous counts.

Its settings (REVIEW_DB, REVIEW_CONTENT_ROOT, REVIEW_COOKIE_SECURE, SECRET_KEY, RASA_URL and
RASA_API_TOKEN for the sandbox) come from the app's one config (web/config.py). The web app
registers it with one call in create_app:

    from web.review import init_app as init_review
    init_review(app)
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from web.review.cli import create_reviewer
    from web.review.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(create_reviewer)
