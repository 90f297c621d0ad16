"""The content as the audit reads it: every flow (rules, stories, forms) as turns of what the
pupil says and what the assistant does, with the domain, registry and example messages.

Everything the audit checks and shows comes from one `Content` object, so the checks can be run
on an altered copy of the content (tests/audit plants mistakes in a copy under a tmp dir).
The files themselves are read and checked by the content package (content/).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content.domain import load_domain, variation_lines
from content.files import REPO_ROOT, ContentFiles
from content.registry import load_registry
from content.training import Example, load_documents, load_examples

# Rasa's own actions, which say nothing of their own.
BUILT_IN_ACTIONS = {"action_deactivate_loop", "action_listen", "action_restart", "action_back",
                    "action_session_start", "action_default_fallback", "action_two_stage_fallback"}
# Intents Rasa predicts without them being in the domain.
BUILT_IN_INTENTS = {"nlu_fallback"}


@dataclass
class Turn:
    """One exchange: what the pupil says (intent alternatives; none for a flow that starts
    with the assistant), then every action the assistant takes before listening again."""
    pupil: list[str] = field(default_factory=list)
    assistant: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. "the age question ends"
    # Forms that run here only to take the pupil's answer and finish (active_loop: null
    # follows): they ask nothing at this point.
    finished_forms: list[str] = field(default_factory=list)

    def speaking(self) -> list[str]:
        """The actions that make the assistant say something in this turn."""
        return [a for a in self.assistant if a not in self.finished_forms]


@dataclass
class Flow:
    kind: str          # "rule", "story", "form" or "test story"
    name: str
    file: str          # path relative to the content root
    conditions: list[str]
    turns: list[Turn]
    active_loop_condition: str | None = None

    @property
    def location(self) -> str:
        return f"{self.file}: {self.kind} '{self.name}'"

    @property
    def anchor(self) -> str:
        return "flow-" + re.sub(r"[^a-z0-9]+", "-", f"{self.kind} {self.file} {self.name}".lower()).strip("-")

    @property
    def first_intents(self) -> list[str]:
        """Intents that start this flow (its first turn is the pupil's)."""
        return self.turns[0].pupil if self.turns and self.turns[0].pupil else []

    def actions(self) -> list[str]:
        return [action for turn in self.turns for action in turn.assistant]


@dataclass
class Content:
    root: Path
    domain: dict[str, Any]
    services: dict[str, dict[str, Any]]
    nlu: dict[str, list[Example]]
    flows: list[Flow]              # rules, stories and forms: what the assistant does
    test_stories: list[Flow]       # tests/stories: shown in "where used", not checked as flows
    custom_actions: dict[str, set[str]]   # custom action -> responses it may send

    @property
    def responses(self) -> dict[str, list[dict[str, Any]]]:
        return self.domain.get("responses") or {}

    @property
    def intents(self) -> list[str]:
        return [i if isinstance(i, str) else next(iter(i)) for i in self.domain.get("intents") or []]

    @property
    def forms(self) -> dict[str, dict[str, Any]]:
        return self.domain.get("forms") or {}

    @property
    def slots(self) -> dict[str, dict[str, Any]]:
        return self.domain.get("slots") or {}

    def variations(self, response_id: str) -> list[dict[str, Any]]:
        return self.responses.get(response_id) or []

    def variations_for(self, response_id: str, slots: dict[str, Any]) -> list[dict[str, Any]]:
        """The variations a conversation with these slot values can get (a slot given as None is
        known to be empty; a slot not given may hold anything). As Rasa chooses: a variation whose
        conditions all match, or, when none does, one without a condition."""
        def known(condition: dict[str, Any]) -> bool:
            return condition.get("name") in slots

        def holds(condition: dict[str, Any]) -> bool:
            return _same_value(slots[condition.get("name")], condition.get("value"))

        variations = self.variations(response_id)
        conditional = [v for v in variations if v.get("condition")
                       and all(holds(c) for c in v["condition"] if known(c))]
        certain = any(all(known(c) and holds(c) for c in v["condition"]) for v in conditional)
        return conditional + ([] if certain else [v for v in variations if not v.get("condition")])

    def form_questions(self, form: str) -> list[str]:
        """The responses a form asks with, one per required slot, in order."""
        return [f"utter_ask_{slot}" for slot in self.forms[form].get("required_slots") or []]

    def said_by(self, action: str) -> list[str]:
        """The responses an action in a flow makes the assistant say (a form asks its first question)."""
        if action in self.responses:
            return [action]
        if action in self.forms:
            return self.form_questions(action)[:1]
        return []

    def replies(self, actions: list[str], limit: int = 64, slots: dict[str, Any] | None = None) -> list[str]:
        """Every text the assistant can send for these actions (one per combination of variations),
        as the reply contract reads it: message texts and button titles, one per line.
        With `slots`, only the variations a conversation with those slot values can get
        (e.g. {"age_group": "18_or_over"}, see `variations_for`); without, every variation.
        Custom actions are left out: what they say depends on the school and the time."""
        choose = self.variations if slots is None else (lambda r: self.variations_for(r, slots))
        per_response = [choose(r) for a in actions for r in self.said_by(a)]
        per_response = [v for v in per_response if v]
        replies = []
        for combination in itertools.islice(itertools.product(*per_response), limit):
            replies.append("\n".join(line for variation in combination for line in variation_lines(variation)))
        return replies


def _same_value(filled: Any, wanted: Any) -> bool:
    """A response condition's value against a slot's, as Rasa compares them (text ignoring case)."""
    if isinstance(filled, str) and isinstance(wanted, str):
        return filled.casefold() == wanted.casefold()
    return filled == wanted


# --- flows -------------------------------------------------------------------------------
def _condition_text(condition: dict[str, Any]) -> str:
    if "active_loop" in condition:
        return f"while {condition['active_loop']} is asking" if condition["active_loop"] else "no question in progress"
    if "slot_was_set" in condition:
        return "when " + ", ".join(f"{k} is {v}" for item in condition["slot_was_set"] for k, v in item.items())
    return str(condition)


def turns_from_steps(steps: list[dict[str, Any]]) -> list[Turn]:
    """Group rule or story steps into turns: each pupil message, then the assistant's actions."""
    turns: list[Turn] = []
    for step in steps or []:
        if "intent" in step or "or" in step or "user" in step:
            if "or" in step:
                intents = [s["intent"] for s in step["or"] if "intent" in s]
            else:
                intents = [step.get("intent") or f'"{step["user"]}"']
            turns.append(Turn(pupil=intents))
            continue
        if not turns:
            turns.append(Turn())   # the flow starts with something the assistant said
        if "action" in step:
            turns[-1].assistant.append(step["action"])
        elif "bot" in step:
            turns[-1].assistant.append(f'"{step["bot"]}"')
        elif "active_loop" in step:
            loop = step["active_loop"]
            turns[-1].notes.append(f"{loop} starts asking" if loop else "the question ends")
            if not loop and turns[-1].assistant:
                turns[-1].finished_forms.append(turns[-1].assistant[-1])
    return turns


def load_flows(root: Path, folder: str, test: bool = False) -> list[Flow]:
    flows = []
    for relative, document in load_documents(root, folder):
        for kind in ("rules", "stories"):
            for item in document.get(kind) or []:
                conditions = item.get("condition") or []
                loop = next((c["active_loop"] for c in conditions if c.get("active_loop")), None)
                name = kind[:-1] if kind == "rules" else "story"
                flows.append(Flow(
                    kind=("test " if test else "") + name,
                    name=item.get("rule") or item.get("story") or "(unnamed)",
                    file=relative,
                    conditions=[_condition_text(c) for c in conditions]
                    + (["it is the first message of the conversation"] if item.get("conversation_start") else []),
                    turns=turns_from_steps(item.get("steps")),
                    active_loop_condition=loop))
    return flows


def _answers_for(slot: dict[str, Any], form: str) -> list[str]:
    """How a pupil can answer a form's question: the intents and entities its mappings read."""
    answers = []
    for mapping in slot.get("mappings") or []:
        loops = [c.get("active_loop") for c in mapping.get("conditions") or []]
        if loops and form not in loops:
            continue
        if mapping.get("type") == "from_intent" and mapping.get("intent"):
            answers.append(mapping["intent"])
        elif mapping.get("type") == "from_entity":
            answers.append(f"(any message naming {mapping.get('entity')})")
        elif mapping.get("type") == "from_text":
            answers.append("(any message)")
    return list(dict.fromkeys(answers))


def form_flows(domain: dict[str, Any], rule_flows: list[Flow], domain_file: str = "domain.yml") -> list[Flow]:
    """A form as a flow: each question, the answers it takes, then what the rules do when it ends."""
    flows = []
    slots = domain.get("slots") or {}
    for form, spec in (domain.get("forms") or {}).items():
        turns: list[Turn] = []
        for slot in spec.get("required_slots") or []:
            question = f"utter_ask_{slot}"
            if turns:
                turns[-1].assistant.append(question)   # the next question follows the last answer
            else:
                turns.append(Turn(assistant=[question]))
            turns.append(Turn(pupil=_answers_for(slots.get(slot) or {}, form)))
        ending = next((f for f in rule_flows if f.active_loop_condition == form and not f.first_intents
                       and f.turns and f.turns[0].assistant[:1] == [form]), None)
        if ending and turns:
            turns[-1].assistant.extend(a for a in ending.actions() if a != form)
            turns[-1].notes.append(f"the question ends ({ending.location})")
        flows.append(Flow(kind="form", name=form, file=domain_file, conditions=[], turns=turns))
    return flows


# --- custom actions ----------------------------------------------------------------------
ACTION_NAME_RE = re.compile(r"""return\s+["'](action_\w+)["']""")
RESPONSE_RE = re.compile(r"""response\s*=\s*["'](utter_\w+)["']""")


def load_custom_actions(root: Path) -> dict[str, set[str]]:
    """Custom action name -> the responses its module may send. Read from the source, not
    imported: the audit must not need the action server's dependencies."""
    actions: dict[str, set[str]] = {}
    folder = root / "actions" if (root / "actions").is_dir() else REPO_ROOT / "actions"
    for path in sorted(folder.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for name in ACTION_NAME_RE.findall(source):
            actions[name] = set(RESPONSE_RE.findall(source))
    return actions


def load_content(root: Path | str = REPO_ROOT) -> Content:
    root = Path(root).resolve()
    files = ContentFiles.in_folder(root)
    domain = load_domain(files.domain)
    flows = load_flows(root, "data/rules") + load_flows(root, "data/stories")
    return Content(
        root=root,
        domain=domain,
        services=load_registry(files.services),
        nlu=load_examples(root),
        flows=flows + form_flows(domain, flows),
        test_stories=load_flows(root, "tests/stories", test=True),
        custom_actions=load_custom_actions(root),
    )
