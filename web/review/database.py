"""The review database: one SQLite file (REVIEW_DB in web/config.py, default state/review.db).

It holds reviewer accounts and their sessions, sign-offs, the anonymous insight counts and,
only when a school opts in, the redacted messages the assistant did not understand.
No table holds a pupil's conversation: those live in Rasa's tracker store until the purge
(web/retention.py). Standard library only.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviewers (
    name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,          -- argon2id, with its own salt and parameters
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0, -- unix time; after repeated wrong passwords
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_sessions (
    token_hash TEXT PRIMARY KEY,          -- sha256 of the cookie value; the value itself is never stored
    reviewer TEXT NOT NULL REFERENCES reviewers(name) ON DELETE CASCADE,
    sandbox_id TEXT NOT NULL,
    started_at REAL NOT NULL,
    last_seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_attempts (
    client TEXT NOT NULL,                 -- a keyed hash of the address, never the address
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_client ON login_attempts(client, at);
CREATE TABLE IF NOT EXISTS approvals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    content_hash TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reviewer_name TEXT NOT NULL,
    approved_at TEXT NOT NULL,            -- UTC, ISO 8601
    comment TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_hash ON approvals(content_hash);
CREATE TABLE IF NOT EXISTS insights (
    week TEXT NOT NULL,                   -- ISO week, e.g. 2026-W48
    school TEXT NOT NULL,                 -- a key from schools.yml, or "unknown"
    kind TEXT NOT NULL,                   -- situation | fallback | crisis | conversations
    name TEXT NOT NULL,                   -- intent or response id
    count INTEGER NOT NULL,
    PRIMARY KEY (week, school, kind, name)
);
CREATE TABLE IF NOT EXISTS kept_fallback_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kept_on TEXT NOT NULL,                -- a date only: the retention limit counts from it
    school TEXT NOT NULL,
    text TEXT NOT NULL                    -- redacted; only when KEEP_FALLBACK_MESSAGES is on
);
"""


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) the review database with its schema."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    # Deleted rows are overwritten, not left in free pages: kept messages must really go.
    connection.execute("PRAGMA secure_delete = ON")
    connection.executescript(SCHEMA)
    return connection
