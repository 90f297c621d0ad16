"""The text model both trained components use, and how they save and load it.

TF-IDF of words, word pairs and character n-grams (2-5, within words, so typos and slang
still share most of their features) with a class-balanced logistic regression, all from
scikit-learn, which Rasa already installs. Cross-validated on the training data against the
count features and logistic regression of Rasa's LogisticRegressionClassifier
(benchmarks/intent_classifier.py).
Saved with skops, which loads only the types it is told to trust. No Rasa import.
"""
from __future__ import annotations

import hashlib
import inspect
from pathlib import Path
from types import ModuleType

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

WORD_PATTERN = r"(?u)\b\w+\b"


def tfidf_logistic_regression(c: float) -> Pipeline:
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  token_pattern=WORD_PATTERN)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])
    # Balanced class weights: small classes (crisis, rarer situations) count as much as large ones.
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=42)
    return Pipeline([("features", features), ("classifier", classifier)])


def word_vocabulary(pipeline: Pipeline) -> dict[str, int]:
    """The words (and word pairs) a trained model's word features know."""
    return dict(pipeline.named_steps["features"].transformer_list)["words"].vocabulary_


def code_version(*modules: ModuleType) -> str:
    """A hash of the modules a trained component's model depends on.

    Rasa's training cache fingerprints a component's own class, its config and its data, not
    the modules it imports; put in the component's config, this makes a change to, say, the
    idiom masks retrain the detector instead of reusing a model trained with the old ones.
    """
    digest = hashlib.sha256()
    for module in modules:
        digest.update(inspect.getsource(module).encode("utf-8"))
    return digest.hexdigest()[:16]


def save(pipeline: Pipeline, path: Path) -> None:
    import skops.io as sio

    sio.dump(pipeline, path)


def load(path: Path) -> Pipeline:
    import skops.io as sio

    # Our own file: trust the scikit-learn, NumPy and SciPy types it names, nothing else.
    types = [t for t in sio.get_untrusted_types(file=path)
             if t.split(".")[0] in ("sklearn", "numpy", "scipy", "builtins")]
    pipeline = sio.load(path, trusted=types)
    # scikit-learn scores a message as features @ coef_.T, and SciPy's sparse product needs that
    # transpose contiguous: from a row-major coef_ it copied the whole matrix (29 MB for the intent
    # classifier) for every message, a quarter of Rasa's CPU per reply (py-spy). Column-major,
    # the transpose is used in place; the numbers are the same.
    classifier = pipeline.named_steps["classifier"]
    classifier.coef_ = np.asfortranarray(classifier.coef_)
    return pipeline
