"""Issue 10 in a real browser: on a phone the help is seen first (the conversation keeps half the
screen, Exit stays in sight, the notes fold once the chat starts), the pre-chat statement, quick
exit's Shift hint and feedback, a hung server and a refused message, the keyboard, and links."""
from __future__ import annotations

import re
import signal
import time

import pytest
from conftest import ARTIFACTS, EXIT_URL, Visit, run_axe

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

# The conversation area, the exit button and the folded notes, measured in the chat frame.
MEASURE_SCREEN = """() => {
    const box = (selector) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: r.height, width: r.width};
    };
    return {conversation: box('#conversation'), exit: box('#quick-exit'), viewport: window.innerHeight,
            aboutOpen: !document.getElementById('about-lead').hidden || document.getElementById('about-more').open,
            about: box('#about'), greetingButtons: box('.message-bot .message-buttons'),
            helpCard: !document.getElementById('help-card').hidden};
}"""


@pytest.fixture
def phone(browser, product):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Visit(page, product.web_url)
    context.close()


def assert_help_is_seen_first(where: dict, state: str) -> None:
    assert where["conversation"]["height"] >= where["viewport"] / 2, (state, where)
    assert 0 <= where["exit"]["top"] and where["exit"]["bottom"] <= where["viewport"], (state, where)


def test_on_a_phone_the_conversation_keeps_half_the_screen_and_exit_stays_in_sight(phone):
    phone.open_school_page().open_chat()
    frame = phone.chat_frame
    before = frame.evaluate(MEASURE_SCREEN)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / "widget-phone-before-the-first-message.png"))
    assert before["aboutOpen"], "before the first message the chat says what it is"
    assert_help_is_seen_first(before, "before the first message")
    assert before["greetingButtons"]["top"] < before["viewport"] * 0.8, "the greeting's buttons are in sight"

    phone.send("someone says they will post my pics unless i pay")
    after = frame.evaluate(MEASURE_SCREEN)
    assert not after["aboutOpen"], "the notes fold once the conversation starts"
    assert_help_is_seen_first(after, "after a reply")

    # A refused message shows the help card too; the conversation keeps its half.
    phone.chat.get_by_label("Type your message").fill("/restart")
    phone.chat.get_by_role("button", name="Send").click()
    phone.chat.locator("#help-card").wait_for(state="visible")
    with_card = frame.evaluate(MEASURE_SCREEN)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / "widget-phone-with-help-card.png"))
    assert with_card["helpCard"]
    assert_help_is_seen_first(with_card, "with the help card")
    assert run_axe(frame) == []


def test_before_the_first_message_the_chat_says_what_it_is(phone):
    phone.open_school_page().open_chat()
    lead = re.sub(r"\s+", " ", phone.chat.locator("#about-lead").inner_text())
    for said in ("chatbot, not a person", "offered by Ysgol Enghraifft", "anonymous", "deleted an hour after",
                 "Childline", "0800 1111"):
        assert said in lead, (said, lead)
    about = phone.chat.locator("#about")
    phone.chat.get_by_text("About this chat").click()   # the rest, one tap away
    text = re.sub(r"\s+", " ", about.inner_text())
    for said in ("chatbot, not a person", "Ysgol Enghraifft (demo school) offers it", "anonymous",
                 "deleted an hour after your last message", "only anonymous counts are kept",
                 "0800 1111", "chat 1-2-1 online", "Mr Rhys Evans", "pastoral office", "browser history"):
        assert said in text, (said, text)
    assert "30 days" not in text, "messages not understood are not kept here (KEEP_FALLBACK_MESSAGES is off)"
    assert about.get_by_role("link", name=re.compile("chat 1-2-1")).get_attribute("href").startswith("https://")


def test_no_shift_hint_on_a_phone_but_one_with_a_keyboard(phone, visit):
    phone.open_school_page().open_chat()
    assert not phone.chat.locator("#exit-hint").is_visible()
    assert "Shift" not in phone.chat.locator("main").inner_text()
    visit.open_school_page().open_chat()
    hint = visit.chat.locator("#exit-hint")
    assert hint.is_visible() and hint.inner_text() == "To leave fast, press Shift 3 times."


def test_each_shift_press_gets_feedback_and_another_key_starts_again(visit):
    visit.open_school_page().open_chat()
    box = visit.chat.get_by_label("Type your message")
    box.focus()
    hint = visit.chat.locator("#exit-hint")
    visit.page.keyboard.press("Shift")
    assert hint.inner_text() == "Shift pressed 1 time: press it 2 more times to leave."
    visit.page.keyboard.press("Shift")
    assert hint.inner_text() == "Shift pressed 2 times: press it 1 more time to leave."
    visit.page.keyboard.press("a")
    assert hint.inner_text() == "To leave fast, press Shift 3 times."
    assert visit.page.url == visit.school_page
    # On the school's own page too, beside the chat button.
    visit.page.locator("h1").click()
    visit.page.keyboard.press("Shift")
    status = visit.page.get_by_role("status")
    assert status.inner_text() == "Shift pressed 1 time: press it 2 more times to leave."


