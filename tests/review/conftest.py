"""Fixtures for the reviewer area's tests."""
from __future__ import annotations

import pytest

from review_testing import PASSWORD, ROOT, log_in, make_app
from web.review import auth


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


@pytest.fixture
def reviewer(app):
    return auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam Reviewer", PASSWORD)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def logged_in(client, reviewer):
    response = log_in(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The real action server and Rasa, for the sandbox."""
    import sys
    sys.path.insert(0, str(ROOT / "scripts"))   # scripts/stack.py is a script, not a package
    from stack import start_stack
    stack = start_stack(with_web=False, log_dir=tmp_path_factory.mktemp("assistant-logs"))
    yield stack
    stack.stop()
