"""Rasa NLU component: the deterministic crisis safety net.

Runs after the intent classifier. When a message matches an unmistakable crisis pattern
(components/crisis_patterns.py), the crisis intent is put first with confidence 1.0, so an
unsure classifier, or the fallback threshold, can never hide a crisis. The pattern that
fired is kept on the message for the audit and the reviewer sandbox.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.crisis_patterns import crisis_match

SAFETY_NET_KEY = "crisis_safety_net"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisSafetyNet(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisSafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._apply(message)
        return messages

    @staticmethod
    def _apply(message: Message) -> None:
        match = crisis_match(message.get(TEXT) or "")
        if not match:
            return
        intent_name, pattern_name = match
        crisis = {"name": intent_name, "confidence": 1.0}
        ranking: List[Dict[Text, Any]] = message.get(INTENT_RANKING_KEY) or []
        others = [entry for entry in ranking if entry.get("name") != intent_name]
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [crisis] + others, add_to_output=True)
        message.set(SAFETY_NET_KEY, {"pattern": pattern_name, "intent": intent_name}, add_to_output=True)

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
