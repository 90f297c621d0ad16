"""Who is writing: a pupil about themself, or an adult about a child in their care.

A parent, carer or teacher ("my son", "my 14 year old daughter", "I'm his mum", "one of my
pupils") gets the same situation's reply written for them: what to do for the child, with the
routes for the child's age ("my son is 15" is read by components/age_patterns.py). Only
unmistakable ways of saying it count: "my boy" and "my girl" are also how pupils speak of friends
and partners, and an adult blackmailed themself may name a boy, a girl or their own children as
who the offender is or whom they threaten to tell, so none of those do. Standard library only.
"""
from __future__ import annotations

import re

ADULT_FOR_CHILD = "adult_for_child"

_CHILD = (r"(?:son|daughter|child|teenager|grandson|granddaughter|grandchild|stepson|stepdaughter"
          r"|step-son|step-daughter|foster (?:son|daughter|child))")
_AGE = r"(?:\(?\d{1,2}\)?[\s-]*(?:year[\s-]*old|yr[\s-]*old|yo|y/o)?\s+)?"
_ROLE = (r"(?:mum|mom|mam|mother|dad|father|parent|carer|foster carer|step-?(?:mum|mom|dad)|guardian|grandparent"
         r"|grandmother|grandfather|nan|gran|grandad|teacher|teaching assistant|form tutor|tutor|head of year"
         r"|youth worker|social worker)")
# A pupil spoken of in the third person, beside a role: "I'm a teacher and a pupil ...". Not "son"
# or "child" (read with the audience check below), nor "boy" or "girl" (the offender's persona).
_CHILD_MENTIONED = re.compile(r"\b(?:pupils?|students?|young person|(?:year|yr)\s*\d{1,2}s?"
                              r"|(?:1[0-7]|[5-9])[\s-]*(?:year|yr)s?[\s-]*old"
                              r"|(?:boy|girl|lad|lass|child|kid)\s+(?:i|we)\s+(?:look after|care for|foster))\b", re.I)
# Adults blackmailed themselves name their children as the threat's audience ("send it to my son",
# "my daughter's school website", "my kids"): those words say nothing about who writes.
_AUDIENCE_BEFORE = re.compile(r"\b(?:to|with|at|in front of|through|from)\s*$", re.I)
_AUDIENCE_AFTER = re.compile(r"^'s\s+(?:school|teacher|website|friends?|mum|mom|dad|mother|father)\b", re.I)

_ABOUT_A_CHILD = [
    # "my son", "our 15 year old daughter", "my (14) stepson", "my sons photo", "our 12 year old"
    re.compile(r"\b(?:my|our)\s+" + _AGE + _CHILD + r"s?\b"
               r"|\b(?:my|our)\s+\d{1,2}[\s-]*(?:year|yr)s?[\s-]*old\b(?![\s-]+(?:man|woman|self|me|brother|sister|cousin|mate|friend))", re.I),
    # Words only a parent or carer uses of a child: "stepson 14", "foster son", "grandson"
    re.compile(r"\b(?:step-?sons?|step-?daughters?|foster (?:son|daughter|child)|grandsons?|granddaughters?)\b", re.I),
    # "I'm his mum", "as her teacher", "I am the mother of a 15-year-old", "the carer of a boy"
    re.compile(r"\b(?:i'?m|i am|im|as)\s+(?:his|her|their)\s+" + _ROLE + r"\b"
               r"|\b(?:i'?m|i am|im)\s+the\s+" + _ROLE + r"\s+of\s+(?:a|an|my|two|three)\b", re.I),
    # "one of my pupils", "one of my year 8s", "a pupil in my class", "a pupil has disclosed"
    re.compile(r"\b(?:one of my|a few of my|two of my|my|our)\s+(?:year\s*\d{1,2}\s+|form\s+)?(?:pupils?|students?|tutees?)\b"
               r"(?!\s+(?:loans?|finance|cards?|accounts?|id|union|halls|house|discount|accommodation|email))"
               r"|\bone of my year\s*\d{1,2}s?\b"
               r"|\ba (?:pupil|student) (?:of mine|in my (?:[\w-]+\s+){0,3}(?:class|form|group))\b"
               r"|\ba (?:year\s*\d{1,2}\s+)?(?:pupil|student) (?:has |have )?(?:disclosed|told me|come to me|shown me)\b", re.I),
]
# "I'm a parent", "as a form tutor": only with a child or pupil spoken of in the same message.
_ROLE_STATED = re.compile(r"\b(?:i'?m|i am|im|as|speaking as)\s+(?:a|an)\s+(?:worried\s+|concerned\s+|single\s+)?"
                          + _ROLE + r"\b"
                          # "foster carer here", "Head of Year writing", "Form tutor:", "carer for a 14 year old"
                          r"|(?:^|[.!?]\s+)\W*(?:(?:hi|hello|dear \w+),?\s+)?" + _ROLE
                          + r"(?:\s+(?:here|writing)\b|\s*[:,-]|\s+(?:for|of)\s+(?:a|an|two)\b)", re.I)


def _is_audience(text: str, match: re.Match) -> bool:
    return bool(_AUDIENCE_BEFORE.search(text[:match.start()]) or _AUDIENCE_AFTER.match(text[match.end():]))


def adult_for_child(text: str) -> tuple[int, int] | None:
    """(start, end) of the first words that show an adult writing about a child in their care."""
    text = (text or "").replace("\u2019", "'")
    found = [m for rx in _ABOUT_A_CHILD for m in rx.finditer(text) if not _is_audience(text, m)]
    role = _ROLE_STATED.search(text)
    if role and _CHILD_MENTIONED.search(text[:role.start()] + " " + text[role.end():]):
        found.append(role)
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.start(), first.end()
