"""The relay (/api/chat) with a real assistant behind it: replies, buttons, the school's details,
redaction before Rasa sees a message, and helplines when Rasa is down or slow."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
import yaml
from conftest import ROOT, Chat, make_app, reply_text
from reply_contract import check, universal_problems


def greeting_payloads() -> list[str]:
    """The payloads of the greeting's buttons, as domain.yml has them."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [button["payload"] for button in domain["responses"]["utter_greet"][0]["buttons"]]


def test_a_pupils_message_gets_the_first_steps(client):
    body = Chat(client).say("some guy on insta says he'll send my pics to everyone unless i pay him")
    assert body["fallback"] is False
    text = reply_text(body)
    assert check("payment_demand", text) == [] or check("hacked_claim", text) == [] or \
        check("images_shared", text) == [], text
    assert universal_problems(text) == []


def test_links_come_from_the_registry_and_are_https_or_tel(client):
    body = Chat(client).say("i need help now")
    links = [link for message in body["messages"] for link in message["links"]]
    assert {"href": "tel:08001111", "label": "Call Childline: 0800 1111"} in links
    assert all(link["href"].startswith(("https://", "tel:")) for link in links)


def test_a_button_the_assistant_offered_can_be_pressed(client):
    chat = Chat(client)
    offered = [b["payload"] for m in chat.say("he says he will post my pics")["messages"] for b in m["buttons"]]
    assert offered, "the reply to a threat offers buttons"
    assert chat.say(offered[0])["fallback"] is False


def test_the_schools_safeguarding_lead_reaches_the_reply(client):
    wales = reply_text(Chat(client, "demo").say("how do i tell a teacher about this"))
    england = reply_text(Chat(client, "example-england").say("how do i tell a teacher about this"))
    assert "Mr Rhys Evans" in wales and "(DSP)" in wales
    assert "Ms Priya Shah" in england and "(DSL)" in england


def test_personal_details_are_redacted_before_rasa_stores_them(client, assistant):
    chat = Chat(client)
    chat.say("his snap is @dave_k22 and he texted me from 07123 456789, email me on sam.j@example.com")
    tracker = requests.get(f"{assistant.rasa_url}/conversations/{chat.id}/tracker",
                           params={"token": assistant.api_token}, timeout=10).json()
    said = " ".join(e.get("text") or "" for e in tracker["events"] if e["event"] == "user")
    assert "[username]" in said and "[phone number]" in said and "[email]" in said
    for detail in ("dave_k22", "07123 456789", "sam.j@example.com"):
        assert detail not in str(tracker)


def test_helplines_when_rasa_is_not_running(app_without_rasa):
    body = Chat(app_without_rasa.test_client()).say("they want £200 in steam cards")
    assert body["fallback"] is True
    text = reply_text(body)
    assert "0800 1111" in text and "999" in text


def test_helplines_when_rasa_is_too_slow(assistant, tmp_path):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RASA_TIMEOUT_SECONDS=0.001)
    body = Chat(app.test_client()).say("someone is blackmailing me")
    assert body["fallback"] is True and "0800 1111" in reply_text(body)


@pytest.mark.parametrize("answer", [b"[]", b"{}", b"not json", b'[{"image": "https://evil.example/x.png"}]'])
def test_helplines_when_rasa_answers_with_nothing_usable(tmp_path, answer):
    # The real Rasa always answers; this stand-in answers the way a broken or empty one would.
    class Empty(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Empty)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app = make_app(tmp_path, RASA_URL=f"http://127.0.0.1:{server.server_port}")
        body = Chat(app.test_client()).say("hello?")
    finally:
        server.shutdown()
    assert body["fallback"] is True and "0800 1111" in reply_text(body)
    assert "evil.example" not in str(body)


def test_a_payload_is_accepted_only_once_the_assistant_offered_it(client):
    chat = Chat(client)
    refused = chat.post("/already_paid")   # a button of the reply to a threat, not yet offered here
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "not_allowed"
    offered = [b["payload"] for m in chat.say("they want money off me or theyll share my pics")["messages"]
               for b in m["buttons"]]
    assert "/already_paid" in offered
    assert chat.say("/already_paid")["fallback"] is False
    other = Chat(client)
    assert other.post("/already_paid").status_code == 400   # offered to one pupil, not to another


def test_the_widget_opens_with_the_greetings_buttons(client):
    page = client.get("/chat/demo").get_data(as_text=True)
    settings = json.loads(re.search(r'<script type="application/json" id="settings">(.*?)</script>', page, re.S).group(1))
    assert [b["payload"] for m in settings["greeting"] for b in m["buttons"]] == greeting_payloads()
    assert client.application.extensions["content"].opening_payloads() == frozenset(greeting_payloads())


@pytest.mark.parametrize("payload", greeting_payloads())
def test_an_opening_button_works_as_a_conversations_first_message(client, payload):
    """The widget shows the greeting itself, so its buttons are pressed before Rasa has offered anything."""
    body = Chat(client).say(payload)
    assert body["fallback"] is False and body["messages"]
    text = reply_text(body)
    assert universal_problems(text) == []
    sign = payload.lstrip("/")
    if sign == "need_help_now":
        assert "0800 1111" in body["messages"][0]["text"] and "999" in body["messages"][0]["text"]
    else:
        assert check(sign, text) == [], text


def test_a_payload_the_greeting_does_not_offer_is_refused_at_first(client):
    assert "/hacked_claim" not in greeting_payloads()
    refused = Chat(client).post("/hacked_claim")
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "not_allowed"


