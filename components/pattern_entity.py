"""A Rasa NLU component that adds one entity found by patterns in the message's text.

The age extractor and the writer extractor work the same way: nothing to train, no state, one
entity (replacing any earlier one of that name) wherever their patterns find what the writer
said. Each says which entity and how it is found.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

Found = Tuple[str, int, int]   # the entity's value, and where in the text it was said


class PatternEntityExtractor(GraphComponent):
    entity: Text = ""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PatternEntityExtractor":
        return cls()

    def find(self, text: str) -> Optional[Found]:
        raise NotImplementedError

    def found_in(self, message: Message, text: str, start: int, end: int) -> None:
        """What else a component does with a message in which it found its entity."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.find(text)
            if not found:
                continue
            value, start, end = found
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != self.entity]
            entities.append({"entity": self.entity, "value": value, "start": start, "end": end,
                             "confidence": 1.0, "extractor": self.__class__.__name__})
            message.set(ENTITIES, entities, add_to_output=True)
            self.found_in(message, text, start, end)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
