"""Checks every phone number and web address the assistant says against services.yml.

The registry is the one source of truth for services; a response may only quote a number
or address that is in it, and a number quoted right after a service's name must be that
service's own. Standard library and the content package only, so both virtual envs can run it.
"""
from __future__ import annotations

import re
from typing import Any

from content.domain import load_domain, variation_lines
from content.registry import NUMBER_FIELDS, digits, load_registry
from content.registry import names as service_names

# A UK phone or text number: 3 to 11 digits, spaces allowed inside ("0800 1111", "116 123").
NUMBER_RE = re.compile(r"(?<![\w/.:£$-])(\d[\d ]{1,12}\d)(?![\w/-]|\.\w)")
URL_RE = re.compile(r"https?://[^\s)\]]+[^\s.,;:)\]]")


def registry_numbers(services: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Digits of every number in the registry -> the key of the service it belongs to."""
    return {digits(s[f]): key for key, s in services.items() for f in NUMBER_FIELDS if s.get(f)}


def registry_urls(services: dict[str, dict[str, Any]]) -> set[str]:
    return {s["url"] for s in services.values() if s.get("url")}


def numbers_in(text: str) -> list[str]:
    """Phone-like numbers in text; times like 8am and money like £50 are not numbers here."""
    found = []
    for match in NUMBER_RE.finditer(text):
        value = match.group(1).strip()
        if len(digits(value)) >= 3:
            found.append(value)
    return found


def urls_in(text: str) -> list[str]:
    return URL_RE.findall(text)


def problems_in_text(text: str, services: dict[str, dict[str, Any]]) -> list[str]:
    """Everything wrong with the numbers and addresses in one piece of text."""
    known_numbers = registry_numbers(services)
    known_urls = registry_urls(services)
    found = [f"number {n!r} is not in the registry" for n in numbers_in(text) if digits(n) not in known_numbers]
    found += [f"address {u!r} is not in the registry" for u in urls_in(text) if u not in known_urls]
    # A number quoted right after a service's name (same sentence) must be that service's own.
    for line in re.split(r"\n|(?<=[.!?])\s+", text):
        for key, service in services.items():
            for name in service_names(service):
                at = line.find(name)
                if at < 0:
                    continue
                following = numbers_in(line[at + len(name):])
                if following and known_numbers.get(digits(following[0])) not in (key, None):
                    owner = known_numbers[digits(following[0])]
                    if not _another_name_between(line[at + len(name):], following[0], services, key):
                        found.append(f"{name} is followed by {following[0]!r}, which is {services[owner]['name']}'s number")
    return found


def _another_name_between(rest: str, number: str, services: dict[str, dict[str, Any]], key: str) -> bool:
    before = rest[:rest.find(number)]
    return any(name in before for other, s in services.items() if other != key for name in service_names(s))


def registry_problems(responses: dict[str, list[dict[str, Any]]] | None = None,
                      services: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """'response_id: problem' for every number or address that doesn't match the registry
    (by default: this repository's domain.yml and services.yml)."""
    responses = load_domain()["responses"] if responses is None else responses
    services = load_registry() if services is None else services
    return [f"{response_id}: {problem}"
            for response_id, variations in responses.items()
            for variation in variations
            for text in variation_lines(variation)
            for problem in problems_in_text(text, services)]


def services_named(services: dict[str, dict[str, Any]], text: str) -> list[str]:
    """Keys of the services a text names, by name, number or address."""
    numbers = registry_numbers(services)
    named = {numbers[digits(n)] for n in numbers_in(text) if digits(n) in numbers}
    named |= {key for key, s in services.items() if s.get("url") and s["url"] in urls_in(text)}
    named |= {key for key, s in services.items() if any(name.lower() in text.lower() for name in service_names(s))}
    return sorted(named)
