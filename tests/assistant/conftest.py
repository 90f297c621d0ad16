"""Fixtures for the assistant's tests: a real action server and Rasa server on free ports."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Callable

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT.parent / "shared" / "contract"))
sys.path.insert(0, str(ROOT))

# reply_text: the tests import it from here.
from replies import reply_text  # noqa: E402,F401
from stack import start_stack  # noqa: E402

TESTS = ROOT / "tests"


def load_yaml(name: str):
    with open(TESTS / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


class Conversation:
    """One pupil's conversation with the REST channel, as the web relay holds it."""

    def __init__(self, rasa_url: str, school: str | None = "demo") -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = uuid.uuid4().hex
        self.school = school

    def send(self, text: str) -> list[dict]:
        body = {"sender": self.sender, "message": text}
        if self.school:
            body["metadata"] = {"school": self.school}
        response = requests.post(self.url, json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def say(self, text: str) -> str:
        return reply_text(self.send(text))


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    stack = start_stack(with_web=False, log_dir=tmp_path_factory.mktemp("assistant-logs"))
    yield stack
    stack.stop()


@pytest.fixture
def conversation(assistant) -> Conversation:
    return Conversation(assistant.rasa_url)


@pytest.fixture
def new_conversation(assistant) -> Callable[..., Conversation]:
    return lambda **kwargs: Conversation(assistant.rasa_url, **kwargs)
