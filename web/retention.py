"""Conversation storage: turn finished conversations into anonymous counts, then delete them.

Rasa keeps each conversation in its SQL tracker store (SQLite at TRACKER_DB, table `events`).
Once a conversation has been quiet for CONVERSATION_IDLE_MINUTES (default 60), the purge:
  1. adds to the insight counts in the review database, per ISO week and school: the
     situations recognised (intents), the messages not understood (nlu_fallback), the crisis
     replies sent (utter_crisis_*) and the number of conversations;
  2. only if KEEP_FALLBACK_MESSAGES is on (default off), keeps the text of the messages not
     understood, redacted again with the relay's redactor (web/redaction.py), with the date only;
  3. deletes every event of those conversations, in the same transaction as 1 and 2, and
     VACUUMs the tracker file so that no deleted text is left in free pages.
It also deletes kept messages older than FALLBACK_RETENTION_DAYS (default 30).

Reviewer sandbox conversations (sender "sandbox-...") are deleted without being counted.
Runs as `flask --app web purge-conversations` (`make purge`) and every PURGE_EVERY_MINUTES
inside the web app. Every setting comes from the app's config (web/config.py).
"""
from __future__ import annotations

import datetime
import json
import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from shared_state.names import CRISIS_PREFIX, FALLBACK_INTENT, SANDBOX_PREFIX, UNKNOWN_SCHOOL, iso_week
from web.redaction import redact
from web.review.database import connect

log = logging.getLogger(__name__)



@dataclass
class Settings:
    idle_minutes: float = 60
    keep_fallback_messages: bool = False
    retention_days: int = 30

    @classmethod
    def from_config(cls, config: Mapping) -> Settings:
        return cls(idle_minutes=config["CONVERSATION_IDLE_MINUTES"],
                   keep_fallback_messages=config["KEEP_FALLBACK_MESSAGES"],
                   retention_days=config["FALLBACK_RETENTION_DAYS"])


@dataclass
class PurgeReport:
    conversations_counted: int = 0
    sandbox_conversations: int = 0
    events_deleted: int = 0
    messages_kept: int = 0
    kept_messages_expired: int = 0
    counts: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        return (f"{self.conversations_counted} conversations counted and deleted ({self.events_deleted} events), "
                f"{self.sandbox_conversations} sandbox conversations deleted, {self.messages_kept} messages not "
                f"understood kept, {self.kept_messages_expired} kept messages past their retention deleted")


# --- reading finished conversations ------------------------------------------------------
def idle_senders(tracker: sqlite3.Connection, quiet_since: float) -> list[str]:
    rows = tracker.execute("SELECT sender_id FROM main.events GROUP BY sender_id HAVING MAX(timestamp) < ?",
                           (quiet_since,)).fetchall()
    return [row[0] for row in rows]


def _event_data(raw: str | None) -> dict:
    try:
        return json.loads(raw or "{}")
    except ValueError:
        return {}


def conversation_school(events: list[tuple], schools: set[str] | None) -> str:
    """The school from the latest user message's metadata; only keys from schools.yml count,
    so nothing a client makes up ever reaches the counts."""
    for type_name, _, _, _, raw in reversed(events):
        if type_name == "user":
            key = (_event_data(raw).get("metadata") or {}).get("school")
            if isinstance(key, str) and key:
                return key if schools is None or key in schools else UNKNOWN_SCHOOL
    return UNKNOWN_SCHOOL


def count_conversation(events: list[tuple], school: str, counts: Counter) -> list[str]:
    """Add one conversation's counts; return the texts of its messages not understood."""
    not_understood = []
    user_times = [timestamp for type_name, timestamp, _, _, _ in events if type_name == "user" and timestamp]
    if user_times:
        counts[(iso_week(min(user_times)), school, "conversations", "all")] += 1
    for type_name, timestamp, intent, action, raw in events:
        if not timestamp:
            continue
        week = iso_week(timestamp)
        if type_name == "user" and intent == FALLBACK_INTENT:
            counts[(week, school, "fallback", FALLBACK_INTENT)] += 1
            not_understood.append(_event_data(raw).get("text") or "")
        elif type_name == "user" and intent:
            counts[(week, school, "situation", intent)] += 1
        elif type_name == "action" and action and action.startswith(CRISIS_PREFIX):
            counts[(week, school, "crisis", action)] += 1
    return [t for t in not_understood if t.strip()]


# --- the purge -----------------------------------------------------------------------------
def purge(tracker_db: Path | str | None, review_db: Path | str, settings: Settings,
          now: float | None = None, schools: set[str] | None = None) -> PurgeReport:
    """Count and delete the conversations in tracker_db that went quiet (None: no tracker store
    here), and expire kept messages. Only school keys in `schools` are counted by name."""
    now = time.time() if now is None else now
    review_db = Path(review_db)
    tracker_db = Path(tracker_db) if tracker_db else None
    report = PurgeReport()
    connect(review_db).close()   # make sure the review schema exists before attaching it
    if tracker_db and tracker_db.exists():
        _expire_conversations(tracker_db, review_db, settings, now, schools, report)
    # Conversations kept in Redis expire by themselves; their counts were made as they happened.
    from shared_state.insight import collect_into
    collect_into(report, review_db, settings.keep_fallback_messages, now)
    _expire_kept_messages(review_db, settings, now, report)
    return report


