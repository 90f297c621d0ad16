"""Scoring the assistant's replies to held-out pupil messages (tests/heldout/, written blind).

Shared by the tests (which hold floors on the figures) and the benchmark (which reports them
beside Rasa's default configuration). The outside judge is ../shared/contract (version 2);
"right first response" is ours: the first message comes from a response written for the
situation the pupil described, so a misreading cannot pass by listing every route.
"""
from __future__ import annotations

import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# The outside judge lives beside the repository; only tests and the benchmark use it.
sys.path.insert(0, str(ROOT.parent / "shared" / "contract"))
from reply_contract import (age_problems, check, crisis_first_problems, false_alarm_problems,
                            stated_age, words)  # noqa: E402

HELD_OUT = ROOT / "tests" / "heldout"

# The responses that answer each situation as the pupil described it. A neighbour is listed
# only where its reply still answers what was said.
SIGN_RESPONSES: dict[str, set[str]] = {
    "unknown_contact": {"utter_unknown_contact"},
    "hacked_friend_account": {"utter_hacked_friend_account"},
    "fast_sexual_chat": {"utter_fast_sexual_chat"},
    "moved_to_encrypted_app": {"utter_moved_to_encrypted_app"},
    "pressured_for_images": {"utter_pressured_for_images"},
    "hacked_claim": {"utter_hacked_claim", "utter_they_know_school"},
    "payment_demand": {"utter_payment_demand"},
    "ai_fake_images": {"utter_ai_fake_images"},
    "already_sent": {"utter_already_sent"},
    "already_paid": {"utter_already_paid"},
    "images_shared": {"utter_images_shared"},
    "wants_removal": {"utter_removal_routes", "utter_age_noted"},
    # Scared AND asking how to say it: the how-to reply opens on the fear ("most adults who care
    # about you will want to help, not be angry") and then gives the words, so it answers both.
    "fear_telling_parents": {"utter_fear_telling_parents", "utter_ask_how_to_tell"},
    "self_blame": {"utter_self_blame"},
    "fear_of_police": {"utter_fear_of_police"},
    "self_harm_risk": {"utter_crisis_self_harm", "utter_help_now", "utter_risk_check"},
    "immediate_danger": {"utter_crisis_danger", "utter_crisis_self_harm", "utter_help_now"},
    "friend_worried": {"utter_friend_worried"},
    # An adult's own situation: any reply about pictures or threats, in its 18+ variation.
    "adult_victim": {"utter_payment_demand", "utter_hacked_claim", "utter_images_shared", "utter_already_sent",
                     "utter_already_paid", "utter_ai_fake_images", "utter_removal_routes", "utter_age_noted",
                     "utter_they_know_school", "utter_still_in_contact"},
    "prevention_question": {"utter_prevention_question"},
    "off_topic": {"utter_off_topic"},
    "meta": {"utter_ask_if_anonymous", "utter_ask_if_bot", "utter_ask_for_human", "utter_service_hours",
             "utter_thank_you", "utter_goodbye", "utter_greet", "utter_anything_else"},
}
CRISIS_SIGNS = {"self_harm_risk", "immediate_danger"}
# Replies that put crisis help (or the direct question about risk) first.
CRISIS_RESPONSES = {"utter_crisis_self_harm", "utter_crisis_danger", "utter_help_now", "utter_risk_check"}


