"""The automatic content checks. Each check takes a `Content` and returns its problems.

The rules they apply are the project's own (audit/rules.py). A check never reads files itself:
tests build a Content from an altered copy of the content and expect the check to name what
they planted, and where.
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from audit import rules
from audit.flows import BUILT_IN_ACTIONS, BUILT_IN_INTENTS, Content, Flow, Turn
from audit.registry_check import URL_RE, problems_in_text, services_named
from content.domain import variation_lines
from content.registry import checked_on, uses_checked_pages


@dataclass(frozen=True)
class Pupil:
    """Who the pupil is, as far as the assistant knows: the slot values Rasa chooses response
    variations by (None: known to be empty)."""
    describes: str
    slots: dict
    adult: bool = False


# Routes follow the age the pupil said: under-18 routes until they say they are 18 or over.
# Every situation's first reply is checked as each of these pupils gets it.
AGE_NOT_SAID = Pupil("", {"age_group": None, "writer": "pupil"})
SAID_UNDER_18 = Pupil("a pupil who said they are under 18", {"age_group": "under_18", "writer": "pupil"})
SAID_18_OR_OVER = Pupil("a pupil who said they are 18 or over", {"age_group": "18_or_over", "writer": "pupil"},
                        adult=True)
# A parent, carer or teacher writing about a child: the child's routes, whatever age the adult gave.
FOR_A_CHILD = Pupil("a parent or teacher writing about a child", {"age_group": None, "writer": "adult_for_child"})
PUPILS = (AGE_NOT_SAID, SAID_UNDER_18, SAID_18_OR_OVER, FOR_A_CHILD)


def pupils_for(intent: str) -> tuple[Pupil, ...]:
    return (SAID_18_OR_OVER,) if intent in rules.ONLY_FOR_ADULTS else PUPILS


# What counts as "a way to get help" at the end of a flow: a help route (a trusted adult,
# Childline, CEOP, the police, a crisis line), or buttons to go on with.
HELP_WORDINGS = ("trusted_adult", "childline", "ceop", "police", "crisis_line", "emergency")

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
    expected_to_fail: str | None = None   # why, when the check is in EXPECTED_TO_FAIL

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def blocks(self) -> bool:
        """A failure that fails the audit (and stops a sign-off)."""
        return not self.passed and not self.expected_to_fail


def response_location(response_id: str, index: int | None = None, count: int = 1) -> str:
    where = f"domain.yml: response {response_id}"
    return where + (f" (variation {index + 1})" if index is not None and count > 1 else "")


# --- sentences -----------------------------------------------------------------------------
def each_variation(content: Content):
    """(location, variation) for every variation of every response."""
    for response_id, variations in content.responses.items():
        for index, variation in enumerate(variations):
            yield response_location(response_id, index, len(variations)), variation


def check_blaming(content: Content) -> list[Problem]:
    """No victim-blaming phrase, no raw HTML and no empty text in any response or button."""
    return [Problem("blaming", where, problem) for where, variation in each_variation(content)
            for problem in rules.every_reply_problems("\n".join(variation_lines(variation)))]


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
    import textstat  # in the web venv only; imported here so the other checks run anywhere
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
    return [Problem("registry", where, problem) for where, variation in each_variation(content)
            for line in variation_lines(variation) for problem in problems_in_text(line, content.services)]


def check_services_checked(content: Content, today: datetime.date | None = None) -> list[Problem]:
    """Every service a reply names is in the registry, checked against its own page lately."""
    today = today or datetime.date.today()
    needs_page = uses_checked_pages(content.services)
    problems = []
    for where, variation in each_variation(content):
        text = "\n".join(variation_lines(variation))
        for key in services_named(content.services, text):
            problem = _stale(content.services[key], today, needs_page)
            if problem:
                problems.append(Problem("services_checked", where, f"names {content.services[key]['name']}, {problem}"))
        problems += [Problem("services_checked", where, f"names {address!r}, which is no service in services.yml")
                     for address in unregistered_addresses(text, content.services)]
    return problems


def _stale(service: dict, today: datetime.date, needs_page: bool) -> str | None:
    if needs_page and "checked" not in service:
        return "whose entry has no `checked: {page, date}`"
    checked = checked_on(service)
    if checked is None:
        return "whose entry does not say when it was checked"
    if (today - checked).days > rules.CHECKED_WITHIN_DAYS:
        return f"last checked {checked}, more than {rules.CHECKED_WITHIN_DAYS} days ago"
    return None


def unregistered_addresses(text: str, services: dict) -> list[str]:
    """Web addresses written without https:// that are no registry service's address or name."""
    known = " ".join(str(s.get(f, "")) for s in services.values() for f in ("url", "name")).lower()
    return [a for a in rules.BARE_ADDRESS.findall(URL_RE.sub(" ", text)) if a.lower() not in known]


# --- flows ---------------------------------------------------------------------------------
def flows_started_by(content: Content, intent: str) -> list[Flow]:
    """Flows that answer this intent whatever came before (no condition)."""
    return [f for f in content.flows if intent in f.first_intents and not f.conditions]


def check_situations(content: Content) -> list[Problem]:
    """Each situation in the rules starts a flow, and that flow's first reply gives what the rules
    ask for, as every pupil gets it: age not said, said under 18, said 18 or over."""
    problems = []
    for intent in rules.FIRST_REPLY_NEEDS:
        flows = flows_started_by(content, intent) if intent in content.intents else []
        if not flows:
            problems.append(Problem("situations", f"domain.yml: intent {intent}", "no flow starts with it"))
        for flow in flows:
            problems += _first_reply_problems(content, intent, flow)
    return problems


