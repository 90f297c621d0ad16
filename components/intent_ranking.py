"""Taking intents out of the classifier's ranking once another component has settled them.

The crisis detector settles risk and the age extractor settles age. When either finds the
classifier's guess at those intents wrong for this message, the rest of the ranking is what
the classifier thinks the message is about, given that it is not about them: so its
confidences are renormalised over what is left. Without that, a threat with an age in it
("19f, he'll share my pics unless i pay") or wording that sounds like crisis leaves the real
situation below the fallback threshold, and the pupil is asked to say it again.
"""
from __future__ import annotations

from typing import Any, Collection, Dict, List, Text

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def remove_intents(message: Message, names: Collection[str]) -> None:
    """Drops `names` from the message's ranking and puts the best of the rest first."""
    everything: List[Dict[Text, Any]] = message.get(INTENT_RANKING_KEY) or []
    ranking = [r for r in everything if r.get("name") not in names]
    if not ranking:
        return
    # P(intent | not one of names): divided by what the others leave, not by the sum of the rest,
    # so a message the classifier could not read (low confidences throughout) stays unread.
    left = 1.0 - sum(r.get("confidence", 0.0) for r in everything if r.get("name") in names)
    if left > 0:
        ranking = [{**r, "confidence": min(1.0, r.get("confidence", 0.0) / left)} for r in ranking]
    ranking.sort(key=lambda r: r.get("confidence", 0.0), reverse=True)
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
