"""What reviewers see of pupils' use: the anonymous counts the purge keeps (web/retention.py),
with every count below SUPPRESS_BELOW shown as "fewer than 5", and, only where a school opted in,
the redacted messages the assistant did not understand."""
from __future__ import annotations

from pathlib import Path

from web.review.database import connect

SUPPRESS_BELOW = 5   # a count this small could point to one pupil: shown as "fewer than 5"


def shown_count(count: int) -> str:
    return f"fewer than {SUPPRESS_BELOW}" if count < SUPPRESS_BELOW else str(count)


def insight_rows(review_db: Path | str, weeks: int = 12) -> list[dict]:
    """Counts per week, school, kind and name, newest week first, with small counts suppressed
    (the number itself is never returned below the threshold)."""
    review = connect(review_db)
    try:
        rows = review.execute("SELECT week, school, kind, name, count FROM insights "
                              "WHERE week IN (SELECT DISTINCT week FROM insights ORDER BY week DESC LIMIT ?) "
                              "ORDER BY week DESC, school, kind, count DESC, name", (weeks,)).fetchall()
    finally:
        review.close()
    return [{"week": r["week"], "school": r["school"], "kind": r["kind"], "name": r["name"],
             "count": shown_count(r["count"]), "suppressed": r["count"] < SUPPRESS_BELOW} for r in rows]


def kept_messages(review_db: Path | str) -> list[dict]:
    review = connect(review_db)
    try:
        rows = review.execute("SELECT kept_on, school, text FROM kept_fallback_messages ORDER BY id DESC").fetchall()
    finally:
        review.close()
    return [dict(row) for row in rows]
