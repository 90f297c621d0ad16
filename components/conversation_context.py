"""Rasa NLU component: turns what the web relay says about a conversation into entities, so its
slots are set in the same turn as the message, by Rasa alone (no action server, no extra call).

The relay sends each message with metadata {"school": <key in schools.yml>}, and, on the first
message of a conversation or of a new session, also "new_session": true and
"unclear_messages_kept" (whether the service keeps messages not understood). On those messages
this component adds the entities that fill, through the domain's from_entity mappings:
- school_contact, school_contact_where: the school's safeguarding person by title and name, and
  where to find them, from schools.yml (content/schools.py), so plain responses name them;
- greeting_shown: the widget has shown the greeting, so "hi" gets a short answer;
- unclear_messages_kept: what the privacy answer says is kept.
Only a known school key is used; the values come from schools.yml, not from the request. Sent on
every message they would add four slot events to each turn, which is why the relay asks once a
session. A button's payload skips this pipeline (Rasa reads "/intent{...}" itself), so for a
button the relay writes the same values into the payload as its entities.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, METADATA
from rasa.shared.nlu.training_data.message import Message

from content.schools import School, conversation_context, load_schools


def context_entities(metadata: Any, schools: Dict[str, School]) -> List[Dict[str, Any]]:
    """The entities for a message's metadata: none unless it starts a session."""
    if not isinstance(metadata, dict) or metadata.get("new_session") is not True:
        return []
    school = schools.get(metadata.get("school")) if isinstance(metadata.get("school"), str) else None
    values = conversation_context(school, metadata.get("unclear_messages_kept") is True)
    return [{"entity": name, "value": value, "confidence": 1.0, "extractor": ConversationContext.__name__}
            for name, value in values.items()]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ConversationContext(GraphComponent):
    def __init__(self, schools: Dict[str, School]) -> None:
        self.schools = schools

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ConversationContext":
        # Read when Rasa loads the model: a wrong schools.yml stops it at start-up, as it stops the web app.
        return cls(load_schools())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            added = context_entities(message.get(METADATA), self.schools)
            if added:
                message.set(ENTITIES, [*message.get(ENTITIES, []), *added], add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
