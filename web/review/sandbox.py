"""The reviewer's sandbox: talk to the running assistant and see how it understood each message.

A message goes to Rasa's REST channel under the sender "sandbox-<id>" (so the purge deletes it
without counting it), then the conversation is read back from Rasa's HTTP API
(GET /conversations/<sender>/tracker, with the per-start token the stack gives the web app).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from web.redaction import redact
from web.retention import SANDBOX_PREFIX

TIMEOUT_SECONDS = 30
QUIET_ACTIONS = {"action_listen", "action_session_start"}


class AssistantUnavailable(Exception):
    pass


@dataclass
class CrisisCheck:
    """What components/crisis_detector.py decided about a message (its "crisis" key in Rasa's
    parse): the crisis intent it put first, or None for no risk; what decided (a pattern, the
    detector, or "detector: no risk"); the part of the message it read; the detector's scores and
    what the intent classifier gave the crisis intents between them."""
    intent: str | None
    decided_by: str
    part: str
    certain: float
    any_risk: float
    classifier: float


@dataclass
class Exchange:
    """One message and what the assistant made of it."""
    text: str
    intent: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    replies: list[dict] = field(default_factory=list)   # {"text": ..., "buttons": [titles]}
    crisis: CrisisCheck | None = None
    age_group: str | None = None    # the age the pupil said, as the age extractor read it


def _number(value: object) -> float:
    try:
        return float(value)   # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def crisis_check(parse: dict) -> CrisisCheck | None:
    found = parse.get("crisis")
    if not isinstance(found, dict):
        return None
    return CrisisCheck(intent=found.get("intent") or None, decided_by=str(found.get("decided_by") or ""),
                       part=str(found.get("part") or ""), certain=_number(found.get("certain")),
                       any_risk=_number(found.get("any_risk")), classifier=_number(found.get("classifier")))


def age_said(parse: dict) -> str | None:
    return next((str(e.get("value")) for e in parse.get("entities") or []
                 if isinstance(e, dict) and e.get("entity") == "age_group"), None)


def sender_id(sandbox_id: str) -> str:
    return f"{SANDBOX_PREFIX}{sandbox_id}"


def _request(url: str, body: dict | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read().decode() or "null")
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise AssistantUnavailable(str(error)) from error


def send(rasa_url: str, sandbox_id: str, message: str, school: str | None = None) -> None:
    body = {"sender": sender_id(sandbox_id), "message": redact(message)}   # as the relay does
    if school:
        body["metadata"] = {"school": school}
    _request(f"{rasa_url.rstrip('/')}/webhooks/rest/webhook", body)


def tracker(rasa_url: str, token: str, sandbox_id: str) -> dict:
    query = urllib.parse.urlencode({"token": token, "include_events": "AFTER_RESTART"})
    sender = urllib.parse.quote(sender_id(sandbox_id), safe="")
    result = _request(f"{rasa_url.rstrip('/')}/conversations/{sender}/tracker?{query}")
    return result if isinstance(result, dict) else {}


def exchanges(tracker_json: dict) -> list[Exchange]:
    """The conversation as message -> situation recognised, confidence, actions taken, replies."""
    result: list[Exchange] = []
    for event in tracker_json.get("events") or []:
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            ranking = [(r.get("name", ""), float(r.get("confidence") or 0)) for r in parse.get("intent_ranking") or []]
            result.append(Exchange(text=event.get("text") or "", intent=intent.get("name") or "(none)",
                                   confidence=float(intent.get("confidence") or 0),
                                   alternatives=[r for r in ranking if r[0] != intent.get("name")][:3],
                                   crisis=crisis_check(parse), age_group=age_said(parse)))
        elif result and kind == "action" and event.get("name") not in QUIET_ACTIONS:
            result[-1].actions.append(event.get("name") or "")
        elif result and kind == "bot":
            buttons = [b.get("title", "") for b in (event.get("data") or {}).get("buttons") or []]
            result[-1].replies.append({"text": event.get("text") or "", "buttons": buttons})
    return result
