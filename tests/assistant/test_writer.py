"""Who is writing: an adult about a child in their care, only when they say so unmistakably."""
from __future__ import annotations

import pytest
from reply_contract import unqualified_adult_services

import heldout
from components.writer_patterns import adult_for_child


@pytest.mark.parametrize("text", [
    "my son is being blackmailed over a photo",
    "our 13 year old daughter sent a picture and now they want money",
    "my daughters pictures are on a website",
    "my 12 yr old got a message saying pay or else",
    "I'm his mum and I don't know what to do",
    "I am the carer of a 14 year old boy who paid them",
    "as a form tutor, a pupil has told me he is being threatened",
    "one of my year 9s says someone has her photos",
    "a pupil in my tutor group showed me the messages",
    "a year 10 student disclosed to me that he paid them",
    "foster carer here, the young person I look after is being threatened",
    "Head of Year writing: a student's image is being shared",
    "stepson 14, they say they hacked his phone",
    "I'm a parent and my child sent an image",
])
def test_an_adult_writing_about_a_child(text):
    assert adult_for_child(text)


@pytest.mark.parametrize("text", [
    # pupils, about themselves or their friends
    "im 15 and someone has my pics",
    "my mum will kill me if she finds out",
    "my boy jake got his account hacked",
    "my girl sent him a pic and now he wants money",
    "can i tell my dad without him going mad",
    "i'm in year 10 and a student from another school messaged me",
    # adults blackmailed themselves, naming their children as the threat's audience
    "I'm 45 and they say they'll send the video to my son",
    "found this on my daughter's school website, it's me who is being blackmailed",
    "mum here, 42, it's me they're blackmailing, not my kids",
    "I'm a teacher and someone I met online says he'll send my pics to my school",
    "uni student, 20, paid out of my student loan",
    "I'm a mum of two and a man says he'll send my video to my son",
    "I'm a teacher and a girl on tinder has my pics",
    "I'm a dad, 38, and a 25 year old woman on facebook has my video",
    "as a 35 year old man i feel stupid",
])
def test_not_an_adult_writing_about_a_child(text):
    assert adult_for_child(text) is None


# --- through the served assistant ---------------------------------------------------------------
@pytest.fixture(scope="module")
def names():
    return heldout.response_names()


def test_a_parent_gets_the_situation_written_for_them_with_the_childs_routes(new_conversation, names):
    talk = new_conversation()
    first = talk.send("I'm 44 and my son has been told to pay £300 or his photos go to his whole school")
    assert names.get(first[0]["text"]) == "utter_payment_demand"
    assert names.written_for_an_adult_about_a_child(first[0]["text"])
    assert "safeguarding" in first[0]["text"]            # the school's person (named when the relay sends it)
    # The parent said their own age: the routes still follow the child's (under-18 ones).
    later = talk.send("how do we get the photos taken down")
    text = "\n".join(m.get("text") or "" for m in later)
    assert names.written_for_an_adult_about_a_child(later[0]["text"])
    assert "Report Remove" in text and not unqualified_adult_services(text)
    assert "As you're 18" not in text


def test_an_adult_blackmailed_themself_keeps_the_adult_routes(new_conversation, names):
    first = new_conversation().send("I'm 45 and a woman says she'll send my video to my kids unless I pay her £500")
    assert names.get(first[0]["text"]) == "utter_payment_demand"
    assert not names.written_for_an_adult_about_a_child(first[0]["text"])
    assert "StopNCII" in first[0]["text"]
