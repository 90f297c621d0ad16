"""Rasa NLU component: extracts the `age_group` entity (under_18 / 18_or_over) from what the
writer says about themself or their child (components/age_patterns.py).

The slot `age_group` fills from it, so the routes fit the age the pupil said; the age itself
is not kept. It also keeps a disclosure that comes with an age: "im 13 and my video is in the
year 8 snap group" is about the video, so when the message says more than the age,
`state_age` leaves the ranking and the rest is renormalised (components/intent_ranking.py).
"""
from __future__ import annotations

import re
from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from components.age_patterns import age_group
from components.intent_ranking import remove_intents
from components.pattern_entity import Found, PatternEntityExtractor

ENTITY = "age_group"
STATE_AGE = "state_age"
# More than this many words beside the age statement is a message about something else.
_MAX_OTHER_WORDS = 3
_FILLER = re.compile(r"\b(?:and|btw|ok|okay|yes|yeah|ye|no|nah|i|im|i'm|am|so|just|only|lol|tbh|hi|hey)\b", re.I)


def says_more_than_age(text: str, start: int, end: int) -> bool:
    rest = _FILLER.sub(" ", (text[:start] + " " + text[end:]))
    return len(re.findall(r"[a-z0-9']+", rest, re.I)) > _MAX_OTHER_WORDS


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class AgeGroupExtractor(PatternEntityExtractor):
    entity = ENTITY

    def find(self, text: str) -> Optional[Found]:
        return age_group(text)

    def found_in(self, message: Message, text: str, start: int, end: int) -> None:
        if says_more_than_age(text, start, end):
            # "im 13 and my video is in the year 8 snap group" is about the video.
            remove_intents(message, (STATE_AGE,))
