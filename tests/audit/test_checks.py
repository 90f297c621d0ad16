"""Each content check passes on good content and names the location of a planted mistake."""
from __future__ import annotations

import copy

import pytest

from audit import checks
from audit.content import Example, Flow, Turn, load_content
from audit_testing import ROOT

CONTENT = load_content(ROOT)


@pytest.fixture
def content():
    """A deep copy of the real content, to alter in memory."""
    return copy.deepcopy(CONTENT)


def say(content, response_id: str, text: str, **extra) -> None:
    content.domain["responses"][response_id] = [dict(text=text, **extra)]


def locations(problems) -> set[str]:
    return {p.location for p in problems}


def test_blaming_passes_on_the_content():
    assert checks.check_blaming(CONTENT) == []


@pytest.mark.parametrize("sentence", ["Why did you send it? Don't pay.", "It was your own fault.",
                                      "You should have known better.", "<script>alert(1)</script>"])
def test_blaming_names_the_response(content, sentence):
    say(content, "utter_payment_demand", sentence)
    problems = checks.check_blaming(content)
    assert locations(problems) == {"domain.yml: response utter_payment_demand"}


def test_blaming_reads_buttons_too(content):
    content.domain["responses"]["utter_triage"][0]["buttons"][0]["title"] = "What were you thinking?"
    assert locations(checks.check_blaming(content)) == {"domain.yml: response utter_triage"}


def test_readability_scores_plain_and_hard_text(content):
    say(content, "utter_goodbye", "Take care. You can come back any time. Call Childline on 0800 1111.")
    say(content, "utter_thank_you", "Notwithstanding considerable institutional safeguarding responsibilities, "
        "organisations must systematically facilitate comprehensive multidisciplinary interventions.")
    where = locations(checks.check_readability(content))
    assert "domain.yml: response utter_thank_you" in where
    assert "domain.yml: response utter_goodbye" not in where


def test_readability_reads_bullets_and_links_as_a_reader_does():
    text = checks.readable_text("Help:\n• Childline: 0800 1111\n• https://www.childline.org.uk/report-remove/")
    assert text == "Help. Childline: ten. link."


def test_readability_reports_every_response():
    scored = {s.response_id for s in checks.readability_scores(CONTENT)}
    assert scored == {r for r, v in CONTENT.responses.items() if any(x.get("text") for x in v)}


def test_registry_passes_on_the_content():
    assert checks.check_registry(CONTENT) == []


@pytest.mark.parametrize("text", ["Call Childline on 0800 1112.", "Call Childline on 116 123.",
                                  "See https://childline.example/"])
def test_registry_names_the_response(content, text):
    say(content, "utter_goodbye", text)
    assert locations(checks.check_registry(content)) == {"domain.yml: response utter_goodbye"}


def test_signs_pass_on_the_content():
    assert checks.check_signs_handled(CONTENT) == []


def test_a_sign_without_a_flow_fails(content):
    content.flows = [f for f in content.flows if "payment_demand" not in f.first_intents]
    assert "reply contract sign 'payment_demand'" in locations(checks.check_signs_handled(content))


def test_a_first_reply_missing_what_the_contract_needs_fails(content):
    say(content, "utter_crisis_self_harm", "I'm really glad you told me.")
    problems = checks.check_signs_handled(content)
    assert any(p.location == "data/rules/safety.yml: rule 'self-harm risk gets crisis help at once'"
               and "crisis_line" in p.message for p in problems)


def test_meta_is_handled_by_the_questions_about_the_assistant():
    assert checks.SIGN_INTENTS["meta"] == ["ask_if_anonymous", "ask_if_bot", "ask_for_human"]
    assert set(checks.SIGN_INTENTS) == set(checks.SIGNS)


def test_no_dead_ends_in_the_content():
    assert checks.check_dead_ends(CONTENT) == []


def test_a_flow_ending_without_help_is_a_dead_end(content):
    say(content, "utter_goodbye", "Bye for now.")
    assert locations(checks.check_dead_ends(content)) == {"data/rules/conversation.yml: rule 'goodbye'"}


def test_buttons_are_a_way_on(content):
    say(content, "utter_goodbye", "Bye for now.", buttons=[{"title": "Start again", "payload": "/greet"}])
    assert checks.check_dead_ends(content) == []


