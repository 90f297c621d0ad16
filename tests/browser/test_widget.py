"""A pupil's visit, in headless Chromium against the real stack."""
from __future__ import annotations

import sys

import pytest
import yaml
from conftest import ARTIFACTS, EXIT_URL, ROOT, Visit, run_axe, start_product

sys.path.insert(0, str(ROOT.parent / "shared" / "contract"))
from reply_contract import check, universal_problems  # noqa: E402


def greeting_button(payload: str) -> str:
    """The title of the greeting's button that sends this payload (as domain.yml words it)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return next(b["title"] for b in domain["responses"]["utter_greet"][0]["buttons"] if b["payload"] == payload)


def test_a_pupil_opens_the_chat_and_gets_an_answer(visit):
    visit.open_school_page().open_chat()
    reply = visit.send("this guy on insta keeps saying he'll send my nudes to all my followers unless i pay")
    assert "pay" in reply.lower() and "0800 1111" in reply
    assert universal_problems(reply) == []
    links = visit.chat.locator(".message-text a")
    assert links.count() > 0
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith(("https://", "tel:"))
    assert visit.outside_requests == []


def test_a_quick_reply_button_sends_its_situation(visit):
    visit.open_school_page().open_chat()
    before = len(visit.bot_messages())
    visit.chat.get_by_role("button", name=greeting_button("/payment_demand"), exact=True).click()
    reply = visit.wait_for_reply(before)
    assert check("payment_demand", reply) == [], reply


def test_the_exit_button_replaces_the_whole_page_and_leaves_no_way_back(visit):
    page = visit.page
    page.goto(f"http://localhost:{visit.port}/healthz")          # whatever the pupil visited before
    visit.open_school_page().open_chat()
    visit.send("someone is blackmailing me")
    visit.chat.get_by_role("button", name="Exit this page").click()
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url.endswith("/healthz"), "Back must not return to the school page with the chat"
    visit.open_school_page().open_chat()
    assert len(visit.bot_messages()) == 1, "the old conversation must be gone"
    visit.send("hello")
    first, again = visit.conversation_ids[0], visit.conversation_ids[-1]
    assert first != again, "after a quick exit the chat starts a new conversation"


def test_shift_three_times_in_the_chat_exits(visit):
    visit.open_school_page().open_chat()
    visit.chat.get_by_label("Type your message").focus()
    for _ in range(3):
        visit.page.keyboard.press("Shift")
    visit.page.wait_for_url(EXIT_URL)


def test_shift_three_times_on_the_school_page_exits(visit):
    visit.open_school_page()
    visit.page.locator("h1").click()
    for _ in range(3):
        visit.page.keyboard.press("Shift")
    visit.page.wait_for_url(EXIT_URL)


def test_typing_capital_letters_does_not_exit(visit):
    visit.open_school_page().open_chat()
    visit.chat.get_by_label("Type your message").press_sequentially("I Am OK Thanks")
    assert visit.page.url == visit.school_page


@pytest.mark.parametrize("payload", ['<img src=x onerror="alert(1)">', "<script>alert('xss')</script>",
                                     "[tap here](javascript:alert(1))"])
def test_a_script_payload_is_shown_as_text_and_never_runs(visit, payload):
    visit.open_school_page().open_chat()
    visit.send(payload)
    shown = visit.chat.locator(".message-user .message-text").last.inner_text()
    assert payload in shown
    assert visit.chat.locator(".messages img, .messages script").count() == 0
    assert visit.chat.locator(".messages a[href^='javascript']").count() == 0
    assert visit.dialogs == []


def test_keyboard_only(visit):
    page = visit.open_school_page().page
    launcher = page.get_by_role("button", name="Need help? Chat")
    launcher.focus()
    page.keyboard.press("Enter")
    visit.chat.get_by_text("What's happening?").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'IFRAME'")
    visit.chat.get_by_label("Type your message").wait_for()
    frame = visit.chat_frame
    frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'message'")
    before = len(visit.bot_messages())
    page.keyboard.type("can i talk to a real person")
    page.keyboard.press("Enter")
    assert "0800 1111" in visit.wait_for_reply(before)
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement && document.activeElement.textContent === 'Need help? Chat'")
    assert launcher.get_attribute("aria-expanded") == "false"


def test_no_accessibility_violations(visit):
    visit.open_school_page().open_chat()
    visit.send("i sent a pic and now hes asking for money")
    assert run_axe(visit.chat_frame) == []
    assert run_axe(visit.page.main_frame) == []


def test_on_a_phone_the_chat_fills_the_screen_and_the_input_is_visible(browser, product):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    try:
        visit = Visit(context.new_page(), product.web_url)
        visit.open_school_page().open_chat()
        visit.send("he says hes hacked my phone and has all my contacts")
        box = visit.page.locator("iframe[title='Help chat']").bounding_box()
        assert box["width"] == 390 and box["height"] == 844
        field = visit.chat.get_by_label("Type your message").bounding_box()
        assert field["y"] + field["height"] <= 844
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "widget-on-a-phone.png"))
    finally:
        context.close()


def test_the_help_card_shows_when_rasa_is_stopped(browser, tmp_path):
    stack = start_product(tmp_path)
    context = browser.new_context()
    try:
        stack.stop_rasa()
        visit = Visit(context.new_page(), stack.web_url)
        visit.open_school_page().open_chat()
        reply = visit.send("please help they want money")
        assert "0800 1111" in reply and "999" in reply
        card = visit.chat.locator("#help-card")
        assert card.is_visible() and "0800 1111" in card.inner_text()
    finally:
        context.close()
        stack.stop()


def test_at_200_percent_zoom_nothing_is_cut_off(browser, product):
    # A 1280x800 screen at 200% zoom: the page sees 640x400 CSS pixels.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    try:
        visit = Visit(context.new_page(), product.web_url)
        visit.open_school_page().open_chat()
        before = len(visit.bot_messages())
        reply = visit.send("someone i dont know added me and now wants pics")
        assert "0800 1111" in reply or "Childline" in reply
        frame = visit.chat_frame
        # Here the page scrolls, not the message area: the reply starts just below the sticky header.
        header_bottom, top = frame.evaluate("""(before) => [
            document.querySelector('.chat-title').getBoundingClientRect().bottom,
            document.querySelectorAll('#messages .message-bot')[before].getBoundingClientRect().top]""", before)
        assert header_bottom - 1 <= top <= header_bottom + 32, (header_bottom, top)
        assert frame.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        visit.chat.get_by_role("button", name="Clear chat").scroll_into_view_if_needed()
        assert visit.chat.get_by_role("button", name="Clear chat").is_visible()
        exit_box = visit.chat.get_by_role("button", name="Exit this page").bounding_box()
        assert 0 <= exit_box["y"] < 400, "the exit button stays on screen while scrolled"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "widget-at-200-percent.png"))
    finally:
        context.close()


# Where the first new message of a reply is, and where the crisis number in it is, measured in the
# chat frame: the message area's box, the message's box and the number's box (a text range).
MEASURE_REPLY = """(before) => {
    const log = document.getElementById('conversation');
    const first = log.querySelectorAll('.message-bot')[before];
    const walker = document.createTreeWalker(first.querySelector('.message-text'), NodeFilter.SHOW_TEXT);
    let number = null;
    while (!number && walker.nextNode()) {
        const at = walker.currentNode.data.indexOf('0800 1111');
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(walker.currentNode, at);
            range.setEnd(walker.currentNode, at + '0800 1111'.length);
            number = range.getBoundingClientRect();
        }
    }
    const area = log.getBoundingClientRect(), box = first.getBoundingClientRect();
    return {areaTop: area.top, areaBottom: area.bottom, top: box.top,
            numberTop: number && number.top, numberBottom: number && number.bottom,
            overflows: log.scrollHeight > log.clientHeight};
}"""


def test_a_long_reply_is_shown_from_its_start_on_a_phone(browser, product):
    """Issue "The widget shows each new reply from its start": a reply longer than the message
    area is scrolled to its first message, not to its end, so the crisis number is in sight."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    try:
        visit = Visit(context.new_page(), product.web_url)
        visit.open_school_page().open_chat()
        before = len(visit.bot_messages())
        reply = visit.send("i want to die")
        assert len(visit.bot_messages()) - before >= 3, reply   # crisis help, a line on threats, "are you safe?"
        where = visit.chat_frame.evaluate(MEASURE_REPLY, before)
        assert where["overflows"], "the reply must be longer than the message area for this test to mean anything"
        assert where["areaTop"] - 1 <= where["top"] <= where["areaTop"] + 32, where   # at the top of the area
        assert where["numberTop"] is not None, "the first message gives Childline's number"
        assert where["areaTop"] <= where["numberTop"] and where["numberBottom"] <= where["areaBottom"], where
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "widget-long-reply-on-a-phone.png"))
    finally:
        context.close()


def test_after_a_quick_reply_the_focus_moves_to_the_first_new_message(visit):
    visit.open_school_page().open_chat()
    before = len(visit.bot_messages())
    visit.chat.get_by_role("button", name=greeting_button("/need_help_now"), exact=True).click()
    reply = visit.wait_for_reply(before)
    assert "0800 1111" in reply
    focused = visit.chat_frame.evaluate("""(before) => {
        const first = document.querySelectorAll('#messages .message-bot')[before];
        return {isFirst: document.activeElement === first, tabindex: first.getAttribute('tabindex')};
    }""", before)
    assert focused == {"isFirst": True, "tabindex": "-1"}
    # Typing a message keeps the focus in the box, ready for the next one.
    visit.send("thank you")
    assert visit.chat_frame.evaluate("document.activeElement.id") == "message"
