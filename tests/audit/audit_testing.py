"""Helpers for the audit's tests: where the repository is, and copies of the content."""
from __future__ import annotations

import shutil
from pathlib import Path

from content.version import VERSIONED_FILES, VERSIONED_FOLDERS

ROOT = Path(__file__).resolve().parents[2]

# Everything that decides what a pupil sees: the content version's files.
CONTENT = list(VERSIONED_FILES) + list(VERSIONED_FOLDERS)


def copy_content(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in CONTENT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


# A question the assistant asks with a form. The content has no form now; these are planted in
# a copy so the checks that look after forms (crisis interrupts them, their last reply is no dead
# end, the report draws them) keep working for the next form someone adds.
PLANTED_FORM = "app_form"
PLANTED_FORM_RULES = "data/rules/planted_form.yml"


def plant_form(root: Path, form: str = PLANTED_FORM, crisis_rules: bool = True) -> Path:
    """Adds to the copy at root a form asking which app they are messaging on, the rule that
    starts it, the rule that ends it, and (crisis_rules) a rule per crisis intent that stops it."""
    import yaml

    domain_file = root / "domain.yml"
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    domain.setdefault("forms", {})[form] = {"required_slots": ["contact_app"]}
    domain["slots"]["contact_app"] = {"type": "text", "influence_conversation": False, "mappings": [
        {"type": "from_text", "conditions": [{"active_loop": form}]}]}
    domain["responses"]["utter_ask_contact_app"] = [{"text": "Which app are they messaging you on?", "buttons": [
        {"title": "Snapchat", "payload": '/still_in_contact{"contact_app": "Snapchat"}'},
        {"title": "Instagram", "payload": '/still_in_contact{"contact_app": "Instagram"}'}]}]
    domain["responses"]["utter_report_on_app"] = [{"text": "You can report the account in the app's settings. "
                                                   "Tell a trusted adult or Childline (0800 1111) too."}]
    domain_file.write_text(yaml.safe_dump(domain, sort_keys=False, allow_unicode=True), encoding="utf-8")

    rules = [
        {"rule": "the app question starts", "steps": [
            {"intent": "still_in_contact"}, {"action": form}, {"active_loop": form}]},
        {"rule": "once the app is known, how to report there", "condition": [{"active_loop": form}], "steps": [
            {"action": form}, {"active_loop": None}, {"slot_was_set": [{"requested_slot": None}]},
            {"action": "utter_report_on_app"}]},
    ]
    if crisis_rules:
        replies = {"self_harm_risk": "utter_crisis_self_harm", "immediate_danger": "utter_crisis_danger",
                   "need_help_now": "utter_help_now"}
        rules += [{"rule": f"{intent} interrupts the app question", "condition": [{"active_loop": form}], "steps": [
            {"intent": intent}, {"action": reply}, {"action": "action_deactivate_loop"}, {"active_loop": None},
            {"action": "utter_crisis_check_safe"}]} for intent, reply in replies.items()]
    path = root / PLANTED_FORM_RULES
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {"version": "3.1", "rules": []}
    existing["rules"] += rules
    path.write_text(yaml.safe_dump(existing, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root
