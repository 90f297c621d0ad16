"""Unmistakable crisis phrasing, as regular expressions a reviewer can read.

This is the deterministic safety net behind the intent classifier: if a message matches,
it is treated as a crisis whatever the classifier thought. Patterns are written to catch
first-person risk ("i want to kill myself", "kms") and not everyday hyperbole ("this
lesson is killing me", "i'm dead lol"); benchmarks/assistant.py measures both.
Standard library only, so the web relay and the tests can use it too.
"""
from __future__ import annotations

import re

SELF_HARM_RISK = "self_harm_risk"
IMMEDIATE_DANGER = "immediate_danger"

_ME = r"(my ?self|meself|myslef|mysef|myself)"

# Each entry: (name a reviewer can read, pattern). Matching is case-insensitive.
SELF_HARM_PATTERNS: list[tuple[str, str]] = [
    ("harm myself", rf"\b(kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging|off|offing|unalive|unaliving|end|ending|stab|stabbing|burn|burning)\s*{_ME}\b"),
    ("kms", r"\bkms\b|\bk\.m\.s\b"),
    ("unalive", r"\bunalive\b"),
    ("suicide", r"\bsu[i1]c[i1]d(e|al)\b|\bsuicid"),
    ("self-harm", r"\bself[\s-]?harm"),
    ("want to die", r"\b(want|wanna|wants|wanted|going|gonna|ready|plan(ning)?|about|trying)\s+(to\s+)?(die|be dead|end it all|end my life|end it\b(?! with))"),
    ("rather die", r"\b(rather|sooner|prefer to)\s+(be\s+)?(die|dead)\b|\bi'?d\s+rather\s+die\b"),
    ("end my life", r"\b(end|ending|take|taking)\s+(my|me)\s+(own\s+)?life\b|\bend(ing)? it all\b"),
    ("not want to live", r"\b(don'?t|dont|do not|doesn'?t)\s+want\s+to\s+(live|be alive|exist|wake up|be here any ?more)\b"),
    ("no point living", r"\bno\s+(point|reason)\s+(in\s+)?(living|being alive|to live|going on|carrying on|to go on)\b"),
    ("better off without me", r"\bbetter\s+off\s+(dead|without\s+me)\b"),
    ("wish I was dead", r"\bwish\s+i\s+(was|were)\s+(dead|never born)\b|\bwish\s+i\s+(wasn'?t|was\s*n'?t)\s+(alive|born|here)\b"),
    ("can't go on", r"\bcan'?t\s+(go|carry)\s+on\b|\bcan'?t\s+live\s+(with|like)\s+(this|it)\b"),
    ("overdose", r"\boverdos(e|ed|ing)\b|\btake\s+(all\s+)?(the\s+|my\s+)?(pills|tablets)\b"
                 r"|\b(took|taken|swallowed)\s+(some|loads\s+of|lots\s+of|a\s+(lot|load|bunch)\s+of|all|too\s+many)\s+(of\s+)?(the\s+|my\s+(\w+'?s\s+)?)?(pills|tablets|paracetamol)\b"),
    ("jump", r"\bjump\s+(off|in front of)\s+(a|the)\s+(bridge|building|train|roof|cliff)"),
    ("not be here tomorrow", r"\b(won'?t|will\s+not|not\s+(gonna|going\s+to))\s+be\s+(here|alive|around)\s+(tomorrow|much longer|for long)\b"),
]

DANGER_PATTERNS: list[tuple[str, str]] = [
    ("forced into sex", r"\b(forc\w*|making|makes|made|pressur\w*)\s+(me\s+)?(to\s+)?(have\s+sex|do\s+(sexual|sex)|touch\s+(him|her|them)|perform)"),
    ("rape or assault", r"\b(rap(e|ed|ing)|sexually\s+assault\w*|molest\w*|abus(e|es|ed|ing)\s+me)\b"),
    ("touching me", r"\b(touch|touches|touching|touched)\s+me\b"),
    ("at my house", r"\b(outside|coming\s+to|come\s+to|on\s+(his|her|their)\s+way\s+to|waiting\s+(outside|at|for\s+me\s+at))\s+(my|our)\s+(house|home|door|flat|school|window)\b"
                    r"|\bat\s+(my|our)\s+(front\s+)?(door|window)\b"),
    ("following me", r"\b(following|chasing|followed|stalking)\s+me\b"),
    # "in danger of failing maths" is an idiom; "in danger of being hurt" is not.
    ("in danger", r"\bi'?m\s+in\s+danger\b(?!\s+of\s+(?!being\b)\w+ing\b)"
                  r"|\bi\s+am\s+in\s+danger\b(?!\s+of\s+(?!being\b)\w+ing\b)|\bnot\s+safe\s+(right\s+)?now\b"),
    ("held somewhere", r"\b(locked|trapped|shut)\s+(me\s+)?in\b|\bwon'?t\s+let\s+me\s+(leave|go|out)\b"),
    ("being hurt", r"\b(hits|hitting|beats|beating|punch(es|ing)|chok(es|ing))\s+me\b|\b(going|gonna)\s+to\s+(hurt|kill|stab|beat)\s+me\b"),
    ("threat of violence", r"\bthreaten\w*\s+to\s+(hurt|kill|stab|beat|attack)\s+me\b"),
]

_SELF_HARM = [(name, re.compile(p, re.I)) for name, p in SELF_HARM_PATTERNS]
_DANGER = [(name, re.compile(p, re.I)) for name, p in DANGER_PATTERNS]


def _normalise(text: str) -> str:
    """Fold curly quotes so "i’m" and "can’t" match like "i'm" and "can't"."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def crisis_match(text: str) -> tuple[str, str] | None:
    """(intent, pattern name) for the first crisis pattern the text matches, else None.

    Self-harm risk is checked first: its reply also gives 999, so nothing is lost.
    """
    text = _normalise(text or "")
    for intent, patterns in ((SELF_HARM_RISK, _SELF_HARM), (IMMEDIATE_DANGER, _DANGER)):
        for name, rx in patterns:
            if rx.search(text):
                return intent, name
    return None
