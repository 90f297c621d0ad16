"""The reviewer area (/review): content reviewers read the flows, run the checks, try the
assistant in a sandbox and sign content versions off. Also the purge of finished conversations.

The web app registers it with one call in create_app:

    from web.review import init_app as init_review
    init_review(app)
"""
from __future__ import annotations

import os
import secrets

from flask import Flask

from audit.store import REPO_ROOT, review_db_path


def init_app(app: Flask) -> None:
    from web.review.cli import register_commands
    from web.review.views import bp

    app.config.setdefault("REVIEW_DB", str(review_db_path()))
    app.config.setdefault("REVIEW_CONTENT_ROOT", str(REPO_ROOT))
    app.config.setdefault("REVIEW_COOKIE_SECURE", False)   # set True where the site is served over https
    app.config.setdefault("RASA_URL", os.environ.get("RASA_URL"))
    app.config.setdefault("RASA_API_TOKEN", os.environ.get("RASA_API_TOKEN"))
    if not app.secret_key:
        # Flask-WTF's CSRF tokens need a key. A fresh one per start only means reviewers'
        # open forms expire when the app restarts; login sessions are stored server-side.
        app.secret_key = secrets.token_bytes(32)
    app.register_blueprint(bp)
    register_commands(app)
    _start_purge(app)


def _start_purge(app: Flask) -> None:
    """Purge finished conversations every PURGE_EVERY_MINUTES (default 5; 0 turns it off) where the
    app runs beside Rasa's tracker store (TRACKER_DB, or REDIS_HOST with several workers: both
    set by scripts/stack.py)."""
    every = float(os.environ.get("PURGE_EVERY_MINUTES", "5") or 0)
    sqlite = os.environ.get("TRACKER_DB") and os.environ["TRACKER_DB"] != ":memory:"
    if app.testing or every <= 0 or not (sqlite or os.environ.get("REDIS_HOST")):
        return
    from audit.retention import known_schools, purge, start_purge_thread

    db = app.config["REVIEW_DB"]
    app.extensions["review_purge_stop"] = start_purge_thread(every, lambda: purge(review_db=db, schools=known_schools()))
