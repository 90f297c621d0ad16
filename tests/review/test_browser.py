"""A reviewer logs in with a real browser (Debian's Chromium, driven by Playwright) and reads a flow."""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from audit.flows import load_content
from review_testing import PASSWORD, ROOT, make_app
from web.review import auth

CONTENT = load_content(ROOT)

CHROMIUM = "/usr/bin/chromium"
# As in the machine's notes: headless, and no background networking (this machine has no internet).
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed "
                                "(make test-review installs it)")


@pytest.fixture
def site(tmp_path):
    """The reviewer area served over real HTTP on localhost."""
    app = make_app(tmp_path)
    app.config["TESTING"] = False
    auth.create_reviewer(app.config["REVIEW_DB"], "sam", "Sam Reviewer", PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def test_a_reviewer_logs_in_and_reads_a_flow(site, page):
    page.goto(f"{site}/review/flows")
    assert "/review/login" in page.url, "the flows need a login"

    page.fill("input[name=name]", "sam")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/review/flows")

    flow = page.locator("section.flow", has_text="a demand for money or gift cards")
    assert flow.count() == 1
    text = flow.inner_text()
    assert "Pupil says" in text and "payment demand" in text
    for variation in CONTENT.variations("utter_payment_demand"):   # every variation, as written
        for line in variation["text"].splitlines():
            assert line in text
    assert flow.locator("svg").count() == 1, "the flow's diagram is drawn"
    assert page.locator("text=Signed in as Sam Reviewer").count() == 1

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    flow.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "review-flow.png"))


def test_a_wrong_password_keeps_the_reviewer_out(site, page):
    page.goto(f"{site}/review/login")
    page.fill("input[name=name]", "sam")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert "Wrong name or password" in page.inner_text("main")
    page.goto(f"{site}/review/")
    assert "/review/login" in page.url
