"""Held out means held out: no training example is a test message, or one with a word changed.

Covers every held-out file (situations, conversations, crisis messages and idioms, the older
sets) against every training example in data/, crisis detector's data included.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from content.training import load_examples as load_nlu
from conftest import ROOT

HELD_OUT_FILES = sorted(p for p in (ROOT / "tests" / "heldout").rglob("*.yml") if p.name != "nlu.yml") + [
    ROOT / "tests" / name for name in
    ("pupil_messages.yml", "pupil_messages_blind.yml", "crisis_phrases.yml", "conversations.yml")]
# Two messages sharing this share of their words are the same message with a word changed.
NEAR_COPY_JACCARD = 0.6
# One- and two-word answers ("yes", "nah", "thanks", "what now") are vocabulary every
# assistant must be taught, not messages that could be copied.
MIN_WORDS = 3


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def jaccard(a: list[str], b: list[str]) -> float:
    x, y = set(a), set(b)
    return len(x & y) / max(1, len(x | y))


def one_word_apart(a: list[str], b: list[str]) -> bool:
    """Word-level edit distance of at most one (a word changed, added or dropped)."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 2:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def near_copy(a: str, b: str) -> bool:
    x, y = tokens(a), tokens(b)
    return x == y or jaccard(x, y) >= NEAR_COPY_JACCARD or one_word_apart(x, y)


def strings_in(node) -> list[str]:
    """Every message text in a held-out file, whatever its shape."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        if "say" in node:
            return [node["say"]]
        return [s for key, value in node.items() if key not in ("name", "sign") for s in strings_in(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings_in(item)]
    return []


def held_out_messages(path: Path) -> list[str]:
    return strings_in(yaml.safe_load(path.read_text(encoding="utf-8")))


def training_examples() -> list[str]:
    return [example.text for examples in load_nlu(ROOT).values() for example in examples]


@pytest.mark.parametrize("path", HELD_OUT_FILES, ids=lambda p: p.name)
def test_no_training_example_is_a_near_copy(path):
    training = [(example, tokens(example)) for example in training_examples()]
    copies = []
    for message in held_out_messages(path):
        words = tokens(message)
        if len(words) < MIN_WORDS:
            continue
        copies += [(message, example) for example, other in training
                   if other == words or jaccard(words, other) >= NEAR_COPY_JACCARD or one_word_apart(words, other)]
    assert copies == []


@pytest.mark.parametrize("a,b", [
    ("i sent him a pic last night", "i sent her a pic last night"),
    ("i already did", "i already have"),
    ("they want 200 quid or they post it", "they want 300 quid or they post it"),
    ("someone i dont know added me", "someone i dont know added me on snap"),
])
def test_the_guard_catches_one_changed_word(a, b):
    assert near_copy(a, b)


@pytest.mark.parametrize("a,b", [
    ("is this anonymous", "are you a real person"),
    ("what do i do", "i want pics removed"),
])
def test_the_guard_lets_different_messages_through(a, b):
    assert not near_copy(a, b)


def test_every_held_out_file_is_read():
    assert all(len(held_out_messages(path)) >= 10 for path in HELD_OUT_FILES)


def test_the_rasa_nlu_copy_of_the_held_out_messages_is_current():
    from rasa_nlu_format import OUT, rasa_nlu_yaml
    assert OUT.read_text(encoding="utf-8") == rasa_nlu_yaml(), "run tests/assistant/rasa_nlu_format.py"
