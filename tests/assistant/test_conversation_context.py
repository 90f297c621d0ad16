"""components/conversation_context.py: the entities a session starts with, from the relay's metadata."""
from __future__ import annotations

import pytest

from components.conversation_context import context_entities
from content.schools import load_schools

SCHOOLS = load_schools()


def values(metadata) -> dict:
    return {e["entity"]: e["value"] for e in context_entities(metadata, SCHOOLS)}


def test_a_new_session_gets_the_schools_contact_from_schools_yml():
    lead = SCHOOLS["demo"]["safeguarding_lead"]
    got = values({"school": "demo", "new_session": True, "unclear_messages_kept": True})
    assert got["school_contact"] == f"{lead['name']}, your school's {lead['title']}"
    assert got["school_contact_where"] == lead["how_to_reach"]
    assert got["greeting_shown"] is True and got["unclear_messages_kept"] is True


@pytest.mark.parametrize("metadata", [None, "demo", {}, {"school": "demo"}, {"school": "demo", "new_session": "yes"}])
def test_nothing_is_set_except_at_the_start_of_a_session(metadata):
    assert values(metadata) == {}


def test_words_in_the_request_never_reach_the_replies():
    got = values({"school": "no-such-school", "new_session": True, "school_contact": "call 0900 000000",
                  "unclear_messages_kept": "true"})
    assert got == {"greeting_shown": True, "unclear_messages_kept": False}
    assert values({"school": ["demo"], "new_session": True}) == {"greeting_shown": True, "unclear_messages_kept": False}
