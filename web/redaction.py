"""Removes personal details from a pupil's message before it reaches Rasa or any log.

Replaced with placeholders: email addresses, links to profiles and @handles, card and
gift-card numbers, phone numbers (UK and international, found with Google's libphonenumber
port) and UK postcodes. The assistant does not need any of them to help, and a stored
conversation must not identify a pupil or anyone they name.
"""
from __future__ import annotations

import re

import phonenumbers

EMAIL = "[email]"
USERNAME = "[username]"
CARD = "[card number]"
CODE = "[code]"
PHONE = "[phone number]"
POSTCODE = "[postcode]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# Links carry usernames (instagram.com/name, snapchat.com/add/name); any web address goes.
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co\.uk|org|net|me|gg|app|io|tv)/\S+", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,30}", re.UNICODE)
# 13 to 19 digits, maybe in groups: payment cards. Checked before phone numbers.
_CARD = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")
# Gift-card and voucher codes: letter-and-digit groups such as X4J9-K2LM-88QT-7PZ1.
_CODE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,}(?:-[A-Z0-9]{3,}){2,}\b", re.I)
# Anything else shaped like a phone number: 10 or more digits, maybe with +, spaces, dashes, brackets.
_PHONE_SHAPE = re.compile(r"(?<!\w)\+?\(?\d(?:[ ()-]{0,2}\d){9,14}(?!\d)")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.I)


def _phone_numbers(text: str) -> str:
    matches = list(phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID))
    for match in reversed(matches):   # from the end, so earlier offsets stay right
        text = text[:match.start] + PHONE + text[match.end:]
    return _PHONE_SHAPE.sub(PHONE, text)


def redact(text: str) -> str:
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(USERNAME, text)
    text = _HANDLE.sub(USERNAME, text)
    text = _CARD.sub(CARD, text)
    text = _CODE.sub(CODE, text)
    text = _phone_numbers(text)
    return _POSTCODE.sub(POSTCODE, text)
