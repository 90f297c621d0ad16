"""The audit's own rules (audit/rules.py) against the outside judge, the reply contract in
../shared/contract: every situation the judge knows is one the rules cover, and every first
reply the audit passes, for every age a pupil may have said, the judge passes too.

Skipped, saying why, where ../shared is absent: the product never needs the judge.
"""
from __future__ import annotations

import pytest

from audit import checks, rules
from audit.flows import load_content
from audit_testing import ROOT

judge = pytest.importorskip("reply_contract")

CONTENT = load_content(ROOT)
# The judge names situations ("signs"); this product's situations are its intents. Two differ:
# questions about the assistant ("meta"), and an adult, who is a pupil saying they are 18+.
SIGN_INTENTS = {sign: [sign] for sign in judge.SIGNS}
SIGN_INTENTS["meta"] = ["ask_if_anonymous", "ask_if_bot", "ask_for_human"]
SIGN_INTENTS["adult_victim"] = ["state_age"]
AGE_SAID = {checks.AGE_NOT_SAID.describes: None, checks.SAID_UNDER_18.describes: 15, checks.SAID_18_OR_OVER.describes: 18,
            checks.FOR_A_CHILD.describes: None}   # an adult about a child: the routes are the child's
AUDIT_FAILS = {p.message.split("'")[1] for p in checks.check_situations(CONTENT)}   # intents it already fails


def test_every_situation_the_judge_knows_is_in_the_rules():
    intents = {intent for listed in SIGN_INTENTS.values() for intent in listed}
    assert intents <= set(rules.FIRST_REPLY_NEEDS), intents - set(rules.FIRST_REPLY_NEEDS)


def judged(sign: str, reply: str, pupil: checks.Pupil) -> list[str]:
    """The judge's problems with a first reply, as this pupil gets it (an adult may have StopNCII
    where the judge asks for an under-18 removal route)."""
    problems = judge.check(sign, reply)
    if pupil.adult and sign != "adult_victim":
        present = judge.elements_in(reply)
        problems = [p for p in problems if not p.startswith("missing ")]
        problems += ["missing " + " or ".join(need) for need in judge.SIGNS[sign]
                     if not present & (set(need) | ({"stopncii"} if {"report_remove", "take_it_down"} & set(need) else set()))]
    return problems + judge.age_problems(reply, AGE_SAID[pupil.describes], sign, adult_sign=sign == "adult_victim")


@pytest.mark.parametrize("sign", sorted(SIGN_INTENTS))
def test_what_the_audit_passes_the_judge_passes(sign):
    found = []
    for intent in (i for i in SIGN_INTENTS[sign] if i not in AUDIT_FAILS):   # test_checks covers those
        for flow in checks.flows_started_by(CONTENT, intent):
            for pupil in checks.pupils_for(intent):
                for reply in CONTENT.replies(flow.turns[0].speaking(), slots=pupil.slots):
                    found += [f"{flow.location} ({pupil.describes or 'age not said'}): {p}"
                              for p in judged(sign, reply, pupil)]
    assert found == []


@pytest.mark.parametrize("reply", ["Why did you send it? Don't pay.", "It was your own fault.",
                                   "You should have known better.", "<script>alert(1)</script>"])
def test_what_the_judge_calls_blame_the_audit_does_too(reply):
    assert judge.universal_problems(reply) and rules.every_reply_problems(reply)
