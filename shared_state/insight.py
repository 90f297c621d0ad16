"""The anonymous counts when conversations are kept in Redis.

With SQLite the web app's purge counts each conversation when it deletes it (web/retention.py).
In Redis a conversation expires by itself, with nobody there to count it, so the counting moves
to the moment things happen: Rasa's event broker (shared_state/insight_broker.py) adds each
counted event (per ISO week and school: situations recognised, messages not understood, crisis
replies, conversations) to one Redis hash, and the purge moves those counts into the review
database every few minutes (collect). Nothing of a conversation's text is in the hash; only when
KEEP_FALLBACK_MESSAGES is on does a redacted message not understood wait in a Redis list for the
purge, which keeps it as web/retention.py keeps them (dated, redacted, deleted after
FALLBACK_RETENTION_DAYS).

Redis is reached with the same settings as Rasa's stores (REDIS_HOST, REDIS_PORT,
REDIS_USERNAME, REDIS_PASSWORD, REDIS_KEY_PREFIX; REDIS_USE_SSL=on and REDIS_SSL_CA_CERTS for TLS). One purge
collects: run the reviewers' area on one machine.
"""
from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from shared_state.names import is_on


def keys(prefix: str) -> tuple[str, str]:
    """The counts hash and the list of kept messages not understood."""
    return f"{prefix}:insight:counts", f"{prefix}:insight:kept"


def count_field(week: str, school: str, kind: str, name: str) -> str:
    return json.dumps([week, school, kind, name])


def settings_from_env(env: dict[str, str] | None = None) -> dict | None:
    """redis-py settings from the environment, or None where conversations are not in Redis."""
    env = os.environ if env is None else env
    if not env.get("REDIS_HOST"):
        return None
    settings = {"host": env["REDIS_HOST"], "port": int(env.get("REDIS_PORT") or 6379),
                "username": env.get("REDIS_USERNAME") or None, "password": env.get("REDIS_PASSWORD") or None,
                "db": 0, "socket_timeout": 10}
    if is_on(env.get("REDIS_USE_SSL")):
        settings.update(ssl=True, ssl_ca_certs=env.get("REDIS_SSL_CA_CERTS") or None)
    return settings


def prefix_from_env(env: dict[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get("REDIS_KEY_PREFIX") or "pupilchat"


def collect(client, review_db: Path | str, prefix: str, keep_messages: bool, now: float) -> tuple[dict, int]:
    """Move the counts (and kept messages) from Redis into the review database; return the counts
    moved, {(week, school, kind, name): n}, and how many messages were kept.

    Each key is first renamed, so counts added meanwhile wait for the next run; a run that
    stopped half-way leaves its renamed key, which the next run moves first."""
    import redis

    from web.review.database import connect

    moved: dict[tuple, int] = {}
    kept_texts: list[tuple[str, str]] = []
    counts_key, kept_key = keys(prefix)
    taking = [(counts_key, counts_key + ":collecting"), (kept_key, kept_key + ":collecting")]
    for key, collecting in taking:
        if not client.exists(collecting):
            try:
                client.rename(key, collecting)
            except redis.ResponseError:   # no such key: nothing new
                pass
    for field, count in client.hgetall(counts_key + ":collecting").items():
        moved[tuple(json.loads(field))] = int(count)
    for raw in client.lrange(kept_key + ":collecting", 0, -1):
        message = json.loads(raw)
        kept_texts.append((message["school"], message["text"]))
    if moved or (kept_texts and keep_messages):
        today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date().isoformat()
        review = connect(review_db)
        try:
            with review:
                review.executemany(
                    "INSERT INTO insights (week, school, kind, name, count) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (week, school, kind, name) DO UPDATE SET count = count + excluded.count",
                    [(*key, count) for key, count in moved.items()])
                if keep_messages:
                    review.executemany("INSERT INTO kept_fallback_messages (kept_on, school, text) VALUES (?, ?, ?)",
                                       [(today, school, text) for school, text in kept_texts])
        finally:
            review.close()
    client.delete(*(collecting for _, collecting in taking))
    return moved, len(kept_texts) if keep_messages else 0


def collect_into(report, review_db: Path | str, keep_messages: bool, now: float,
                 env: dict[str, str] | None = None) -> None:
    """The purge's step for Redis (web/retention.py): collect, and add what moved to its report.
    Does nothing where conversations are not in Redis."""
    settings = settings_from_env(env)
    if not settings:
        return
    import redis

    client = redis.Redis(**settings, decode_responses=True)
    try:
        moved, kept = collect(client, review_db, prefix_from_env(env), keep_messages, now)
    finally:
        client.close()
    report.counts.update(moved)
    report.conversations_counted += sum(n for (_, _, kind, _), n in moved.items() if kind == "conversations")
    report.messages_kept += kept
