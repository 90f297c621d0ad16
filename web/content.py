"""The content the web app reads: the service registry, the schools and a few domain responses.

Nothing here is written twice: numbers and addresses come from services.yml, the assistant's
sentences from domain.yml, the schools' details from schools.yml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCHOOL_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# The widget's first message, and what the relay says when the assistant cannot answer.
GREETING_RESPONSE = "utter_greet"
UNAVAILABLE_RESPONSE = "utter_help_now"


@dataclass(frozen=True)
class Link:
    label: str
    href: str

    def as_dict(self) -> dict:
        return {"label": self.label, "href": self.href}


@dataclass
class Content:
    services: dict
    schools: dict
    responses: dict
    allowed_payloads: frozenset = field(default_factory=frozenset)

    def opening_payloads(self) -> frozenset:
        """The widget shows the greeting's buttons before the assistant has said anything."""
        return frozenset(button["payload"] for button in self.response(GREETING_RESPONSE)[0]["buttons"])

    def school(self, key: str | None) -> dict | None:
        if not isinstance(key, str) or not SCHOOL_KEY.match(key):
            return None
        return self.schools.get(key)

    def response(self, name: str) -> list[dict]:
        """A domain response as the relay sends messages: text and buttons (first variation)."""
        variation = self.responses[name][0]
        buttons = [{"title": b["title"], "payload": b["payload"]} for b in variation.get("buttons", [])]
        return [self.message(variation["text"], buttons)]

    def message(self, text: str, buttons: list[dict] | None = None) -> dict:
        return {"text": text, "buttons": buttons or [], "links": [link.as_dict() for link in self.links_in(text)]}

    def links_in(self, text: str) -> list[Link]:
        """Links for the services a text names by number or address: only registry entries,
        only https: and tel:, so a reply can never carry a link of its own making."""
        links = []
        for service in self.services.values():
            phone = service.get("phone")
            if phone and re.search(rf"(?<![\d]){re.escape(phone)}(?![\d])", text):
                links.append(Link(f"Call {service['name']}: {phone}", "tel:" + phone.replace(" ", "")))
            url = service.get("url")
            if url and url.startswith("https://") and url in text:
                links.append(Link(f"Open {service['name']} (new tab)", url))
        return links

    def help_line(self) -> dict:
        """The always-visible "Need help now?" line: Childline and 999, from the registry."""
        childline, emergency = self.services["childline"], self.services["police_emergency"]
        return {"childline": childline["phone"], "childline_href": "tel:" + childline["phone"].replace(" ", ""),
                "emergency": emergency["phone"], "emergency_href": "tel:" + emergency["phone"]}


def _yaml(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on this colour (#rrggbb)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _check_schools(schools: dict) -> None:
    """Fail at start-up, not in front of a pupil, when a school's settings are unusable."""
    for key, school in schools.items():
        problems = []
        if not SCHOOL_KEY.match(key):
            problems.append("the key may only hold lower-case letters, digits and hyphens")
        colour = str(school.get("accent_colour", "#1d5c96"))
        if not HEX_COLOUR.match(colour):
            problems.append("accent_colour must look like #1d5c96")
        elif contrast_with_white(colour) < 4.5:
            problems.append(f"accent_colour {colour} is too light for white text (WCAG AA needs 4.5:1)")
        for origin in school.get("allowed_origins") or []:
            if not re.match(r"^https?://[a-z0-9.-]+(:\d+)?$", origin):
                problems.append(f"allowed origin {origin!r} must be scheme://host[:port]")
        if not (school.get("safeguarding_lead") or {}).get("title"):
            problems.append("safeguarding_lead.title is missing")
        if problems:
            raise ValueError(f"schools file: school {key!r}: " + "; ".join(problems))


def load(services_file: str, schools_file: str, domain_file: str) -> Content:
    schools = _yaml(schools_file).get("schools") or {}
    _check_schools(schools)
    responses = _yaml(domain_file)["responses"]
    payloads = frozenset(button["payload"] for variations in responses.values() for variation in variations
                         for button in variation.get("buttons", []))
    return Content(services=_yaml(services_file)["services"], schools=schools, responses=responses,
                   allowed_payloads=payloads)
