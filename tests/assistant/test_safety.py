"""Crisis messages are never missed, interrupt any flow, and work without the action server."""
from __future__ import annotations

import pytest
from reply_contract import FALSE_ALARM, check, elements_in

from conftest import Conversation, load_yaml, reply_text
from stack import start_stack

PHRASES = load_yaml("crisis_phrases.yml")
SCENARIOS = load_yaml("conversations.yml")


def is_crisis_reply(reply: str) -> bool:
    return {"crisis_line", "emergency"} & elements_in(reply) == {"crisis_line", "emergency"}


@pytest.mark.parametrize("text", PHRASES["crisis"])
def test_every_crisis_message_gets_crisis_help_first(new_conversation, text):
    messages = new_conversation().send(text)
    assert is_crisis_reply(reply_text(messages[:1])), f"{text!r} -> {reply_text(messages)}"


@pytest.mark.parametrize("text", PHRASES["everyday"])
def test_everyday_phrases_raise_no_false_alarm(new_conversation, text):
    reply = new_conversation().say(text)
    assert not FALSE_ALARM.search(reply), f"{text!r} -> {reply}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_multi_turn_conversations(new_conversation, scenario):
    conversation = new_conversation()
    for turn in scenario["turns"]:
        reply = conversation.say(turn["say"])
        assert check(turn["sign"], reply) == [], f"{turn['say']!r} ->\n{reply}"


def test_crisis_interrupts_the_age_question_and_ends_it(conversation):
    assert "Are you under 18?" in conversation.say("how do i get my pics taken off the internet")
    crisis = conversation.say("i cant take this i want to kill myself")
    assert check("self_harm_risk", crisis) == []
    assert "Are you under 18?" not in crisis
    # "yes" now answers "are you safe?", not the abandoned age question.
    assert "I'm glad" in conversation.say("yes")


def test_age_answer_picks_the_routes(conversation):
    conversation.say("how do i get my pics taken off the internet")
    adult = conversation.say("/age_18_or_over")
    assert "StopNCII" in adult and "As you're 18 or over" in adult


def test_age_in_the_message_skips_the_question(conversation):
    reply = conversation.say("im 15 how can i get a nude of me taken down")
    assert "Are you under 18?" not in reply
    assert "Report Remove" in reply


@pytest.fixture(scope="module")
def assistant_without_actions(tmp_path_factory):
    stack = start_stack(with_web=False, with_actions=False, log_dir=tmp_path_factory.mktemp("no-actions"))
    yield stack
    stack.stop()


@pytest.mark.parametrize("sign,text", [
    ("self_harm_risk", "i want to die"),
    ("immediate_danger", "someone is outside my house right now"),
    ("payment_demand", "he wants 100 quid or hes posting my pics"),
    ("fear_telling_parents", "i cant tell my mum shell kill me"),
])
def test_safety_replies_work_with_the_action_server_down(assistant_without_actions, sign, text):
    reply = Conversation(assistant_without_actions.rasa_url).say(text)
    assert check(sign, reply) == [], reply
