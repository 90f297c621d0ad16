"""The project's own rules for what the assistant says, which `make audit` checks (audit/checks.py).

Written for this product: each situation is one of its intents, and each rule follows the
National Crime Agency's advice to schools and the services' own terms (who a service is for is
in services.yml). Wordings are families of phrasings, matched ignoring case, so the lead can
reword a reply without changing a rule; the tests hold these rules against an outside judge
(the reply contract beside the repository) where it is present; nothing here imports it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from content.registry import NUMBER_FIELDS, Service


@dataclass(frozen=True)
class Wording:
    gives: str   # what a reply with this wording gives the pupil, in a reviewer's words
    pattern: str


# --- what a reply can give, and the wordings that give it ------------------------------------
WORDINGS: dict[str, Wording] = {
    "reassure": Wording("reassurance: not their fault, not in trouble, not alone",
                        r"not (your|their) fault|(you'?re|you are|they'?re) not (to blame|alone|in trouble)"
                        r"|(haven'?t|have not|didn'?t|did not) do(ne)? anything wrong|nothing to be ashamed of"),
    "no_obligation": Wording("that they never have to do what is asked",
                             r"you (don'?t|do not|never) have to|(it'?s|it is) (ok|okay|fine) to say no"
                             r"|you can (always )?say no|you don'?t owe"),
    "no_pay": Wording("don't pay (or pay any more)",
                      r"(don'?t|do not|never) pay|stop paying|not to pay|(don'?t|do not) send (them )?(any )?money"),
    "stop_contact": Wording("stop contact: block, stop replying",
                            r"\bblock|stop (replying|responding|talking)|(don'?t|do not) (reply|respond|answer)"),
    "keep_evidence": Wording("keep evidence", r"screenshot|evidence|keep the chat|(don'?t|do not) delete"),
    "report_remove": Wording("Report Remove (Childline and the IWF, under 18s)", r"report remove"),
    "take_it_down": Wording("Take It Down (pictures taken under 18)", r"take it down"),
    "stopncii": Wording("StopNCII (pictures taken at 18 or over)", r"stop ?ncii"),
    "report_platform": Wording("report the account on the app", r"report[^.\n]{0,40}\b(app|platform)\b"),
    "trusted_adult": Wording("a trusted adult, or the school's own safeguarding person",
                             r"trusted adult|adult you trust|someone you trust|safeguarding (lead|person)"
                             r"|\{school_contact\}|tell (a|an|your) (parent|carer|teacher)"),
    "childline": Wording("Childline", r"childline"),
    "ceop": Wording("CEOP, the police's online child safety team", r"\bceop\b"),
    "police": Wording("the police", r"\bpolice\b|\b999\b|\b101\b"),
    "bluff": Wording("that the threat may be a bluff",
                     r"bluff|scare tactic|(may|might) not (have|be true)|\btrick"),
}

# Wordings made from services.yml, so a number is written in one place only: a crisis line is
# one of these services' numbers, an emergency is their number.
CRISIS_LINES = ("childline", "samaritans", "shout", "papyrus")
EMERGENCY = ("police_emergency",)
REGISTRY_WORDINGS = {"crisis_line": ("a crisis line (Childline, Samaritans, Shout, Papyrus)", CRISIS_LINES),
                     "emergency": ("999", EMERGENCY)}


def number_pattern(services: dict[str, Service], keys: tuple[str, ...]) -> str:
    """A pattern for these services' numbers as written anywhere (spaces optional)."""
    numbers = [str(services[key][field]) for key in keys if key in services
               for field in NUMBER_FIELDS if services[key].get(field)]
    spaced = [r"\s?".join(re.escape(part) for part in number.split()) for number in numbers]
    return r"(?<!\d)(" + "|".join(spaced) + r")(?!\d)" if spaced else r"(?!x)x"


def wordings(services: dict[str, Service]) -> dict[str, re.Pattern]:
    """Every wording's compiled pattern, with the registry's crisis and emergency numbers."""
    compiled = {name: re.compile(w.pattern, re.I) for name, w in WORDINGS.items()}
    for name, (_, keys) in REGISTRY_WORDINGS.items():
        compiled[name] = re.compile(number_pattern(services, keys))
    return compiled


def gives(name: str) -> str:
    return WORDINGS[name].gives if name in WORDINGS else REGISTRY_WORDINGS[name][0]


def found_in(reply: str, services: dict[str, Service]) -> set[str]:
    """The names of every wording the reply contains."""
    return {name for name, pattern in wordings(services).items() if pattern.search(reply)}


