"""The automatic content checks. Each check takes a `Content` and returns its problems.

A check never reads files itself: tests build a Content from an altered copy of the content
and expect the check to name what they planted, and where.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from audit.content import BUILT_IN_ACTIONS, BUILT_IN_INTENTS, REPO_ROOT, Content, Flow, Turn, variation_lines
from audit.registry_check import problems_in_text

sys.path.insert(0, str(REPO_ROOT.parent / "shared" / "contract"))
from reply_contract import ELEMENTS, SIGNS, age_problems, check, elements_in, universal_problems  # noqa: E402

# Every situation in the reply contract, and the intents whose flows answer it. Intent names
# equal sign names, except "meta" (questions about the assistant itself) and "adult_victim":
# an adult is not a situation of its own but a pupil who says they are 18 or over (state_age),
# after which every reply takes its 18+ variation.
SIGN_INTENTS: dict[str, list[str]] = {sign: [sign] for sign in SIGNS}
SIGN_INTENTS["meta"] = ["ask_if_anonymous", "ask_if_bot", "ask_for_human"]
SIGN_INTENTS["adult_victim"] = ["state_age"]


@dataclass(frozen=True)
class Pupil:
    """Who the pupil is, as far as the assistant knows: the slot values Rasa chooses response
    variations by, and the age the reply contract's age rules take (None: not said)."""
    describes: str
    slots: dict
    age: int | None

    @property
    def adult(self) -> bool:
        return self.age is not None and self.age >= 18


# Routes follow the age the pupil said: under-18 routes until they say they are 18 or over.
# Every situation's first reply is checked as each of these pupils gets it.
AGE_NOT_SAID = Pupil("", {"age_group": None}, None)
SAID_UNDER_18 = Pupil("a pupil who said they are under 18", {"age_group": "under_18"}, 15)
SAID_18_OR_OVER = Pupil("a pupil who said they are 18 or over", {"age_group": "18_or_over"}, 18)
PUPILS = (AGE_NOT_SAID, SAID_UNDER_18, SAID_18_OR_OVER)
SIGN_PUPILS: dict[str, tuple[Pupil, ...]] = {"adult_victim": (SAID_18_OR_OVER,)}

# For an adult, where the contract asks for an under-18 removal route (Report Remove, Take It
# Down), StopNCII (for pictures taken at 18 or over) answers it instead.
UNDER_18_ROUTES = {"report_remove", "take_it_down"}
ADULT_ROUTE = "stopncii"

# What counts as "a way to get help" at the end of a flow: a help route from the contract
# (a trusted adult, Childline, CEOP, the police, a crisis line), or buttons to go on with.
HELP_ELEMENTS = ("trusted_adult", "childline", "ceop", "police", "crisis_line", "emergency")
assert set(HELP_ELEMENTS) <= set(ELEMENTS)

# Crisis messages that must interrupt any question the assistant is asking, and the responses
# that count as crisis help.
CRISIS_INTENTS = ("self_harm_risk", "immediate_danger", "need_help_now")
CRISIS_REPLIES = ("utter_crisis", "utter_help_now")

# Training examples an intent needs. Pupils describe their situation in many different ways,
# so every situation needs many examples. Short replies, questions about the assistant and
# button answers are said in fewer ways. An intent not listed here counts as a situation.
NOT_SITUATIONS = {"greet", "goodbye", "thank_you", "affirm", "deny", "state_age", "ask_what_now",
                  "prefer_not_to_say", "ask_if_anonymous", "ask_if_bot", "ask_for_human", "ask_service_hours",
                  "ask_how_to_tell", "ask_parent_card", "need_help_now"}
MIN_EXAMPLES_SITUATION = 30
MIN_EXAMPLES_OTHER = 15

# Readability: Flesch-Kincaid grade is a US school grade; grade 6 is ages 11-12 (UK Year 7),
# the youngest pupils who use the assistant. Scores are for the whole response text.
MAX_GRADE = 6.0


@dataclass(frozen=True)
class Problem:
    check: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class Check:
    id: str
    title: str
    explains: str
    run: Callable[[Content], list[Problem]]


