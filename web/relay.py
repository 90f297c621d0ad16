"""POST /api/chat: relays a pupil's message to Rasa and the assistant's replies back.

Request:  {"conversation_id": "<random id>", "school": "<key>", "message": "<text>"}
Reply:    {"messages": [{"text", "buttons": [{"title", "payload"}], "links": [{"label", "href"}]}],
           "fallback": false}

On the way in: the body is checked, personal details are redacted, and a message starting with
"/" is refused unless it is exactly a button payload the assistant offered in this conversation
(Rasa would otherwise skip understanding and act on a typed intent; see web/offered.py). Each
message carries the school's key as metadata, and the first of each session also asks Rasa to set
the conversation's context (see context_metadata): Rasa's own pipeline then fills the school's
safeguarding person from schools.yml (components/conversation_context.py), so plain responses
name them without the action server or an extra call. On the way out: only text and buttons
pass, and links come from the service registry. When Rasa fails, is slow or says nothing, the
reply is the helplines with "fallback": true.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
import time
from collections import OrderedDict

import requests
from flask import Blueprint, current_app, jsonify, request

from content.domain import load_domain
from content.schools import conversation_context
from web import redaction
from web.errors import api_error
from web.limits import json_body, relay_limits
from web.redaction import redact
from web.served_content import UNAVAILABLE_RESPONSE

bp = Blueprint("relay", __name__, url_prefix="/api")

CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")   # the whole id: re.fullmatch
# The reviewers' sandbox talks to Rasa as "sandbox-<id>"; the purge deletes those conversations
# without counting them, so a pupil's conversation may never take that form.
RESERVED_PREFIXES = ("sandbox-",)
# What pupils are told about messages kept when KEEP_FALLBACK_MESSAGES is on (domain.yml,
# utter_ask_if_anonymous, and the widget): "for up to 30 days".
MAX_KEPT_DAYS_PUPILS_ARE_TOLD = 30
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


# --- which conversations have their context -------------------------------------------------
class ConversationsWithContext:
    """The conversations this process sent the context to, with the time of their latest message.

    Bounded (the oldest are forgotten first) and keyed by a hash of the conversation id. The
    context goes again when a conversation is unknown here (a restart, another relay, or
    forgotten: setting the same slots again is harmless) and when it has been quiet longer than
    Rasa's session expiry (Rasa starts a new session, with the slots back at their defaults)."""

    def __init__(self, session_minutes: float, max_conversations: int = 50_000) -> None:
        self.session_seconds = session_minutes * 60
        self.max_conversations = max_conversations
        self._last: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(conversation: str) -> str:
        return hashlib.sha256(conversation.encode()).hexdigest()

    def needs_context(self, conversation: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            last = self._last.get(self._key(conversation))
        return last is None or now - last > self.session_seconds

    def note(self, conversation: str, now: float | None = None) -> None:
        key = self._key(conversation)
        with self._lock:
            self._last.pop(key, None)
            self._last[key] = time.monotonic() if now is None else now
            while len(self._last) > self.max_conversations:
                self._last.popitem(last=False)

    def __len__(self) -> int:
        return len(self._last)


def context_metadata(conversation: str, school: str) -> dict:
    """The metadata sent with a message: the school always (the anonymous counts are by school),
    and at the start of a session what Rasa sets the conversation's slots from."""
    metadata = {"school": school}
    if current_app.extensions["conversations_with_context"].needs_context(conversation):
        metadata.update(new_session=True, unclear_messages_kept=bool(current_app.config["KEEP_FALLBACK_MESSAGES"]))
    return metadata


def with_context(text: str, metadata: dict) -> str:
    """The text for Rasa. A button's payload skips Rasa's pipeline, which reads the metadata, so
    at the start of a session it carries the same context as its entities: /intent{"slot": value}."""
    if not (text.startswith("/") and metadata.get("new_session")):
        return text
    school = current_app.extensions["content"].school(metadata["school"])
    return text + json.dumps(conversation_context(school, metadata["unclear_messages_kept"]), ensure_ascii=False)


# --- the request -------------------------------------------------------------------------------
def _read_request() -> tuple[str, str, str]:
    """The conversation id, school key and message text, or BadMessage saying what is wrong."""
    if not request.is_json:
        raise BadMessage("not_json", "Messages must be sent as JSON (Content-Type: application/json).", 415)
    body = json_body()
    if not isinstance(body, dict):
        raise BadMessage("malformed_json", "The message could not be read (the JSON is broken, nested too deeply "
                                           "or not an object).")
    conversation, school, text = body.get("conversation_id"), body.get("school"), body.get("message")
    if not isinstance(conversation, str) or not CONVERSATION_ID.fullmatch(conversation):
        raise BadMessage("bad_conversation_id", "conversation_id must be 16-64 letters, digits, - or _.")
    if conversation.lower().startswith(RESERVED_PREFIXES):
        raise BadMessage("bad_conversation_id", "conversation_id may not start with 'sandbox-' (kept for reviewers).")
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


def _ask_rasa(conversation: str, text: str, metadata: dict) -> list[dict] | None:
    """Rasa's replies, or None when it failed, was too slow or said nothing."""
    body = {"sender": conversation, "message": text, "metadata": metadata}
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
        if not (isinstance(replies, list) and replies):
            current_app.logger.warning("assistant unavailable: it answered with no message")
            return None
        return replies
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
    text = redact(text)
    metadata = context_metadata(conversation, school)
    replies = _ask_rasa(conversation, with_context(text, metadata), metadata)
    if replies is not None:
        current_app.extensions["conversations_with_context"].note(conversation)   # for the session's expiry
    messages = [m for m in map(_allowed, replies or []) if m]
    if not messages:
        return jsonify({"messages": current_app.extensions["content"].response(UNAVAILABLE_RESPONSE), "fallback": True})
    current_app.extensions["offered_payloads"].remember(
        conversation, {button["payload"] for message in messages for button in message["buttons"]})
    return jsonify({"messages": messages, "fallback": False})


# --- set up with the app -------------------------------------------------------------------------
def session_minutes(domain_file: str) -> float:
    """Rasa's session expiry (domain.yml session_config), after which a conversation starts afresh."""
    config = load_domain(domain_file).get("session_config") or {}
    return float(config.get("session_expiration_time", 60))


@bp.record_once
def _set_up(state) -> None:
    app = state.app
    days = app.config["FALLBACK_RETENTION_DAYS"]
    if app.config["KEEP_FALLBACK_MESSAGES"] and days > MAX_KEPT_DAYS_PUPILS_ARE_TOLD:
        raise ValueError(f"FALLBACK_RETENTION_DAYS is {days}, but pupils are told that messages not understood are "
                         f"kept for up to {MAX_KEPT_DAYS_PUPILS_ARE_TOLD} days: set it to "
                         f"{MAX_KEPT_DAYS_PUPILS_ARE_TOLD} or fewer")
    app.extensions["conversations_with_context"] = ConversationsWithContext(session_minutes(app.config["DOMAIN_FILE"]))
    redaction.add_school_names(school.get("name") for school in app.extensions["content"].schools.values())
    redact("Warm up the word lists, Jake Smith.")   # loaded once here, not in front of the first pupil
