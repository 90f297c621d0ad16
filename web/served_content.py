"""The content as the web app serves it: domain responses as the widget's messages, links only
from the service registry, the schools it serves and the always-visible help line.

Nothing here is written twice, or read twice: the files are read and checked by the content
package (content/), once, when the app starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from content.domain import load_domain
from content.registry import load_registry
from content.schools import SCHOOL_KEY, load_schools

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
class ServedContent:
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


def load(services_file: str, schools_file: str, domain_file: str) -> ServedContent:
    """Read and check the three files (ContentError, a ValueError, stops the app at start-up)."""
    responses = load_domain(domain_file)["responses"]
    payloads = frozenset(button["payload"] for variations in responses.values() for variation in variations
                         for button in variation.get("buttons", []))
    return ServedContent(services=load_registry(services_file), schools=load_schools(schools_file),
                         responses=responses, allowed_payloads=payloads)
