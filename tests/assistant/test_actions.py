"""Custom actions, offline: real Tracker objects and a CollectingDispatcher, no servers."""
from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.service_hours import UK, ActionServiceHours, services


def tracker_with(metadata: dict | None) -> Tracker:
    events = [{"event": "user", "text": "i cant tell my dad", "metadata": metadata or {}}]
    return Tracker("pupil", {}, {"text": "i cant tell my dad", "metadata": metadata or {}},
                   events, False, None, {}, "action_listen")


def run(action, tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker, {})
    return dispatcher.messages


@pytest.mark.parametrize("clock,response,detail", [
    ("23:30", "utter_service_open_now", ("closes", "midnight")),
    ("08:00", "utter_service_open_now", ("closes", "midnight")),
    ("07:59", "utter_service_closed_now", ("opens", "8am")),
    ("00:30", "utter_service_closed_now", ("opens", "8am")),
])
def test_service_hours_follow_the_registry(clock, response, detail):
    hours, minutes = map(int, clock.split(":"))
    action = ActionServiceHours(clock=lambda: datetime(2026, 11, 25, hours, minutes, tzinfo=UK))
    messages = run(action, tracker_with(None))
    timed = [s for s in services().values() if "opens" in s]
    assert len(messages) == len(timed) >= 1
    assert messages[0]["response"] == response
    assert messages[0][detail[0]] == detail[1]
