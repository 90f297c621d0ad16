"""Load on the relay: many concurrent conversations through the web app, and the same
conversations straight to Rasa, side by side (not a test: `make load-test`).

Starts the real stack on free ports, then for each target holds N conversations at once, each
sending the same pupil messages in turn, and reports throughput, latency p50/p95 and errors.
The relay's overhead is the difference (and ratio) against calling Rasa directly.

    .venv-web/bin/python benchmarks/load_relay.py [--conversations 50] [--turns 6]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import start_stack  # noqa: E402

MESSAGES = ["hi", "someone on snap says they'll share my pics unless i pay", "/already_paid",
            "i'm scared to tell my mum", "how do i get the pics taken down", "thanks"]
REPORT = ROOT / "docs" / "load.md"


def relay_turn(session, web_url: str, conversation: str, text: str) -> requests.Response:
    return session.post(f"{web_url}/api/chat", timeout=60,
                        json={"conversation_id": conversation, "school": "demo", "message": text})


def rasa_turn(session, rasa_url: str, conversation: str, text: str) -> requests.Response:
    return session.post(f"{rasa_url}/webhooks/rest/webhook", timeout=60,
                        json={"sender": conversation, "message": text, "metadata": {"school": "demo"}})


def run(turn, url: str, conversations: int, turns: int) -> dict:
    latencies: list[float] = []
    errors = 0

    def conversation() -> None:
        nonlocal errors
        session, sender = requests.Session(), uuid.uuid4().hex
        for text in (MESSAGES * turns)[:turns]:
            started = time.perf_counter()
            try:
                response = turn(session, url, sender, text)
                body = response.json() if response.status_code == 200 else None
                ok = bool(body) and not (isinstance(body, dict) and body.get("fallback"))
            except (requests.RequestException, ValueError):
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            errors += 0 if ok else 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        for future in [pool.submit(conversation) for _ in range(conversations)]:
            future.result()
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "throughput": len(latencies) / elapsed,
            "p50": statistics.median(latencies), "p95": quantiles[94]}


def table(conversations: int, relay: dict, direct: dict) -> str:
    rows = [("Requests", "requests", "{:.0f}"), ("Errors", "errors", "{:.0f}"),
            ("Throughput (requests/s)", "throughput", "{:.1f}"), ("Latency p50 (ms)", "p50", "{:.0f}"),
            ("Latency p95 (ms)", "p95", "{:.0f}")]
    lines = [f"| {conversations} concurrent conversations | through the relay | straight to Rasa | relay / Rasa |",
             "|---|---|---|---|"]
    for label, key, fmt in rows:
        ratio = f"{relay[key] / direct[key]:.2f}" if direct[key] else "–"
        lines.append(f"| {label} | {fmt.format(relay[key])} | {fmt.format(direct[key])} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Many schools at once: the per-IP limit (one school) would otherwise refuse the load.
        stack = start_stack(with_web=True, log_dir=Path(tmp), tracker_db=Path(tmp) / "tracker.db",
                            extra_env={"RATE_LIMIT_PER_IP": "100000 per minute"})
        try:
            run(rasa_turn, stack.rasa_url, 4, 2)   # warm up both
            run(relay_turn, stack.web_url, 4, 2)
            tables = []
            for conversations in (1, args.conversations):
                direct = run(rasa_turn, stack.rasa_url, conversations, args.turns)
                relay = run(relay_turn, stack.web_url, conversations, args.turns)
                tables.append(table(conversations, relay, direct))
                overhead = relay["p50"] - direct["p50"]   # the last one: at full load
        finally:
            stack.stop()
    result = "\n\n".join(tables)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        "# Relay load test\n\n"
        f"Measured by `make load-test` ({date.today()}; {args.turns} turns per conversation; web app on waitress, "
        "Rasa and the action server on the same machine).\n\n"
        f"{result}\n\nAt {args.conversations} conversations the relay adds {overhead:.0f} ms at the median. "
        "Throughput is set by Rasa; the relay's extra time at load is mostly waiting for a thread on a "
        "machine where the client, the relay, Rasa and the action server share the cores.\n", encoding="utf-8")
    print(result)
    print(f"\nRelay overhead at p50 under load: {overhead:.0f} ms. Written to {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
