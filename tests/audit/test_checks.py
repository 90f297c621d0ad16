"""Each content check passes on good content and names the location of a planted mistake."""
from __future__ import annotations

import copy
import datetime

import pytest

from audit import checks, rules
from audit.flows import Flow, Turn, load_content
from audit_testing import PLANTED_FORM, PLANTED_FORM_RULES, ROOT, copy_content, plant_form
from content.training import Example

CONTENT = load_content(ROOT)


@pytest.fixture
def content():
    """A deep copy of the real content, to alter in memory."""
    return copy.deepcopy(CONTENT)


@pytest.fixture(scope="module")
def with_a_form(tmp_path_factory):
    """The content with a form planted in a copy on disk (the real content has none)."""
    return load_content(plant_form(copy_content(tmp_path_factory.mktemp("form") / "content")))


@pytest.fixture
def form_content(with_a_form):
    return copy.deepcopy(with_a_form)


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
    content.domain["responses"]["utter_greet"][0]["buttons"][0]["title"] = "What were you thinking?"
    assert locations(checks.check_blaming(content)) == {"domain.yml: response utter_greet (variation 1)"}


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


def test_situations_pass_on_the_content():
    assert checks.check_situations(CONTENT) == []


def test_a_situation_without_a_flow_fails(content):
    content.flows = [f for f in content.flows if "payment_demand" not in f.first_intents]
    assert "domain.yml: intent payment_demand" in locations(checks.check_situations(content))


def first_flow(content, intent: str) -> Flow:
    return checks.flows_started_by(content, intent)[0]


def test_a_first_reply_missing_what_the_rules_need_fails(content):
    say(content, "utter_crisis_self_harm", "I'm really glad you told me.")
    problems = checks.check_situations(content)
    assert any(p.location == first_flow(content, "self_harm_risk").location and "crisis_line" in p.message
               for p in problems)


def test_every_situation_in_the_rules_is_an_intent():
    assert set(rules.FIRST_REPLY_NEEDS) <= set(CONTENT.intents), set(rules.FIRST_REPLY_NEEDS) - set(CONTENT.intents)


def test_crisis_numbers_come_from_the_registry(content):
    """The rules name the crisis services; their numbers are the registry's, so a changed number
    is changed in one place."""
    assert "crisis_line" in rules.found_in("Call Samaritans on 116 123.", content.services)
    content.services["samaritans"]["phone"] = "116 999"
    assert "crisis_line" not in rules.found_in("Call Samaritans on 116 123.", content.services)
    assert "crisis_line" in rules.found_in("Call Samaritans on 116 999.", content.services)


def test_replies_take_the_variation_rasa_would_choose():
    adult = {"age_group": "18_or_over", "writer": "pupil"}
    for slots in ({"age_group": None, "writer": "pupil"}, {"age_group": "under_18", "writer": "pupil"}, adult,
                  # a parent who gave their own age: the child's routes
                  {"age_group": "18_or_over", "writer": "adult_for_child"}):
        replies = CONTENT.replies(["utter_payment_demand"], slots=slots)
        assert len(replies) == 1
        assert ("StopNCII" in replies[0]) == (slots == adult), (slots, replies[0])
    assert len(CONTENT.replies(["utter_payment_demand"])) == len(CONTENT.variations("utter_payment_demand"))


def test_a_slot_not_known_may_hold_any_value(content):
    """A variation on another slot (here: whether risk was said) is still checked for every age."""
    content.domain["responses"]["utter_self_blame"] = [
        {"condition": [{"type": "slot", "name": "risk_known", "value": True}], "text": "Okay."},
        {"text": "This is not your fault."}]
    replies = content.replies(["utter_self_blame"], slots=checks.AGE_NOT_SAID.slots)
    assert sorted(replies) == ["Okay.", "This is not your fault."]
    assert any("missing reassure" in p.message for p in checks.check_situations(content))


