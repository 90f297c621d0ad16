"""The whole product as `make run` starts it (action server, Rasa, the web app under waitress),
with KEEP_FALLBACK_MESSAGES on: a scripted chat with 17 personal details through the relay leaves
none of them in any file the stack writes, during the conversation and after the purge; waitress
refuses a body larger than the app's limit before reading it; with the action server down the
pupil still gets the school's contact and the log says what failed."""
from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import yaml
from conftest import ROOT, new_conversation_id, reply_text
from stack import WEB_BIN, start_stack

SENTINELS = yaml.safe_load((Path(__file__).parent / "redaction_sentinels.yml").read_text(encoding="utf-8"))
_random = random.SystemRandom()
# This run's own details: no other program on this shared machine can have written them.
THIS_RUN = {
    "handle": f"dave_k{_random.randint(10000, 99999)}",
    "email": f"sam.j{_random.randint(10000, 99999)}@example.com",
    "phone": f"07700 900{_random.randint(100, 999)}",
    "ip": f"81.{_random.randint(2, 250)}.{_random.randint(2, 250)}.{_random.randint(2, 250)}",
    "dob": f"{_random.randint(10, 28)}/{_random.randint(10, 12)}/{_random.randint(2008, 2012)}",
    "card": "4111 " + " ".join(f"{_random.randint(1000, 9999)}" for _ in range(3)),
    "postcode": f"CF{_random.randint(10, 48)} {_random.randint(1, 9)}{''.join(_random.choices('ABDEFGHJLNPQRSTUWXYZ', k=2))}",
}
MESSAGES = [m.format(**THIS_RUN) for m in SENTINELS["privacy"]]
DETAILS = [d.format(**THIS_RUN) for d in SENTINELS["privacy_details"]]
UNIQUE_DETAILS = [d.format(**THIS_RUN) for d in SENTINELS["privacy_details"] if "{" in d]
# Not understood by the assistant on purpose, so that with the opt-in on a message is kept.
NOT_UNDERSTOOD = "blorp zibble fnord wibble Jake Thompson"


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    home = tmp_path_factory.mktemp("whole-stack")
    state, logs = home / "state", home / "logs"
    state.mkdir()
    (home / "tmp").mkdir()
    # The stack's temporary files go under its own folder, which is searched for every detail.
    env = {"REVIEW_DB": str(state / "review.db"), "CONVERSATION_IDLE_MINUTES": "0", "PURGE_EVERY_MINUTES": "0",
           "KEEP_FALLBACK_MESSAGES": "on", "TMPDIR": str(home / "tmp")}
    stack = start_stack(with_web=True, log_dir=logs, tracker_db=state / "tracker.db", extra_env=env)
    stack.home, stack.state, stack.env = home, state, dict(env, TRACKER_DB=str(state / "tracker.db"))
    yield stack
    stack.stop()


def say(product, conversation: str, message: str) -> dict:
    response = requests.post(f"{product.web_url}/api/chat", timeout=60,
                             json={"conversation_id": conversation, "school": "demo", "message": message})
    assert response.status_code == 200, response.text
    return response.json()


def files_containing(needles: list[str], *folders: Path, since: float = 0) -> dict[str, list[str]]:
    """Which of the needles each file holds (files changed since `since`). Other programs' files
    may come and go under /tmp while this looks: those are skipped."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for directory, _, names in os.walk(folder, onerror=lambda error: None):
            for name in names:
                path = Path(directory) / name
                try:
                    if not path.is_file() or path.stat().st_mtime < since:
                        continue
                    data = path.read_bytes().lower()
                except OSError:   # removed while we looked
                    continue
                hits = [n for n in needles if n.lower().encode() in data]
                if hits:
                    found[str(path)] = hits
    return found


def everywhere_the_stack_writes(product, started: float) -> dict[str, list[str]]:
    """The stack's own folder (its state, logs and temporary files) and the repository's state,
    logs and .rasa, for all 17 details; the rest of /tmp, shared with other programs on this
    machine, for the details made for this run."""
    mine = [p for p in (ROOT / "state", ROOT / "logs", ROOT / ".rasa") if p.exists()]
    return {**files_containing(DETAILS, product.home), **files_containing(DETAILS, *mine, since=started),
            **files_containing(UNIQUE_DETAILS, Path("/tmp"), since=started)}


def test_no_personal_detail_reaches_a_file_during_or_after_the_conversation(product):
    started = time.time()
    assert len(DETAILS) == 17 and len(UNIQUE_DETAILS) == 7
    conversation = new_conversation_id()
    for message in [*MESSAGES, NOT_UNDERSTOOD]:
        say(product, conversation, message)
    tracker_db = product.state / "tracker.db"
    with sqlite3.connect(tracker_db) as db:
        said = [json.loads(row[0])["text"] for row in
                db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (conversation,))]
    assert len(said) == len(MESSAGES) + 1 and "[name]" in " ".join(said), said   # the chat is there
    assert everywhere_the_stack_writes(product, started) == {}, "during the conversation"

    time.sleep(0.05)   # quiet for longer than CONVERSATION_IDLE_MINUTES (0 here)
    result = subprocess.run([str(WEB_BIN / "flask"), "--app", "web", "purge-conversations"], cwd=ROOT,
                            env=dict(os.environ, **product.env), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 conversations counted" in result.stdout, result.stdout
    with sqlite3.connect(product.state / "review.db") as db:
        kept = [row[0] for row in db.execute("SELECT text FROM kept_fallback_messages")]
    assert "blorp zibble fnord wibble [name]" in kept, ("the opt-in kept the message not understood, redacted", kept)
    assert everywhere_the_stack_writes(product, started) == {}, "after the purge"


def test_waitress_refuses_a_body_over_the_apps_limit_before_reading_it(product):
    """A client announcing 1 GiB is answered 413 at once (waitress's own limit, not Flask's after reading)."""
    url = urlsplit(product.web_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 1073741824\r\n\r\n" + b"{" * 1024)
        answer = connection.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    just_over = requests.post(f"{product.web_url}/api/chat", data=b" " * (16 * 1024 + 1),
                              headers={"Content-Type": "application/json"}, timeout=10)
    assert just_over.status_code == 413
    deep = requests.post(f"{product.web_url}/api/chat", data="[" * 1000 + "]" * 1000,
                         headers={"Content-Type": "application/json"}, timeout=10)
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "malformed_json"


def test_with_the_action_server_down_the_pupil_still_gets_the_schools_contact(product):
    """Last in this file: it stops the action server."""
    conversation = new_conversation_id()
    product.stop_actions()
    text = reply_text(say(product, conversation, "can i talk to a real person"))
    assert "Mr Rhys Evans" in text and "pastoral office" in text, text
    reply = say(product, conversation, "is meic open right now")   # needs the action server
    assert reply["fallback"] is False
    log = (product.log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert "action_service_hours" in log and "Failed to run custom action" in log, log[-2000:]
