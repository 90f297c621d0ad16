"""Rasa reads a conversation back event by event, and finds each event's class by walking every
subclass of `Event` (`Event.resolve_by_type`), for every event of every message: 15% of a
worker's time over 30-message conversations (py-spy), and a cost that grows with the
conversation. The answer never changes while Rasa runs, so each event type's class is looked up
once and remembered. Installed when Rasa loads the model (components/intent_classifier.py
imports it), whichever tracker store is in use. Written for Rasa 3.6 (pinned);
tests/assistant/test_event_lookup.py checks every event type resolves as Rasa's own lookup does.
"""
from __future__ import annotations

from typing import Optional, Type

from rasa.shared.core.events import Event

_rasa_lookup = Event.resolve_by_type
_known: dict[str, Type[Event]] = {}


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    found = _known.get(type_name)
    if found is None:
        found = _rasa_lookup(type_name, default)
        if found is not None and found.type_name == type_name:   # a real match, not the default
            _known[type_name] = found
    return found


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)