# --- what each situation's first reply must give ------------------------------------------------
# A need is a tuple of wordings of which at least one must be there.
HELP = ("trusted_adult", "childline", "ceop", "police")
UNDER_18_REMOVAL = ("report_remove", "take_it_down")
FIRST_REPLY_NEEDS: dict[str, list[tuple[str, ...]]] = {
    # warning signs (the NCA alert's list)
    "unknown_contact": [("stop_contact",) + HELP],
    "hacked_friend_account": [("stop_contact",) + HELP],
    "fast_sexual_chat": [("stop_contact",) + HELP],
    "moved_to_encrypted_app": [("stop_contact",) + HELP],
    "pressured_for_images": [("no_obligation", "reassure"), ("stop_contact",) + HELP],
    # threats and demands
    "hacked_claim": [("bluff",), ("no_pay", "stop_contact")],
    "payment_demand": [("no_pay",), ("reassure",), ("keep_evidence",), HELP],
    "ai_fake_images": [("reassure",), UNDER_18_REMOVAL],
    # what has already happened
    "already_sent": [("reassure",), UNDER_18_REMOVAL],
    "already_paid": [("no_pay",), ("reassure",)],
    "images_shared": [("reassure",), ("report_remove",), ("take_it_down", "report_platform")],
    "wants_removal": [UNDER_18_REMOVAL],
    # feelings and fears
    "fear_telling_parents": [("trusted_adult", "childline")],
    "self_blame": [("reassure",)],
    "fear_of_police": [("reassure",)],
    # safety first
    "self_harm_risk": [("crisis_line",), ("emergency",)],
    "immediate_danger": [("emergency",)],
    # other people and questions
    "friend_worried": [HELP + ("report_remove",)],
    "prevention_question": [],
    "off_topic": [],
    "ask_if_anonymous": [],
    "ask_if_bot": [],
    "ask_for_human": [],
    # An adult is not a situation of its own but a pupil who says they are 18 or over
    # (state_age): the reply then gives the adult routes.
    "state_age": [("stopncii",), ("police", "report_platform")],
}
# Whose first reply is checked: every pupil unless listed (state_age: only one who said 18+).
ONLY_FOR_ADULTS = {"state_age"}
# For someone who said they are 18 or over, StopNCII (pictures taken at 18 or over) answers a
# need for an under-18 removal route.
ADULT_REMOVAL = "stopncii"

# Messages that showed no risk get no crisis wording: a false alarm frightens and teaches the
# pupil that the bot does not listen.
NO_CRISIS_WORDING = ("off_topic", "ask_if_anonymous", "ask_if_bot", "ask_for_human")
CRISIS_WORDING = re.compile(r"suicid|kill(ing)? yourself|end(ing)? your life|(harm|hurt)(ing)? yourself"
                            r"|thoughts? of (dying|death)|samaritans", re.I)


def needs_for(intent: str, adult: bool) -> list[tuple[str, ...]]:
    needs = FIRST_REPLY_NEEDS.get(intent, [])
    if not adult:
        return needs
    return [need + (ADULT_REMOVAL,) if set(UNDER_18_REMOVAL) & set(need) and ADULT_REMOVAL not in need else need
            for need in needs]


# --- every reply: no blame, no markup ----------------------------------------------------------
BLAMING = re.compile("|".join([
    r"why (did|would) you (send|share|take|do|trust|reply)",
    r"you (shouldn'?t|should not|should never|ought not to) have",
    r"you should have (known|thought|been more careful|been careful)",
    r"what were you thinking",
    r"(stupid|silly|naive|careless|foolish|dumb|reckless) (of you|thing to do|mistake|decision|choice)",
    r"(that|it) was (a |really )?(stupid|silly|dumb|naive|careless|foolish)",
    r"you (asked for it|brought (this|it) on yourself)",
    r"at your own risk|only have yourself to blame|learn(ed)? (your|a) lesson",
]), re.I)
# "your fault" blames unless a negation comes just before it ("it's not your fault").
FAULT = re.compile(r"your (own )?fault|you('re| are) (to blame|responsible for (this|what happened))", re.I)
NEGATION = re.compile(r"\b(not|never|no|none)\b|n'?t\b", re.I)
MARKUP = re.compile(r"<\s*/?\s*(script|iframe|img|svg|object|embed|style|a|form|input)\b|javascript:|\bon\w+\s*=",
                    re.I)


def blaming_phrases(reply: str) -> list[str]:
    found = [m.group(0) for m in BLAMING.finditer(reply)]
    return found + [m.group(0) for m in FAULT.finditer(reply)
                    if not NEGATION.search(reply[max(0, m.start() - 25):m.start()])]


def every_reply_problems(reply: str) -> list[str]:
    """What no reply may do: say nothing, blame the pupil, carry markup."""
    problems = [] if reply.strip() else ["says nothing"]
    problems += [f"blames the pupil: {phrase!r}" for phrase in blaming_phrases(reply)]
    return problems + (["holds raw HTML or script"] if MARKUP.search(reply) else [])


# --- age: adult-only routes only for someone who said they are 18 or over ------------------------
# Services for people aged 18 or over only; an entry `adult_only: true` in services.yml adds one.
ADULT_ONLY = {"stopncii": r"stop ?ncii", "revenge_porn_helpline": r"revenge ?porn ?helpline"}
ADULT_AGE_GROUP = ("age_group", "18_or_over")
# A clause that says who the service is for: "if you're 18 or over", "taken at 18 or over", "for adults".
QUALIFIED = re.compile(r"\b(18|eighteen) or (over|older)\b|\bover[- ]18s?\b|\b18\+|\bfor adults\b|\badults? only\b"
                       r"|\bif (you'?re|you are) (an adult|over 18)", re.I)