def test_an_adult_is_a_pupil_who_says_they_are_18_or_over():
    """No adult intent: an adult says their age (state_age), and replies take their 18+ variation."""
    assert checks.pupils_for("state_age") == (checks.SAID_18_OR_OVER,)


def adult_variation(content, response_id: str) -> dict:
    """The variation for a pupil who said they are 18 or over."""
    return next(v for v in content.variations(response_id)
                if any(c.get("name") == "age_group" for c in v.get("condition") or []))


def plain_variation(content, response_id: str) -> dict:
    return next(v for v in content.variations(response_id) if not v.get("condition"))


def test_the_reply_to_a_stated_adult_age_needs_adult_routes(content):
    adult_variation(content, "utter_removal_routes")["text"] = "Report the post and the account on the platform."
    problems = [p for p in checks.check_situations(content) if "'state_age'" in p.message]
    assert {p.location for p in problems} == {first_flow(content, "state_age").location}
    assert any("missing stopncii" in p.message and "18 or over" in p.message for p in problems)


def test_for_an_adult_stopncii_stands_for_the_under_18_removal_routes(content):
    """The 18+ variation of a reply about fake pictures gives StopNCII, not Report Remove: that passes,
    and without StopNCII it fails for the adult, naming the routes that would do."""
    assert "Report Remove" not in adult_variation(content, "utter_ai_fake_images")["text"]
    assert checks.check_situations(content) == []
    adult_variation(content, "utter_ai_fake_images")["text"] = "This is not your fault. Tell the police on 101."
    problems = checks.check_situations(content)
    assert [(p.location, p.message) for p in problems] == [
        (first_flow(content, "ai_fake_images").location, "first reply to 'ai_fake_images' for a pupil who said "
         "they are 18 or over: missing report_remove or take_it_down or stopncii")]


def test_a_pupil_under_18_is_given_the_under_18_routes(content):
    """Said under 18 or not said: the same variation, the same need (reported once)."""
    plain_variation(content, "utter_already_sent")["text"] = "Thank you for telling me. It's not your fault."
    messages = {p.message for p in checks.check_situations(content)
                if p.location == first_flow(content, "already_sent").location}
    assert messages == {"first reply to 'already_sent': missing report_remove or take_it_down"}


def test_crisis_wording_where_no_risk_was_shown_fails(content):
    say(content, "utter_off_topic", "I'm a chatbot. Are you thinking about suicide?")
    problems = checks.check_situations(content)
    assert any(p.location == first_flow(content, "off_topic").location and "crisis wording" in p.message
               for p in problems)


# --- adult routes only for adults (issue 9) ----------------------------------------------------
def test_adult_routes_are_only_for_adults_in_the_content():
    assert checks.check_adult_only(CONTENT) == []


def test_stopncii_in_an_under_18_branch_fails_naming_the_response(content):
    plain_variation(content, "utter_images_shared")["text"] += "\nStopNCII.org can stop the pictures being shared."
    variations = content.variations("utter_images_shared")
    index = variations.index(plain_variation(content, "utter_images_shared"))
    problems = checks.check_adult_only(content)
    assert [p.location for p in problems] == [f"domain.yml: response utter_images_shared (variation {index + 1})"]
    assert "StopNCII.org can stop the pictures being shared." in problems[0].message


@pytest.mark.parametrize("text", [
    "Report Remove or Take It Down can help (StopNCII if you're 18 or over).",
    "If you're 18 or over:\n• StopNCII.org\n• The Revenge Porn Helpline",
    "StopNCII is for pictures taken at 18 or over.",
])
def test_a_clause_that_says_who_it_is_for_passes(content, text):
    say(content, "utter_goodbye", text)
    assert checks.check_adult_only(content) == []


@pytest.mark.parametrize("text", ["The Revenge Porn Helpline can help.", "As you're 18 or over, use these."])
def test_other_adult_only_wording_fails(content, text):
    say(content, "utter_goodbye", text)
    assert locations(checks.check_adult_only(content)) == {"domain.yml: response utter_goodbye"}


