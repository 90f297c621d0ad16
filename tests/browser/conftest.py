"""The whole product in a real browser: Debian's chromium driven by Playwright, against the real
stack (action server, Rasa, web app). Every request to another host is recorded and refused,
except the quick exit's neutral site, which answers with a stand-in page (no internet here)."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from stack import free_port, start_stack  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXIT_URL = "https://www.bbc.co.uk/weather"
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


def schools_for_port(tmp: Path, port: int) -> Path:
    """schools.yml with the demo school allowed to embed from this run's port."""
    schools = yaml.safe_load((ROOT / "schools.yml").read_text())
    schools["schools"]["demo"]["allowed_origins"] = [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
    path = tmp / "schools.yml"
    path.write_text(yaml.safe_dump(schools))
    return path


def start_product(tmp: Path):
    port = free_port()
    return start_stack(with_web=True, web_port=port, log_dir=tmp / "logs",
                       extra_env={"SCHOOLS_FILE": str(schools_for_port(tmp, port))})


@pytest.fixture(scope="session")
def product(tmp_path_factory):
    stack = start_product(tmp_path_factory.mktemp("product"))
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Visit:
    """A browser tab on the demo school page, with helpers for the widget inside it."""

    def __init__(self, page, web_url: str) -> None:
        self.page = page
        self.port = urlsplit(web_url).port
        self.school_page = f"http://localhost:{self.port}/"
        self.outside_requests: list[str] = []
        self.dialogs: list[str] = []
        self.conversation_ids: list[str] = []   # as sent to the relay, in order
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", self._note_conversation)
        page.context.route("**/*", self._only_local)

    def _note_conversation(self, request):
        if request.url.endswith("/api/chat") and request.method == "POST":
            self.conversation_ids.append(request.post_data_json["conversation_id"])

    def _only_local(self, route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            return route.continue_()
        if url.startswith(EXIT_URL):
            return route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><p>Weather")
        self.outside_requests.append(url)
        return route.abort()

    def open_school_page(self):
        self.page.goto(self.school_page)
        return self

    def open_chat(self):
        self.page.get_by_role("button", name="Need help? Chat").click()
        self.chat.get_by_text("What's happening?").wait_for()
        return self

    @property
    def chat(self):
        return self.page.frame_locator("iframe[title='Help chat']")

    @property
    def chat_frame(self):
        return next(f for f in self.page.frames if re.search(r"/chat/demo$", f.url))

    def bot_messages(self) -> list[str]:
        return self.chat.locator(".message-bot .message-text").all_inner_texts()

    def send(self, text: str) -> str:
        """Type and send a message; the assistant's new reply (all its messages' text)."""
        before = len(self.bot_messages())
        self.chat.get_by_label("Type your message").fill(text)
        self.chat.get_by_role("button", name="Send").click()
        return self.wait_for_reply(before)

    def wait_for_reply(self, before: int) -> str:
        self.chat.locator(".message-bot").nth(before).wait_for()
        self.chat.locator("#typing").wait_for(state="hidden")
        return "\n".join(self.bot_messages()[before:])


@pytest.fixture
def visit(browser, product):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Visit(page, product.web_url)
    context.close()


def run_axe(frame) -> list[dict]:
    """axe-core's violations in a frame (injected from node_modules through the DevTools protocol,
    so the page's strict CSP stays on)."""
    frame.evaluate(AXE.read_text(encoding="utf-8"))
    result = frame.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]