def _has_events_table(tracker: sqlite3.Connection) -> bool:
    return tracker.execute("SELECT 1 FROM main.sqlite_master WHERE type='table' AND name='events'").fetchone() is not None


def _expire_conversations(tracker_db: Path, review_db: Path, settings: Settings, now: float,
                          schools: set[str] | None, report: PurgeReport) -> None:
    tracker = sqlite3.connect(tracker_db, timeout=30, isolation_level=None)
    try:
        if not _has_events_table(tracker):
            return
        tracker.execute("PRAGMA secure_delete = ON")
        tracker.execute("ATTACH DATABASE ? AS review", (str(review_db),))
        # One transaction over both files: counts are added exactly when the events go.
        tracker.execute("BEGIN IMMEDIATE")
        try:
            senders = idle_senders(tracker, now - settings.idle_minutes * 60)
            kept = []
            for sender in senders:
                kept += _count_and_delete(tracker, sender, schools, report)
            _save_counts(tracker, report.counts)
            if settings.keep_fallback_messages:
                _keep_messages(tracker, kept, now)
                report.messages_kept = len(kept)
            tracker.execute("COMMIT")
        except BaseException:
            tracker.execute("ROLLBACK")
            raise
        if senders:
            tracker.execute("VACUUM main")   # rewrite the file: deleted text must not linger in free pages
    finally:
        tracker.close()


def _count_and_delete(tracker: sqlite3.Connection, sender: str, schools: set[str] | None,
                      report: PurgeReport) -> list[tuple[str, str]]:
    events = tracker.execute("SELECT type_name, timestamp, intent_name, action_name, data FROM main.events "
                             "WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    kept = []
    if sender.startswith(SANDBOX_PREFIX):
        report.sandbox_conversations += 1
    else:
        school = conversation_school(events, schools)
        kept = [(school, text) for text in count_conversation(events, school, report.counts)]
        report.conversations_counted += 1
    report.events_deleted += tracker.execute("DELETE FROM main.events WHERE sender_id = ?", (sender,)).rowcount
    return kept


def _save_counts(tracker: sqlite3.Connection, counts: Counter) -> None:
    tracker.executemany(
        "INSERT INTO review.insights (week, school, kind, name, count) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (week, school, kind, name) DO UPDATE SET count = count + excluded.count",
        [(*key, count) for key, count in counts.items()])


def _keep_messages(tracker: sqlite3.Connection, kept: Iterable[tuple[str, str]], now: float) -> None:
    today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date().isoformat()
    tracker.executemany("INSERT INTO review.kept_fallback_messages (kept_on, school, text) VALUES (?, ?, ?)",
                        [(today, school, redact(text)) for school, text in kept])


def _expire_kept_messages(review_db: Path, settings: Settings, now: float, report: PurgeReport) -> None:
    """Kept messages go after the retention limit, and all of them go when keeping is switched off."""
    oldest_kept = (datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
                   - datetime.timedelta(days=settings.retention_days)).isoformat()
    review = connect(review_db)
    try:
        with review:
            if settings.keep_fallback_messages:
                cursor = review.execute("DELETE FROM kept_fallback_messages WHERE kept_on < ?", (oldest_kept,))
            else:
                cursor = review.execute("DELETE FROM kept_fallback_messages")
            report.kept_messages_expired = cursor.rowcount
        if report.kept_messages_expired:
            review.execute("VACUUM")
    finally:
        review.close()


# --- running it every few minutes inside the web app ------------------------------------------
def start_purge_thread(every_minutes: float, run: Callable[[], PurgeReport]) -> threading.Event:
    """A daemon thread that purges every few minutes; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while True:   # at once (conversations may have gone quiet while the app was down), then every few minutes
            try:
                report = run()
                if report.conversations_counted or report.kept_messages_expired:
                    log.info("purge: %s", report)
            except Exception:   # a failed purge must not stop the next one
                log.exception("purge failed; trying again in %s minutes", every_minutes)
            if stop.wait(every_minutes * 60):
                return

    threading.Thread(target=loop, name="conversation-purge", daemon=True).start()
    return stop


def purge_for(app: Flask) -> PurgeReport:
    """One purge with the app's settings, counting only the schools it serves."""
    config = app.config
    return purge(config["TRACKER_DB"], config["REVIEW_DB"], Settings.from_config(config),
                 schools=set(app.extensions["content"].schools))


@click.command("purge-conversations")
@with_appcontext
def purge_conversations() -> None:
    """Count and delete conversations idle longer than CONVERSATION_IDLE_MINUTES (TRACKER_DB);
    delete kept messages past FALLBACK_RETENTION_DAYS."""
    click.echo(str(purge_for(current_app)))


def init_app(app: Flask) -> None:
    """The purge command, and the purge every PURGE_EVERY_MINUTES (0: never) where the app runs
    beside Rasa's tracker store (TRACKER_DB or REDIS_HOST is set, as scripts/stack.py does)."""
    app.cli.add_command(purge_conversations)
    every = app.config["PURGE_EVERY_MINUTES"]
    if app.testing or every <= 0 or not (app.config["TRACKER_DB"] or app.config["REDIS_HOST"]):
        return
    app.extensions["purge_stop"] = start_purge_thread(every, lambda: purge_for(app))