# --- the school's contact, set as slots with a session's first message --------------------------
def tracker(assistant, conversation: str) -> dict:
    return requests.get(f"{assistant.rasa_url}/conversations/{conversation}/tracker",
                        params={"token": assistant.api_token}, timeout=10).json()


DEMO_CONTACT = "Mr Rhys Evans, your school's designated safeguarding person (DSP)"


def events_of(state: dict) -> list[tuple]:
    return [(e["event"], e.get("name")) for e in state["events"]]


def the_assistant_sees_the_slots(chat) -> bool:
    """A reply that depends on a slot shows what the assistant itself read: "hi" gets the short
    answer only when greeting_shown is set."""
    return "I'm listening" in reply_text(chat.say("hi"))


def test_the_first_reply_names_the_schools_contact(client, assistant):
    chat = Chat(client)
    assert "Mr Rhys Evans" in reply_text(chat.say("they want £100 or they post my pics"))
    state = tracker(assistant, chat.id)
    assert state["slots"]["school_contact"] == DEMO_CONTACT
    assert state["slots"]["school_contact_where"].startswith("find Mr Evans in the pastoral office")
    assert the_assistant_sees_the_slots(chat)
    england = Chat(client, "example-england")
    england.say("hello")
    assert tracker(assistant, england.id)["slots"]["school_contact"] == \
        "Ms Priya Shah, your school's designated safeguarding lead (DSL)"
    assert the_assistant_sees_the_slots(england)


def test_the_slots_are_set_once_a_session_with_no_call_but_the_message(client, assistant):
    chat = Chat(client)
    for message in ("hello", "they want money", "thanks"):
        chat.say(message)
    kinds = events_of(tracker(assistant, chat.id))
    assert kinds.count(("slot", "school_contact")) == 1
    assert kinds.index(("user", None)) < kinds.index(("slot", "school_contact"))


@pytest.mark.parametrize("payload", ["/payment_demand", "/need_help_now"])
def test_a_button_as_a_sessions_first_message_sets_the_slots_too(client, assistant, payload):
    """A payload skips Rasa's pipeline, so it carries the school's contact as its entities."""
    assert payload in greeting_payloads()
    chat = Chat(client)
    body = chat.say(payload)
    assert body["fallback"] is False
    assert tracker(assistant, chat.id)["slots"]["school_contact"] == DEMO_CONTACT
    assert the_assistant_sees_the_slots(chat)


def test_a_new_session_after_a_quiet_spell_gets_the_slots_again(client, assistant):
    """Rasa begins a new session after its expiry, with the slots back at their defaults; the
    relay, knowing the conversation has been quiet as long, sends the context with the message."""
    import time
    chat = Chat(client)
    chat.say("hello")
    requests.post(f"{assistant.rasa_url}/conversations/{chat.id}/tracker/events",   # Rasa's own session start
                  params={"token": assistant.api_token}, timeout=10,
                  json=[{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
                        {"event": "action", "name": "action_listen"}]).raise_for_status()
    assert tracker(assistant, chat.id)["slots"]["school_contact"] != DEMO_CONTACT
    with_context = client.application.extensions["conversations_with_context"]
    with_context.note(chat.id, now=time.monotonic() - 2 * with_context.session_seconds)
    chat.say("they want money off me")
    kinds = events_of(tracker(assistant, chat.id))
    second = max(i for i, k in enumerate(kinds) if k == ("session_started", None))
    assert ("slot", "school_contact") in kinds[second:]
    assert the_assistant_sees_the_slots(chat)


def test_the_context_comes_from_schools_yml_not_from_the_request(client, assistant):
    """Straight to Rasa, metadata naming a contact sets nothing: only a known school key counts."""
    conversation = "direct-" + "x" * 20
    requests.post(f"{assistant.rasa_url}/webhooks/rest/webhook", timeout=10, json={
        "sender": conversation, "message": "hello",
        "metadata": {"school": "no-such-school", "new_session": True, "school_contact": "call 0900 000000"}})
    slots = tracker(assistant, conversation)["slots"]
    assert slots["school_contact"] == "the teacher who looks after safeguarding at your school"
    assert slots["greeting_shown"] is True


def test_hi_after_the_widgets_greeting_is_not_the_whole_greeting_again(client):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    greeting = domain["responses"]["utter_greet"][0]["text"]
    body = Chat(client).say("hi")
    assert body["fallback"] is False
    assert [m["text"] for m in body["messages"]] != [greeting]
    assert all(m["buttons"] == [] for m in body["messages"]) and "0800 1111" in reply_text(body)


@pytest.mark.parametrize("keep", [False, True])
def test_what_the_bot_says_is_kept_matches_the_setting(assistant, tmp_path, keep):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RASA_API_TOKEN=assistant.api_token,
                   KEEP_FALLBACK_MESSAGES=keep)
    text = reply_text(Chat(app.test_client()).say("is this chat anonymous? does anyone see what i type"))
    assert "deleted after an hour" in text
    assert ("kept for up to 30 days" in text) is keep, text


def test_keeping_messages_longer_than_pupils_are_told_stops_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("KEEP_FALLBACK_MESSAGES", "on")
    monkeypatch.setenv("FALLBACK_RETENTION_DAYS", "60")
    with pytest.raises(ValueError, match="FALLBACK_RETENTION_DAYS is 60"):
        make_app(tmp_path)
