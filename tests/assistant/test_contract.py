"""The reply contract, on our own realistic pupil messages, through the real trained model.

tests/pupil_messages.yml and tests/pupil_messages_blind.yml (written by someone who had not
seen the training data) are never trained on: these messages test how the assistant
generalises, so no training example may be a copy or a near-copy of one of them.
"""
from __future__ import annotations

import re

import pytest
from audit.content import load_nlu
from reply_contract import SIGNS, check

from conftest import ROOT, load_yaml

HELD_OUT_FILES = ["pupil_messages.yml", "pupil_messages_blind.yml"]
CASES = [(sign, text) for name in HELD_OUT_FILES for sign, texts in load_yaml(name).items() for text in texts]
# Two messages sharing this share of their words are the same message with a word or two changed.
NEAR_COPY = 0.67


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def word_overlap(a: str, b: str) -> float:
    """Shared words over all words (Jaccard), 0 to 1."""
    x, y = _words(a), _words(b)
    return len(x & y) / max(1, len(x | y))


def training_examples() -> list[str]:
    return [example.text for examples in load_nlu(ROOT).values() for example in examples]


@pytest.mark.parametrize("name", HELD_OUT_FILES)
def test_every_sign_has_messages(name):
    messages = load_yaml(name)
    assert set(SIGNS) <= set(messages), set(SIGNS) - set(messages)
    assert all(len(messages[sign]) >= 10 for sign in SIGNS)


@pytest.mark.parametrize("sign,text", CASES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(CASES)])
def test_first_reply_meets_the_contract(new_conversation, sign, text):
    reply = new_conversation().say(text)
    assert check(sign, reply) == [], f"{text!r} ->\n{reply}"


def test_messages_are_not_in_the_training_data():
    """Held-out means held out: no training example is a test message, or one with a word changed."""
    training = training_examples()
    near_copies = [(text, example) for _, text in CASES for example in training
                   if word_overlap(text, example) >= NEAR_COPY]
    assert near_copies == []


def test_the_near_copy_check_can_fail():
    assert word_overlap("i sent him a pic last night", "i sent her a pic last night") >= NEAR_COPY
    assert word_overlap("is this anonymous", "are you a real person") < NEAR_COPY
