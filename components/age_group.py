"""Rasa NLU component: extracts the `age_group` entity (under_18 / 18_or_over).

The slot `age_group` fills from it, so "i'm 15 how do i get it taken down" skips the
age question, and the removal routes fit the pupil's age. The age itself is not kept.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.age_patterns import age_group

ENTITY = "age_group"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class AgeGroupExtractor(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AgeGroupExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = age_group(message.get(TEXT) or "")
            if not found:
                continue
            group, start, end = found
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            entities.append({
                "entity": ENTITY, "value": group, "start": start, "end": end,
                "confidence": 1.0, "extractor": self.__class__.__name__,
            })
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
