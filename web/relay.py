"""POST /api/chat: relays a pupil's message to Rasa and the assistant's replies back.

Request:  {"conversation_id": "<random id>", "school": "<key>", "message": "<text>"}
Reply:    {"messages": [{"text", "buttons": [{"title", "payload"}], "links": [{"label", "href"}]}],
           "fallback": false}

On the way in: the body is checked, personal details are redacted, and a message starting with
"/" is refused unless it is exactly a button payload the assistant offered in this conversation
(Rasa would otherwise skip understanding and act on a typed intent; see web/offered.py). On the way out: only text and buttons
pass, and links come from the service registry. When Rasa fails, is slow or says nothing, the
reply is the helplines with "fallback": true.
"""
from __future__ import annotations

import itertools
import re

import requests
from flask import Blueprint, current_app, jsonify, request

from web.errors import api_error
from web.limits import relay_limits
from web.redaction import redact
from web.served_content import UNAVAILABLE_RESPONSE

bp = Blueprint("relay", __name__, url_prefix="/api")

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# One pool of kept-alive connections to Rasa for all of the server's threads. requests keeps 10
# per host by default; waitress runs 32 threads (scripts/stack.py), and under load every reply
# beyond 10 at once opened and dropped a connection.
_rasa = requests.Session()
_rasa.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=64))
_rasa.mount("https://", requests.adapters.HTTPAdapter(pool_maxsize=64))


class BadMessage(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(code)
        self.code, self.message, self.status = code, message, status


def _read_request() -> tuple[str, str, str]:
    """The conversation id, school key and message text, or BadMessage saying what is wrong."""
    if not request.is_json:
        raise BadMessage("not_json", "Messages must be sent as JSON (Content-Type: application/json).", 415)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadMessage("malformed_json", "The message could not be read (the JSON is broken or not an object).")
    conversation, school, text = body.get("conversation_id"), body.get("school"), body.get("message")
    if not isinstance(conversation, str) or not CONVERSATION_ID.match(conversation):
        raise BadMessage("bad_conversation_id", "conversation_id must be 16-64 letters, digits, - or _.")
    if current_app.extensions["content"].school(school) is None:
        raise BadMessage("unknown_school", "This chat is not set up for that school key.")
    if not isinstance(text, str) or not text.strip():
        raise BadMessage("empty_message", "Please type a message first.")
    limit = current_app.config["MAX_MESSAGE_CHARS"]
    if len(text) > limit:
        raise BadMessage("message_too_long", f"That message is too long to send: please keep it under {limit} characters.")
    text = text.strip()
    if text.startswith("/") and not current_app.extensions["offered_payloads"].allows(conversation, text):
        raise BadMessage("not_allowed", "Messages can't start with /. Please type it another way.")
    return conversation, school, text


# --- which Rasa worker --------------------------------------------------------------------
# With several Rasa workers (RASA_URLS; they share conversations in Redis, and Rasa's lock store
# keeps a conversation's turns one at a time), any worker can take any turn: each message goes to
# the next worker in turn, and to the one after when a worker refuses the connection (stopped or
# restarting). A worker that took the message but was too slow is not asked again elsewhere, so a
# message is never handled twice.
_turns = itertools.count()


def _rasa_urls() -> list[str]:
    urls = current_app.config.get("RASA_URLS") or [current_app.config["RASA_URL"]]
    first = next(_turns) % len(urls)
    return urls[first:] + urls[:first]


def _ask_rasa(conversation: str, school: str, text: str) -> list[dict] | None:
    """Rasa's replies, or None when it failed, was too slow or said nothing."""
    body = {"sender": conversation, "message": text, "metadata": {"school": school}}
    urls = _rasa_urls()
    for attempt, url in enumerate(urls, start=1):
        try:
            response = _rasa.post(url.rstrip("/") + "/webhooks/rest/webhook", json=body,
                                  timeout=current_app.config["RASA_TIMEOUT_SECONDS"])
            response.raise_for_status()
            replies = response.json()
        except requests.ConnectionError as error:
            if attempt < len(urls):
                continue   # this worker is not there: the next one takes the turn
            current_app.logger.warning("assistant unavailable: %s", type(error).__name__)
            return None
        except (requests.RequestException, ValueError) as error:
            current_app.logger.warning("assistant unavailable: %s", type(error).__name__)
            return None
        return replies if isinstance(replies, list) and replies else None
    return None


def _allowed(reply: object) -> dict | None:
    """Only what the widget shows passes: text, and buttons whose payload the assistant can send."""
    if not isinstance(reply, dict) or not isinstance(reply.get("text"), str):
        return None
    payloads = current_app.extensions["content"].allowed_payloads
    buttons = [{"title": str(b["title"]), "payload": b["payload"]} for b in reply.get("buttons") or []
               if isinstance(b, dict) and b.get("payload") in payloads and isinstance(b.get("title"), str)]
    return current_app.extensions["content"].message(reply["text"], buttons)


@bp.post("/chat")
@relay_limits
def chat():
    try:
        conversation, school, text = _read_request()
    except BadMessage as bad:
        return api_error(bad.status, bad.code, bad.message)
    replies = _ask_rasa(conversation, school, redact(text))
    messages = [m for m in map(_allowed, replies or []) if m]
    if not messages:
        return jsonify({"messages": current_app.extensions["content"].response(UNAVAILABLE_RESPONSE), "fallback": True})
    current_app.extensions["offered_payloads"].remember(
        conversation, {button["payload"] for message in messages for button in message["buttons"]})
    return jsonify({"messages": messages, "fallback": False})
