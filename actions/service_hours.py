"""Says whether services with opening hours (in services.yml) are open right now.

Times are UK times. A service whose hours say "closes: 24:00" is open until midnight.
"""
from __future__ import annotations

import functools
from datetime import datetime, time
from typing import Any, Callable, Dict, List, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from content.files import ContentFiles
from content.registry import load_registry

UK = ZoneInfo("Europe/London")


@functools.cache
def services() -> Dict[str, Dict[str, Any]]:
    """services.yml (or SERVICES_FILE), read and checked once per action server."""
    return load_registry(ContentFiles.from_environment().services)


def _parse(clock: str) -> time:
    hours, minutes = (int(part) for part in clock.split(":"))
    return time.max if hours == 24 else time(hours, minutes)


def _spoken(clock: str) -> str:
    """'24:00' -> 'midnight', '08:00' -> '8am', '17:30' -> '5:30pm'."""
    hours, minutes = (int(part) for part in clock.split(":"))
    if hours in (0, 24) and minutes == 0:
        return "midnight"
    suffix = "am" if hours < 12 else "pm"
    hour12 = hours % 12 or 12
    return f"{hour12}{suffix}" if minutes == 0 else f"{hour12}:{minutes:02d}{suffix}"


def open_now(service: Dict[str, Any], now: time) -> bool:
    return _parse(service["opens"]) <= now < _parse(service["closes"])


class ActionServiceHours(Action):
    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UK)) -> None:
        self._clock = clock

    def name(self) -> Text:
        return "action_service_hours"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        now = self._clock().time()
        for service in services().values():
            if "opens" not in service:
                continue
            if open_now(service, now):
                dispatcher.utter_message(response="utter_service_open_now",
                                         service=service["name"], closes=_spoken(service["closes"]))
            else:
                dispatcher.utter_message(response="utter_service_closed_now",
                                         service=service["name"], opens=_spoken(service["opens"]))
        return []
