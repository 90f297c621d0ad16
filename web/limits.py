"""Rate limits on the relay, per conversation and per IP address (Flask-Limiter).

Keys are hashed with a secret made at start-up, so neither an IP address nor a conversation id
is kept in memory as it is, and a breach can never log one.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, request
from flask_limiter import Limiter

_SECRET = secrets.token_bytes(32)


def _hashed(kind: str, value: str) -> str:
    return kind + ":" + hmac.new(_SECRET, value.encode(), hashlib.sha256).hexdigest()[:32]


def per_ip() -> str:
    return _hashed("ip", request.remote_addr or "unknown")


def per_conversation() -> str:
    body = request.get_json(silent=True)
    conversation = body.get("conversation_id") if isinstance(body, dict) else None
    return _hashed("conversation", conversation if isinstance(conversation, str) else "none")


limiter = Limiter(key_func=per_ip, default_limits=[], headers_enabled=True)


def init_app(app: Flask) -> None:
    limiter.init_app(app)


def relay_limits(view):
    """Both limits, read from the config when a request comes in."""
    from flask import current_app
    view = limiter.limit(lambda: current_app.config["RATE_LIMIT_PER_IP"], key_func=per_ip)(view)
    return limiter.limit(lambda: current_app.config["RATE_LIMIT_PER_CONVERSATION"], key_func=per_conversation)(view)