def test_a_service_marked_adult_only_in_the_registry_counts(content):
    content.services["meic"]["adult_only"] = True
    assert "domain.yml: response utter_ask_for_human" in locations(checks.check_adult_only(content))


# --- evidence: never the pictures (issue 9) ------------------------------------------------------
def test_evidence_advice_in_the_content_never_asks_for_pictures():
    assert checks.check_evidence(CONTENT) == []


@pytest.mark.parametrize("text", ["Block them and screenshot everything.", "Save the pictures as evidence.",
                                  "Keep everything they sent you."])
def test_evidence_advice_that_asks_for_pictures_fails(content, text):
    say(content, "utter_still_in_contact", text)
    assert locations(checks.check_evidence(content)) == {"domain.yml: response utter_still_in_contact"}


@pytest.mark.parametrize("text", ["Screenshot the messages and their username, never the pictures.",
                                  "Screenshot the chat, but don't save any pictures.",
                                  "Keep evidence: screenshots of messages. Don't save the pictures.",
                                  "Screenshot everything except the pictures."])
def test_evidence_advice_that_leaves_the_pictures_out_passes(content, text):
    say(content, "utter_still_in_contact", text)
    assert checks.check_evidence(content) == []


# --- the school's contact in every main blackmail flow (issue 9) -------------------------------
def test_the_main_blackmail_replies_are_in_the_domain():
    assert set(rules.MAIN_BLACKMAIL_REPLIES.values()) <= set(CONTENT.responses)


def test_a_main_reply_without_the_school_contact_fails(content):
    for response_id in rules.MAIN_BLACKMAIL_REPLIES.values():
        for variation in content.variations(response_id):
            variation["text"] += f" Your school's {rules.SCHOOL_CONTACT} can help."
    assert checks.check_school_contact(content) == []
    say(content, "utter_already_paid", "It's okay. Don't pay any more.")
    assert locations(checks.check_school_contact(content)) == {"domain.yml: response utter_already_paid"}


def test_the_school_contact_check_is_marked_expected_to_fail_only_while_it_fails():
    """Until the lead's replies carry {school_contact}, the check is named in EXPECTED_TO_FAIL (the audit
    passes and says so); once they do, the mark must go so that a later regression fails the audit."""
    failing = bool(checks.check_school_contact(CONTENT))
    assert ("school_contact" in checks.EXPECTED_TO_FAIL) == failing


# --- the registry stays current (issue 9) -------------------------------------------------------
def test_every_service_named_in_the_content_was_checked_lately():
    assert checks.check_services_checked(CONTENT) == []


def test_a_service_checked_long_ago_fails_where_a_reply_names_it(content):
    content.services["samaritans"].pop("checked", None)
    content.services["samaritans"]["last_checked"] = datetime.date(2020, 1, 1)
    if any("checked" in s for s in content.services.values()):
        content.services["samaritans"]["checked"] = {"page": "https://www.samaritans.org/", "date": "2020-01-01"}
    where = locations(checks.check_services_checked(content))
    assert "domain.yml: response utter_crisis_self_harm" in where
    assert "domain.yml: response utter_payment_demand (variation 1)" not in where


def test_once_one_entry_has_a_checked_page_every_named_service_needs_one(content):
    for service in content.services.values():
        service.pop("checked", None)
        service["last_checked"] = datetime.date.today()
    assert checks.check_services_checked(content) == []
    content.services["childline"]["checked"] = {"page": "https://www.childline.org.uk/", "date": datetime.date.today()}
    problems = checks.check_services_checked(content)
    assert problems and all("checked: {page, date}" in p.message for p in problems)
    assert not any("names Childline," in p.message for p in problems)


