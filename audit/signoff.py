"""Content versions and their sign-off.

A content version is a sha256 over every file that decides what the assistant says and does:
domain.yml, everything under data/, services.yml and config.yml. Files are taken in sorted
path order; each contributes its relative path and the sha256 of its bytes, so renaming a
file changes the version too. Standard library only (scripts/check_signoff.py imports it).
"""
from __future__ import annotations

import datetime
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from audit.store import REPO_ROOT, connect, review_db_path

CONTENT_FILES = ("domain.yml", "services.yml", "config.yml")
CONTENT_FOLDERS = ("data",)


def content_files(root: Path) -> list[Path]:
    files = [root / name for name in CONTENT_FILES if (root / name).is_file()]
    for folder in CONTENT_FOLDERS:
        files += [p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def content_hash(root: Path | str = REPO_ROOT) -> str:
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for path in content_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class Approval:
    content_hash: str
    reviewer: str
    reviewer_name: str
    approved_at: str
    comment: str


def approvals_for(content: str, db: Path | str | None = None) -> list[Approval]:
    """Every sign-off of this content version, newest first ([] when there is no database yet)."""
    path = Path(db or review_db_path())
    if not path.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        rows = connection.execute(
            "SELECT content_hash, reviewer, reviewer_name, approved_at, comment FROM approvals "
            "WHERE content_hash = ? ORDER BY id DESC", (content,)).fetchall()
        connection.close()
    except sqlite3.OperationalError:   # a database from before the approvals table
        return []
    return [Approval(*row) for row in rows]


def recent_approvals(db: Path | str | None = None, limit: int = 20) -> list[Approval]:
    connection = connect(db)
    rows = connection.execute(
        "SELECT content_hash, reviewer, reviewer_name, approved_at, comment FROM approvals "
        "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    connection.close()
    return [Approval(*tuple(row)) for row in rows]


def approve(content: str, reviewer: str, reviewer_name: str, comment: str, db: Path | str | None = None) -> Approval:
    approval = Approval(content, reviewer, reviewer_name,
                        datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), comment)
    connection = connect(db)
    with connection:
        connection.execute(
            "INSERT INTO approvals (content_hash, reviewer, reviewer_name, approved_at, comment) VALUES (?, ?, ?, ?, ?)",
            (approval.content_hash, approval.reviewer, approval.reviewer_name, approval.approved_at, approval.comment))
    connection.close()
    return approval
