"""The report: self-contained, complete, and honest about sign-off and stale registry entries."""
from __future__ import annotations

import datetime
import re
from html import escape

import pytest
import yaml

from audit.build import run_audit
from audit.flows import load_content
from audit.report import is_stale, registry_html, report_page
from audit.rules import FIRST_REPLY_NEEDS
from audit_testing import PLANTED_FORM, ROOT, copy_content, plant_form
from content.version import content_version


@pytest.fixture(scope="module")
def audit():
    return run_audit(ROOT)


@pytest.fixture(scope="module")
def html(audit) -> str:
    return report_page(audit.sections)


def test_the_report_is_self_contained(html):
    assert "<script" not in html
    assert "<link" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "nothing may be fetched from elsewhere"
    assert "<style>" in html


def test_every_response_is_in_the_catalogue_with_its_exact_text(audit, html):
    for response_id, variations in audit.content.responses.items():
        assert f'id="response-{response_id}"' in html
        for variation in variations:
            assert escape(variation["text"]) in html
            for button in variation.get("buttons", []):
                assert escape(button["title"]) in html


def test_every_flow_is_shown_with_a_diagram(audit, html):
    assert audit.content.flows
    for flow in audit.content.flows:
        section = html[html.index(f'id="{flow.anchor}"'):]
        section = section[:section.index("</section>")]
        assert escape(flow.name) in section
        assert "<svg" in section, f"no diagram for {flow.location}"


def test_flows_show_example_messages(audit, html):
    intent, examples = next((i, e) for i, e in audit.content.nlu.items() if e)
    assert escape(examples[0].text) in html


def test_every_service_and_number_is_in_the_registry_section(audit):
    for service in audit.content.services.values():
        assert escape(service["name"]) in audit.sections.registry
        for field in ("phone", "text_number"):
            if service.get(field):
                assert escape(service[field]) in audit.sections.registry


def test_stale_entries_are_flagged():
    content = load_content(ROOT)
    key = next(iter(content.services))
    long_ago = datetime.date.today() - datetime.timedelta(days=400)
    content.services[key]["last_checked"] = long_ago
    if "checked" in content.services[key]:
        content.services[key]["checked"]["date"] = long_ago
    assert is_stale(content.services[key], datetime.date.today())
    assert "not checked for over 180 days" in registry_html(content)


def test_recent_entries_are_not_stale():
    today = datetime.date.today()
    assert not is_stale({"last_checked": today}, today)
    assert not is_stale({"checked": {"page": "https://www.childline.org.uk/", "date": today}}, today)
    assert is_stale({}, today)


def test_the_registry_shows_the_page_each_entry_was_checked_against():
    content = load_content(ROOT)
    content.services["childline"]["checked"] = {"page": "https://www.childline.org.uk/checked-here/",
                                                "date": datetime.date.today()}
    assert "against https://www.childline.org.uk/checked-here/" in registry_html(content)


def test_every_check_is_listed_with_its_result(audit, html):
    for result in audit.results:
        assert f'id="check-{result.check.id}"' in html


def test_every_readability_score_is_reported(audit, html):
    for score in audit.scores:
        assert f'href="#response-{score.response_id}"' in audit.sections.checks


def test_the_report_names_the_content_version_and_where_it_is_signed_off(audit):
    assert audit.content_hash == content_version(ROOT)
    assert audit.content_hash in audit.sections.summary
    assert "components/" in audit.sections.summary, "the version covers the crisis patterns"
    assert "/review" in audit.sections.summary


def test_each_situation_shows_what_its_first_reply_must_give(audit):
    assert "the first reply gives: don&#x27;t pay" in audit.sections.situations
    assert all(f'id="situation-{intent}"' in audit.sections.situations for intent in FIRST_REPLY_NEEDS)


def opening_rules() -> set[tuple[str, str]]:
    """(file, rule name) of every rule that applies only to a conversation's first message."""
    return {(str(path.relative_to(ROOT)), rule["rule"]) for path in sorted((ROOT / "data" / "rules").glob("*.yml"))
            for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules") or []
            if rule.get("conversation_start")}


def test_a_flow_for_the_first_message_says_so(audit, html):
    wanted = opening_rules()
    assert wanted, "data/rules has flows that apply only to a conversation's first message"
    opening = [flow for flow in audit.content.flows if (flow.file, flow.name) in wanted]
    assert len(opening) == len(wanted)
    for flow in opening:
        section = html[html.index(f'id="{flow.anchor}"'):]
        section = section[:section.index("</section>")]
        assert "Only when: it is the first message of the conversation" in section


def test_a_form_is_shown_with_its_question_and_diagram(tmp_path):
    """The content has no form now; the next one is drawn like any flow, with the question it asks."""
    planted = run_audit(plant_form(copy_content(tmp_path / "content")))
    form = next(flow for flow in planted.content.flows if flow.kind == "form")
    assert form.name == PLANTED_FORM
    html = report_page(planted.sections)
    section = html[html.index(f'id="{form.anchor}"'):]
    section = section[:section.index("</section>")]
    assert escape(planted.content.responses["utter_ask_contact_app"][0]["text"]) in section
    assert "<svg" in section