def test_a_web_address_of_no_registry_service_fails(content):
    say(content, "utter_goodbye", "Take care. See helpful-site.org for more, or call Childline on 0800 1111.")
    problems = checks.check_services_checked(content)
    assert [(p.location, p.message) for p in problems] == [
        ("domain.yml: response utter_goodbye", "names 'helpful-site.org', which is no service in services.yml")]


def test_no_dead_ends_in_the_content():
    assert checks.check_dead_ends(CONTENT) == []


def new_dead_ends(content) -> set[str]:
    """Dead ends in the altered content that the real content does not have."""
    return locations(checks.check_dead_ends(content)) - locations(checks.check_dead_ends(CONTENT))


def test_a_flow_ending_without_help_is_a_dead_end(content):
    say(content, "utter_goodbye", "Bye for now.")
    assert new_dead_ends(content) == {"data/rules/conversation.yml: rule 'goodbye'"}


def test_buttons_are_a_way_on(content):
    say(content, "utter_goodbye", "Bye for now.", buttons=[{"title": "Start again", "payload": "/greet"}])
    assert "data/rules/conversation.yml: rule 'goodbye'" not in locations(checks.check_dead_ends(content))


def test_a_form_is_read_as_a_flow(with_a_form):
    form = next(f for f in with_a_form.flows if f.kind == "form")
    assert form.location == f"domain.yml: form '{PLANTED_FORM}'"
    assert form.turns[0].assistant == ["utter_ask_contact_app"]
    assert form.turns[1].pupil == ["(any message)"]
    assert form.turns[-1].assistant == ["utter_report_on_app"]
    assert checks.check_dead_ends(with_a_form) == checks.check_dead_ends(CONTENT)
    assert checks.check_unknown_names(with_a_form) == []
    assert "utter_ask_contact_app" in checks.responses_used(with_a_form)


def test_a_form_answer_is_not_mistaken_for_the_question(form_content):
    """The rule that finishes a form must be judged by its last reply, not by the question's
    buttons: without help in that reply it is a dead end, and so is the form."""
    say(form_content, "utter_report_on_app", "You can report the account in the app's settings.")
    assert new_dead_ends(form_content) == {f"{PLANTED_FORM_RULES}: rule 'once the app is known, how to report there'",
                                           f"domain.yml: form '{PLANTED_FORM}'"}


def test_crisis_interrupts_every_question_in_the_content():
    assert checks.check_crisis_interrupts(CONTENT) == []


def test_crisis_interrupts_a_form_with_its_crisis_rules(with_a_form):
    assert with_a_form.forms and checks.check_crisis_interrupts(with_a_form) == []


@pytest.mark.parametrize("intent", ["self_harm_risk", "immediate_danger", "need_help_now"])
def test_a_form_without_a_crisis_rule_fails(form_content, intent):
    form_content.flows = [f for f in form_content.flows
                          if not (f.active_loop_condition and intent in f.first_intents)]
    problems = checks.check_crisis_interrupts(form_content)
    assert [p.location for p in problems] == [f"domain.yml: form {PLANTED_FORM}"]
    assert intent in problems[0].message


def test_a_new_form_needs_its_own_crisis_rules(tmp_path):
    root = plant_form(copy_content(tmp_path / "content"))
    plant_form(root, form="school_form", crisis_rules=False)
    content = load_content(root)
    problems = checks.check_crisis_interrupts(content)
    assert {p.location for p in problems} == {"domain.yml: form school_form"}
    assert len(problems) == len([i for i in checks.CRISIS_INTENTS if i in content.intents])


def test_a_crisis_intent_needs_a_rule_without_a_condition(content):
    content.flows = [f for f in content.flows if f not in checks.flows_started_by(content, "need_help_now")]
    problems = checks.check_crisis_interrupts(content)
    assert [p.location for p in problems] == ["domain.yml: intent need_help_now"]


def test_a_crisis_intent_answered_with_something_else_fails(content):
    rule = first_flow(content, "immediate_danger")
    rule.turns[0].assistant = ["utter_payment_demand"] + rule.turns[0].assistant
    assert [p.location for p in checks.check_crisis_interrupts(content)] == [rule.location]


