"""Rate limits on the relay (Flask-Limiter), made for a school where every pupil shares one
public address.

- Per conversation: RATE_LIMIT_PER_CONVERSATION (default 20 a minute, 300 an hour). A pupil
  never types faster; a looping client is stopped here, on its own conversation.
- Per address: RATE_LIMIT_PER_IP, a generous ceiling for a whole school behind one address.
  A request refused by a limit (429) does not count against it, so one looping client cannot
  use up the school's share and block everyone else.
- Behind a reverse proxy the client's address is read from X-Forwarded-For through exactly
  TRUSTED_PROXIES proxies (Werkzeug's ProxyFix; default 0: the address is the socket's). Set it
  to the number of proxies in front of the app, never more, or clients could pick their address.

Keys are hashed with a secret made at start-up, so neither an address nor a conversation id is
kept in memory as it is, and a breach can never log one.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

_SECRET = secrets.token_bytes(32)
_NOT_READ = object()


def json_body() -> object:
    """The request's JSON, or None when it is missing, broken or nested too deeply to read
    (Python's parser raises RecursionError at about 1,000 levels: that is bad input, not a 500)."""
    cached = g.get("_json_body", _NOT_READ)
    if cached is _NOT_READ:
        try:
            cached = request.get_json(silent=True)
        except RecursionError:
            cached = None
        g._json_body = cached
    return cached


def _hashed(kind: str, value: str) -> str:
    return kind + ":" + hmac.new(_SECRET, value.encode(), hashlib.sha256).hexdigest()[:32]


def per_ip() -> str:
    return _hashed("ip", request.remote_addr or "unknown")


def per_conversation() -> str:
    body = json_body()
    conversation = body.get("conversation_id") if isinstance(body, dict) else None
    return _hashed("conversation", conversation if isinstance(conversation, str) else "none")


limiter = Limiter(key_func=per_ip, default_limits=[], headers_enabled=True)


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if not isinstance(proxies, int) or proxies < 0:
        raise ValueError(f"TRUSTED_PROXIES must be a whole number of proxies, 0 or more (got {proxies!r})")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0)
    limiter.init_app(app)


def _counts_against_the_address(response) -> bool:
    return response.status_code != 429


def relay_limits(view):
    """Both limits, read from the config when a request comes in."""
    view = limiter.limit(lambda: current_app.config["RATE_LIMIT_PER_IP"], key_func=per_ip,
                         deduct_when=_counts_against_the_address)(view)
    return limiter.limit(lambda: current_app.config["RATE_LIMIT_PER_CONVERSATION"], key_func=per_conversation)(view)
