"""Rasa's event broker for the anonymous counts (see shared_state/insight.py).

Rasa gives the broker every new event of a conversation as it saves it, in order, one save at a
time. The broker adds to the counts in Redis and keeps nothing else: no text (except, when
KEEP_FALLBACK_MESSAGES is on, the redacted text of a message not understood, which waits in Redis
for the purge), and of a conversation only a mark under a hash of its id that says it has been
counted, which expires with the conversation. Counted as the SQLite purge counts them (web/retention.py):
a user message's recognised situation or nlu_fallback, a crisis reply (utter_crisis_*), and a
conversation at its first message, per ISO week and school (a key from schools.yml, else
"unknown"); reviewers' sandbox conversations are not counted.

    event_broker:
      type: shared_state.insight_broker.InsightBroker
      url: <redis host>   port, username, password, key_prefix, use_ssl, ssl_ca_certs as for the stores
      record_exp: <seconds>   as the tracker store's: how long the mark of a counted conversation lasts
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from asyncio import AbstractEventLoop
from typing import Any, Dict, Optional, Text

import redis
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from content.schools import load_schools
from shared_state.insight import count_field, keys
from shared_state.names import CRISIS_PREFIX, FALLBACK_INTENT, SANDBOX_PREFIX, UNKNOWN_SCHOOL, is_on, iso_week

logger = logging.getLogger(__name__)


class InsightBroker(EventBroker):
    def __init__(self, client: redis.Redis, prefix: str, schools: set[str], keep_messages: bool,
                 conversation_expiry: int = 3600) -> None:
        self.client = client
        self.counts_key, self.kept_key = keys(prefix)
        self.started_prefix = f"{prefix}:insight:started:"
        self.conversation_expiry = conversation_expiry
        self.schools = schools
        self.keep_messages = keep_messages
        # Rasa publishes one save's events together, in order: a turn's replies come right after
        # its message, so the school of the message holds for them.
        self._sender: Optional[str] = None
        self._school = UNKNOWN_SCHOOL

    @classmethod
    async def from_endpoint_config(cls, broker_config: EndpointConfig,
                                   event_loop: Optional[AbstractEventLoop] = None) -> "InsightBroker":
        settings = broker_config.kwargs
        client = redis.Redis(host=broker_config.url or "localhost", port=int(settings.get("port") or 6379),
                             username=settings.get("username") or None, password=settings.get("password") or None,
                             db=int(settings.get("db") or 0),
                             ssl=is_on(settings.get("use_ssl")),
                             ssl_ca_certs=settings.get("ssl_ca_certs"), socket_timeout=10)
        return cls(client, settings.get("key_prefix") or "pupilchat", set(load_schools()),
                   _keeps_fallback_messages(), int(settings.get("record_exp") or 3600))

    def publish(self, event: Dict[Text, Any]) -> None:
        try:
            self._count(event)
        except (redis.RedisError, ValueError, TypeError) as error:   # counting never stops a reply
            logger.warning("insight count not recorded: %s", type(error).__name__)

    def _count(self, event: Dict[Text, Any]) -> None:
        sender = event.get("sender_id") or ""
        if sender.startswith(SANDBOX_PREFIX):
            return
        if sender != self._sender:
            self._sender, self._school = sender, UNKNOWN_SCHOOL
        kind, timestamp = event.get("event"), event.get("timestamp")
        if not timestamp:
            return
        week = iso_week(timestamp)
        if kind == "user":
            school = (event.get("metadata") or {}).get("school")
            self._school = school if isinstance(school, str) and school in self.schools else UNKNOWN_SCHOOL
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if self._first_message(sender):
                self._add(week, "conversations", "all")
            if intent == FALLBACK_INTENT:
                self._add(week, "fallback", FALLBACK_INTENT)
                text = event.get("text") or ""
                if self.keep_messages and text.strip():
                    self.client.rpush(self.kept_key, json.dumps({"school": self._school, "text": text}))
            elif intent:
                self._add(week, "situation", intent)
        elif kind == "action" and str(event.get("name") or "").startswith(CRISIS_PREFIX):
            self._add(week, "crisis", event["name"])

    def _first_message(self, sender: str) -> bool:
        """Whether this is the conversation's first message, whichever worker took the earlier ones
        (the relay sends a conversation's messages to all of them in turn): a mark in Redis under a
        hash of the conversation id, which lives as long as the conversation does (renewed at each
        message, expiring an hour after the last)."""
        mark = self.started_prefix + hashlib.sha256(sender.encode()).hexdigest()[:32]
        first, _ = (self.client.pipeline().set(mark, 1, nx=True, ex=self.conversation_expiry)
                    .expire(mark, self.conversation_expiry).execute())
        return bool(first)

    def _add(self, week: str, kind: str, name: str) -> None:
        self.client.hincrby(self.counts_key, count_field(week, self._school, kind, name), 1)

    async def close(self) -> None:
        self.client.close()


def _keeps_fallback_messages() -> bool:
    """KEEP_FALLBACK_MESSAGES, read as web/config.py reads it. The text is already redacted: the
    relay takes personal details out before Rasa sees a message (web/redaction.py)."""
    return is_on(os.environ.get("KEEP_FALLBACK_MESSAGES"))
