"""Cross-validate the intent classifier's text model on the training data.

    .venv-rasa/bin/python benchmarks/intent_classifier.py [--folds 4]

Compares, out of fold on data/ (never the held-out messages): count features of words and
character n-grams with logistic regression at C=1 (what Rasa's CountVectorsFeaturizer and
LogisticRegressionClassifier do), and components/text_model.py's TF-IDF of words, word pairs
and character n-grams at several C. That is how config.yml's IntentClassifier C was chosen.
Then, for the chosen model, how often its top intent is right at each confidence: that is how
config.yml's FallbackClassifier threshold was chosen (answer when the top intent is right more
often than not; below that, ask the pupil to say it another way).
Prints Markdown; asserts nothing.
"""
from __future__ import annotations

import argparse

import numpy as np
from crisis_detector import pipeline_step  # the sibling script: config.yml read one way
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline

from components.intent_classifier import Reader, lookup_patterns
from components.text_model import tfidf_logistic_regression
from content.files import REPO_ROOT as ROOT
from content.training import load_examples, load_lookup_tables


def rasa_like_counts() -> Pipeline:
    features = FeatureUnion([("words", CountVectorizer(token_pattern=r"(?u)\S+")),
                             ("chars", CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)))])
    return Pipeline([("features", features),
                     ("classifier", LogisticRegression(class_weight="balanced", max_iter=2000, random_state=42))])


CHOSEN_C = float(pipeline_step("IntentClassifier").get("C", 10.0))   # config.yml's, one source
CONFIDENCE_BANDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 1.01)


def accuracy_by_confidence(texts: list[str], labels: list[str], folds: StratifiedKFold) -> None:
    """Out of fold: the share of top intents that are right, by the top intent's confidence."""
    model = tfidf_logistic_regression(CHOSEN_C)
    probabilities = cross_val_predict(model, texts, labels, cv=folds, method="predict_proba")
    classes = np.array(sorted(set(labels)))
    top = probabilities.max(axis=1)
    right = classes[probabilities.argmax(axis=1)] == np.array(labels)
    print(f"\n| top intent's confidence (C={CHOSEN_C:g}, out of fold) | examples | top intent right |\n|---|---|---|")
    for low, high in zip(CONFIDENCE_BANDS, CONFIDENCE_BANDS[1:]):
        band = (top >= low) & (top < high)
        share = f"{right[band].mean():.2f}" if band.any() else "-"
        print(f"| {low:.2f} to {min(high, 1.0):.2f} | {band.sum()} | {share} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--bands-only", action="store_true", help="only the accuracy by confidence of the chosen C")
    args = parser.parse_args()
    examples = [(e.text, intent) for intent, items in load_examples(ROOT).items() for e in items]
    read = Reader(lookup_patterns(load_lookup_tables(ROOT)))
    texts, labels = [read(t) for t, _ in examples], [label for _, label in examples]
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=1)
    if args.bands_only:
        return accuracy_by_confidence(texts, labels, folds)
    candidates = [("counts, C=1 (Rasa's LogisticRegressionClassifier)", rasa_like_counts())]
    candidates += [(f"TF-IDF words, word pairs, characters, C={c:g}", tfidf_logistic_regression(c)) for c in (3, 10, 30)]
    print(f"| text model | intent accuracy out of fold ({len(texts)} training examples, {args.folds} folds) |\n|---|---|")
    for name, model in candidates:
        predicted = cross_val_predict(model, texts, labels, cv=folds)
        print(f"| {name} | {sum(p == y for p, y in zip(predicted, labels)) / len(labels):.3f} |", flush=True)
    accuracy_by_confidence(texts, labels, folds)


if __name__ == "__main__":
    main()
