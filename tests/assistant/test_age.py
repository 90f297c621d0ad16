"""Age is what the writer says about themself (or their child), never a guess."""
from __future__ import annotations

import pytest

from components.age_group import says_more_than_age
from components.age_patterns import ADULT, UNDER_18, age_group


@pytest.mark.parametrize("text,group", [
    ("im 14 and someone online has my nudes", UNDER_18),
    ("16m, got caught out", UNDER_18),
    ("I'm 22, they are threatening me", ADULT),
    ("i am over 18", ADULT),
    ("i'm 18 in march", UNDER_18),
    ("im nearly 18", UNDER_18),
    ("my 14 year old son is being blackmailed", UNDER_18),
    ("my daughter is 15 and", UNDER_18),
    ("dwi'n 15", UNDER_18),
    ("im 15 but i was 14 when... no wait im 19", ADULT),   # the last statement counts
    ("as a 45 year old man i feel stupid saying this", ADULT),
    ("19 here, she wants money", ADULT),
    ("uni student (19) and he has my pics", ADULT),
    ("I'm in my thirties and this happened to me", ADULT),
    ("late twenties here, paid once already", ADULT),
    ("aged 20, he wants money or he posts them", ADULT),
    ("i turned 18 in june but the pics are from year 11", ADULT),
    ("ive just turned 16 and she wants more pics", UNDER_18),
    ("i'm 18 in march, sorry i mean i'm 18 now", ADULT),   # a "not yet" holds for its own statement only
])
def test_stated_ages(text, group):
    assert age_group(text)[0] == group


@pytest.mark.parametrize("text", [
    "a man over 18 is blackmailing me", "he says hes 19", "they want £200 or theyll send my pics",
    "im 50 quid down", "we got slaughtered 6-0 at netball", "i sent 14 pics", "im in year 13",
    "he says hes in his thirties", "a man in his late twenties messaged me", "my 20 here is not enough",
    "my son aged 14 got a message", "she turned 18 last week and wants pics",
])
def test_no_age_is_read_where_the_writer_gave_none(text):
    assert age_group(text) is None


def test_an_age_beside_a_disclosure_keeps_the_disclosure():
    assert says_more_than_age("im 13 and my video is in the year 8 snap group", 0, 5)
    assert not says_more_than_age("im 13", 0, 5)
    assert not says_more_than_age("yeah im 13 btw", 5, 10)
