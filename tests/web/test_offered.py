"""The memory of offered payloads: per conversation, replaced by the latest reply, bounded."""
from __future__ import annotations

import time

from web.offered import OfferedPayloads


def test_only_the_latest_offer_counts():
    offered = OfferedPayloads(always_allowed=frozenset({"/need_help_now"}))
    offered.remember("conversation-a", {"/affirm", "/deny"})
    assert offered.allows("conversation-a", "/affirm")
    assert not offered.allows("conversation-b", "/affirm")
    offered.remember("conversation-a", {"/already_paid"})
    assert not offered.allows("conversation-a", "/affirm")
    assert offered.allows("conversation-b", "/need_help_now")   # the widget's opening buttons


def test_offers_expire():
    offered = OfferedPayloads(always_allowed=frozenset(), ttl_seconds=0.05)
    offered.remember("conversation-a", {"/affirm"})
    time.sleep(0.1)
    assert not offered.allows("conversation-a", "/affirm")


def test_the_number_of_conversations_is_bounded():
    offered = OfferedPayloads(always_allowed=frozenset(), max_conversations=2)
    for name in ("one", "two", "three"):
        offered.remember(name, {"/affirm"})
    assert not offered.allows("one", "/affirm")
    assert offered.allows("three", "/affirm")
    assert len(offered._offered) == 2
