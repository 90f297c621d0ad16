"""Conversation storage (web/retention.py): counts stay, text goes; small counts are suppressed;
kept messages expire; the app's config decides, and the app runs the purge."""
from __future__ import annotations

import datetime
import json
import sqlite3
import time

import pytest

from web import create_app, retention
from web.config import from_environment
from web.redaction import redact
from web.retention import Settings, purge
from web.review.insights import insight_rows, kept_messages

SENTINEL = "zq-sentinel-7731-purple-giraffe"
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.timezone.utc).timestamp()
SCHOOLS = {"demo", "example-england"}

# Rasa 3.6's SQLTrackerStore table, as rasa/core/tracker_store.py creates it.
RASA_EVENTS = """CREATE TABLE events (id INTEGER NOT NULL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


class Tracker:
    """A tracker store file holding conversations the way Rasa writes them."""

    def __init__(self, path):
        self.path = path
        with sqlite3.connect(path) as db:
            db.execute(RASA_EVENTS)

    def add(self, sender, type_name, at, intent=None, action=None, data=None):
        with sqlite3.connect(self.path) as db:
            db.execute("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (sender, type_name, at, intent, action, json.dumps(data or {})))

    def user(self, sender, at, text, intent, school="demo"):
        self.add(sender, "user", at, intent=intent, data={
            "event": "user", "timestamp": at, "text": text, "metadata": {"school": school},
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9}}})

    def bot(self, sender, at, action, text=""):
        self.add(sender, "action", at, action=action, data={"event": "action", "name": action})
        if text:
            self.add(sender, "bot", at, data={"event": "bot", "text": text})

    def conversation(self, sender, at, text=SENTINEL, intent="payment_demand", school="demo"):
        self.user(sender, at, text, intent, school)
        self.bot(sender, at + 1, "utter_payment_demand", "I'm really sorry this is happening.")

    def senders(self):
        with sqlite3.connect(self.path) as db:
            return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


@pytest.fixture
def tracker(tmp_path):
    return Tracker(tmp_path / "tracker.db")


@pytest.fixture
def review_db(tmp_path):
    return tmp_path / "review.db"


def run_purge(tracker, review_db, now=NOW, **settings):
    return purge(tracker.path, review_db, Settings(**settings), now=now, schools=SCHOOLS)


def counts(review_db):
    with sqlite3.connect(review_db) as db:
        return {(k, n): c for k, n, c in db.execute("SELECT kind, name, SUM(count) FROM insights GROUP BY kind, name")}


def settings_from(env: dict[str, str]) -> Settings:
    return Settings.from_config(from_environment(env))


def test_keeping_messages_is_off_by_default():
    assert settings_from({}) == Settings(idle_minutes=60, keep_fallback_messages=False, retention_days=30)
    assert settings_from({"KEEP_FALLBACK_MESSAGES": "on", "FALLBACK_RETENTION_DAYS": "7"}).retention_days == 7
    assert settings_from({"KEEP_FALLBACK_MESSAGES": "on"}).keep_fallback_messages


def test_an_idle_conversation_is_counted_then_gone_from_the_file(tracker, review_db):
    tracker.conversation("pupil-1", NOW - 2 * 3600)
    report = run_purge(tracker, review_db)
    assert report.conversations_counted == 1
    assert tracker.senders() == set()
    assert SENTINEL.encode() not in tracker.path.read_bytes(), "deleted text must not linger in free pages"
    assert SENTINEL.encode() not in review_db.read_bytes()
    assert counts(review_db) == {("situation", "payment_demand"): 1, ("conversations", "all"): 1}


def test_an_active_conversation_is_left_alone(tracker, review_db):
    tracker.conversation("pupil-1", NOW - 2 * 3600)
    tracker.conversation("pupil-2", NOW - 10 * 60)         # quiet for 10 minutes only
    run_purge(tracker, review_db)
    assert tracker.senders() == {"pupil-2"}


def test_the_idle_time_is_measured_from_the_last_message(tracker, review_db):
    tracker.conversation("pupil-1", NOW - 3 * 3600)
    tracker.user("pupil-1", NOW - 30 * 60, "still here", "still_in_contact")
    run_purge(tracker, review_db)
    assert tracker.senders() == {"pupil-1"}
    run_purge(tracker, review_db, now=NOW + 31 * 60)
    assert tracker.senders() == set()


def test_counts_per_week_school_situation_fallback_and_crisis(tracker, review_db):
    at = NOW - 2 * 3600
    tracker.conversation("a", at, school="demo")
    tracker.user("b", at, "i want to die", "self_harm_risk", school="example-england")
    tracker.bot("b", at + 1, "utter_crisis_self_harm", "I'm really glad you told me.")
    tracker.user("c", at, "asdfgh", "nlu_fallback", school="made-up-school")
    run_purge(tracker, review_db)
    with sqlite3.connect(review_db) as db:
        rows = set(db.execute("SELECT week, school, kind, name, count FROM insights"))
    assert ("2026-W48", "demo", "situation", "payment_demand", 1) in rows
    assert ("2026-W48", "example-england", "situation", "self_harm_risk", 1) in rows
    assert ("2026-W48", "example-england", "crisis", "utter_crisis_self_harm", 1) in rows
    assert ("2026-W48", "unknown", "fallback", "nlu_fallback", 1) in rows, "unknown school keys are not stored"
    assert not any("made-up" in str(r) for r in rows)


def test_counts_add_up_over_purges(tracker, review_db):
    for n in range(3):
        tracker.conversation(f"p{n}", NOW - 2 * 3600)
        run_purge(tracker, review_db)
    assert counts(review_db)[("situation", "payment_demand")] == 3


def test_sandbox_conversations_are_deleted_and_not_counted(tracker, review_db):
    tracker.conversation("sandbox-abc", NOW - 2 * 3600)
    report = run_purge(tracker, review_db)
    assert report.sandbox_conversations == 1 and report.conversations_counted == 0
    assert tracker.senders() == set() and counts(review_db) == {}


def test_small_counts_are_suppressed(tracker, review_db):
    for n in range(5):
        tracker.conversation(f"pay{n}", NOW - 2 * 3600)
    for n in range(4):
        tracker.conversation(f"sent{n}", NOW - 2 * 3600, intent="already_sent")
    run_purge(tracker, review_db)
    rows = {(r["kind"], r["name"]): r for r in insight_rows(review_db)}
    assert rows[("situation", "payment_demand")]["count"] == "5"
    assert rows[("situation", "already_sent")]["count"] == "fewer than 5"
    assert rows[("situation", "already_sent")]["suppressed"]
    assert all("4" not in r["count"] for r in rows.values())


def test_messages_not_understood_are_not_kept_by_default(tracker, review_db):
    tracker.user("p", NOW - 2 * 3600, SENTINEL, "nlu_fallback")
    report = run_purge(tracker, review_db)
    assert report.messages_kept == 0 and kept_messages(review_db) == []
    assert SENTINEL.encode() not in review_db.read_bytes()


def test_opted_in_messages_are_kept_redacted_then_expire(tracker, review_db):
    said = f"{SENTINEL} call me on 07700 900123 or @someone"
    tracker.user("p", NOW - 2 * 3600, said, "nlu_fallback")
    tracker.user("q", NOW - 2 * 3600, "understood message", "payment_demand")
    run_purge(tracker, review_db, keep_fallback_messages=True, retention_days=30)
    [kept] = kept_messages(review_db)
    assert kept["text"] == redact(said), "redacted as the relay redacts"
    assert "900123" not in kept["text"] and "@someone" not in kept["text"]
    assert kept["school"] == "demo" and kept["kept_on"] == "2026-11-25"
    assert "understood message" not in review_db.read_bytes().decode("latin-1")

    day = 24 * 3600
    run_purge(tracker, review_db, now=NOW + 30 * day, keep_fallback_messages=True, retention_days=30)
    assert len(kept_messages(review_db)) == 1, "kept for the whole retention period"
    report = run_purge(tracker, review_db, now=NOW + 31 * day, keep_fallback_messages=True, retention_days=30)
    assert report.kept_messages_expired == 1 and kept_messages(review_db) == []
    assert SENTINEL.encode() not in review_db.read_bytes()


def test_switching_keeping_off_deletes_what_was_kept(tracker, review_db):
    tracker.user("p", NOW - 2 * 3600, SENTINEL, "nlu_fallback")
    run_purge(tracker, review_db, keep_fallback_messages=True)
    run_purge(tracker, review_db, keep_fallback_messages=False)
    assert kept_messages(review_db) == []
    assert SENTINEL.encode() not in review_db.read_bytes()


def test_a_missing_tracker_store_is_not_an_error(tmp_path, review_db):
    report = purge(tmp_path / "nothing.db", review_db, Settings(), now=NOW)
    assert report.conversations_counted == 0


def test_the_purge_command(tmp_path):
    app = create_app({"TESTING": True, "REVIEW_DB": str(tmp_path / "review.db"), "TRACKER_DB": str(tmp_path / "none.db")})
    result = app.test_cli_runner().invoke(args=["purge-conversations"])
    assert result.exit_code == 0, result.output
    assert "0 conversations counted" in result.output


def test_the_app_purges_only_where_it_runs_beside_the_tracker_store(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(retention, "start_purge_thread", lambda every, run: started.append(every))
    settings = {"REVIEW_DB": str(tmp_path / "review.db"), "TESTING": False}
    create_app({**settings, "TRACKER_DB": None})
    create_app({**settings, "TRACKER_DB": str(tmp_path / "tracker.db"), "PURGE_EVERY_MINUTES": 0})
    assert started == []
    create_app({**settings, "TRACKER_DB": str(tmp_path / "tracker.db"), "PURGE_EVERY_MINUTES": 5})
    assert started == [5]


def test_the_purge_thread_runs_at_once_and_stops():
    calls = []
    stop = retention.start_purge_thread(every_minutes=60, run=lambda: calls.append(1) or retention.PurgeReport())
    deadline = time.time() + 5
    while not calls and time.time() < deadline:
        time.sleep(0.01)
    stop.set()
    assert calls == [1]
