"""schools.yml: the schools that embed the widget, each checked when it is loaded.

A school's settings decide who may frame the chat (allowed_origins), the colour of white text
(accent_colour) and who the pupil is told to go to (safeguarding_lead), so a wrong one stops
the web app and the action server at start-up rather than showing a pupil a broken chat.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from content.files import ContentError, ContentFiles, section

SCHOOL_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d+)?$")
DEFAULT_ACCENT_COLOUR = "#1d5c96"
MIN_CONTRAST = 4.5   # WCAG AA for normal text

School = dict[str, Any]


def load_schools(path: Path | str | None = None) -> dict[str, School]:
    """School key -> settings; ContentError names the school and every problem."""
    path = path or ContentFiles.from_environment().schools
    schools = section(path, "schools")
    for key, school in schools.items():
        problems = school_problems(key, school) if isinstance(school, dict) else ["must be a mapping"]
        if problems:
            raise ContentError(f"schools file: school {key!r}: " + "; ".join(problems))
    return schools


def school_problems(key: str, school: School) -> list[str]:
    problems = [] if SCHOOL_KEY.match(key) else ["the key may only hold lower-case letters, digits and hyphens"]
    colour = str(school.get("accent_colour", DEFAULT_ACCENT_COLOUR))
    if not HEX_COLOUR.match(colour):
        problems.append(f"accent_colour must look like {DEFAULT_ACCENT_COLOUR}")
    elif contrast_with_white(colour) < MIN_CONTRAST:
        problems.append(f"accent_colour {colour} is too light for white text (WCAG AA needs {MIN_CONTRAST}:1)")
    problems += [f"allowed origin {origin!r} must be scheme://host[:port]"
                 for origin in school.get("allowed_origins") or [] if not ORIGIN.match(str(origin))]
    lead = school.get("safeguarding_lead") or {}
    problems += [f"safeguarding_lead.{field} is missing" for field in ("title", "name", "how_to_reach")
                 if not lead.get(field)]
    return problems


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on this colour (#rrggbb)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def school_contact(school: School) -> dict[str, str]:
    """How replies name the school's safeguarding person ({school_contact}) and say where to find
    them ({school_contact_where}): the one wording for the assistant and the web pages."""
    lead = school.get("safeguarding_lead") or {}
    who = f"your school's {lead['title']}"
    return {
        "school_contact": f"{lead['name']}, {who}" if lead.get("name") else who,
        "school_contact_where": lead.get("how_to_reach") or "ask any teacher to take you to them",
    }


def conversation_context(school: School | None, unclear_messages_kept: bool) -> dict[str, object]:
    """The slots a conversation starts each session with: the school's contact (when the school is
    known), that the widget showed the greeting, and whether messages not understood are kept.
    Rasa sets them from entities (components/conversation_context.py; for a button, web/relay.py)."""
    values: dict[str, object] = {"greeting_shown": True, "unclear_messages_kept": unclear_messages_kept}
    if school is not None:
        values.update(school_contact(school))
    return values
