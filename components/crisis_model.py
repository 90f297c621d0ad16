"""The trained crisis detector: is there risk of self-harm or danger in this message?

A small text classifier of its own, trained on data/crisis/ (pupils' crisis wording by
family, and everyday idioms as negatives) and on every other training example as "none".
It sorts a message into one of three tiers:

- certain: self-harm risk or danger now. The first reply is crisis help.
- possible: distress with finality, means, a deadline or a goodbye. The first reply asks
  directly and kindly whether they are thinking about suicide or hurting themselves.
- none: answer what they asked, with no crisis wording.

A crisis sentence is often one clause of a long message ("... they want 200 by friday.
thinking of jumping off the bridge by the station"), which the rest of the message
outweighs. So the message is scored whole and clause by clause, and the riskiest part
decides. The text model is components/text_model.py's; no Rasa import, so the tests and
the benchmark can train and score it directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from sklearn.pipeline import Pipeline

from components.crisis_patterns import mask_idioms
from components.text_model import tfidf_logistic_regression

SELF_HARM = "self_harm_risk"
DANGER = "immediate_danger"
POSSIBLE = "risk_possible"
NONE = "none"
CRISIS_LABELS = (SELF_HARM, DANGER, POSSIBLE)

CERTAIN, POSSIBLE_TIER, NO_RISK = "certain", "possible", "none"

# Where a long message splits into parts a pupil writes as separate thoughts.
_CLAUSE_BREAK = re.compile(r"[.!?;\n]+|,\s+|\s+-\s+|\b(?:lol|lmao|jk|haha+|tbh|but|and then|so)\b", re.I)
_MIN_CLAUSE_WORDS = 3
# A clause of a crisis example the first fit scores below this risk is taught as safe.
_SAFE_CLAUSE = 0.3


@dataclass(frozen=True)
class Assessment:
    tier: str                 # certain, possible or none
    intent: str               # self_harm_risk, immediate_danger, risk_possible or none
    score: float              # the probability of risk in the riskiest part, 0 to 1
    part: str                 # the part of the message that decided


def normalise(text: str) -> str:
    """Lower case, curly quotes folded, and everyday idioms ("my phone is about to die") read
    as the neutral word "idiom", in training and in use alike."""
    return mask_idioms(text).lower().strip()


def parts(text: str) -> list[str]:
    """The whole message, then each clause long enough to carry meaning, then pairs of clauses
    (so "i've got the pills" + "tonight" are read together)."""
    text = normalise(text)
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(text) if c and c.strip()]
    clauses = [c for c in clauses if len(c.split()) >= _MIN_CLAUSE_WORDS] or clauses
    pairs = [f"{a} {b}" for a, b in zip(clauses, clauses[1:])]
    return [text] + ([] if len(clauses) <= 1 else clauses + pairs)


@dataclass(frozen=True)
class Thresholds:
    """When the detector's probabilities make a tier, given what the intent classifier gave the
    crisis intents between them (its own, independent reading of the same message).

    Chosen by cross-validation on the training data (benchmarks/crisis_detector.py --cv),
    crisis recall first, then the fewest false alarms. Where two settings tie there, the held-out
    messages may only confirm that the one with fewer false alarms misses no crisis (config.yml).
    """
    certain: float = 0.4                  # certain risk, when the classifier agrees ...
    certain_needs_classifier: float = 0.2  # ... by at least this much
    certain_alone: float = 0.8            # certain risk, whatever the classifier says
    possible: float = 0.3                 # possible risk, when the classifier agrees ...
    possible_needs_classifier: float = 0.2


@dataclass(frozen=True)
class Scores:
    certain: float     # P(self-harm) + P(danger) in the riskiest part
    any_risk: float    # 1 - P(none) in the riskiest part
    intent: str        # self_harm_risk or immediate_danger, whichever is likelier there
    part: str          # the part of the message that scored highest


def tier(scores: Scores, classifier_risk: float, t: Thresholds) -> Assessment:
    """Certain, possible or no risk, from the detector's scores and the classifier's."""
    if scores.certain >= t.certain_alone or (
            scores.certain >= t.certain and classifier_risk >= t.certain_needs_classifier):
        return Assessment(CERTAIN, scores.intent, scores.certain, scores.part)
    if scores.any_risk >= t.possible and classifier_risk >= t.possible_needs_classifier:
        return Assessment(POSSIBLE_TIER, POSSIBLE, scores.any_risk, scores.part)
    return Assessment(NO_RISK, NONE, scores.any_risk, scores.part)


class CrisisModel:
    def __init__(self, c: float = 10.0) -> None:
        self.c = c
        self.pipeline: Pipeline | None = None

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "CrisisModel":
        """Trains at the grain it reads: whole messages and their clauses.

        A message is scored clause by clause, so the clauses of everyday and sextortion
        messages ("he said he's 15", "i dont want to") are taught as "none" too. A long crisis
        example says its risk in one clause; the rest of it is a story about threats and money.
        So, after a first fit, each long crisis example also teaches its riskiest clause as
        crisis and its clearly safe clauses as "none" (multiple-instance learning), and the
        detector does not learn that talk of threats and money is crisis wording.
        """
        texts, labels = list(texts), list(labels)
        safe_clauses = [clause for text, label in zip(texts, labels) if label == NONE for clause in parts(text)[1:]]
        texts, labels = texts + safe_clauses, labels + [NONE] * len(safe_clauses)
        self._fit(texts, labels)
        clause_texts, clause_labels = self._clause_labels(texts, labels)
        return self._fit(texts + clause_texts, labels + clause_labels)

    def _fit(self, texts: list[str], labels: list[str]) -> "CrisisModel":
        self.pipeline = tfidf_logistic_regression(self.c).fit([normalise(t) for t in texts], labels)
        return self

    def _clause_labels(self, texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
        """The riskiest clause of each many-clause crisis example, with its label, and the
        clauses the first fit already finds clearly safe, as "none"."""
        out_texts, out_labels = [], []
        for text, label in zip(texts, labels):
            whole, *rest = parts(text)
            clauses = [c for c in rest if len(c) < len(whole)]
            if label == NONE or not clauses:
                continue
            risks = self._risk(clauses)
            best = max(range(len(clauses)), key=lambda i: risks[i].get(label, 0.0))
            out_texts.append(clauses[best])
            out_labels.append(label)
            safe = [c for i, c in enumerate(clauses)
                    if i != best and c not in clauses[best] and 1.0 - risks[i].get(NONE, 0.0) < _SAFE_CLAUSE]
            out_texts += safe
            out_labels += [NONE] * len(safe)
        return out_texts, out_labels

    def _risk(self, texts: list[str]) -> list[dict[str, float]]:
        classes = list(self.pipeline.classes_)
        return [dict(zip(classes, row)) for row in self.pipeline.predict_proba(texts)]

    def scores(self, text: str) -> Scores:
        """The detector's reading of the riskiest part of the message."""
        candidates = parts(text)
        scored = list(zip(candidates, self._risk(candidates)))
        part, probs = max(scored, key=lambda item: item[1].get(SELF_HARM, 0.0) + item[1].get(DANGER, 0.0))
        intent = SELF_HARM if probs.get(SELF_HARM, 0.0) >= probs.get(DANGER, 0.0) else DANGER
        any_risk = max(1.0 - p.get(NONE, 0.0) for _, p in scored)
        return Scores(probs.get(SELF_HARM, 0.0) + probs.get(DANGER, 0.0), any_risk, intent, part)


def training_pairs(examples: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(texts, labels) from (text, intent) pairs: crisis intents keep their name, all else is none."""
    texts, labels = [], []
    for text, intent in examples:
        texts.append(text)
        labels.append(intent if intent in CRISIS_LABELS else NONE)
    return texts, labels