# Telling someone they are an adult, when they have not said so ("as you're 18 or over").
ADULT_ASSERTION = re.compile(r"\b(as|because|since|now that) (you'?re|you are) (18|eighteen|over 18|18 or over"
                             r"|an adult)\b", re.I)
BULLET = re.compile(r"^\s*(?:[•\-*·–]|\d+[.)])\s*")


def adult_only_patterns(services: dict[str, Service]) -> dict[str, re.Pattern]:
    """Adult-only service key -> how a reply names it (the rule's names, the registry's names and address)."""
    keys = set(ADULT_ONLY) | {key for key, s in services.items() if s.get("adult_only") is True}
    patterns = {}
    for key in sorted(keys):
        service = services.get(key, {})
        ways = [ADULT_ONLY[key]] if key in ADULT_ONLY else []
        ways += [re.escape(service[f]) for f in ("name", "url") if service.get(f)]
        patterns[key] = re.compile("|".join(ways), re.I)
    return patterns


def clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, qualified by its heading): each sentence of each line; the bullets under a line
    like "If you're 18 or over:" are qualified by it."""
    found, heading_qualifies = [], False
    for line in text.split("\n"):
        stripped = line.strip()
        bullet = bool(BULLET.match(stripped))
        if not stripped or not bullet:
            heading_qualifies = False
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z•(])", stripped):
            if sentence.strip():
                found.append((sentence, heading_qualifies and bullet))
        if stripped.endswith(":") and QUALIFIED.search(stripped):
            heading_qualifies = True
    return found


def unqualified_adult_routes(text: str, services: dict[str, Service]) -> list[str]:
    """Each clause that names an adult-only service without saying it is for 18 or over."""
    patterns = adult_only_patterns(services).values()
    return [clause.strip()[:90] for clause, qualified in clauses(text)
            if any(p.search(clause) for p in patterns) and not qualified and not QUALIFIED.search(clause)]


def adult_assertions(text: str) -> list[str]:
    return [m.group(0) for m in ADULT_ASSERTION.finditer(text)]


# --- evidence: the messages, never the pictures -----------------------------------------------
# Keeping evidence means the chat, usernames and payment details. Saving the pictures means
# keeping indecent images of a child, and "screenshot everything" says to.
KEEPING = re.compile(r"\b(screenshot\w*|save|keep|copy|download|record|store)\b", re.I)
PICTURES = re.compile(r"\b(pictures?|photos?|images?|nudes?|videos?|pics?)\b", re.I)
EVERYTHING = re.compile(r"\b(everything|all of it|it all|anything they sent|whatever they sent)\b", re.I)
NOT_THE_PICTURES = re.compile(r"\b(never|not|no|without|except|apart from|but not)\b|n'?t\b", re.I)


def _refused(clause: str, at: int) -> bool:
    """Whether what is at `at` is said not to be kept: a "never", "not" or "except" between the
    nearest keeping word before it (or just before that word: "don't save") and it."""
    keeping = list(KEEPING.finditer(clause, 0, at))
    start = max(0, keeping[-1].start() - 12) if keeping else 0
    return bool(NOT_THE_PICTURES.search(clause, start, at))


def asks_for_pictures(clause: str) -> bool:
    """Whether this clause tells the pupil to keep the pictures, or everything (pictures and all)."""
    first = KEEPING.search(clause)
    if not first:
        return False
    pictures = [m.start() for m in PICTURES.finditer(clause, first.start())]
    if any(not _refused(clause, at) for at in pictures):
        return True
    everything = [m.start() for m in EVERYTHING.finditer(clause, first.start()) if not _refused(clause, m.start())]
    return bool(everything) and not pictures   # "everything except the pictures" leaves them out


def evidence_asking_for_pictures(text: str) -> list[str]:
    return [clause.strip()[:90] for clause, _ in clauses(text) if asks_for_pictures(clause)]


# --- the school's own safeguarding person in every main blackmail flow ----------------------------
# Rasa fills the placeholder from the school_contact slot: the school's title and name for its
# designated safeguarding lead or person, from schools.yml.
SCHOOL_CONTACT = "{school_contact}"
# The main blackmail flows (issue 9) and the reply that starts each one.
MAIN_BLACKMAIL_REPLIES = {
    "threat to share with school or family": "utter_they_know_school",
    "payment demand": "utter_payment_demand",
    "hacking claim": "utter_hacked_claim",
    "already sent": "utter_already_sent",
    "already paid": "utter_already_paid",
    "pictures shared": "utter_images_shared",
    "removal": "utter_removal_routes",
}

# --- the registry's facts stay current -----------------------------------------------------------
# A service a reply names must have been checked against its own page within this many days.
CHECKED_WITHIN_DAYS = 180
# A web address written without https:// ("stopncii.org"); it must be a registry service's.
BARE_ADDRESS = re.compile(r"\b(?:[a-z0-9-]+\.)+(?:org\.uk|co\.uk|police\.uk|org|com|net|cymru|uk)\b", re.I)
