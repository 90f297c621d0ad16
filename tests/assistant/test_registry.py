"""One registry for every service: responses may only quote what it holds."""
from __future__ import annotations

import datetime

import pytest

from audit.registry_check import problems_in_text, registry_problems
from content.registry import load_registry

SERVICES = load_registry()


def test_every_number_and_address_in_the_domain_is_in_the_registry():
    assert registry_problems() == []


@pytest.mark.parametrize("key", sorted(SERVICES))
def test_every_service_says_who_it_is_for_and_when_it_was_checked(key):
    service = SERVICES[key]
    assert service["name"] and service["for"] and service["what"]
    assert isinstance(service["checked"]["date"], datetime.date)
    assert service["checked"]["page"].startswith("https://")
    assert service.get("url", "https://").startswith("https://")


@pytest.mark.parametrize("text,problem", [
    ("Call Childline on 0800 1112.", "not in the registry"),
    ("Call Childline on 116 123.", "Samaritans's number"),
    ("See https://childline.example/", "not in the registry"),
])
def test_the_check_catches_wrong_facts(text, problem):
    assert any(problem in p for p in problems_in_text(text, SERVICES))


def test_the_check_passes_right_facts_and_ignores_times_and_money():
    text = "Childline: call 0800 1111. Meic is open 8am to midnight. They asked for £50. Text SHOUT to 85258."
    assert problems_in_text(text, SERVICES) == []


def test_the_registry_keeps_the_facts_the_issue_requires():
    assert SERVICES["childline"]["phone"] == "0800 1111"
    assert SERVICES["samaritans"]["phone"] == "116 123"
    assert SERVICES["shout"]["text_number"] == "85258"
    assert SERVICES["police_emergency"]["phone"] == "999"
    assert SERVICES["police_non_emergency"]["phone"] == "101"
    assert SERVICES["meic"]["url"] == "https://www.meic.cymru/"
    assert SERVICES["report_remove"]["url"].endswith("/online-mobile-safety/report-remove/")
    assert "8am to 10pm" in SERVICES["nspcc_helpline"]["hours"] and "9am to 6pm" in SERVICES["nspcc_helpline"]["hours"]
    assert SERVICES["papyrus"]["text_number"]
