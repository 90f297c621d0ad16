"""A sentinel sent through a whole chat on the real stack is, after the purge, nowhere on disk
and in no log: not in Rasa's tracker store, not in the review database, not in any log file.
Keeping messages not understood is off (the default)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from review_testing import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from stack import MODEL, WEB_BIN, start_stack  # noqa: E402

SENTINEL = "qx-sentinel-" + uuid.uuid4().hex[:10]

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make model)")


def web_app_ready() -> bool:
    """The pupil-side web app (web:create_app, in .venv-web) is built by another part of the project."""
    init = ROOT / "web" / "__init__.py"
    return (WEB_BIN / "waitress-serve").exists() and init.exists() and "def create_app" in init.read_text()


def files_containing(needle: str, *folders: Path, since: float = 0) -> list[Path]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime >= since and needle.encode() in path.read_bytes():
                    found.append(path)
            except OSError:   # a file removed while we looked
                continue
    return found


def purge(env: dict[str, str]) -> str:
    """The purge as it runs in production: the web app's command when the app exists."""
    if web_app_ready():
        result = subprocess.run([str(WEB_BIN / "flask"), "--app", "web", "purge-conversations"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout
    from web.config import from_environment
    from web.retention import Settings, purge as run_purge
    return str(run_purge(env["TRACKER_DB"], env["REVIEW_DB"], Settings.from_config(from_environment(env))))


def test_a_sentinel_is_gone_after_the_purge(tmp_path):
    started = time.time()
    state, logs = tmp_path / "state", tmp_path / "logs"
    state.mkdir()
    env = {"TRACKER_DB": str(state / "tracker.db"), "REVIEW_DB": str(state / "review.db"),
           "CONVERSATION_IDLE_MINUTES": "0", "PURGE_EVERY_MINUTES": "0", "KEEP_FALLBACK_MESSAGES": ""}
    stack_env = {k: v for k, v in env.items() if k != "TRACKER_DB"}   # start_stack sets TRACKER_DB itself
    stack = start_stack(with_web=web_app_ready(), log_dir=logs, tracker_db=state / "tracker.db", extra_env=stack_env)
    try:
        sender = uuid.uuid4().hex
        for message in ["hi", f"someone called {SENTINEL} wants 50 quid or he posts my pics",
                        f"{SENTINEL} {SENTINEL}", "/already_paid", "thanks"]:
            response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60,
                                     json={"sender": sender, "message": message, "metadata": {"school": "demo"}})
            assert response.status_code == 200
        assert files_containing(SENTINEL, state), "the chat must have reached the tracker store"
        time.sleep(0.05)   # the idle time (0 minutes here) is measured from the last event

        report = purge(dict(os.environ, **env))
        assert "1 conversations counted" in report, report
    finally:
        stack.stop()

    assert files_containing(SENTINEL, tmp_path) == [], "found in the state or the logs"
    # Nothing written elsewhere either: the repository's own state and logs, and the temp folder.
    elsewhere = [p for p in (ROOT / "state", ROOT / "logs", ROOT / ".rasa", Path("/tmp")) if p.exists()]
    assert files_containing(SENTINEL, *elsewhere, since=started) == []
    with sqlite3.connect(state / "tracker.db") as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0] == 0
    with sqlite3.connect(state / "review.db") as db:
        counts = dict(db.execute("SELECT kind, SUM(count) FROM insights GROUP BY kind").fetchall())
        assert counts["conversations"] == 1 and counts["situation"] >= 3
        assert db.execute("SELECT COUNT(*) FROM kept_fallback_messages").fetchone()[0] == 0
