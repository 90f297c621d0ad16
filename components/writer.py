"""Rasa NLU component: extracts the `writer` entity (adult_for_child) when a parent, carer or
teacher writes about a child in their care (components/writer_patterns.py).

The slot `writer` fills from it and stays for the conversation, so the main situations'
replies come in the variation written for that adult (domain.yml), with the routes for the
child's age. Nothing else is kept: not the role, not the words that showed it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.writer_patterns import ADULT_FOR_CHILD, adult_for_child

ENTITY = "writer"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class WriterExtractor(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "WriterExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = adult_for_child(message.get(TEXT) or "")
            if not found:
                continue
            start, end = found
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            entities.append({"entity": ENTITY, "value": ADULT_FOR_CHILD, "start": start, "end": end,
                             "confidence": 1.0, "extractor": self.__class__.__name__})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
