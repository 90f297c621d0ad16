"""components/text_model.py: a saved model loads ready to score a message without copying its weights."""
from __future__ import annotations

import numpy as np

from components import text_model

TEXTS = ["they want money or theyll post my pics", "can i get it taken down", "whats the capital of france",
         "i paid him already", "my mates account is acting weird", "he says hes hacked my phone"]
LABELS = ["payment_demand", "wants_removal", "off_topic", "already_paid", "hacked_friend_account", "hacked_claim"]


def test_a_loaded_model_scores_as_the_trained_one_with_its_weights_used_in_place(tmp_path):
    trained = text_model.tfidf_logistic_regression(10.0).fit(TEXTS * 2, LABELS * 2)
    text_model.save(trained, tmp_path / "model.skops")
    loaded = text_model.load(tmp_path / "model.skops")
    message = ["someone wants £50 or they share my pictures"]
    assert np.allclose(loaded.predict_proba(message), trained.predict_proba(message), rtol=0, atol=1e-12)
    # features @ coef_.T: SciPy uses a C-contiguous transpose in place and copies any other.
    assert loaded.named_steps["classifier"].coef_.T.flags["C_CONTIGUOUS"]
