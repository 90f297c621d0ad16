"""Reviewer accounts, login throttling and server-side sessions for /review.

- Passwords: argon2id (argon2-cffi), each hash with its own salt; never stored or logged. At
  least MIN_PASSWORD_LENGTH characters, and not easy to guess: zxcvbn (Dropbox's estimator, with
  its lists of common passwords, words and names) must score it MIN_PASSWORD_SCORE or more.
- Accounts are created only from the command line (`flask --app web create-reviewer NAME`).
- Lockout: LOCK_AFTER_FAILURES wrong passwords in a row lock the account for LOCK_MINUTES. A
  refused login always gets the same words, whether the name is unknown, the password wrong or
  the account locked, and the same argon2 work, so no answer tells which reviewer names exist.
- Rate limit: at most RATE_LIMIT_ATTEMPTS login attempts per client per RATE_LIMIT_MINUTES,
  whatever the names tried (so guessing across many accounts is slow too).
- Sessions: a random token in an HttpOnly, SameSite=Strict cookie scoped to /review; only its
  sha256 is stored. A session ends after IDLE_MINUTES without a request, or MAX_HOURS in all.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import sqlite3
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from web.review.database import connect

LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15
RATE_LIMIT_ATTEMPTS = 10
RATE_LIMIT_MINUTES = 15
IDLE_MINUTES = 30
MAX_HOURS = 8
MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3   # zxcvbn's 0-4: 3 is "safely unguessable" for an online attack and more
# Words anyone would try first against this site (zxcvbn counts them like its common passwords).
SITE_WORDS = ("sextortion", "review", "reviewer", "content", "safeguarding", "childline", "school", "pupil",
              "help", "chat", "rasa")
REFUSED = (f"Wrong name or password. After {LOCK_AFTER_FAILURES} wrong tries an account is locked "
           f"for {LOCK_MINUTES} minutes.")

hasher = PasswordHasher()   # argon2id with the library's current recommended parameters
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hasher.hash(secrets.token_hex(16))


class LoginRefused(Exception):
    """Why a login failed, in words safe to show (never whether the name exists)."""
    status = 401


class RateLimited(LoginRefused):
    status = 429


@dataclass
class Reviewer:
    name: str
    display_name: str


@dataclass
class Session:
    reviewer: Reviewer
    sandbox_id: str
    token_hash: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- accounts --------------------------------------------------------------------------------
def password_problem(password: str, *user_inputs: str) -> None:
    """Raise ValueError saying what is wrong with a new password: too short, or too common or
    easy to guess (a listed password, a word with digits, the reviewer's own name...)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    verdict = zxcvbn(password[:100], user_inputs=[*SITE_WORDS, *(u for u in user_inputs if u)])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        hint = verdict["feedback"].get("warning") or "it is easy to guess"
        raise ValueError(f"that password is too common or easy to guess ({hint.rstrip('.')}): "
                         "try four or more unrelated words")


def create_reviewer(db, name: str, display_name: str, password: str, replace: bool = False) -> Reviewer:
    password_problem(password, name, display_name)
    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("the name may use letters, digits, '-', '_' and '.' only")
    connection = connect(db)
    try:
        with connection:
            exists = connection.execute("SELECT 1 FROM reviewers WHERE name = ?", (name,)).fetchone()
            if exists and not replace:
                raise ValueError(f"reviewer {name!r} already exists (use --replace to set a new password)")
            connection.execute(
                "INSERT INTO reviewers (name, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, "
                "password_hash = excluded.password_hash, failed_logins = 0, locked_until = 0",
                (name, display_name, hasher.hash(password),
                 datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")))
            # A new password ends every session the old one opened.
            connection.execute("DELETE FROM review_sessions WHERE reviewer = ?", (name,))
    finally:
        connection.close()
    return Reviewer(name, display_name)


# --- logging in ------------------------------------------------------------------------------
def client_key(address: str | None, secret: bytes) -> str:
    """A keyed hash of the client address: enough to count attempts, without storing the address."""
    return hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def _check_rate_limit(connection: sqlite3.Connection, client: str, now: float) -> None:
    window = now - RATE_LIMIT_MINUTES * 60
    connection.execute("DELETE FROM login_attempts WHERE at < ?", (window,))
    attempts = connection.execute("SELECT COUNT(*) FROM login_attempts WHERE client = ? AND at >= ?",
                                  (client, window)).fetchone()[0]
    if attempts >= RATE_LIMIT_ATTEMPTS:
        raise RateLimited(f"Too many login attempts. Wait {RATE_LIMIT_MINUTES} minutes and try again.")
    connection.execute("INSERT INTO login_attempts (client, at) VALUES (?, ?)", (client, now))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def log_in(db, name: str, password: str, client: str, now: float | None = None) -> tuple[str, Session]:
    """Check the password and open a session; returns (cookie token, session).
    Raises LoginRefused when rate-limited, locked or wrong."""
    now = time.time() if now is None else now
    connection = connect(db)
    try:
        with connection:
            _check_rate_limit(connection, client, now)
        row = connection.execute("SELECT * FROM reviewers WHERE name = ?", (name,)).fetchone()
        # The same work and the same words for an unknown name, a locked account and a wrong password.
        right = _verify(row["password_hash"] if row else _DUMMY_HASH, password)
        if row is None or row["locked_until"] > now:
            raise LoginRefused(REFUSED)
        if not right:
            with connection:   # committed before refusing: an exception inside would roll it back
                _record_failure(connection, name, row["failed_logins"] + 1, now)
            raise LoginRefused(REFUSED)
        with connection:
            connection.execute("UPDATE reviewers SET failed_logins = 0, locked_until = 0 WHERE name = ?", (name,))
            if hasher.check_needs_rehash(row["password_hash"]):
                connection.execute("UPDATE reviewers SET password_hash = ? WHERE name = ?", (hasher.hash(password), name))
            token = secrets.token_urlsafe(32)
            session = Session(Reviewer(name, row["display_name"]), secrets.token_hex(8), _token_hash(token))
            connection.execute("INSERT INTO review_sessions (token_hash, reviewer, sandbox_id, started_at, last_seen) "
                               "VALUES (?, ?, ?, ?, ?)", (session.token_hash, name, session.sandbox_id, now, now))
        return token, session
    finally:
        connection.close()


def _record_failure(connection: sqlite3.Connection, name: str, failures: int, now: float) -> None:
    locked_until = now + LOCK_MINUTES * 60 if failures >= LOCK_AFTER_FAILURES else 0
    connection.execute("UPDATE reviewers SET failed_logins = ?, locked_until = ? WHERE name = ?",
                       (0 if locked_until else failures, locked_until, name))


# --- sessions --------------------------------------------------------------------------------
def current_session(db, token: str | None, now: float | None = None) -> Session | None:
    """The live session for a cookie token, refreshed; None when missing or expired."""
    if not token:
        return None
    now = time.time() if now is None else now
    connection = connect(db)
    try:
        with connection:
            connection.execute("DELETE FROM review_sessions WHERE last_seen < ? OR started_at < ?",
                               (now - IDLE_MINUTES * 60, now - MAX_HOURS * 3600))
            row = connection.execute(
                "SELECT s.token_hash, s.sandbox_id, r.name, r.display_name FROM review_sessions s "
                "JOIN reviewers r ON r.name = s.reviewer WHERE s.token_hash = ?", (_token_hash(token),)).fetchone()
            if row is None:
                return None
            connection.execute("UPDATE review_sessions SET last_seen = ? WHERE token_hash = ?", (now, row["token_hash"]))
        return Session(Reviewer(row["name"], row["display_name"]), row["sandbox_id"], row["token_hash"])
    finally:
        connection.close()


def new_sandbox(db, session: Session) -> str:
    """Start the sandbox conversation afresh (a new Rasa sender id)."""
    sandbox_id = secrets.token_hex(8)
    connection = connect(db)
    try:
        with connection:
            connection.execute("UPDATE review_sessions SET sandbox_id = ? WHERE token_hash = ?",
                               (sandbox_id, session.token_hash))
    finally:
        connection.close()
    return sandbox_id


def log_out(db, session: Session) -> None:
    connection = connect(db)
    try:
        with connection:
            connection.execute("DELETE FROM review_sessions WHERE token_hash = ?", (session.token_hash,))
    finally:
        connection.close()
