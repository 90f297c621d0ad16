"""Names the pupil's own school's safeguarding lead, from schools.yml.

The widget sends the school's key as message metadata. Without a known school (for
example in `rasa shell`) this action says nothing more: the response before it already
tells the pupil about a trusted adult and the school's safeguarding lead in general.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import school


def school_key(tracker: Tracker) -> Optional[str]:
    """The school key from the latest user message that carried one."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            key = (event.get("metadata") or {}).get("school")
            if key:
                return key
    return None


class ActionSchoolContact(Action):
    def name(self) -> Text:
        return "action_school_contact"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        config = school(school_key(tracker))
        if config:
            lead = config["safeguarding_lead"]
            dispatcher.utter_message(
                response="utter_school_contact",
                school_name=config["name"],
                lead_title=lead["title"],
                lead_name=lead["name"],
                how_to_reach=lead["how_to_reach"],
            )
        return []
