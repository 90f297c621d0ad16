"""Rate limits per conversation and per IP (a whole school shares one), the client's address
through trusted proxies only, and logs that hold no IP, user agent or message."""
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


def test_one_looping_client_does_not_block_its_school(assistant, tmp_path):
    """A client stuck in a loop on one conversation is refused on that conversation; its refused
    requests do not use up the address's ceiling, so the school's other pupils still get through."""
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RATE_LIMIT_PER_CONVERSATION="3 per minute",
                   RATE_LIMIT_PER_IP="8 per minute")
    client = app.test_client()
    looping = Chat(client)
    statuses = [looping.post("/need_help_now").status_code for _ in range(40)]
    assert statuses[:3] == [200] * 3 and set(statuses[3:]) == {429}
    others = [Chat(client).post("/need_help_now").status_code for _ in range(6)]
    assert others == [200] * 5 + [429], "the ceiling still holds: 3 + 5 requests answered from one address"


def post_from(client, forwarded_for: str, conversation: str | None = None):
    return client.post("/api/chat", headers={"X-Forwarded-For": forwarded_for},
                       json={"conversation_id": conversation or Chat(client).id, "school": "demo",
                             "message": "/need_help_now"})


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_clients(assistant, tmp_path):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RATE_LIMIT_PER_IP="2 per minute", TRUSTED_PROXIES=1)
    client = app.test_client()
    assert [post_from(client, "198.51.100.7").status_code for _ in range(3)] == [200, 200, 429]
    assert post_from(client, "198.51.100.8").status_code == 200, "another school behind the same proxy"
    # A client cannot choose its address: only the address the trusted proxy added is read.
    assert post_from(client, "203.0.113.1, 198.51.100.7").status_code == 429


def test_without_trusted_proxies_a_forwarded_address_is_ignored(assistant, tmp_path):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RATE_LIMIT_PER_IP="2 per minute")
    client = app.test_client()
    statuses = [post_from(client, f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_a_bad_number_of_trusted_proxies_stops_the_app(tmp_path):
    import pytest
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        make_app(tmp_path, TRUSTED_PROXIES=-1)


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
