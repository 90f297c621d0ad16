"""Measure the crisis detector by itself and the pattern floor by itself.

    .venv-rasa/bin/python benchmarks/crisis_detector.py [--cv]

Trains components/crisis_model.py on data/ exactly as `rasa train` does, then reports, on the
held-out crisis messages (tests/heldout/crisis*.yml, written blind, never trained on), the share
each part ALONE flags: the detector (certain risk at its own threshold; any risk at the
possible threshold), and the pattern floor. The whole assistant, where the detector also needs
the intent classifier to agree, is measured through the live server by tests/benchmarks/assistant.py.
With --cv it cross-validates the thresholds on the training data (with the intent classifier's
text model standing in for it): that is how config.yml's were chosen.
Prints Markdown; asserts nothing (tests/assistant/test_crisis_detector.py holds floors).
"""
from __future__ import annotations

import argparse
import itertools
import random

import yaml

from components.crisis_model import CRISIS_LABELS, CrisisModel, Thresholds, training_pairs
from components.crisis_patterns import crisis_match
from content.files import REPO_ROOT as ROOT
from content.training import load_examples

# Every round of held-out crisis messages (crisis.yml, crisis_round2.yml, ...), written blind.
HELD_OUT_FILES = sorted((ROOT / "tests" / "heldout").glob("crisis*.yml"))


def held_out() -> dict:
    """The held-out rounds merged: families, possible_risk and idioms."""
    merged: dict = {"families": {}, "possible_risk": [], "idioms": []}
    for path in HELD_OUT_FILES:
        part = yaml.safe_load(path.read_text(encoding="utf-8"))
        for family, texts in part["families"].items():
            merged["families"].setdefault(family, []).extend(texts)
        merged["possible_risk"] += part["possible_risk"]
        merged["idioms"] += part["idioms"]
    return merged


def pipeline_step(name: str) -> dict:
    """config.yml's settings of the pipeline component whose name ends with `name`."""
    for step in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]:
        if step["name"].endswith(name):
            return step
    raise SystemExit(f"config.yml has no {name}")


def thresholds() -> Thresholds:
    """The CrisisDetector thresholds in config.yml (the defaults where it sets none)."""
    return Thresholds(**{k: v for k, v in pipeline_step("CrisisDetector").items() if k in Thresholds.__dataclass_fields__})


def training_examples() -> list[tuple[str, str]]:
    return [(example.text, intent) for intent, examples in load_examples(ROOT).items() for example in examples]


def trained() -> CrisisModel:
    return CrisisModel().fit(*training_pairs(training_examples()))


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def rates(model: CrisisModel, t: Thresholds, held_out: dict) -> dict[str, dict[str, float]]:
    """Per held-out group: the share flagged by the detector alone (certain; any tier) and the floor alone."""
    groups = {**held_out["families"], "possible_risk": held_out["possible_risk"], "idioms": held_out["idioms"]}
    table = {}
    for group, texts in groups.items():
        scores = [model.scores(text) for text in texts]
        table[group] = {"n": len(texts),
                        "certain": _share([s.certain >= t.certain for s in scores]),
                        "any": _share([s.certain >= t.certain or s.any_risk >= t.possible for s in scores]),
                        "floor": _share([crisis_match(text) is not None for text in texts])}
    return table


def cross_validate(folds: int = 4) -> list[tuple]:
    """Recall of crisis examples and false alarms on other examples and on idioms, out of fold,
    for a grid of thresholds. The intent classifier is stood in for by its own text model
    (components/text_model.py at config.yml's C) on the same folds."""
    from components.crisis_model import tier
    from components.text_model import tfidf_logistic_regression

    examples = training_examples()
    idioms = {e.text for e in load_examples(ROOT).get("off_topic", []) if e.file.startswith("data/crisis/")}
    random.Random(42).shuffle(examples)
    c = float(pipeline_step("IntentClassifier").get("C", 10.0))
    rows = []
    for k in range(folds):
        test = examples[k::folds]
        train = [e for i, e in enumerate(examples) if i % folds != k]
        model = CrisisModel().fit(*training_pairs(train))
        intents = tfidf_logistic_regression(c).fit([t.lower() for t, _ in train], [i for _, i in train])
        crisis_columns = [i for i, name in enumerate(intents.classes_) if name in CRISIS_LABELS]
        for (text, intent), probs in zip(test, intents.predict_proba([t.lower() for t, _ in test])):
            rows.append((intent in CRISIS_LABELS, text in idioms, model.scores(text), probs[crisis_columns].sum()))
    grid = []
    for certain, alone, certain_needs, possible, possible_needs in itertools.product(
            (0.4, 0.5), (0.7, 0.8, 0.9), (0.2, 0.3), (0.3, 0.4), (0.1, 0.2)):
        t = Thresholds(certain=certain, certain_alone=alone, certain_needs_classifier=certain_needs,
                       possible=possible, possible_needs_classifier=possible_needs)
        flagged = [(crisis, idiom, tier(s, q, t).tier != "none") for crisis, idiom, s, q in rows]
        grid.append((t, _share([f for c, i, f in flagged if c]), _share([f for c, i, f in flagged if not c and not i]),
                     _share([f for c, i, f in flagged if i])))
    return grid


def markdown(table: dict) -> str:
    lines = ["| held-out group | n | detector alone: certain | detector alone: any tier | pattern floor alone |",
             "|---|---|---|---|---|"]
    for group, row in table.items():
        lines.append(f"| {group} | {row['n']} | {row['certain']:.0%} | {row['any']:.0%} | {row['floor']:.0%} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="also cross-validate thresholds on the training data")
    args = parser.parse_args()
    print(markdown(rates(trained(), thresholds(), held_out())))
    if args.cv:
        print("\n| thresholds | crisis recall (CV) | false alarms, other examples | false alarms, idioms |\n|---|---|---|---|")
        for t, recall, others, idioms in cross_validate():
            print(f"| certain {t.certain} (classifier {t.certain_needs_classifier}; alone {t.certain_alone}), "
                  f"possible {t.possible} "
                  f"(classifier {t.possible_needs_classifier}) "
                  f"| {recall:.3f} | {others:.3f} | {idioms:.3f} |")


if __name__ == "__main__":
    main()