@dataclass
class CheckResult:
    check: Check
    problems: list[Problem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def response_location(response_id: str, index: int | None = None, count: int = 1) -> str:
    where = f"domain.yml: response {response_id}"
    return where + (f" (variation {index + 1})" if index is not None and count > 1 else "")


# --- sentences -----------------------------------------------------------------------------
def check_blaming(content: Content) -> list[Problem]:
    """No victim-blaming phrase, no raw HTML and no empty text in any response or button."""
    problems = []
    for response_id, variations in content.responses.items():
        for index, variation in enumerate(variations):
            reply = "\n".join(variation_lines(variation))
            for problem in universal_problems(reply):
                problems.append(Problem("blaming", response_location(response_id, index, len(variations)), problem))
    return problems


URL_WORDS_RE = re.compile(r"https?://\S+|\b\w+\.(org|uk|com)\b\S*")
NUMBER_WORDS_RE = re.compile(r"\d[\d ]*\d|\d")
PLACEHOLDER_RE = re.compile(r"\{\w+\}")


def readable_text(text: str) -> str:
    """The response as a reader meets it: addresses and numbers are read as one short word,
    and each bullet or line is a sentence of its own (not one long run-on sentence)."""
    text = URL_WORDS_RE.sub("link", text)
    text = NUMBER_WORDS_RE.sub("ten", text)
    text = PLACEHOLDER_RE.sub("it", text)
    sentences = []
    for line in text.splitlines():
        line = line.strip().lstrip("•-*").strip().strip('"')
        if line:
            sentences.append(line if line[-1] in ".!?" else line.rstrip(":;,") + ".")
    return " ".join(sentences)


@dataclass
class Readability:
    response_id: str
    variation: int
    grade: float          # Flesch-Kincaid grade
    ease: float           # Flesch reading ease (higher is easier)
    words: int

    @property
    def hard(self) -> bool:
        return self.grade > MAX_GRADE


def readability_scores(content: Content) -> list[Readability]:
    import textstat   # in the web venv only; imported here so the other checks run anywhere
    scores = []
    for response_id, variations in content.responses.items():
        for index, variation in enumerate(variations):
            text = readable_text(variation.get("text") or "")
            if not text:
                continue
            scores.append(Readability(response_id, index, round(textstat.flesch_kincaid_grade(text), 1),
                                      round(textstat.flesch_reading_ease(text), 1), textstat.lexicon_count(text)))
    return scores


def check_readability(content: Content) -> list[Problem]:
    problems = []
    for score in readability_scores(content):
        if score.hard:
            count = len(content.variations(score.response_id))
            problems.append(Problem("readability", response_location(score.response_id, score.variation, count),
                                    f"reading grade {score.grade} is above {MAX_GRADE} (age 11-12)"))
    return problems


def check_registry(content: Content) -> list[Problem]:
    """Every number and address in a response is in services.yml, and belongs to the service it follows."""
    problems = []
    for response_id, variations in content.responses.items():
        for index, variation in enumerate(variations):
            for line in variation_lines(variation):
                for problem in problems_in_text(line, content.services):
                    problems.append(Problem("registry", response_location(response_id, index, len(variations)), problem))
    return problems


# --- flows ---------------------------------------------------------------------------------
def flows_started_by(content: Content, intent: str) -> list[Flow]:
    """Flows that answer this intent whatever came before (no condition)."""
    return [f for f in content.flows if intent in f.first_intents and not f.conditions]


def check_signs_handled(content: Content) -> list[Problem]:
    """Each situation in the reply contract has a flow, and that flow's first reply meets the
    contract as every pupil gets it: age not said, said under 18, said 18 or over."""
    problems = []
    for sign, intents in SIGN_INTENTS.items():
        handled = [i for i in intents if i in content.intents and flows_started_by(content, i)]
        if not handled:
            problems.append(Problem("signs", f"reply contract sign '{sign}'",
                                    f"no flow starts with intent {' or '.join(intents)}"))
        for intent in handled:
            for flow in flows_started_by(content, intent):
                reported: set[str] = set()
                for pupil in SIGN_PUPILS.get(sign, PUPILS):
                    for reply in content.replies(flow.turns[0].speaking(), slots=pupil.slots):
                        for problem in contract_problems(sign, reply, pupil):
                            if problem not in reported:
                                reported.add(problem)
                                to = f"'{sign}'" + (f" for {pupil.describes}" if pupil.describes else "")
                                problems.append(Problem("signs", flow.location, f"first reply to {to}: {problem}"))
    return problems


def adult_requirements(sign: str) -> list[tuple[str, ...]]:
    """The contract's requirements for a pupil who said they are 18 or over."""
    return [requirement + (ADULT_ROUTE,) if UNDER_18_ROUTES & set(requirement) and ADULT_ROUTE not in requirement
            else requirement for requirement in SIGNS[sign]]


def contract_problems(sign: str, reply: str, pupil: Pupil = AGE_NOT_SAID) -> list[str]:
    """What the reply contract finds wrong with this first reply for this pupil: what the sign
    needs, and the age rules (no adult routes or "as you're 18" before a pupil says they are)."""
    problems = check(sign, reply)
    if pupil.adult and sign != "adult_victim":
        present = elements_in(reply)
        problems = [p for p in problems if not p.startswith("missing ")]
        problems += ["missing " + " or ".join(r) for r in adult_requirements(sign) if not present & set(r)]
    problems += age_problems(reply, pupil.age, sign, adult_sign=sign == "adult_victim")
    return list(dict.fromkeys(problems))


def offers_help(content: Content, actions: list[str]) -> bool:
    """Whether every way the assistant can say these actions gives a help route or buttons."""
    said = [r for a in actions for r in content.said_by(a)]
    if any(v.get("buttons") for r in said for v in content.variations(r)):
        return True
    replies = content.replies(actions)
    return bool(replies) and all(elements_in(reply) & set(HELP_ELEMENTS) for reply in replies)


def check_dead_ends(content: Content) -> list[Problem]:
    """The assistant's last turn in every flow offers a way to get help."""
    problems = []
    for flow in content.flows:
        last = next((t for t in reversed(flow.turns) if t.assistant), None)
        if last is None:
            problems.append(Problem("dead_ends", flow.location, "the assistant never answers"))
        elif not offers_help(content, last.speaking()):
            said = ", ".join(last.speaking()) or "nothing said"
            problems.append(Problem("dead_ends", flow.location,
                                    f"ends with {said}, which offers no way to get help (no trusted adult, "
                                    "Childline, CEOP, police or crisis line, and no buttons)"))
    return problems


def check_crisis_interrupts(content: Content) -> list[Problem]:
    """Crisis help comes first whatever the assistant just asked: each crisis intent has a rule
    with no condition that answers it with crisis help, no rule that follows a question answers
    it with anything else, and every form has rules that let it interrupt (see below)."""
    problems = []
    crisis = [i for i in CRISIS_INTENTS if i in content.intents]
    for intent in crisis:
        rules = [f for f in flows_started_by(content, intent) if f.kind == "rule"]
        if not rules:
            problems.append(Problem("crisis", f"domain.yml: intent {intent}",
                                    "no rule without a condition answers it, so it cannot interrupt a question"))
        for rule in rules:
            if not _answers_with_crisis(rule.turns[0]):
                problems.append(Problem("crisis", rule.location, f"'{intent}' is not answered first with a crisis reply"))
    for flow in content.flows:
        if flow.kind not in ("rule", "story") or not flow.turns or flow.turns[0].pupil:
            continue   # only flows that go on from something the assistant said (a question)
        asked = ", ".join(flow.turns[0].speaking()) or "the question"
        for turn in flow.turns[1:]:
            for intent in (i for i in turn.pupil if i in crisis):
                if not _answers_with_crisis(turn):
                    problems.append(Problem("crisis", flow.location,
                                            f"after {asked}, '{intent}' is not answered first with a crisis reply"))
    return problems + check_crisis_interrupts_forms(content)


def _answers_with_crisis(turn: Turn) -> bool:
    return bool(turn.assistant) and turn.assistant[0].startswith(CRISIS_REPLIES)


def check_crisis_interrupts_forms(content: Content) -> list[Problem]:
    """For every form, a rule (condition: the form is asking) answers each crisis intent with crisis help."""
    problems = []
    crisis = [i for i in CRISIS_INTENTS if i in content.intents]
    for form in content.forms:
        for intent in crisis:
            rules = [f for f in content.flows if f.kind == "rule" and f.active_loop_condition == form
                     and intent in f.first_intents]
            if not rules:
                problems.append(Problem("crisis", f"domain.yml: form {form}",
                                        f"no rule lets '{intent}' interrupt it (condition active_loop: {form})"))
            for rule in rules:
                problems += _crisis_rule_problems(rule, intent)
    return problems


def _crisis_rule_problems(rule: Flow, intent: str) -> list[Problem]:
    first = rule.turns[0].assistant
    problems = []
    if not first or not first[0].startswith(CRISIS_REPLIES):
        problems.append(Problem("crisis", rule.location, f"'{intent}' is not answered first with a crisis reply"))
    if "action_deactivate_loop" not in first:
        problems.append(Problem("crisis", rule.location, f"'{intent}' does not stop the form (action_deactivate_loop)"))
    return problems


# --- bookkeeping ---------------------------------------------------------------------------
def responses_used(content: Content) -> dict[str, list[str]]:
    """Response id -> where it is used (rules, stories, forms, custom actions)."""
    used: dict[str, list[str]] = defaultdict(list)
    for flow in content.flows + content.test_stories:
        for action in (a for turn in flow.turns for a in turn.speaking()):
            for response in content.said_by(action):
                if flow.location not in used[response]:
                    used[response].append(flow.location)
    for form in content.forms:
        for question in content.form_questions(form):
            used[question].append(f"domain.yml: form {form} (asks)")
    for action, responses in content.custom_actions.items():
        for response in responses:
            used[response].append(f"actions/: custom action {action}")
    if content.responses.get("utter_default"):
        used["utter_default"].append("Rasa's fallback (action_default_fallback)")
    return used


def check_unused_responses(content: Content) -> list[Problem]:
    used = responses_used(content)
    return [Problem("unused", response_location(r), "is never used by a rule, story, form or custom action")
            for r in content.responses if not [w for w in used.get(r, []) if "test story" not in w]]


def check_unknown_names(content: Content) -> list[Problem]:
    """Every intent and action a flow names exists in the domain (a typo would silently never run)."""
    known_actions = set(content.responses) | set(content.forms) | BUILT_IN_ACTIONS | set(
        content.domain.get("actions") or [])
    known_intents = set(content.intents) | BUILT_IN_INTENTS
    problems = []
    for flow in content.flows:
        if flow.kind == "form":
            continue
        for turn in flow.turns:
            problems += [Problem("names", flow.location, f"intent '{i}' is not in the domain")
                         for i in turn.pupil if i not in known_intents and not i.startswith('"')]
            problems += [Problem("names", flow.location, f"action '{a}' is not in the domain")
                         for a in turn.assistant if a not in known_actions and not a.startswith('"')]
    return problems


def minimum_examples(intent: str) -> int:
    return MIN_EXAMPLES_OTHER if intent in NOT_SITUATIONS else MIN_EXAMPLES_SITUATION


def check_examples(content: Content) -> list[Problem]:
    problems = []
    for intent in content.intents:
        count = len(content.nlu.get(intent, []))
        if count < minimum_examples(intent):
            problems.append(Problem("examples", f"data/nlu: intent {intent}",
                                    f"has {count} example messages; needs at least {minimum_examples(intent)}"))
    return problems


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w' ]", " ", text.lower()).split())


def check_duplicate_examples(content: Content) -> list[Problem]:
    """The same message (ignoring case and punctuation) under two intents confuses the model."""
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for intent, examples in content.nlu.items():
        for example in examples:
            seen[normalised(example.text)].setdefault(intent, example.file)
    return [Problem("duplicates", ", ".join(f"{file}: intent {intent}" for intent, file in where.items()),
                    f"'{text}' is an example of {len(where)} intents")
            for text, where in seen.items() if len(where) > 1]


CHECKS = [
    Check("blaming", "No victim-blaming",
          "No response contains a victim-blaming phrase from the reply contract (or raw HTML, or nothing).",
          check_blaming),
    Check("readability", "Readable by an 11-year-old",
          f"Every response scores at most Flesch-Kincaid grade {MAX_GRADE:g} (ages 11-12).", check_readability),
    Check("registry", "Numbers and addresses match the registry",
          "Every phone number, text number and web address in a response is in services.yml, "
          "and a number after a service's name is that service's own.", check_registry),
    Check("signs", "Every situation is handled",
          "Every situation in the reply contract starts a flow, and the flow's first reply holds "
          "what the contract asks for.", check_signs_handled),
    Check("dead_ends", "No dead ends",
          "The last thing the assistant says in every flow offers a way to get help: a trusted adult, "
          "Childline, CEOP, the police, a crisis line, or buttons.", check_dead_ends),
    Check("crisis", "Crisis interrupts every question",
          "Self-harm risk, immediate danger and 'I need help now' are answered first with crisis help "
          "whatever the assistant just asked: by a rule with no condition, by every rule that follows "
          "a question, and, for every form, by a rule that stops the form.", check_crisis_interrupts),
    Check("unused", "No unused responses", "Every response is used by a flow, a form or a custom action.",
          check_unused_responses),
    Check("names", "No unknown names", "Every intent and action named in a flow exists in the domain.",
          check_unknown_names),
    Check("examples", "Enough example messages",
          f"Every situation has at least {MIN_EXAMPLES_SITUATION} example messages; short replies, questions "
          f"about the assistant and button answers at least {MIN_EXAMPLES_OTHER}.", check_examples),
    Check("duplicates", "No message under two intents",
          "No example message appears under two intents.", check_duplicate_examples),
]


def run_checks(content: Content, checks: list[Check] = CHECKS) -> list[CheckResult]:
    return [CheckResult(check, check.run(content)) for check in checks]
