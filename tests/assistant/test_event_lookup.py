"""components/event_lookup.py: the remembered lookup gives the class Rasa's own lookup gives."""
from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.utils.common import all_subclasses

import components.intent_classifier  # noqa: F401  (installs the lookup, as when Rasa loads the model)
from components import event_lookup

TYPE_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


def test_the_lookup_is_installed():
    assert Event.resolve_by_type is event_lookup.resolve_by_type


@pytest.mark.parametrize("type_name", TYPE_NAMES)
def test_every_event_type_resolves_as_rasa_resolves_it(type_name):
    assert Event.resolve_by_type(type_name) is event_lookup._rasa_lookup(type_name)
    assert Event.resolve_by_type(type_name) is event_lookup._rasa_lookup(type_name)   # remembered


def test_unknown_types_keep_rasas_answers():
    assert Event.resolve_by_type("no-such-event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")
    assert "no-such-event" not in event_lookup._known


def test_a_conversation_reads_back_the_same():
    events = [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "slot", "name": "age_group", "value": "under_18"},
              {"event": "action", "name": "utter_greet"}, {"event": "bot", "text": "hello"}]
    from rasa.shared.core.events import deserialise_events
    assert [type(e).__name__ for e in deserialise_events(events)] == ["UserUttered", "SlotSet", "ActionExecuted",
                                                                     "BotUttered"]
