"""Rasa's Redis tracker store, reading and writing each conversation whole.

Rasa's `RedisTrackerStore` keeps a conversation as one JSON value that expires `record_exp`
seconds after it was last saved. Three of its steps cost a turn time that grows with the
conversation; measured with py-spy at the 30th message of a conversation on this machine:

1. `retrieve` returns the conversation from its last `action_session_start`. When a message
   carries metadata (the relay sends the school's key with every one), Rasa records the
   `session_started_metadata` slot *before* `action_session_start`, so that first event is never
   in what `retrieve` returns, and every `save` then merged the stored and the new conversation
   by comparing each new event with each stored one: half of Rasa's time for the turn.
2. `save` reads and decodes the stored conversation again before writing it.
3. Decoding an event looks its class up by walking every subclass of `Event`
   (`Event.resolve_by_type`): 20% of the turn, once per stored event, twice per turn.

Here a conversation never outlives its session: Redis deletes it an hour after its last message,
which is also when Rasa would start a new session. So the whole stored conversation is its last
session (Rasa's tracker still starts afresh at any `session_started` event), and what a worker
saves is what it read plus this turn's events, Rasa's Redis lock store keeping every other
worker off the conversation meanwhile: there is nothing to merge and nothing to read again.
Event classes are looked up once. What is stored is exactly what Rasa's store stores.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text, Type, Union

from rasa.core.tracker_store import RedisTrackerStore as RasaRedisTrackerStore
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

_event_classes: Dict[Text, Type[Event]] = {}


def _event(parameters: Dict[Text, Any]) -> Optional[Event]:
    """`Event.from_parameters`, with the class found in a table made once."""
    if not _event_classes:
        for cls in all_subclasses(Event):
            _event_classes.setdefault(cls.type_name, cls)   # resolve_by_type takes the first match too
    cls = _event_classes.get(parameters.get("event"))
    return cls._from_parameters(parameters) if cls else Event.from_parameters(parameters)


class RedisTrackerStore(RasaRedisTrackerStore):
    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self.retrieve_full_tracker(sender_id)

    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        await self.stream_events(tracker)
        self.red.set(self.key_prefix + tracker.sender_id, self.serialise_tracker(tracker),
                     ex=timeout or self.record_exp)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """The events new since the last save go to the event broker (Rasa's store decodes the
        whole stored conversation to find them; counting its events is enough)."""
        if self.event_broker is None:
            return
        stored = self.red.get(self.key_prefix + tracker.sender_id)
        known = len(json.loads(stored).get("events") or []) if stored else 0
        events: List[Event] = list(tracker.events)[known:]
        await self._stream_new_events(self.event_broker, events, tracker.sender_id)

    def deserialise_tracker(self, sender_id: Text, serialised_tracker: Union[Text, bytes]
                            ) -> Optional[DialogueStateTracker]:
        stored = json.loads(serialised_tracker)
        events = [event for event in map(_event, stored.get("events") or []) if event]
        tracker = self.init_tracker(sender_id)
        tracker.recreate_from_dialogue(Dialogue(stored.get("name") or sender_id, events))
        return tracker