def test_a_question_that_catches_a_crisis_intent_fails(content):
    caught = Flow("rule", "a crisis answer taken as yes", "data/rules/x.yml", [],
                  [Turn([], ["utter_pressured_for_images"]), Turn(["self_harm_risk"], ["utter_already_sent"])])
    content.flows.append(caught)
    problems = checks.check_crisis_interrupts(content)
    assert [p.location for p in problems] == [caught.location]
    assert "after utter_pressured_for_images" in problems[0].message


def test_no_unused_responses_in_the_content():
    assert checks.check_unused_responses(CONTENT) == []


def test_an_unused_response_fails(content):
    say(content, "utter_forgotten", "Nobody says this. Childline: 0800 1111.")
    assert locations(checks.check_unused_responses(content)) == {"domain.yml: response utter_forgotten"}


def test_a_response_only_a_custom_action_sends_is_used():
    used = checks.responses_used(CONTENT)
    assert any("action_service_hours" in w for w in used["utter_service_open_now"])


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
    assert checks.minimum_examples("state_age") == 15
    assert checks.minimum_examples("ask_what_now") == 15
    assert checks.minimum_examples("need_help_now") == 15
    assert checks.minimum_examples("payment_demand") == 30
    assert checks.minimum_examples("risk_possible") == 30
    assert checks.minimum_examples("a_new_intent") == 30, "a new intent counts as a situation"


def test_the_intents_that_are_not_situations_are_in_the_domain():
    """A name left over from an intent that is gone would hide that its successor counts as a situation."""
    assert checks.NOT_SITUATIONS <= set(CONTENT.intents), checks.NOT_SITUATIONS - set(CONTENT.intents)


def test_there_are_enough_examples_in_the_content():
    assert checks.check_examples(CONTENT) == []


def test_an_example_under_two_intents_fails(content):
    content.nlu["greet"] = [Example("Hello there!", "data/nlu/conversation.yml")]
    content.nlu["off_topic"] = [Example("hello there", "data/nlu/off_topic.yml")]
    problems = checks.check_duplicate_examples(content)
    assert any(set(p.location.split(", ")) == {"data/nlu/conversation.yml: intent greet",
                                               "data/nlu/off_topic.yml: intent off_topic"}
               and "'hello there' is an example of 2 intents" == p.message for p in problems)


def test_distinct_examples_pass(content):
    content.nlu = {"greet": [Example("hi", "a.yml")], "goodbye": [Example("bye", "a.yml")]}
    assert checks.check_duplicate_examples(content) == []


def test_every_check_is_in_the_report():
    assert [c.id for c in checks.CHECKS] == ["blaming", "readability", "registry", "services_checked", "situations",
                                             "adult_only", "evidence", "school_contact", "dead_ends", "crisis",
                                             "unused", "names", "examples", "duplicates"]


def test_an_expected_failure_does_not_fail_the_run_but_an_unexpected_one_does(content):
    say(content, "utter_goodbye", "Why did you send it?")
    results = {r.check.id: r for r in checks.run_checks(content, expected_to_fail={"blaming": "being fixed"})}
    assert not results["blaming"].passed and not results["blaming"].blocks
    results = {r.check.id: r for r in checks.run_checks(content, expected_to_fail={})}
    assert results["blaming"].blocks


def test_a_crisis_rule_that_leaves_the_form_asking_fails(form_content):
    rule = next(f for f in form_content.flows
                if f.active_loop_condition == PLANTED_FORM and "self_harm_risk" in f.first_intents)
    rule.turns[0].assistant = [a for a in rule.turns[0].assistant if a != "action_deactivate_loop"]
    problems = checks.check_crisis_interrupts(form_content)
    assert [p.location for p in problems] == [rule.location]
    assert "does not stop the form" in problems[0].message
