"""domain.yml: the intents, slots and forms, and every sentence the assistant can say.

Each response is a list of variations: text, buttons (title and payload) and, for a variation
only some pupils get, a condition on a slot (e.g. age_group is 18_or_over).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from content.files import ContentError, ContentFiles, read_yaml

Variation = dict[str, Any]


def load_domain(path: Path | str | None = None) -> dict[str, Any]:
    """The whole domain, its responses checked (ContentError names the response)."""
    path = path or ContentFiles.from_environment().domain
    domain = read_yaml(path)
    responses = domain.get("responses")
    if not isinstance(responses, dict) or not responses:
        raise ContentError(f"{path}: `responses:` must hold at least one response")
    for name, variations in responses.items():
        problems = response_problems(variations)
        if problems:
            raise ContentError(f"{path}: response {name}: " + "; ".join(problems))
    return domain


def response_problems(variations: Any) -> list[str]:
    if not isinstance(variations, list) or not variations:
        return ["must be a list of at least one variation"]
    problems = []
    for number, variation in enumerate(variations, 1):
        if not isinstance(variation, dict) or not (variation.get("text") or variation.get("buttons")):
            problems.append(f"variation {number} has neither text nor buttons")
            continue
        if any(not isinstance(b, dict) or not b.get("title") or not b.get("payload")
               for b in variation.get("buttons") or []):
            problems.append(f"variation {number} has a button without a title or payload")
    return problems


def variation_lines(variation: Variation) -> list[str]:
    """What a pupil reads of one variation: its text, then the titles of its buttons."""
    lines = [variation["text"]] if variation.get("text") else []
    return lines + [button["title"] for button in variation.get("buttons") or []]
