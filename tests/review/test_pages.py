"""What a logged-in reviewer sees: the audit's catalogue, flows and checks, the sandbox,
sign-off and the anonymous insight counts."""
from __future__ import annotations

import datetime
import re
import shutil
from html import escape

import pytest
import requests
import yaml

from audit.flows import load_content
from content.version import content_version as content_hash
from review_testing import ROOT, csrf_token, log_in, make_app
from web.review import auth
from web.review.signoffs import approvals_for

CONTENT = load_content(ROOT)


def test_overview_shows_whether_the_content_is_approved(logged_in):
    page = logged_in.get("/review/").get_data(as_text=True)
    assert "Not approved" in page
    assert content_hash(ROOT)[:12] in page


def test_flows_page_shows_every_flow_with_exact_text_and_diagram(logged_in):
    page = logged_in.get("/review/flows").get_data(as_text=True)
    for flow in CONTENT.flows:
        assert f'id="{flow.anchor}"' in page
    assert escape(CONTENT.responses["utter_payment_demand"][0]["text"]) in page
    assert "<svg" in page


def test_responses_page_links_to_flows_on_their_page(logged_in):
    page = logged_in.get("/review/responses").get_data(as_text=True)
    for response_id in CONTENT.responses:
        assert f'id="response-{response_id}"' in page
    assert 'href="/review/flows#flow-' in page


def test_checks_and_registry_pages(logged_in):
    checks = logged_in.get("/review/checks").get_data(as_text=True)
    assert "No victim-blaming" in checks and "Readable by an 11-year-old" in checks
    registry = logged_in.get("/review/registry").get_data(as_text=True)
    assert "0800 1111" in registry


def test_the_stylesheet_is_served_locally(client):
    response = client.get("/review/static/review.css")
    assert response.status_code == 200 and response.mimetype == "text/css"


# --- sandbox ---------------------------------------------------------------------------------
@pytest.fixture
def sandbox_app(tmp_path, assistant):
    app = make_app(tmp_path, RASA_URL=assistant.rasa_url, RASA_API_TOKEN=assistant.api_token)
    auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam Reviewer", "correct horse battery staple")
    client = app.test_client()
    assert log_in(client).status_code == 302
    return client


