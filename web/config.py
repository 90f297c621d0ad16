"""The web app's one config: every setting, read once from the environment when the app is made
(12-factor), with safe defaults. create_app loads it; tests pass their changes on top.

The reviewer area, the purge of conversations and the content files are configured here too,
so no other module reads the environment.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from content.files import REPO_ROOT, ContentFiles
from shared_state.names import is_on


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A number setting; set but empty means 0 (e.g. PURGE_EVERY_MINUTES= turns the purge off)."""
    value = env.get(name)
    return default if value is None else float(value or 0)


def _switch(env: Mapping[str, str], name: str) -> bool:
    return is_on(env.get(name))


def from_environment(env: Mapping[str, str] = os.environ) -> dict:
    return {**pupil_side(env), **content_files(env), **review_side(env), **conversation_storage(env)}


def pupil_side(env: Mapping[str, str]) -> dict:
    return {
        # Where the Rasa server listens (localhost only) and the token for its HTTP API.
        "RASA_URL": env.get("RASA_URL", "http://127.0.0.1:5005"),
        "RASA_API_TOKEN": env.get("RASA_API_TOKEN"),
        # Several Rasa workers sharing conversations in Redis (space-separated); the relay takes turns.
        "RASA_URLS": env.get("RASA_URLS", "").split(),
        # A pupil never waits longer than this for an answer: after it, the relay sends helplines.
        "RASA_TIMEOUT_SECONDS": _number(env, "RASA_TIMEOUT_SECONDS", 10.0),
        # A pupil's message is at most this many characters; request bodies at most this many bytes.
        "MAX_MESSAGE_CHARS": int(_number(env, "MAX_MESSAGE_CHARS", 1000)),
        "MAX_CONTENT_LENGTH": int(_number(env, "MAX_REQUEST_BYTES", 16 * 1024)),
        # A whole school shares one IP address, so the per-IP limit is generous.
        "RATE_LIMIT_PER_CONVERSATION": env.get("RATE_LIMIT_PER_CONVERSATION", "20 per minute; 300 per hour"),
        "RATE_LIMIT_PER_IP": env.get("RATE_LIMIT_PER_IP", "600 per minute"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (web/limits.py).
        "TRUSTED_PROXIES": int(_number(env, "TRUSTED_PROXIES", 0)),
        # The neutral site the quick exit replaces the page with (GOV.UK's default).
        "QUICK_EXIT_URL": env.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
        # Where the widget is served from, as schools see it. Empty: worked out per request.
        "PUBLIC_URL": env.get("PUBLIC_URL", "").rstrip("/"),
    }


def content_files(env: Mapping[str, str]) -> dict:
    files = ContentFiles.from_environment(env)
    return {"SERVICES_FILE": str(files.services), "SCHOOLS_FILE": str(files.schools),
            "DOMAIN_FILE": str(files.domain)}


def review_db(env: Mapping[str, str]) -> str:
    """Reviewer accounts and sessions, sign-offs, the anonymous counts (also read by
    scripts/check_signoff.py, before the app starts)."""
    return env.get("REVIEW_DB") or str(REPO_ROOT / "state" / "review.db")


def review_side(env: Mapping[str, str]) -> dict:
    return {
        # Signs the reviewers' forms (CSRF tokens) and keys the login throttle. Set SECRET_KEY
        # where the app runs in several processes or must keep open forms across a restart;
        # without it each start makes its own (login sessions are stored server-side anyway).
        "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_hex(32),
        "REVIEW_DB": review_db(env),
        # The content the reviewer area audits and signs off.
        "REVIEW_CONTENT_ROOT": env.get("REVIEW_CONTENT_ROOT") or str(REPO_ROOT),
        # Set where the site is served over https (the session cookie then needs it).
        "REVIEW_COOKIE_SECURE": _switch(env, "REVIEW_COOKIE_SECURE"),
    }


def conversation_storage(env: Mapping[str, str]) -> dict:
    return {
        # Rasa's conversations (SQLite; scripts/stack.py sets it). Unset: no purge in this process.
        "TRACKER_DB": None if env.get("TRACKER_DB") in (None, "", ":memory:") else env["TRACKER_DB"],
        # Rasa's conversations in Redis, with several workers (scripts/stack.py sets it): they expire
        # by themselves; the purge still collects their anonymous counts.
        "REDIS_HOST": env.get("REDIS_HOST") or None,
        # How often the web app purges finished conversations (0: never).
        "PURGE_EVERY_MINUTES": _number(env, "PURGE_EVERY_MINUTES", 5),
        # Quiet time after which a conversation is counted and deleted.
        "CONVERSATION_IDLE_MINUTES": _number(env, "CONVERSATION_IDLE_MINUTES", 60),
        # Keep the redacted text of messages not understood (off unless a school opts in), and how long.
        "KEEP_FALLBACK_MESSAGES": _switch(env, "KEEP_FALLBACK_MESSAGES"),
        "FALLBACK_RETENTION_DAYS": int(_number(env, "FALLBACK_RETENTION_DAYS", 30)),
    }
