"""Held-out facts (tests/heldout/facts.yml, written blind): the first reply carries the fact.

Each message needs one fact from the NCA alert or the services pupils use (a crime claim is a
lie, gift cards are payment too, don't delete or forward, Take It Down for pictures taken
before 18, what the school and CEOP will do). No age error is allowed on any of them.
"""
from __future__ import annotations

import pytest
from reply_contract import age_problems, stated_age

import heldout

from conftest import Conversation

FACTS = heldout.facts()
# Measured 0.75 when the facts were added (2026-11-27), less a margin (raise, never lower).
FACTS_FLOOR = 0.70


@pytest.fixture(scope="module")
def replies(assistant) -> list[tuple[str, str, str]]:
    return [(key, text, Conversation(assistant.rasa_url).say(text)) for key, text in FACTS]


def test_every_fact_has_messages():
    assert set(heldout.FACTS) == {key for key, _ in FACTS}


def test_no_age_errors_on_fact_messages(replies):
    """Adult-only routes only for writers who said they are 18 or over."""
    wrong = [(text, problems) for _, text, reply in replies
             if (problems := age_problems(reply, stated_age(text), "meta"))]
    assert not wrong, wrong


def test_most_replies_carry_their_fact(replies):
    missing = [(key, text, heldout.missing_facts(key, reply), reply[:200]) for key, text, reply in replies
               if heldout.missing_facts(key, reply)]
    carried = 1 - len(missing) / len(replies)
    assert carried >= FACTS_FLOOR, f"{carried:.2f} carried; missing:\n" + "\n".join(map(str, missing))
