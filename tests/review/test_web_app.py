"""The product's web app (web:create_app) serves the reviewer area and its commands."""
from __future__ import annotations

import pytest

from review_testing import ROOT

INIT = ROOT / "web" / "__init__.py"
pytestmark = pytest.mark.skipif(not INIT.exists() or "def create_app" not in INIT.read_text(),
                                reason="web:create_app is not built yet")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_DB", str(tmp_path / "review.db"))
    monkeypatch.delenv("TRACKER_DB", raising=False)   # no purge thread in this test
    from web import create_app
    app = create_app()
    app.config["REVIEW_DB"] = str(tmp_path / "review.db")
    return app


def test_create_app_serves_the_login_page(app):
    response = app.test_client().get("/review/login")
    assert response.status_code == 200
    assert "csrf_token" in response.get_data(as_text=True)


def test_create_app_keeps_review_behind_a_login(app):
    assert app.test_client().get("/review/flows").status_code == 302


def test_create_app_has_the_review_commands(app):
    commands = app.cli.list_commands(None)
    assert "create-reviewer" in commands and "purge-conversations" in commands