def test_a_form_answer_is_not_mistaken_for_the_question(content):
    """The rule that finishes the age question must be judged by its last reply, not by the
    question's buttons: without help in the routes it is a dead end."""
    say(content, "utter_removal_routes", "Here are the tools.")
    where = locations(checks.check_dead_ends(content))
    assert "data/rules/removal.yml: rule 'once the age is known, give the routes that fit'" in where
    assert "domain.yml: form 'age_form'" in where


def test_crisis_interrupts_every_form_in_the_content():
    assert checks.check_crisis_interrupts_forms(CONTENT) == []


@pytest.mark.parametrize("intent", ["self_harm_risk", "immediate_danger"])
def test_a_form_without_a_crisis_rule_fails(content, intent):
    content.flows = [f for f in content.flows if not (f.active_loop_condition and intent in f.first_intents)]
    problems = checks.check_crisis_interrupts_forms(content)
    assert [p.location for p in problems] == ["domain.yml: form age_form"]
    assert intent in problems[0].message


def test_a_new_form_needs_its_own_crisis_rules(content):
    content.domain["forms"]["school_form"] = {"required_slots": ["age_group"]}
    problems = checks.check_crisis_interrupts_forms(content)
    assert {p.location for p in problems} == {"domain.yml: form school_form"}
    assert len(problems) == len([i for i in checks.CRISIS_INTENTS if i in content.intents])


def test_no_unused_responses_in_the_content():
    assert checks.check_unused_responses(CONTENT) == []


def test_an_unused_response_fails(content):
    say(content, "utter_forgotten", "Nobody says this. Childline: 0800 1111.")
    assert locations(checks.check_unused_responses(content)) == {"domain.yml: response utter_forgotten"}


def test_a_response_only_a_custom_action_sends_is_used():
    used = checks.responses_used(CONTENT)
    assert any("action_school_contact" in w for w in used["utter_school_contact"])


def test_no_unknown_names_in_the_content():
    assert checks.check_unknown_names(CONTENT) == []


def test_a_typo_in_a_flow_fails(content):
    content.flows.append(Flow("rule", "typo", "data/rules/x.yml", [], [Turn(["greet"], ["utter_gret"])]))
    assert locations(checks.check_unknown_names(content)) == {"data/rules/x.yml: rule 'typo'"}


def test_enough_examples(content):
    content.nlu["payment_demand"] = [Example(f"they want {n} quid", "data/nlu/x.yml") for n in range(30)]
    content.nlu["greet"] = [Example(f"hi {n}", "data/nlu/x.yml") for n in range(3)]
    where = locations(checks.check_examples(content))
    assert "data/nlu: intent payment_demand" not in where
    assert "data/nlu: intent greet" in where


def test_short_replies_need_fewer_examples_than_situations():
    assert checks.minimum_examples("greet") == 15
    assert checks.minimum_examples("payment_demand") == 30
    assert checks.minimum_examples("a_new_intent") == 30, "a new intent counts as a situation"


def test_an_example_under_two_intents_fails(content):
    content.nlu["greet"] = [Example("Hello there!", "data/nlu/conversation.yml")]
    content.nlu["off_topic"] = [Example("hello there", "data/nlu/off_topic.yml")]
    problems = checks.check_duplicate_examples(content)
    assert any(p.location == "data/nlu/conversation.yml: intent greet, data/nlu/off_topic.yml: intent off_topic"
               for p in problems)


def test_distinct_examples_pass(content):
    content.nlu = {"greet": [Example("hi", "a.yml")], "goodbye": [Example("bye", "a.yml")]}
    assert checks.check_duplicate_examples(content) == []


def test_every_check_is_in_the_report():
    assert [c.id for c in checks.CHECKS] == ["blaming", "readability", "registry", "signs", "dead_ends", "crisis",
                                             "unused", "names", "examples", "duplicates"]


def test_a_crisis_rule_that_leaves_the_form_asking_fails(content):
    rule = next(f for f in content.flows if f.active_loop_condition == "age_form" and "self_harm_risk" in f.first_intents)
    rule.turns[0].assistant = [a for a in rule.turns[0].assistant if a != "action_deactivate_loop"]
    problems = checks.check_crisis_interrupts_forms(content)
    assert [p.location for p in problems] == [rule.location]
    assert "does not stop the form" in problems[0].message
