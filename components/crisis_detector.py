"""Rasa NLU component: crisis help first, on every message, whatever else it says.

Runs after the intent classifier and has the last word on risk:
1. The floor: unmistakable crisis phrasing (components/crisis_patterns.py) is always a crisis.
2. The trained detector (components/crisis_model.py, its own data in data/crisis/) scores the
   message, reading long messages clause by clause, and sorts it into certain risk, possible
   risk or none; below its highest threshold the intent classifier must also agree a little
   (two independent readings) before a pupil is told or asked about crisis.
3. Certain risk puts self_harm_risk or immediate_danger first; possible risk puts
   risk_possible first (the reply asks directly); no risk takes any crisis guess of the intent
   classifier away (components/intent_ranking.py), so an idiom ("my phone is about to die") gets an ordinary answer.
What decided is kept on the message (`crisis`) for the audit, the sandbox and the benchmark.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import crisis_model, crisis_patterns, text_model
from components.crisis_model import CERTAIN, CRISIS_LABELS, POSSIBLE_TIER, CrisisModel, Thresholds, tier, training_pairs
from components.crisis_patterns import crisis_match
from components.intent_ranking import remove_intents

CRISIS_KEY = "crisis"
_MODEL_FILE = "crisis_model.skops"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CrisisDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # The regularisation of the detector, its thresholds (components/crisis_model.py), and
        # the version of the code that trains it, so Rasa retrains when that changes.
        return {"C": 10.0, **asdict(Thresholds()),
                "code_version": text_model.code_version(crisis_model, crisis_patterns, text_model)}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.thresholds = Thresholds(**{k: self._config[k] for k in asdict(Thresholds())})
        self.model = CrisisModel(self._config["C"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisDetector":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples if m.get(TEXT)]
        self.model.fit(*training_pairs(examples))
        self._persist()
        return self._resource

    def _persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            text_model.save(self.model.pipeline, directory / _MODEL_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "CrisisDetector":
        component = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as directory:
            component.model.pipeline = text_model.load(directory / _MODEL_FILE)
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._apply(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    @staticmethod
    def _classifier_risk(message: Message) -> float:
        """What the intent classifier gave the crisis intents between them."""
        return sum(r.get("confidence", 0.0) for r in message.get(INTENT_RANKING_KEY) or []
                   if r.get("name") in CRISIS_LABELS)

    def _apply(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if not text or self.model.pipeline is None:
            return
        floor = crisis_match(text)
        scores = self.model.scores(text)
        classifier_risk = self._classifier_risk(message)
        assessment = tier(scores, classifier_risk, self.thresholds)
        if floor:
            intent, decided_by = floor[0], f"pattern: {floor[1]}"
        elif assessment.tier in (CERTAIN, POSSIBLE_TIER):
            intent, decided_by = assessment.intent, "detector"
        else:
            intent, decided_by = None, "detector: no risk"
        message.set(CRISIS_KEY, {"intent": intent, "decided_by": decided_by, "part": scores.part,
                                 "certain": round(scores.certain, 3), "any_risk": round(scores.any_risk, 3),
                                 "classifier": round(classifier_risk, 3)},
                    add_to_output=True)
        if not intent:
            remove_intents(message, CRISIS_LABELS)
            return
        top = {"name": intent, "confidence": 1.0}
        ranking: List[Dict[Text, Any]] = message.get(INTENT_RANKING_KEY) or []
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top] + [r for r in ranking if r.get("name") != intent], add_to_output=True)
