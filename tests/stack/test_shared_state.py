"""Several Rasa workers sharing conversations in a real redis-server (`make run WORKERS=2`).

Everything here is real: Debian's redis-server, two Rasa workers, the action server and the web
app's relay, started by scripts/stack.py as `make run WORKERS=2` starts them.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests

from scripts.stack import MODEL, ROOT, WEB_BIN, start_stack

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make model)")

ADULT = "StopNCII"   # only pupils who said they are 18 or over are given it


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """Redis, two Rasa workers, the action server and the relay; the usual one-hour expiry."""
    stack = start_stack(workers=2, with_web=True, log_dir=tmp_path_factory.mktemp("two-workers"),
                        extra_env={"PURGE_EVERY_MINUTES": "0"})
    yield stack
    stack.stop()


def to_worker(url: str, sender: str, text: str) -> str:
    """One message straight to a given Rasa worker; the reply's text."""
    response = requests.post(f"{url}/webhooks/rest/webhook", timeout=60,
                             json={"sender": sender, "message": text, "metadata": {"school": "demo"}})
    response.raise_for_status()
    return "\n".join(reply.get("text", "") for reply in response.json())


def through_relay(web_url: str, conversation: str, text: str) -> str:
    """One message through the relay, as the widget sends it; fails on any error or fallback."""
    response = requests.post(f"{web_url}/api/chat", timeout=60,
                             json={"conversation_id": conversation, "school": "demo", "message": text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fallback"] is False, "the relay answered with its fallback: no worker answered"
    return "\n".join(message["text"] for message in body["messages"])


def tracker(stack, sender: str, worker: int = -1) -> dict:
    response = requests.get(f"{stack.rasa_urls[worker]}/conversations/{sender}/tracker",
                            params={"token": stack.api_token}, timeout=30)
    response.raise_for_status()
    return response.json()


def user_messages(stack, sender: str) -> list[str]:
    return [event["text"] for event in tracker(stack, sender)["events"] if event["event"] == "user"]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_turns_on_different_workers_keep_the_conversation(workers):
    first, second = workers.rasa_urls
    sender = uuid.uuid4().hex
    to_worker(first, sender, "i'm 19")
    to_worker(second, sender, "someone says they'll post my pics unless i pay them 100 quid")
    what_now = to_worker(first, sender, "what do i do")
    removal = to_worker(second, sender, "how do i get the pics taken down")

    assert "pay" in what_now.lower(), "the second worker lost what happened"
    assert ADULT in removal, "the age said on one worker was lost on the other"
    slots = tracker(workers, sender, worker=0)["slots"]
    assert slots["age_group"] == "18_or_over"
    assert user_messages(workers, sender) == ["i'm 19", "someone says they'll post my pics unless i pay them 100 quid",
                                              "what do i do", "how do i get the pics taken down"]
    # Kept in Redis (not in a worker's memory), expiring an hour after the last message.
    client = redis.Redis.from_url(workers.redis_url)
    ttl = client.ttl(f"pupilchat:tracker:{sender}")
    assert 3500 < ttl <= 3600
    assert not (workers.log_dir / "tracker.db").exists(), "nothing of a conversation goes to SQLite"


def test_messages_at_once_on_both_workers_take_their_turns(workers):
    """The lock store (shared_state/lock_store.py): two workers never handle one conversation at
    the same time, so no turn is lost (each worker writes the whole conversation back) and none is
    interleaved. With Rasa Open Source's RedisLockStore this lost a turn in about 1 run in 3."""
    sender = uuid.uuid4().hex
    to_worker(workers.rasa_urls[0], sender, "hi")
    texts = ["i'm 19", "someone says they'll share my nudes unless i pay", "what do i do", "thanks"]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        list(pool.map(lambda n: to_worker(workers.rasa_urls[n % 2], sender, texts[n]), range(len(texts))))

    events = tracker(workers, sender)["events"]
    assert sorted(user_messages(workers, sender)) == sorted(["hi", *texts]), "a turn was lost"
    starts = [n for n, event in enumerate(events) if event["event"] == "user"]
    for start, end in zip(starts, starts[1:] + [len(events)]):
        turn = events[start:end]
        assert any(event["event"] == "bot" for event in turn), "a message got no reply of its own"
        assert [event["name"] for event in turn if event["event"] == "action"][-1] == "action_listen", \
            "another message came in before this turn ended"


def test_the_relay_spreads_conversations_across_the_workers(workers):
    pids = [workers.processes[name].pid for name in workers.rasa_worker_names()]
    before = [cpu_seconds(pid) for pid in pids]
    conversations = [uuid.uuid4().hex for _ in range(6)]
    for conversation in conversations:
        through_relay(workers.web_url, conversation, "i'm 19")
        through_relay(workers.web_url, conversation, "someone says they'll share my nudes unless i pay")
        assert ADULT in through_relay(workers.web_url, conversation, "how do i get the pics taken down")
    used = [cpu_seconds(pid) - start for pid, start in zip(pids, before)]
    assert min(used) > 0.2 * max(used), f"one worker did (nearly) all the work: CPU seconds {used}"


def conversations_counted(stack, school: str = "demo") -> int:
    """The anonymous count of conversations waiting in Redis for the purge (all weeks)."""
    counts = redis.Redis.from_url(stack.redis_url, decode_responses=True).hgetall("pupilchat:insight:counts")
    return sum(int(n) for field, n in counts.items() if json.loads(field)[1:3] == [school, "conversations"])


def test_each_conversation_is_counted_once_whichever_workers_take_it(workers):
    """Pupils chatting at once through the relay, which sends a conversation's messages to the
    workers in turn: each conversation counts once."""
    before = conversations_counted(workers)
    conversations = [uuid.uuid4().hex for _ in range(8)]
    with ThreadPoolExecutor(max_workers=len(conversations)) as pool:
        for text in ["hi", "someone says they'll share my nudes unless i pay", "what do i do"]:
            list(pool.map(lambda c, text=text: through_relay(workers.web_url, c, text), conversations))
    assert conversations_counted(workers) - before == len(conversations)


def test_stopping_a_worker_mid_conversation_loses_no_conversation(workers):
    """Last in this file: it stops the first worker for good."""
    conversations = [uuid.uuid4().hex for _ in range(6)]
    for conversation in conversations:
        through_relay(workers.web_url, conversation, "i'm 19")
        through_relay(workers.web_url, conversation, "someone says they'll share my nudes unless i pay")

    with ThreadPoolExecutor(max_workers=len(conversations) + 1) as pool:
        removal = [pool.submit(through_relay, workers.web_url, c, "how do i get the pics taken down")
                   for c in conversations]
        time.sleep(0.05)   # the turns are in flight on both workers when the first one stops
        pool.submit(workers.stop_process, "rasa").result()
        removal = [future.result() for future in removal]
    what_now = [through_relay(workers.web_url, c, "what do i do") for c in conversations]
    # A conversation that starts now gets its school's contact from the worker still there.
    started_after = through_relay(workers.web_url, uuid.uuid4().hex, "how do i tell a teacher about this")

    assert workers.rasa_worker_names() == ["rasa-2"]
    assert "Mr Rhys Evans" in started_after, started_after
    assert all(ADULT in reply for reply in removal), removal
    assert all("pay" in reply.lower() for reply in what_now), what_now
    for conversation in conversations:   # every message, each handled once
        assert user_messages(workers, conversation) == [
            "i'm 19", "someone says they'll share my nudes unless i pay", "how do i get the pics taken down",
            "what do i do"]


# --- expiry: a worker on Redis with a 3-second expiry --------------------------------------
SENTINEL = "qx-sentinel-" + uuid.uuid4().hex[:10]


def all_redis_content(client: redis.Redis) -> dict[bytes, bytes]:
    """Every key and everything in it, whatever its type."""
    found = {}
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        if kind == b"string":
            value = client.get(key) or b""
        elif kind == b"hash":
            value = b" ".join(k + b" " + v for k, v in client.hgetall(key).items())
        elif kind == b"list":
            value = b" ".join(client.lrange(key, 0, -1))
        else:
            value = b" ".join(map(bytes, client.smembers(key))) if kind == b"set" else b""
        found[key] = value
    return found


def test_a_conversation_expires_from_redis_and_only_its_counts_remain(tmp_path):
    logs, review_db = tmp_path / "logs", tmp_path / "review.db"
    env = {"CONVERSATION_IDLE_MINUTES": "0.05", "PURGE_EVERY_MINUTES": "0", "KEEP_FALLBACK_MESSAGES": "",
           "REVIEW_DB": str(review_db)}
    stack = start_stack(redis=True, with_web=False, log_dir=logs, extra_env=env)
    try:
        client = redis.Redis.from_url(stack.redis_url)
        sender = uuid.uuid4().hex
        for message in ["hi", f"someone called {SENTINEL} wants 50 quid or he posts my pics",
                        f"{SENTINEL} {SENTINEL}", "i want to kill myself"]:
            to_worker(stack.rasa_url, sender, message)
        stored = all_redis_content(client)
        assert any(SENTINEL.encode() in value for value in stored.values()), "the chat must have reached Redis"
        assert 0 < client.ttl(f"pupilchat:tracker:{sender}") <= 3

        time.sleep(4)
        stored = all_redis_content(client)
        assert not [key for key in stored if sender.encode() in key], "the conversation's keys outlived it"
        assert not [key for key, value in stored.items() if SENTINEL.encode() in value], "its text outlived it"
        assert list(stored) == [b"pupilchat:insight:counts"], "only the anonymous counts remain"

        # The web app's purge moves the counts into the review database.
        purge_env = dict(os.environ, **env, REDIS_HOST="127.0.0.1", REDIS_PORT=str(stack.redis_port),
                         REDIS_PASSWORD=stack.redis_password)
        purge_env.pop("TRACKER_DB", None)
        result = subprocess.run([str(WEB_BIN / "flask"), "--app", "web", "purge-conversations"], cwd=ROOT,
                                env=purge_env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "1 conversations counted" in result.stdout, result.stdout
        assert all_redis_content(client) == {}
    finally:
        stack.stop()

    with sqlite3.connect(review_db) as review:
        counts = {(kind, name): count for kind, name, count in
                  review.execute("SELECT kind, name, count FROM insights WHERE school = 'demo'")}
    assert counts[("conversations", "all")] == 1
    assert any(kind == "crisis" for kind, _ in counts), counts
    assert ("situation", "payment_demand") in counts, counts
    assert SENTINEL.encode() not in review_db.read_bytes()
    assert not [p for p in logs.rglob("*") if p.is_file() and SENTINEL.encode() in p.read_bytes()], "found in a log"
