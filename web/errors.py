"""Every error still leaves a way to get help.

The relay's errors are JSON: a code, a plain message for the pupil, and the helplines as
messages the widget shows. Pages' errors are a small HTML help card. Never a stack trace.
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

# What the pupil is told, by status. The words are the widget's, not the assistant's.
PUPIL_MESSAGES = {
    400: "Sorry, that message couldn't be sent.",
    404: "Sorry, that page isn't here.",
    405: "Sorry, that message couldn't be sent.",
    413: "That message is too long to send. Please make it shorter.",
    415: "Sorry, that message couldn't be sent.",
    429: "You've sent a lot of messages very quickly. Please wait a minute and try again.",
    500: "Sorry, something went wrong on our side.",
    502: "Sorry, the assistant isn't answering right now.",
    503: "Sorry, the assistant isn't answering right now.",
}


def help_messages() -> list[dict]:
    content = current_app.extensions["content"]
    from web.served_content import UNAVAILABLE_RESPONSE
    return content.response(UNAVAILABLE_RESPONSE)


def api_error(status: int, code: str, message: str | None = None):
    body = {"error": {"code": code, "message": message or PUPIL_MESSAGES.get(status, PUPIL_MESSAGES[500])},
            "messages": help_messages()}
    return jsonify(body), status


def _code_name(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_")


def _handle(error: HTTPException):
    status = error.code or 500
    if request.path.startswith("/api/"):
        return api_error(status, _code_name(error))
    if request.path.startswith("/review"):
        return error   # the reviewers' area keeps Werkzeug's plain pages
    return render_template("error.html", message=PUPIL_MESSAGES.get(status, PUPIL_MESSAGES[500]),
                           help=current_app.extensions["content"].help_line()), status


def _unexpected(error: Exception):
    current_app.logger.error("unexpected error: %s", type(error).__name__)   # no message text, no request data
    return _handle(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle)
    app.register_error_handler(Exception, _unexpected)
