"""Sign-offs: a reviewer's name, the date and their comment against a content version
(content/version.py), kept in the review database."""
from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from web.review.database import connect

COLUMNS = "content_hash, reviewer, reviewer_name, approved_at, comment"


@dataclass
class Approval:
    content_hash: str
    reviewer: str
    reviewer_name: str
    approved_at: str
    comment: str


def approvals_for(version: str, db: Path | str) -> list[Approval]:
    """Every sign-off of this content version, newest first ([] when there is no database yet:
    only looking must not create one)."""
    path = Path(db)
    if not path.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        rows = connection.execute(f"SELECT {COLUMNS} FROM approvals WHERE content_hash = ? ORDER BY id DESC",
                                  (version,)).fetchall()
        connection.close()
    except sqlite3.OperationalError:   # a database from before the approvals table
        return []
    return [Approval(*row) for row in rows]


def recent_approvals(db: Path | str, limit: int = 20) -> list[Approval]:
    connection = connect(db)
    rows = connection.execute(f"SELECT {COLUMNS} FROM approvals ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    connection.close()
    return [Approval(*tuple(row)) for row in rows]


def approve(version: str, reviewer: str, reviewer_name: str, comment: str, db: Path | str) -> Approval:
    approval = Approval(version, reviewer, reviewer_name,
                        datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), comment)
    connection = connect(db)
    with connection:
        connection.execute(f"INSERT INTO approvals ({COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                           (approval.content_hash, approval.reviewer, approval.reviewer_name, approval.approved_at,
                            approval.comment))
    connection.close()
    return approval
