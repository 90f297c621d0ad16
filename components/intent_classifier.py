"""Rasa NLU component: which situation or question a message is about.

components/text_model.py's TF-IDF and logistic regression, on the message as the pupil wrote
it, plus one marker word per lookup table it matches (data/nlu/lookups.yml), so "he wants a psn
card" reads like "he wants a steam card". It replaces Rasa's count featurizers and
LogisticRegressionClassifier: cross-validated on the training data, word pairs and TF-IDF
weighting read unseen wording better (benchmarks/intent_classifier.py). Its ranking goes on to the crisis
detector, the age extractor and the FallbackClassifier as any Rasa classifier's would.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import event_lookup, text_model

# Rasa imports this module when it loads the model (config.yml's first trained component), so the
# event lookup speed-up is installed here, whichever tracker store is in use.
event_lookup.install()

_MODEL_FILE = "intent_model.skops"
_LOOKUPS_FILE = "lookups.json"
_WORD = re.compile(text_model.WORD_PATTERN)   # the words text_model's word features read
# Held-out pupil messages, slang, typos and Welsh included, have at least half their words in
# the training data; keyboard mashing and nonsense have almost none.
_MIN_KNOWN_WORDS = 1 / 3


def lookup_patterns(lookup_tables: List[Dict[Text, Any]]) -> Dict[str, str]:
    """A pattern per lookup table that lists its entries (tables given as a file are not used here)."""
    return {table["name"]: r"\b(?:" + "|".join(re.escape(e) for e in sorted(table["elements"], key=len, reverse=True))
            + r")\b" for table in lookup_tables if isinstance(table.get("elements"), list) and table["elements"]}


class Reader:
    """The text as the model reads it: lower case, curly quotes folded, lookup markers added."""

    def __init__(self, patterns: Dict[str, str]) -> None:
        self.patterns = patterns
        self._compiled = [(name, re.compile(p, re.I)) for name, p in patterns.items()]

    def __call__(self, text: str) -> str:
        text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
        markers = [f"lookup{name}" for name, rx in self._compiled if rx.search(text)]
        return " ".join([text, *markers])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # C chosen by cross-validation on the training data (benchmarks/intent_classifier.py).
        return {"C": 10.0, "ranking_length": 10, "code_version": text_model.code_version(text_model)}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = None
        self.read = Reader({})

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "IntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self.read = Reader(lookup_patterns(training_data.lookup_tables))
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        self.pipeline = text_model.tfidf_logistic_regression(self._config["C"]).fit(
            [self.read(m.get(TEXT)) for m in examples], [m.get(INTENT) for m in examples])
        with self._model_storage.write_to(self._resource) as directory:
            text_model.save(self.pipeline, directory / _MODEL_FILE)
            (directory / _LOOKUPS_FILE).write_text(json.dumps(self.read.patterns), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "IntentClassifier":
        component = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as directory:
            component.pipeline = text_model.load(directory / _MODEL_FILE)
            component.read = Reader(json.loads((directory / _LOOKUPS_FILE).read_text(encoding="utf-8")))
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or self.pipeline is None:
                continue
            probabilities = self.pipeline.predict_proba([self.read(text)])[0] * self._known_or_less(text)
            ranking = sorted(({"name": name, "confidence": float(p)}
                              for name, p in zip(self.pipeline.classes_, probabilities)),
                             key=lambda r: r["confidence"], reverse=True)[:self._config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _known_or_less(self, text: str) -> float:
        """1, or the share of the message's words the training data used when that is under
        _MIN_KNOWN_WORDS: character n-grams always find something in "blorp zibble fnord", and a
        message the classifier cannot read should reach the fallback (say it another way)."""
        words = _WORD.findall(text.lower())
        vocabulary = text_model.word_vocabulary(self.pipeline)
        known = sum(word in vocabulary for word in words) / len(words) if words else 0.0
        return 1.0 if known >= _MIN_KNOWN_WORDS else known

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
