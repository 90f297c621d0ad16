"""The reply contract, on our own realistic pupil messages, through the real trained model.

tests/pupil_messages.yml was written separately from the training data and is never
trained on: these messages test how the assistant generalises.
"""
from __future__ import annotations

import pytest
from reply_contract import FALSE_ALARM, SIGNS, check

from conftest import load_yaml

MESSAGES = load_yaml("pupil_messages.yml")
CASES = [(sign, text) for sign, texts in MESSAGES.items() for text in texts]


def test_every_sign_has_messages():
    assert set(SIGNS) <= set(MESSAGES), set(SIGNS) - set(MESSAGES)
    assert all(len(MESSAGES[sign]) >= 10 for sign in SIGNS)


@pytest.mark.parametrize("sign,text", CASES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(CASES)])
def test_first_reply_meets_the_contract(new_conversation, sign, text):
    reply = new_conversation().say(text)
    assert check(sign, reply) == [], f"{text!r} ->\n{reply}"


def test_messages_are_not_in_the_training_data():
    """Held-out means held out: no test message may be a training example."""
    import glob
    import yaml
    from conftest import ROOT
    training = set()
    for path in glob.glob(str(ROOT / "data" / "nlu" / "*.yml")):
        for block in yaml.safe_load(open(path, encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                training.add(line.strip().lstrip("- ").strip().lower())
    overlap = [text for _, text in CASES if text.strip().lower() in training]
    assert overlap == []
