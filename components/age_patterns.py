"""Age group from what a writer says about THEMSELF ("i'm 15", "16m", "I'm over 18").

Age is a fact the pupil states, never a guess. Only a first-person statement counts:
"a man over 18 is blackmailing me" and "he says he's 19" say nothing about the writer, and
"i'm 18 in march" means 17. A parent or teacher writing about a child ("my 14 year old son")
gets the routes for the child's age. Only the group (under_18 / 18_or_over) is kept, never the
age. When a message states more than one age, the last one counts. Standard library only.
"""
from __future__ import annotations

import re

UNDER_18 = "under_18"
ADULT = "18_or_over"

_NUMBER_WORDS = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                 "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}
_N = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_I_AM = r"\b(?:i'?m|i am|iam|im)"
# Not an age: money, counts and times ("i'm 50 quid down", "i'm 3 days late").
_NOT_AGE = (r"(?!\s*(?:%|£|quid|pounds?|p\b|k\b|grand|mins?|minutes?|hours?|hrs?|days?|weeks?|months?"
            r"|pics?|photos?|times?|messages?|followers?|miles?|in\s+(?:line|the|a)\b))")
# "i'm 18 in march", "i'm 18 next week": not 18 yet.
_NOT_YET = re.compile(r"^\s*(?:in\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|a\s+few|\d|two|three|a\s+couple)"
                      r"|next\s+(?:week|month|year)|soon|tomorrow|on\s+\w+day|this\s+(?:year|summer|month))", re.I)

_DECADES = r"(?:twenties|thirties|forties|fifties|sixties|seventies|[2-7]0s)\b"

_STATEMENTS: list[tuple[re.Pattern, int]] = [
    # "i'm nearly 18", "im almost 16": one less than said.
    (re.compile(_I_AM + r"\s+(?:nearly|almost|turning)\s+" + _N + r"\b", re.I), -1),
    # "i'm 15", "im only 13", "i am 19 years old"
    (re.compile(_I_AM + r"\s+(?:only\s+|just\s+|now\s+|currently\s+|actually\s+|like\s+)?" + _N + r"\b" + _NOT_AGE, re.I), 0),
    # "16m", "15 f", "(14m)" at the start of a message
    (re.compile(r"^\W*" + _N + r"\s?(?:m|f|male|female|yo)\b", re.I), 0),
    # "15 years old" / "14yo" when it opens the message, "age 15", "my age is 15"
    (re.compile(r"^\W*" + _N + r"\s*(?:yo|y/o|yrs?\s*old|years?\s*old)\b", re.I), 0),
    (re.compile(r"\b(?:my age is|my age's|age:?)\s+" + _N + r"\b", re.I), 0),
    # "aged 19, ..." opening the message, "i'm aged 20"
    (re.compile(r"(?:^\W*|" + _I_AM + r"\s+)aged\s+" + _N + r"\b" + _NOT_AGE, re.I), 0),
    # About themself in other words: "as a 45 year old man", "19 here, ...", "uni student (19)"
    (re.compile(r"\bas an?\s+" + _N + r"\s*(?:-|\s)?\s*(?:yo|y/o|yr|year)s?[\s-]*old\b", re.I), 0),
    (re.compile(r"^\W*" + _N + r"\s+here\b", re.I), 0),
    (re.compile(r"\b(?:uni|university|college)\s+(?:student|fresher)\s*[,(-]\s*" + _N + r"\b" + _NOT_AGE, re.I), 0),
    # Welsh: "dwi'n 14", "rydw i'n 15"
    (re.compile(r"\b(?:dwi'?n|rydw i'?n|dw i'?n)\s+" + _N + r"\b", re.I), 0),
    # A parent or teacher: "my 14 year old", "my son is 15", "my daughter (15)"
    (re.compile(r"\bmy\s+" + _N + r"\s*(?:-|\s)?\s*(?:yo|y/o|yr|year)s?[\s-]*old\b", re.I), 0),
    (re.compile(r"\bmy\s+(?:son|daughter|child|kid|boy|girl|grandson|granddaughter|stepson|stepdaughter)"
                r"(?:'s|\s+is|\s+who'?s|\s+who\s+is|,)?\s*\(?\s*(?:only\s+|just\s+)?" + _N + r"\b" + _NOT_AGE, re.I), 0),
]
# A birthday already had: "i turned 18 last month", "just turned 19". Never "not yet", so a date
# after it ("i turned 18 in june") does not make it next year's age.
_PAST_STATEMENTS: list[re.Pattern] = [
    re.compile(r"\b(?:i|i've|ive|i have)\s+(?:just\s+|only\s+|recently\s+)?turned\s+" + _N + r"\b", re.I),
]
_GROUP_STATEMENTS: list[tuple[re.Pattern, str]] = [
    (re.compile(_I_AM + r"\s+(?:an adult|a grown[- ]?up|over\s*18|over eighteen|18\s*\+|18 or over|18 or older|above 18)", re.I), ADULT),
    # "i'm in my thirties", "late twenties here": an adult by decade, said of themself.
    (re.compile(r"\bin\s+my\s+(?:early\s+|mid\s+|late\s+)?" + _DECADES
                + r"|(?:" + _I_AM + r"\s+|^\W*)(?:early|mid|late)[\s-]+" + _DECADES, re.I), ADULT),
    (re.compile(_I_AM + r"\s+(?:under\s*18|not 18|a minor|a child|a kid|still at school|in year\s*(?:[5-9]|1[0-2])\b)"
                r"|\bnot\s+18\s+yet\b|\b(?:i'?m|im)\s+in\s+(?:year|yr)\s*(?:[5-9]|1[0-2])\b"
                r"|\b(?:year|yr)\s*(?:[7-9]|1[0-2])\s+here\b|^\W*(?:year|yr)\s*(?:[7-9]|1[0-2])\b", re.I), UNDER_18),
    # The age buttons and form answers send these words.
    (re.compile(r"^\s*(?:under 18|under eighteen)\s*$", re.I), UNDER_18),
    (re.compile(r"^\s*(?:18 or over|over 18|18\+)\s*$", re.I), ADULT),
]
# (pattern, adjustment, whether a date after it can mean "not yet")
_ALL_STATEMENTS = [(rx, adjust, True) for rx, adjust in _STATEMENTS] + [(rx, 0, False) for rx in _PAST_STATEMENTS]


def _number(token: str) -> int | None:
    token = token.lower()
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token)


def _ages(text: str) -> list[tuple[int, str, int, int]]:
    """(position, group, start, end) of every age statement in the text."""
    found = []
    for rx, adjust, may_be_future in _ALL_STATEMENTS:
        for m in rx.finditer(text):
            age = _number(m.group(1))
            if age is None or not 8 <= age <= 99:
                continue
            # "i'm 18 in march" is not 18 yet (for this statement only, not the next one).
            not_yet = adjust == 0 and may_be_future and _NOT_YET.match(text[m.end():])
            age += -1 if not_yet else adjust
            found.append((m.start(), UNDER_18 if age < 18 else ADULT, m.start(), m.end()))
    for rx, group in _GROUP_STATEMENTS:
        for m in rx.finditer(text):
            found.append((m.start(), group, m.start(), m.end()))
    return found


def age_group(text: str) -> tuple[str, int, int] | None:
    """(group, start, end) of the last age statement the writer makes about themself or their
    child, else None."""
    text = (text or "").replace("\u2019", "'")
    found = _ages(text)
    if not found:
        return None
    _, group, start, end = max(found)
    return group, start, end
