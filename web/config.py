"""Settings for the web app, read from the environment (12-factor), with safe defaults."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def from_environment() -> dict:
    return {
        # Where the Rasa server listens (localhost only) and the token for its HTTP API.
        "RASA_URL": os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
        "RASA_API_TOKEN": os.environ.get("RASA_API_TOKEN"),
        # Several Rasa workers sharing conversations in Redis (space-separated); the relay takes turns.
        "RASA_URLS": os.environ.get("RASA_URLS", "").split(),
        # A pupil never waits longer than this for an answer: after it, the relay sends helplines.
        "RASA_TIMEOUT_SECONDS": _float("RASA_TIMEOUT_SECONDS", 10.0),
        "SERVICES_FILE": os.environ.get("SERVICES_FILE", str(ROOT / "services.yml")),
        "SCHOOLS_FILE": os.environ.get("SCHOOLS_FILE", str(ROOT / "schools.yml")),
        "DOMAIN_FILE": os.environ.get("DOMAIN_FILE", str(ROOT / "domain.yml")),
        # A pupil's message is at most this many characters; request bodies at most this many bytes.
        "MAX_MESSAGE_CHARS": _int("MAX_MESSAGE_CHARS", 1000),
        "MAX_CONTENT_LENGTH": _int("MAX_REQUEST_BYTES", 16 * 1024),
        # A whole school shares one IP address, so the per-IP limit is generous.
        "RATE_LIMIT_PER_CONVERSATION": os.environ.get("RATE_LIMIT_PER_CONVERSATION", "20 per minute; 300 per hour"),
        "RATE_LIMIT_PER_IP": os.environ.get("RATE_LIMIT_PER_IP", "600 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The neutral site the quick exit replaces the page with (GOV.UK's default).
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
        # Where the widget is served from, as schools see it. Empty: worked out per request.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
    }
