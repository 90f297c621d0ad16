"""Bad input gets the right status and a clear message, with the helplines, never a 500."""
from __future__ import annotations

import json

import pytest
from conftest import Chat, new_conversation_id

HELP = "0800 1111"


def post_raw(client, data, content_type="application/json"):
    return client.post("/api/chat", data=data, content_type=content_type)


def body(message, **overrides):
    return {"conversation_id": new_conversation_id(), "school": "demo", "message": message, **overrides}


def assert_clear_error(response, status: int, code: str):
    assert response.status_code == status, response.get_data(as_text=True)
    data = response.get_json()
    assert data["error"]["code"] == code
    assert data["error"]["message"]
    assert HELP in " ".join(m["text"] for m in data["messages"])   # a way to get help, always


@pytest.mark.parametrize("message, code", [
    ("", "empty_message"),
    ("   \n ", "empty_message"),
    (None, "empty_message"),
    (42, "empty_message"),
    (["hi"], "empty_message"),
    ("x" * 1001, "message_too_long"),
    ("/restart", "not_allowed"),
    ("/session_start", "not_allowed"),
    ('/payment_demand{"age_group": "18_or_over"}', "not_allowed"),
    ("/ask_if_bot", "not_allowed"),   # an intent, but no button of the assistant sends it
])
def test_bad_messages(client, message, code):
    assert_clear_error(client.post("/api/chat", json=body(message)), 400, code)


def test_a_100_kb_body_is_too_large(client):
    assert_clear_error(post_raw(client, json.dumps(body("a" * 100_000))), 413, "request_entity_too_large")


def test_wrong_content_type(client):
    assert_clear_error(post_raw(client, "hello", content_type="text/plain"), 415, "not_json")
    assert_clear_error(post_raw(client, "message=hello", content_type="application/x-www-form-urlencoded"), 415, "not_json")


@pytest.mark.parametrize("data", ["{broken", "", "null", "[1, 2]", '"just a string"', "\xff\xfe"])
def test_broken_or_non_object_json(client, data):
    assert_clear_error(post_raw(client, data), 400, "malformed_json")


@pytest.mark.parametrize("conversation_id", [None, "", "short", "x" * 65, "has spaces in it ok", "../../etc/passwd00"])
def test_bad_conversation_ids(client, conversation_id):
    assert_clear_error(client.post("/api/chat", json=body("hi", conversation_id=conversation_id)), 400,
                       "bad_conversation_id")


@pytest.mark.parametrize("school", [None, "", "no-such-school", "DEMO", "demo/../x", 7])
def test_unknown_schools(client, school):
    assert_clear_error(client.post("/api/chat", json=body("hi", school=school)), 400, "unknown_school")


def test_wrong_method(client):
    assert_clear_error(client.get("/api/chat"), 405, "method_not_allowed")


def test_unknown_api_path(client):
    assert_clear_error(client.post("/api/nothing", json={}), 404, "not_found")


@pytest.mark.parametrize("message", [
    "he said he'd post my pics 😭😭 pls help",
    "ตอนนี้ฉันกลัวมาก someone has my photos",
    "Ich werde erpresst – er will Geld",
    "\u202e\u200bhidden\u0000 control characters",
])
def test_unicode_and_emoji_are_answered(client, message):
    data = Chat(client).say(message)
    assert data["messages"] and all(m["text"] for m in data["messages"])


@pytest.mark.parametrize("message", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)"> they want money',
    "[click me](javascript:alert(1))",
    '"><svg onload=alert(1)>',
])
def test_html_and_script_payloads_are_only_text(client, message):
    data = Chat(client).say(message)
    for reply in data["messages"]:
        assert "<script" not in reply["text"] and "javascript:" not in reply["text"]
        assert all(link["href"].startswith(("https://", "tel:")) for link in reply["links"])


def test_a_pressed_button_payload_is_allowed(client):
    assert Chat(client).say("/payment_demand")["fallback"] is False


def test_json_nested_a_thousand_deep_is_bad_input_not_a_crash(client):
    deep = "[" * 1000 + "]" * 1000
    assert_clear_error(post_raw(client, deep), 400, "malformed_json")
    inside = '{"conversation_id": "%s", "school": "demo", "message": %s}' % (new_conversation_id(),
                                                                          "[" * 900 + "]" * 900)
    assert_clear_error(post_raw(client, inside), 400, "empty_message")   # readable, but not a message
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000
    assert_clear_error(post_raw(client, deep_object), 400, "malformed_json")


@pytest.mark.parametrize("conversation_id", [new_conversation_id() + "\n", "\n" + new_conversation_id(),
                                             new_conversation_id() + "\r\n"])
def test_a_conversation_id_must_match_as_a_whole(client, conversation_id):
    assert_clear_error(client.post("/api/chat", json=body("hi", conversation_id=conversation_id)), 400,
                       "bad_conversation_id")


@pytest.mark.parametrize("prefix", ["sandbox-", "SANDBOX-", "Sandbox-"])
def test_pupils_cannot_use_the_reviewers_sandbox_prefix(client, prefix):
    """The purge deletes "sandbox-" conversations without counting them (web/retention.py)."""
    from web.retention import SANDBOX_PREFIX
    assert SANDBOX_PREFIX == "sandbox-"
    response = client.post("/api/chat", json=body("hi", conversation_id=prefix + "a1b2c3d4e5f6a7b8"))
    assert_clear_error(response, 400, "bad_conversation_id")
    assert "sandbox-" in response.get_json()["error"]["message"]
