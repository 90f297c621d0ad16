"""Security headers on every response.

The widget page may only be framed by its school's own origins (CSP frame-ancestors, from
schools.yml); every other page may not be framed at all. Nothing loads from another host.
"""
from __future__ import annotations

from flask import Flask, Response, g

BASE_POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def allow_framing_by(origins: list[str]) -> None:
    """Called by a view: its response may be framed by these origins only."""
    g.frame_ancestors = " ".join(origins) or "'none'"


def extend_policy(directive: str, sources: str) -> None:
    """Called by a view that needs more than the base policy (the demo page frames the widget)."""
    g.csp_extra = getattr(g, "csp_extra", {})
    g.csp_extra[directive] = sources


def _policy() -> str:
    policy = dict(BASE_POLICY)
    policy["frame-ancestors"] = getattr(g, "frame_ancestors", policy["frame-ancestors"])
    for directive, sources in getattr(g, "csp_extra", {}).items():
        policy[directive] = (policy.get(directive, "") + " " + sources).strip()
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def _add_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _policy()
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if getattr(g, "frame_ancestors", None) is None:
        response.headers["X-Frame-Options"] = "DENY"   # for browsers without frame-ancestors
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
