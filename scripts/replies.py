"""What the reply contract calls a reply: the text of every message the assistant sends back
for one pupil message, plus the titles of its buttons, one per line.

Standard library only, so the tests (both virtual environments) and the benchmark share it.
"""
from __future__ import annotations


def reply_text(messages: list[dict]) -> str:
    lines = []
    for message in messages:
        if message.get("text"):
            lines.append(message["text"])
        lines += [button["title"] for button in message.get("buttons") or []]
    return "\n".join(lines)