def _first_reply_problems(content: Content, intent: str, flow: Flow) -> list[Problem]:
    reported: set[str] = set()
    problems = []
    for pupil in pupils_for(intent):
        for reply in content.replies(flow.turns[0].speaking(), slots=pupil.slots):
            for problem in first_reply_problems(content, intent, reply, pupil):
                if problem not in reported:
                    reported.add(problem)
                    to = f"'{intent}'" + (f" for {pupil.describes}" if pupil.describes else "")
                    problems.append(Problem("situations", flow.location, f"first reply to {to}: {problem}"))
    return problems


def first_reply_problems(content: Content, intent: str, reply: str, pupil: Pupil = AGE_NOT_SAID) -> list[str]:
    """What this first reply misses of what the rules ask for this pupil, and any crisis wording
    where no risk was shown."""
    present = rules.found_in(reply, content.services)
    problems = ["missing " + " or ".join(need) for need in rules.needs_for(intent, pupil.adult)
                if not present & set(need)]
    if intent in rules.NO_CRISIS_WORDING and rules.CRISIS_WORDING.search(reply):
        problems.append("crisis wording on a message that showed no risk")
    return problems


def offers_help(content: Content, actions: list[str]) -> bool:
    """Whether every way the assistant can say these actions gives a help route or buttons."""
    said = [r for a in actions for r in content.said_by(a)]
    if any(v.get("buttons") for r in said for v in content.variations(r)):
        return True
    replies = content.replies(actions)
    return bool(replies) and all(rules.found_in(reply, content.services) & set(HELP_WORDINGS) for reply in replies)


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


# --- the right help for the right person ------------------------------------------------------
def for_adults_only(variation: dict) -> bool:
    """Whether only someone who said they are 18 or over gets this variation."""
    name, value = rules.ADULT_AGE_GROUP
    return any(c.get("name") == name and c.get("value") == value for c in variation.get("condition") or [])


def check_adult_only(content: Content) -> list[Problem]:
    """Adult-only services (StopNCII, the Revenge Porn Helpline, any entry marked adult_only) and
    "as you're 18 or over" only where the pupil said they are 18 or over, or in a clause that
    says who the service is for."""
    problems = []
    for where, variation in each_variation(content):
        if for_adults_only(variation):
            continue
        text = "\n".join(variation_lines(variation))
        problems += [Problem("adult_only", where, f"offers an adult-only service to someone not known to be 18 "
                             f"or over: {clause!r}") for clause in rules.unqualified_adult_routes(text, content.services)]
        problems += [Problem("adult_only", where, f"tells someone not known to be 18 or over that they are: {said!r}")
                     for said in rules.adult_assertions(text)]
    return problems


def check_evidence(content: Content) -> list[Problem]:
    """Evidence advice keeps the messages, usernames and payment details, never the pictures."""
    return [Problem("evidence", where, f"asks the pupil to keep the pictures: {clause!r}")
            for where, variation in each_variation(content)
            for clause in rules.evidence_asking_for_pictures("\n".join(variation_lines(variation)))]


def check_school_contact(content: Content) -> list[Problem]:
    """Every reply that starts a main blackmail flow names the pupil's own school contact."""
    problems = []
    for flow, response_id in rules.MAIN_BLACKMAIL_REPLIES.items():
        variations = content.variations(response_id)
        if not variations:
            problems.append(Problem("school_contact", response_location(response_id),
                                    f"the {flow} reply is not in domain.yml (rename it in audit/rules.py)"))
        problems += [Problem("school_contact", response_location(response_id, index, len(variations)),
                             f"the {flow} reply does not name the school's contact ({rules.SCHOOL_CONTACT})")
                     for index, variation in enumerate(variations) if rules.SCHOOL_CONTACT not in variation.get("text", "")]
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
          "No response blames the pupil, carries raw HTML or says nothing.", check_blaming),
    Check("readability", "Readable by an 11-year-old",
          f"Every response scores at most Flesch-Kincaid grade {MAX_GRADE:g} (ages 11-12).", check_readability),
    Check("registry", "Numbers and addresses match the registry",
          "Every phone number, text number and web address in a response is in services.yml, "
          "and a number after a service's name is that service's own.", check_registry),
    Check("services_checked", "Every service named is checked and current",
          "Every service a response names is in services.yml, and its entry was checked against the "
          f"service's own page in the last {rules.CHECKED_WITHIN_DAYS} days.", check_services_checked),
    Check("situations", "Every situation is handled",
          "Every situation starts a flow, and the flow's first reply gives what audit/rules.py asks for, "
          "whatever age the pupil said.", check_situations),
    Check("adult_only", "Adult routes only for adults",
          "StopNCII, the Revenge Porn Helpline and any adult-only service appear only in replies for someone "
          "who said they are 18 or over, or in a clause saying they are for 18 or over.", check_adult_only),
    Check("evidence", "Evidence, never the pictures",
          "Advice on keeping evidence never asks for the pictures (\"screenshot everything\" fails).",
          check_evidence),
    Check("school_contact", "The school's contact in every main flow",
          f"Every main blackmail flow's reply names the school's own safeguarding person ({rules.SCHOOL_CONTACT}).",
          check_school_contact),
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

# A check that fails for a reason someone is already fixing, with that reason. The audit shows
# it as expected to fail and passes; once the check passes, it says to take it off this list.
EXPECTED_TO_FAIL: dict[str, str] = {}


def run_checks(content: Content, checks: list[Check] = CHECKS,
               expected_to_fail: dict[str, str] = EXPECTED_TO_FAIL) -> list[CheckResult]:
    return [CheckResult(check, check.run(content), expected_to_fail.get(check.id)) for check in checks]