def sandbox_say(client, message: str) -> str:
    page = client.get("/review/sandbox").get_data(as_text=True)
    response = client.post("/review/sandbox", data={"message": message, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return client.get("/review/sandbox").get_data(as_text=True)


def test_the_sandbox_shows_intent_confidence_and_path(sandbox_app, assistant):
    message = "he says he will post my nudes unless i pay him 50 quid"
    page = sandbox_say(sandbox_app, message)
    parsed = requests.post(f"{assistant.rasa_url}/model/parse", params={"token": assistant.api_token},
                           json={"text": message}, timeout=30).json()["intent"]
    assert escape(message) in page
    assert f'<strong class="intent">{parsed["name"]}</strong>' in page          # what Rasa recognised
    assert f'{parsed["confidence"]:.2f}' in page                                   # and how sure it was
    path = re.search(r"Path taken: ([^<]+)<", page).group(1)
    assert path.startswith("utter_"), path                                         # the steps it took
    assert "0800 1111" in page or "CEOP" in page                                   # and what it said


@pytest.mark.parametrize("message", ["i want to die", "my phone is about to die"])
def test_the_sandbox_shows_what_the_crisis_check_decided(sandbox_app, assistant, message):
    page = sandbox_say(sandbox_app, message)
    crisis = requests.post(f"{assistant.rasa_url}/model/parse", params={"token": assistant.api_token},
                           json={"text": message}, timeout=30).json()["crisis"]
    assert f'Crisis check: <strong class="crisis">{escape(crisis["intent"] or "no risk")}</strong>' in page
    assert f'decided by <span class="decided-by">{escape(crisis["decided_by"])}</span>' in page
    assert f'certain {crisis["certain"]:.2f}, any risk {crisis["any_risk"]:.2f}' in page
    assert "crisis_safety_net" not in page


def test_the_sandbox_shows_the_age_the_pupil_said(sandbox_app):
    page = sandbox_say(sandbox_app, "im 15")
    assert 'Age said: <strong class="age">under_18</strong>' in page


def test_exchanges_read_the_crisis_check_and_the_age_from_the_parse():
    from web.review.sandbox import CrisisCheck, exchanges
    parse = {"intent": {"name": "self_harm_risk", "confidence": 1.0}, "intent_ranking": [],
             "entities": [{"entity": "age_group", "value": "18_or_over"}],
             "crisis": {"intent": "self_harm_risk", "decided_by": "detector", "part": "i cant go on",
                        "certain": 0.91, "any_risk": 0.97, "classifier": 0.4}}
    events = [{"event": "user", "text": "im 19 and i cant go on", "parse_data": parse},
              {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}}]
    said, hello = exchanges({"events": events})
    assert said.crisis == CrisisCheck("self_harm_risk", "detector", "i cant go on", 0.91, 0.97, 0.4)
    assert said.age_group == "18_or_over"
    assert hello.crisis is None and hello.age_group is None


def test_a_new_sandbox_conversation_starts_afresh(sandbox_app):
    sandbox_say(sandbox_app, "he wants steam cards")
    page = sandbox_app.get("/review/sandbox").get_data(as_text=True)
    sandbox_app.post("/review/sandbox/new", data={"csrf_token": csrf_token(page)})
    page = sandbox_say(sandbox_app, "hello")
    assert "he wants steam cards" not in page and "hello" in page


def test_the_sandbox_says_when_the_assistant_is_not_running(logged_in):
    page = logged_in.get("/review/sandbox").get_data(as_text=True)
    assert "not connected" in page


# --- sign-off --------------------------------------------------------------------------------
def sign_off(client, comment="Read every flow.", version=None):
    page = client.get("/review/signoff").get_data(as_text=True)
    return client.post("/review/signoff", data={
        "csrf_token": csrf_token(page), "content_hash": version or content_hash(ROOT),
        "read_everything": "y", "comment": comment})


@pytest.fixture
def passing_content(tmp_path):
    """A private copy of the content, so a test can change it."""
    root = tmp_path / "content"
    root.mkdir()
    for name in ("domain.yml", "data", "services.yml", "config.yml", "actions"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
        else:
            shutil.copy2(ROOT / name, root / name)
    return root


def _passing(root):
    """The audit of a copy, with every check passing: sign-off is tested here whatever state
    the real content is in (the checks themselves are tested in tests/audit)."""
    from audit.build import run_audit
    audit = run_audit(root, diagrams=False)
    for result in audit.results:
        result.problems = []
    return audit


def app_on(tmp_path, root):
    app = make_app(tmp_path, REVIEW_CONTENT_ROOT=str(root))
    auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam Reviewer", "correct horse battery staple")
    client = app.test_client()
    assert log_in(client).status_code == 302
    return app, client


def test_sign_off_records_name_date_and_comment(tmp_path, passing_content, monkeypatch):
    import web.review.views as views
    monkeypatch.setattr(views, "current_audit", lambda root: _passing(root))
    app, client = app_on(tmp_path, passing_content)
    response = sign_off(client, version=content_hash(passing_content))
    assert response.status_code == 302, response.get_data(as_text=True)
    [approval] = approvals_for(content_hash(passing_content), app.config["REVIEW_DB"])
    assert approval.reviewer_name == "Sam Reviewer" and approval.comment == "Read every flow."
    assert approval.approved_at.startswith(str(datetime.datetime.now(datetime.timezone.utc).year))
    page = client.get("/review/").get_data(as_text=True)
    assert "Approved." in page and "Sam Reviewer" in page


def test_sign_off_needs_a_comment_and_the_box_ticked(tmp_path, passing_content, monkeypatch):
    import web.review.views as views
    monkeypatch.setattr(views, "current_audit", lambda root: _passing(root))
    app, client = app_on(tmp_path, passing_content)
    page = client.get("/review/signoff").get_data(as_text=True)
    response = client.post("/review/signoff", data={"csrf_token": csrf_token(page),
                                                     "content_hash": content_hash(passing_content), "comment": ""})
    assert "Please tick the box" in response.get_data(as_text=True)
    assert approvals_for(content_hash(passing_content), app.config["REVIEW_DB"]) == []


def test_a_version_that_changed_during_review_is_not_signed_off(tmp_path, passing_content, monkeypatch):
    import web.review.views as views
    monkeypatch.setattr(views, "current_audit", lambda root: _passing(root))
    app, client = app_on(tmp_path, passing_content)
    response = sign_off(client, version="an older version")
    assert "content changed while you were reviewing" in response.get_data(as_text=True)


def test_failing_checks_block_sign_off(tmp_path, passing_content, monkeypatch):
    domain = passing_content / "domain.yml"
    document = yaml.safe_load(domain.read_text(encoding="utf-8"))
    document["responses"]["utter_goodbye"][0]["text"] += " Why did you send it?"   # blames the pupil
    domain.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    app, client = app_on(tmp_path, passing_content)
    response = sign_off(client, version=content_hash(passing_content))
    assert "cannot be signed off" in response.get_data(as_text=True)
    assert approvals_for(content_hash(passing_content), app.config["REVIEW_DB"]) == []


# --- insight ---------------------------------------------------------------------------------
def test_insights_suppress_small_counts(app, logged_in, tmp_path):
    import sqlite3
    with sqlite3.connect(app.config["REVIEW_DB"]) as db:
        db.executemany("INSERT INTO insights VALUES (?, ?, ?, ?, ?)", [
            ("2026-W48", "demo", "situation", "payment_demand", 12),
            ("2026-W48", "demo", "situation", "already_sent", 3),
            ("2026-W48", "demo", "crisis", "utter_crisis_self_harm", 1)])
    page = logged_in.get("/review/insights").get_data(as_text=True)
    assert "<td>12</td>" in page
    assert page.count("fewer than 5") >= 2
    assert "<td>3</td>" not in page and "<td>1</td>" not in page
    assert "Not kept (the default)" in page
