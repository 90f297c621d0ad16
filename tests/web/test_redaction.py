"""Personal details are replaced before a message reaches Rasa or a log; the rest is kept.
Recall on the sentinel set is measured by tests/web/redaction_recall.py and held here."""
from __future__ import annotations

import pytest
import redaction_recall
import yaml
from conftest import ROOT

from web.redaction import redact


@pytest.mark.parametrize("message, expected", [
    ("text me on 07123 456789 pls", "text me on [phone number] pls"),
    ("his number +44 7911 123456", "his number [phone number]"),
    ("it came from +234 803 123 4567", "it came from [phone number]"),
    ("whatsapp +1 (415) 555-2671", "whatsapp [phone number]"),
    ("my mum's landline 029 2018 0000", "my mum's landline [phone number]"),
    ("email is jamie.b.2010@hotmail.co.uk", "email is [email]"),
    ("his snap is @xx_kayla_xx", "his snap is [username]"),
    ("insta link instagram.com/kayla.x and https://snapchat.com/add/dave", "insta link [username] and [username]"),
    ("i live near CF10 3AT", "i live near [postcode]"),
    ("postcode sw1a1aa", "postcode [postcode]"),
    ("he made me give card 4111 1111 1111 1111", "he made me give card [card number]"),
    ("sent the code X4J9-K2LM-88QT-7PZ1", "sent the code [code]"),
    # issue 10: names, addresses, schools, handles without "@", dates of birth, IP addresses
    ("my name is Jake and he wants money", "my name is [name] and he wants money"),
    ("his name is dave kerr", "his name is [name]"),
    ("this girl called jess messaged me", "this girl called [name] messaged me"),
    ("Jake Thompson said he'd post them", "[name] said he'd post them"),
    ("can i tell Mr Evans", "can i tell [name]"),
    ("he knows i live at 14 Cathays Terrace", "he knows i live at [address]"),
    ("i go to Ysgol Enghraifft", "i go to [school]"),
    ("he knows i'm at Example Academy", "he knows i'm at [school]"),
    ("i go to cardiff high school", "i go to [school]"),
    ("my snap is kayla.x", "my snap is [username]"),
    ("add me on insta jessxo", "add me on insta [username]"),
    ("born on 12/03/2010 so im 15", "[date of birth] so im 15"),
    ("my bday is 3rd march 2011", "[date of birth]"),
    ("he has my ip 81.2.69.160", "he has my ip [IP address]"),
    ("it said 2001:db8::8a2e:370:7334 was me", "it said [IP address] was me"),
])
def test_details_are_replaced(message, expected):
    assert redact(message) == expected


@pytest.mark.parametrize("message", [
    "he wants 500 quid by 9pm",
    "im 15 and in year 10",
    "i paid £50 on 12/03/2025 at 10:45",
    "room B12 after period 3",
    "they said i have 24 hours",
    "sent him 2 £25 amazon vouchers",
    "it started on snap then he moved me to whatsapp",
    "he called me a slut and said everyone would see",
    "i'm called names at school",
    "my name is not important",
    "gave him 50 on the way home",
    "Take It Down and Report Remove",
    "he keeps asking for my whatsapp number says snap is glitchy",
    "a new account messaged me",
    "pay up or ur pics go to ur whole school",
    "I'm scared. Please Help Me",
    "version 1.2.3 of the app",
])
def test_everyday_words_and_numbers_are_kept(message):
    assert redact(message) == message


def test_recall_on_the_tuned_sentinels_is_complete():
    total, found, misses = redaction_recall.recall("messages")
    assert misses == [], misses
    assert sum(total.values()) >= 50


def test_recall_on_the_fresh_sentinels_holds_its_measured_floor():
    """83% (30 of 36) when written, 86% (31 of 36) once lone handle-shaped words ("dave_k22") were
    caught for the privacy set; lone lower-case first names are the known gap."""
    total, found, misses = redaction_recall.recall("fresh")
    assert sum(found.values()) / sum(total.values()) >= 0.80, misses


def test_crisis_messages_are_never_changed():
    """Redaction runs before the crisis detector: it must not take a word from a crisis message."""
    held_out = yaml.safe_load((ROOT / "tests" / "heldout" / "crisis.yml").read_text(encoding="utf-8"))
    phrases = yaml.safe_load((ROOT / "tests" / "crisis_phrases.yml").read_text(encoding="utf-8"))
    messages = redaction_recall.strings([held_out["families"], held_out["possible_risk"], phrases["crisis"]])
    changed = [m for m in messages if redact(m) != m]
    assert len(messages) > 150 and changed == []


def test_few_everyday_messages_change():
    """Of about 1,000 held-out and test messages, 4 change when written: two names a pupil gave
    ("a girl called jess") and two characters in homework questions."""
    everyday = redaction_recall.everyday_messages()
    changed = [m for m in everyday if redact(m) != m]
    assert len(everyday) > 900 and len(changed) <= 6, changed


def test_the_schools_in_the_schools_file_are_known(tmp_path, monkeypatch):
    schools = yaml.safe_load((ROOT / "schools.yml").read_text(encoding="utf-8"))
    schools["schools"]["demo"]["name"] = "Ysgol Bryn Tawel"
    path = tmp_path / "schools.yml"
    path.write_text(yaml.safe_dump(schools))
    monkeypatch.setenv("SCHOOLS_FILE", str(path))
    from web import redaction
    redaction._school_pattern.cache_clear()
    try:
        assert redact("everyone at ysgol bryn tawel knows") == "everyone at [school] knows"
    finally:
        monkeypatch.undo()
        redaction._school_pattern.cache_clear()
