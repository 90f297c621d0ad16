"""Age group from what a pupil writes ("i'm 15", "year 10", "I'm over 18").

Only the group (under_18 / 18_or_over) is kept, never the age: it is all the assistant
needs to pick a removal route. Standard library only.
"""
from __future__ import annotations

import re

UNDER_18 = "under_18"
ADULT = "18_or_over"

_FIRST_PERSON_AGE = re.compile(
    r"\b(?:i'?m|i am|im|iam|aged?|i'?m only|im only|i am only)\s+(?:only\s+)?(\d{1,2})\b(?!\s*(?:quid|pounds|p\b|%|mins?|minutes|hours|k\b|£))"
    r"|\b(\d{1,2})\s*(?:yo|y/o|yrs?\s*old|years?\s*old)\b",
    re.I,
)
_SCHOOL_YEAR = re.compile(r"\b(?:in\s+)?(?:year|yr|y)\s?(7|8|9|10|11|12|13)\b", re.I)
_UNDER_18 = re.compile(r"\b(under|below)\s*18\b|\bnot\s+18\s+yet\b|\b(a\s+)?minor\b", re.I)
_ADULT = re.compile(r"\b(over|above)\s*18\b|\b18\s*(or|\+|and)\s*(over|older|above)?\b|\bi'?m\s+an\s+adult\b|\bi\s+am\s+an\s+adult\b", re.I)


def age_group(text: str) -> tuple[str, int, int] | None:
    """(group, start, end) of the first age statement in the text, else None."""
    text = (text or "").replace("\u2019", "'")
    m = _FIRST_PERSON_AGE.search(text)
    if m:
        age = int(m.group(1) or m.group(2))
        if 8 <= age <= 99:
            return (UNDER_18 if age < 18 else ADULT), m.start(), m.end()
    for rx, group in ((_UNDER_18, UNDER_18), (_ADULT, ADULT), (_SCHOOL_YEAR, UNDER_18)):
        m = rx.search(text)
        if m:
            return group, m.start(), m.end()
    return None
