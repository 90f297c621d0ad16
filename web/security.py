"""Security headers on every response, and the session cookie's settings.

The widget page may only be framed by its school's own origins (CSP frame-ancestors, from
schools.yml); every other page may not be framed at all. Nothing loads from another host. A part
of the app with a stricter policy of its own (the reviewers' area) keeps it: the app-wide policy
is only set where none is. Over https (directly, or through TRUSTED_PROXIES proxies that say so),
browsers are told to use https only (HSTS) and the session cookie is Secure; it is always
HttpOnly and SameSite=Strict.
"""
from __future__ import annotations

from flask import Flask, Response, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

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
HSTS = "max-age=31536000"   # one year; not includeSubDomains: other services may share the domain


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
    response.headers.setdefault("Content-Security-Policy", _policy())   # a stricter one set by a blueprint stays
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if getattr(g, "frame_ancestors", None) is None:
        response.headers["X-Frame-Options"] = "DENY"   # for browsers without frame-ancestors
    response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session (it holds the reviewers' CSRF token), Secure over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Strict"
    app.session_interface = SessionInterface()
    app.after_request(_add_headers)
