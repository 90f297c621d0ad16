"""Rate limits per conversation and per IP, and logs that hold no IP, user agent or message."""
from __future__ import annotations

import logging

from conftest import Chat, make_app

SENTINEL = "zebra-sentinel-5531"


def test_a_conversation_is_limited_but_others_go_on(assistant, tmp_path):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RATE_LIMIT_PER_CONVERSATION="3 per minute")
    client = app.test_client()
    chat = Chat(client)
    for _ in range(3):
        assert chat.post("hi").status_code == 200
    refused = chat.post("hi")
    assert refused.status_code == 429
    data = refused.get_json()
    assert data["error"]["code"] == "too_many_requests" and "wait a minute" in data["error"]["message"]
    assert "0800 1111" in data["messages"][0]["text"]
    assert Chat(client).post("hi").status_code == 200   # another pupil at the same school


def test_one_ip_is_limited_generously(assistant, tmp_path):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RATE_LIMIT_PER_IP="5 per minute")
    client = app.test_client()
    statuses = [Chat(client).post("hi").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    other_ip = client.post("/api/chat", json={"conversation_id": "b" * 32, "school": "demo", "message": "hi"},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_ip.status_code == 200


def test_the_default_per_ip_limit_lets_a_whole_school_through(app):
    assert app.config["RATE_LIMIT_PER_IP"] == "600 per minute"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_logs_hold_no_ip_user_agent_or_message(assistant, tmp_path):
    capture = Capture()
    logging.getLogger().addHandler(capture)
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RATE_LIMIT_PER_CONVERSATION="2 per minute")
        app.logger.addHandler(capture)
        client = app.test_client()
        environ = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "SentinelBrowser/9.9"}
        chat = Chat(client)
        for message in [f"he wants money {SENTINEL}", f"{SENTINEL} again", f"{SENTINEL} limited", "/not allowed"]:
            client.post("/api/chat", json={"conversation_id": chat.id, "school": "demo", "message": message},
                        environ_base=environ)
        down = make_app(tmp_path, RASA_URL="http://127.0.0.1:9")
        down.logger.addHandler(capture)
        down.test_client().post("/api/chat", json={"conversation_id": chat.id, "school": "demo",
                                                   "message": SENTINEL}, environ_base=environ)
    finally:
        logging.getLogger().removeHandler(capture)
        logging.getLogger().setLevel(old_level)
    logged = "\n".join(capture.lines)
    assert "assistant unavailable" in logged   # the capture works
    for secret in (SENTINEL, "203.0.113.77", "SentinelBrowser", chat.id):
        assert secret not in logged