def stored_in_the_chat_frame(visit) -> dict | None:
    """What the chat keeps in the browser's storage (None where the browser denies it storage)."""
    return visit.chat_frame.evaluate("""() => {
        try { return Object.assign({}, window.sessionStorage, window.localStorage); } catch (e) { return null; }
    }""")


def test_shift_three_times_on_the_school_page_ends_the_conversation(visit):
    visit.open_school_page().open_chat()
    visit.send("they want money")
    first = visit.conversation_ids[-1]
    assert stored_in_the_chat_frame(visit) in ({}, None), "the conversation id is kept in memory only"
    visit.page.locator("h1").click()   # back on the school's page, the chat still open
    for _ in range(3):
        visit.page.keyboard.press("Shift")
    visit.page.wait_for_url(EXIT_URL)
    visit.open_school_page().open_chat()
    assert len(visit.bot_messages()) == 1
    visit.send("hello")
    assert visit.conversation_ids[-1] != first


def test_a_hung_server_says_still_here_then_shows_the_help_card(visit, product):
    visit.open_school_page().open_chat()
    rasa = product.processes["rasa"]
    rasa.send_signal(signal.SIGSTOP)   # Rasa hangs: connections wait, nothing answers
    try:
        visit.chat.get_by_label("Type your message").fill("please help he wants money")
        started = time.monotonic()
        visit.chat.get_by_role("button", name="Send").click()
        visit.chat.get_by_text("Still here").wait_for(timeout=6_000)
        still_here_after = time.monotonic() - started
        card = visit.chat.locator("#help-card")
        card.wait_for(state="visible", timeout=12_000)
        card_after = time.monotonic() - started
    finally:
        rasa.send_signal(signal.SIGCONT)
    assert 2.5 <= still_here_after <= 5, still_here_after
    assert 7.5 <= card_after <= 9.5, card_after
    assert "isn't answering" in card.inner_text() and "0800 1111" in card.inner_text()


def test_a_refused_message_card_does_not_say_the_chat_isnt_answering(visit):
    visit.open_school_page().open_chat()
    visit.send("hello")
    conversation = visit.conversation_ids[-1]
    # The real relay's per-conversation limit (20 a minute), used up by this conversation.
    statuses = visit.chat_frame.evaluate("""async (id) => {
        const statuses = [];
        for (let i = 0; i < 20; i++) {
            const r = await fetch('/api/chat', {method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({conversation_id: id, school: 'demo', message: '/need_help_now'})});
            statuses.push(r.status);
        }
        return statuses;
    }""", conversation)
    assert statuses[-1] == 429, statuses
    visit.chat.get_by_label("Type your message").fill("are you there")
    visit.chat.get_by_role("button", name="Send").click()
    card = visit.chat.locator("#help-card")
    card.wait_for(state="visible")
    shown = visit.chat.locator("main").inner_text()
    assert "isn't answering" not in shown
    assert "wait a minute" in visit.chat.locator("#form-error").inner_text()
    assert card.get_by_role("heading").inner_text() == "While you wait, you can still get help:"


def test_the_chat_button_is_the_first_stop_and_exit_is_two_tabs_from_the_message_box(visit):
    page = visit.open_school_page().page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Need help? Chat"
    page.keyboard.press("Enter")
    visit.chat.get_by_text("What's happening?").wait_for()
    visit.chat_frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'message'")
    presses = 0
    while visit.chat_frame.evaluate("document.activeElement.id") != "quick-exit" and presses < 10:
        page.keyboard.press("Tab")
        presses += 1
    assert presses == 2, "Send, then Exit"
    exit_box = visit.chat.get_by_role("button", name="Exit this page").bounding_box()
    frame_box = visit.page.locator("iframe[title='Help chat']").bounding_box()
    assert exit_box["y"] - frame_box["y"] < 60, "shown at the top, in the header"


def test_each_web_address_once_as_a_link_and_numbers_are_tap_targets(phone):
    phone.open_school_page().open_chat()
    before = len(phone.bot_messages())
    reply = phone.send("can i talk to a real person")
    assert "Childline" in reply
    message = phone.chat.locator(".message-bot").nth(before)
    shown = message.inner_text()
    assert shown.count("childline.org.uk") == 1, shown
    address = message.locator("a[href^='https://']")
    assert address.count() == 1 and "childline.org.uk" in address.inner_text()
    numbers = message.locator("a[href^='tel:']")
    assert numbers.count() >= 2
    for box in numbers.evaluate_all("links => links.map(a => a.getBoundingClientRect().toJSON())"):
        assert box["height"] >= 24 and box["width"] >= 24, box
    for link in phone.chat.locator(".help-line a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and link.get_attribute("href").startswith("tel:")
    assert phone.chat.locator(".help-line a[href='tel:999']").count() == 1