def load(name: str):
    with open(HELD_OUT / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


# Each round of held-out messages was written blind and committed before the training data it
# prompted; the newest round is the fairest measure of wording the assistant has never met.
ROUNDS = {f"round {n}": "" if n == 1 else f"_round{n}" for n in range(1, 11)}


def situations(rounds: tuple[str, ...] = tuple(ROUNDS)) -> list[tuple[str, str]]:
    return [(sign, text) for r in rounds for sign, texts in load(f"situations{ROUNDS[r]}.yml").items()
            for text in texts]


def crisis_messages(rounds: tuple[str, ...] = tuple(ROUNDS)) -> list[tuple[str, str]]:
    """(family, text) for every certain-risk message; danger_now is immediate danger."""
    return [(family, text) for r in rounds for family, texts in load(f"crisis{ROUNDS[r]}.yml")["families"].items()
            for text in texts]


def idioms(rounds: tuple[str, ...] = tuple(ROUNDS)) -> list[str]:
    """Everyday idioms with crisis words in them ("my phone is about to die"): not crisis."""
    return [text for r in rounds for text in load(f"crisis{ROUNDS[r]}.yml")["idioms"]]


def possible_risk(rounds: tuple[str, ...] = tuple(ROUNDS)) -> list[str]:
    return [text for r in rounds for text in load(f"crisis{ROUNDS[r]}.yml")["possible_risk"]]


def crisis_sign(family: str) -> str:
    return "immediate_danger" if family == "danger_now" else "self_harm_risk"


def conversations() -> list[dict]:
    return load("conversations.yml")


class ResponseNames:
    """Which response sent a text: each variation read as a pattern where {slot} is any text."""

    def __init__(self, responses: dict) -> None:
        self.patterns = [(re.compile(_template_pattern(variation["text"]), re.S), name, _for_adult(variation))
                         for name, variations in responses.items() for variation in variations]

    def get(self, text: str | None) -> str | None:
        return self._variation(text)[0]

    def written_for_an_adult_about_a_child(self, text: str | None) -> bool:
        """Whether the text is a variation for a parent, carer or teacher writing about a child."""
        return self._variation(text)[1]

    def _variation(self, text: str | None) -> tuple[str | None, bool]:
        return next(((name, adult) for pattern, name, adult in self.patterns if text and pattern.fullmatch(text)),
                    (None, False))


def _for_adult(variation: dict) -> bool:
    return any(c.get("name") == "writer" and c.get("value") == "adult_for_child" for c in variation.get("condition") or [])


def _template_pattern(template: str) -> str:
    return ".+?".join(re.escape(part) for part in re.split(r"\{[a-z_]+\}", template))


def response_names(domain_file: Path = ROOT / "domain.yml") -> ResponseNames:
    """The response name of every text the domain can send, whatever its slots were filled with."""
    return ResponseNames(yaml.safe_load(domain_file.read_text(encoding="utf-8"))["responses"])


def bubbles(messages: list[dict]) -> list[str]:
    """Each bot message as the contract reads it: its text, then its button titles."""
    return ["\n".join([m.get("text") or ""] + [b["title"] for b in m.get("buttons") or []]) for m in messages]


@dataclass
class Scored:
    sign: str
    text: str
    reply: str
    first_response: str | None
    age: int | None
    # The first message is the variation of its situation's reply written for a parent, carer or
    # teacher (the writer said the child is theirs or in their care).
    for_an_adult: bool = False
    contract: list[str] = field(default_factory=list)
    age_errors: list[str] = field(default_factory=list)
    crisis_first: list[str] = field(default_factory=list)
    false_alarm: list[str] = field(default_factory=list)

    @property
    def right_response(self) -> bool:
        # An adult worried about a child in their care (signed friend_worried by the older rounds,
        # by the child's situation by the newer ones) is answered right by that situation's reply
        # in the variation written for them: it is about the child's situation and for the adult.
        # (Only the situations' replies have such a variation.)
        if self.sign == "friend_worried" and self.for_an_adult:
            return True
        return self.first_response in SIGN_RESPONSES[self.sign]

    @property
    def words(self) -> int:
        return words(self.reply)


def score(sign: str, text: str, messages: list[dict], names: ResponseNames, age: int | None = None) -> Scored:
    """Every rule of the contract for one reply, given the pupil's age stated so far."""
    said = stated_age(text)
    age = said if said is not None else age
    parts = bubbles(messages)
    reply = "\n".join(parts)
    first = names.get(messages[0].get("text")) if messages else None
    for_an_adult = bool(messages) and names.written_for_an_adult_about_a_child(messages[0].get("text"))
    scored = Scored(sign, text, reply, first, age, for_an_adult, contract=check(sign, reply),
                    age_errors=age_problems(reply, age, sign, adult_sign=sign == "adult_victim"),
                    crisis_first=crisis_first_problems(parts, sign))
    if sign in ("off_topic", "meta"):
        scored.false_alarm = false_alarm_problems(reply)
    return scored


def share(results: list[bool]) -> float:
    return sum(results) / len(results) if results else 0.0


def summary(scored: list[Scored], idioms: list[Scored]) -> dict[str, float]:
    """The figures the benchmark reports and the tests hold floors on."""
    first_turns = [s for s in scored if s.sign not in CRISIS_SIGNS]
    crisis = [s for s in scored if s.sign in CRISIS_SIGNS]
    return {
        "right_response": share([s.right_response for s in first_turns]),
        "contract": share([not s.contract for s in scored]),
        "age_errors": sum(bool(s.age_errors) for s in scored),
        "crisis_first": share([not s.crisis_first for s in crisis]),
        "false_alarms": share([bool(false_alarm_problems(s.reply)) for s in idioms]),
        "median_words": statistics.median(s.words for s in first_turns),
        "max_words": max(s.words for s in first_turns),
    }


# tests/heldout/facts.yml: first messages whose reply must carry one fact (issue "Content truth").
# Each fact is a list of patterns the whole first reply must all match (case-insensitive).
FACTS: dict[str, list[str]] = {
    "crime_claim": [r"not in trouble", r"\blie\b|not true|scare"],
    "gift_cards": [r"don'?t pay", r"gift card"],
    "collage": [r"collage"],
    "delete_account": [r"(don'?t|do not) delete|keep (the chat and )?your account"],
    "already_paid": [r"(don'?t|do not) pay any ?more", r"okay|not to blame"],
    "forward_pictures": [r"(don'?t|do not|never) (send or )?forward"],
    "adult_pre18": [r"take it down"],
    "adult_now": [r"stop ?ncii"],
    "school_lead_shares": [r"police or children'?s services", r"parents"],
    "ceop_anonymous": [r"(isn'?t|not) anonymous", r"get in touch"],
    "report_on_app": [r"report (it|the account)", r"\bapp\b"],
}


def facts() -> list[tuple[str, str]]:
    return [(key, text) for key, texts in load("facts.yml").items() for text in texts]


def missing_facts(key: str, reply: str) -> list[str]:
    """The patterns of this fact the reply does not match; [] when the fact is there."""
    return [pattern for pattern in FACTS[key] if not re.search(pattern, reply, re.I)]
