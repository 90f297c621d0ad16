"""Helpers for the reviewer area's tests: a small Flask app with the blueprint, logging in."""
from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from web.config import from_environment
from web.review import init_app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def make_app(tmp_path: Path, **config) -> Flask:
    """The blueprint on its own app with the app's config (defaults, not this machine's
    environment), as create_app registers it (the pupil side is not needed here)."""
    app = Flask("review-test")
    app.config.from_mapping(from_environment({}))
    app.config.update({"TESTING": True, "REVIEW_DB": str(tmp_path / "review.db"), "RASA_URL": None,
                       "RASA_API_TOKEN": None, **config})
    init_app(app)
    return app


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def log_in(client, name="sam", password=PASSWORD):
    token = csrf_token(client.get("/review/login").get_data(as_text=True))
    return client.post("/review/login", data={"name": name, "password": password, "csrf_token": token})
