"""Rasa NLU component: extracts the `writer` entity (adult_for_child) when a parent, carer or
teacher writes about a child in their care (components/writer_patterns.py).

The slot `writer` fills from it and stays for the conversation, so the main situations'
replies come in the variation written for that adult (domain.yml), with the routes for the
child's age. Nothing else is kept: not the role, not the words that showed it.
"""
from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.pattern_entity import Found, PatternEntityExtractor
from components.writer_patterns import ADULT_FOR_CHILD, adult_for_child

ENTITY = "writer"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class WriterExtractor(PatternEntityExtractor):
    entity = ENTITY

    def find(self, text: str) -> Optional[Found]:
        found = adult_for_child(text)
        return (ADULT_FOR_CHILD, *found) if found else None
