"""Fixtures for the web app's tests: Flask's test client in front of a REAL Rasa and action
server (started once per session on free ports), as the relay runs in production."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT.parent / "shared" / "contract"))
sys.path.insert(0, str(ROOT))

from replies import reply_text as rest_reply_text  # noqa: E402
from stack import free_port, start_stack  # noqa: E402
from web import create_app  # noqa: E402


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    stack = start_stack(with_web=False, log_dir=tmp_path_factory.mktemp("assistant-logs"))
    yield stack
    stack.stop()


def make_app(tmp_path: Path, **settings):
    config = {"TESTING": True, "REVIEW_DB": str(tmp_path / "review.db"), **settings}
    return create_app(config)


@pytest.fixture
def app(assistant, tmp_path):
    return make_app(tmp_path, RASA_URL=assistant.rasa_url, RASA_API_TOKEN=assistant.api_token)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_without_rasa(tmp_path):
    """Rasa is not running: nothing listens on its port."""
    return make_app(tmp_path, RASA_URL=f"http://127.0.0.1:{free_port()}")


def new_conversation_id() -> str:
    return uuid.uuid4().hex


class Chat:
    """One pupil's conversation through the relay."""

    def __init__(self, client, school: str = "demo") -> None:
        self.client, self.school, self.id = client, school, new_conversation_id()

    def post(self, message):
        return self.client.post("/api/chat", json={"conversation_id": self.id, "school": self.school,
                                                   "message": message})

    def say(self, message) -> dict:
        response = self.post(message)
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def reply_text(body: dict) -> str:
    """The contract's reply, from the relay's answer."""
    return rest_reply_text(body["messages"])
