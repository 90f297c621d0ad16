"""The button payloads the assistant offered in each conversation.

A typed message that starts with "/" skips Rasa's understanding, so the relay accepts one only
when it is exactly a payload the assistant offered in this conversation (or one of the widget's
opening buttons). Kept in memory for a limited time and number of conversations, keyed by a
hash of the conversation id; a restart forgets them, and the pupil can still type in words.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict


class OfferedPayloads:
    def __init__(self, always_allowed: frozenset[str], max_conversations: int = 20_000,
                 ttl_seconds: float = 3600.0) -> None:
        self.always_allowed = always_allowed
        self.max_conversations = max_conversations
        self.ttl_seconds = ttl_seconds
        self._offered: OrderedDict[str, tuple[float, frozenset[str]]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(conversation: str) -> str:
        return hashlib.sha256(conversation.encode()).hexdigest()

    def remember(self, conversation: str, payloads: set[str]) -> None:
        """The payloads of the assistant's latest replies (they replace the earlier ones)."""
        key = self._key(conversation)
        with self._lock:
            self._offered.pop(key, None)
            self._offered[key] = (time.monotonic() + self.ttl_seconds, frozenset(payloads))
            while len(self._offered) > self.max_conversations:
                self._offered.popitem(last=False)

    def allows(self, conversation: str, payload: str) -> bool:
        if payload in self.always_allowed:
            return True
        with self._lock:
            expires, payloads = self._offered.get(self._key(conversation), (0.0, frozenset()))
        return time.monotonic() < expires and payload in payloads
