"""Personal details are replaced before a message reaches Rasa or a log; the rest is kept."""
from __future__ import annotations

import pytest

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
])
def test_everyday_words_and_numbers_are_kept(message):
    assert redact(message) == message
