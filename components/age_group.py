"""Rasa NLU component: extracts the `age_group` entity (under_18 / 18_or_over) from what the
writer says about themself or their child (components/age_patterns.py).

The slot `age_group` fills from it, so the routes fit the age the pupil said; the age itself
is not kept. It also keeps a disclosure that comes with an age: "im 13 and my video is in the
year 8 snap group" is about the video, so when the message says more than the age,
`state_age` leaves the ranking and the rest is renormalised (components/intent_ranking.py).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.age_patterns import age_group
from components.intent_ranking import remove_intents

ENTITY = "age_group"
STATE_AGE = "state_age"
# More than this many words beside the age statement is a message about something else.
_MAX_OTHER_WORDS = 3
_FILLER = re.compile(r"\b(?:and|btw|ok|okay|yes|yeah|ye|no|nah|i|im|i'm|am|so|just|only|lol|tbh|hi|hey)\b", re.I)


def says_more_than_age(text: str, start: int, end: int) -> bool:
    rest = _FILLER.sub(" ", (text[:start] + " " + text[end:]))
    return len(re.findall(r"[a-z0-9']+", rest, re.I)) > _MAX_OTHER_WORDS


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
            text = message.get(TEXT) or ""
            found = age_group(text)
            if not found:
                continue
            group, start, end = found
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            entities.append({
                "entity": ENTITY, "value": group, "start": start, "end": end,
                "confidence": 1.0, "extractor": self.__class__.__name__,
            })
            message.set(ENTITIES, entities, add_to_output=True)
            if says_more_than_age(text, start, end):
                self._keep_the_disclosure(message)
        return messages

    @staticmethod
    def _keep_the_disclosure(message: Message) -> None:
        remove_intents(message, (STATE_AGE,))

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
