"""Opening replies hold the contract even when the classifier picks a neighbouring situation.

Pupils often describe several things at once ("she sent a pic first, now she wants £100"),
so the classifier may pick any of the situations they mention. Every situation's opening
reply therefore carries the first-five-minutes steps, and this test checks each of them
against the contract of EVERY sign: a near miss still gives the pupil what they need.
Buttons send these same intents, so this also covers each button's reply.
"""
from __future__ import annotations

import pytest
from reply_contract import SIGNS, check

# Every intent a pupil's own description of their situation may be classified as, plus the
# two replies for messages the assistant could not place.
SITUATIONS = [
    "unknown_contact", "hacked_friend_account", "fast_sexual_chat", "moved_to_encrypted_app",
    "pressured_for_images", "hacked_claim", "payment_demand", "ai_fake_images",
    "already_sent", "already_paid", "images_shared", "wants_removal", "still_in_contact",
    "they_know_school", "fear_telling_parents", "self_blame", "fear_of_police",
    "self_harm_risk", "immediate_danger", "need_help_now", "nlu_fallback",
]
# "Asking for a friend" is often about oneself: the friend reply holds every sign about the
# pupil's own situation too (only the adult routes are left to the adult replies).
FRIEND_SIGNS = [sign for sign in SIGNS if sign != "adult_victim"]


@pytest.mark.parametrize("intent", SITUATIONS)
def test_an_opening_reply_holds_the_contract_of_every_sign(new_conversation, intent):
    reply = new_conversation().say(f"/{intent}")
    failures = {sign: problems for sign in SIGNS if (problems := check(sign, reply))}
    assert failures == {}, f"/{intent} ->\n{reply}"


@pytest.mark.parametrize("intent", ["off_topic", "nlu_fallback"])
def test_an_unplaced_message_still_hears_the_first_steps(new_conversation, intent):
    """Off-topic and not-understood replies name the steps for anyone being threatened."""
    reply = new_conversation().say(f"/{intent}")
    for sign in ("hacked_claim", "payment_demand", "already_paid", "images_shared", "wants_removal"):
        assert check(sign, reply) == [], f"{sign}: /{intent} ->\n{reply}"


def test_a_reply_about_a_friend_also_holds_for_the_pupil_themself(new_conversation):
    reply = new_conversation().say("/friend_worried")
    failures = {sign: problems for sign in FRIEND_SIGNS if (problems := check(sign, reply))}
    assert failures == {}, reply
