"""Benchmark the assistant's configuration against Rasa's default, side by side.

    .venv-rasa/bin/python benchmarks/assistant.py [--folds 5] [--out docs/benchmarks.md]

For each configuration (config.yml, and benchmarks/default_config.yml) on the same data:
NLU cross-validation macro-F1 and per-situation recall; the share of held-out pupil
messages (tests/pupil_messages*.yml, never trained on) whose first reply meets the reply
contract; crisis recall and false-alarm rate on tests/crisis_phrases.yml (never trained on);
training time; cold start (process start to first reply); reply latency p50/p95 at 1 and 20
concurrent conversations; peak memory of the Rasa server. Each model is served the way
`make run` serves it (scripts/stack.py: Rasa and the action server).
Prints a table and writes it as Markdown. Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT.parent / "shared" / "contract"))
from reply_contract import check  # noqa: E402
from replies import reply_text  # noqa: E402
from stack import RASA_BIN, base_env, start_stack  # noqa: E402

CONFIGS = {"this project (config.yml)": ROOT / "config.yml",
           "Rasa default": ROOT / "benchmarks" / "default_config.yml"}
CRISIS_RESPONSES = ("utter_crisis_self_harm", "utter_crisis_danger", "utter_help_now")
HELD_OUT = ["pupil_messages.yml", "pupil_messages_blind.yml"]
SAMPLE_MESSAGES = [
    "someone i dont know added me on snap and says we have mutual friends",
    "he wants £200 in steam cards or he sends my pics to everyone",
    "i already sent a pic what do i do",
    "is this anonymous",
    "i want to die",
]


def rasa(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA_BIN / "rasa"), *args], cwd=cwd, env=base_env(),
                          capture_output=True, text=True, check=True)


def train(config: Path, out: Path) -> tuple[Path, float]:
    start = time.perf_counter()
    rasa("train", "--config", str(config), "--out", str(out), "--fixed-model-name", "bench", "--force", "--quiet")
    return out / "bench.tar.gz", time.perf_counter() - start


def cross_validate(config: Path, out: Path, folds: int) -> tuple[float, dict[str, float]]:
    rasa("test", "nlu", "--config", str(config), "--nlu", "data", "--cross-validation",
         "--folds", str(folds), "--out", str(out), "--quiet")
    report = json.loads((out / "intent_report.json").read_text())
    recall = {k: v["recall"] for k, v in report.items() if isinstance(v, dict) and "recall" in v
              and k not in ("macro avg", "weighted avg", "micro avg")}
    return report["macro avg"]["f1-score"], recall


def post(url: str, sender: str, text: str) -> tuple[list, float]:
    body = json.dumps({"sender": sender, "message": text, "metadata": {"school": "demo"}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        messages = json.loads(response.read())
    return messages, time.perf_counter() - start


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process, in MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def crisis_texts() -> set[str]:
    responses = yaml.safe_load(open(ROOT / "domain.yml"))["responses"]
    return {variation["text"] for name in CRISIS_RESPONSES for variation in responses[name]}


def opens_with_crisis_help(webhook: str, text: str, crisis: set[str]) -> bool:
    """Does the reply's first message come from one of the crisis responses?"""
    messages, _ = post(webhook, uuid.uuid4().hex, text)
    return bool(messages) and messages[0].get("text") in crisis


def contract_pass_rate(webhook: str) -> float:
    cases = [(sign, text) for name in HELD_OUT
             for sign, texts in yaml.safe_load(open(ROOT / "tests" / name)).items() for text in texts]
    passed = [check(sign, reply_text(post(webhook, uuid.uuid4().hex, text)[0])) == [] for sign, text in cases]
    return sum(passed) / len(passed)


# A pupil reads the reply and types the next message: 2 to 8 seconds between messages.
TYPING_PAUSE_SECONDS = (2.0, 8.0)


def latency(url: str, concurrency: int, turns: int, typing: bool = False) -> tuple[float, float]:
    """p50 and p95 seconds over `concurrency` conversations sending `turns` messages each,
    back to back (a stress test) or with a pupil's typing pause between messages."""
    timings: list[float] = []
    lock = threading.Lock()

    def conversation(seed: int) -> None:
        sender, pauses = uuid.uuid4().hex, random.Random(seed)
        for i in range(turns):
            if typing:
                time.sleep(pauses.uniform(*TYPING_PAUSE_SECONDS))
            _, seconds = post(url, sender, SAMPLE_MESSAGES[i % len(SAMPLE_MESSAGES)])
            with lock:
                timings.append(seconds)

    threads = [threading.Thread(target=conversation, args=(seed,)) for seed in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def serve_and_measure(model: Path, workdir: Path) -> dict:
    start = time.perf_counter()
    stack = start_stack(with_web=False, model=model, log_dir=workdir / "logs")
    try:
        webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
        post(webhook, "cold", "hi")
        cold = time.perf_counter() - start
        phrases = yaml.safe_load(open(ROOT / "tests" / "crisis_phrases.yml"))
        crisis = crisis_texts()
        found = [opens_with_crisis_help(webhook, t, crisis) for t in phrases["crisis"]]
        alarms = [opens_with_crisis_help(webhook, t, crisis) for t in phrases["everyday"]]
        contract = contract_pass_rate(webhook)
        p50_1, p95_1 = latency(webhook, 1, 40)
        p50_20, p95_20 = latency(webhook, 20, 10)
        p50_typing, p95_typing = latency(webhook, 20, 6, typing=True)
        return {"p50_typing": p50_typing, "p95_typing": p95_typing, "cold": cold, "contract": contract, "crisis_recall": sum(found) / len(found),
                "false_alarm": sum(alarms) / len(alarms), "p50_1": p50_1, "p95_1": p95_1,
                "p50_20": p50_20, "p95_20": p95_20, "memory": peak_memory_mb(stack.processes["rasa"].pid)}
    finally:
        stack.stop()


def measure(name: str, config: Path, folds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        print(f"[{name}] training...", flush=True)
        model, train_seconds = train(config, work / "models")
        print(f"[{name}] serving...", flush=True)
        served = serve_and_measure(model, work)
        print(f"[{name}] cross-validating ({folds} folds)...", flush=True)
        f1, recall = cross_validate(config, work / "cv", folds)
    return {"name": name, "train": train_seconds, "f1": f1, "recall": recall, **served}


def table(results: list[dict]) -> str:
    ours, base = results
    rows = [
        ("NLU macro-F1 (cross-validation)", "f1", "{:.3f}"),
        ("Held-out messages whose first reply meets the contract", "contract", "{:.1%}"),
        ("Crisis phrases answered with crisis help first", "crisis_recall", "{:.0%}"),
        ("Everyday phrases answered with crisis help (false alarms)", "false_alarm", "{:.0%}"),
        ("Training time (s)", "train", "{:.1f}"),
        ("Cold start to first reply (s)", "cold", "{:.1f}"),
        ("Latency p50 / 1 conversation (ms)", "p50_1", "ms"),
        ("Latency p95 / 1 conversation (ms)", "p95_1", "ms"),
        ("Latency p50 / 20 conversations back to back (ms)", "p50_20", "ms"),
        ("Latency p95 / 20 conversations back to back (ms)", "p95_20", "ms"),
        ("Latency p50 / 20 conversations, typing 2-8 s between messages (ms)", "p50_typing", "ms"),
        ("Latency p95 / 20 conversations, typing 2-8 s between messages (ms)", "p95_typing", "ms"),
        ("Peak memory (MB)", "memory", "{:.0f}"),
    ]

    def fmt(value: float, how: str) -> str:
        return f"{value * 1000:.0f}" if how == "ms" else how.format(value)

    lines = [f"| measure | {ours['name']} | {base['name']} | ratio |", "|---|---|---|---|"]
    for label, key, how in rows:
        ratio = f"{ours[key] / base[key]:.2f}" if base[key] else "-"
        lines.append(f"| {label} | {fmt(ours[key], how)} | {fmt(base[key], how)} | {ratio} |")
    lines += ["", "Per-situation recall (cross-validation):", "",
              f"| situation | {ours['name']} | {base['name']} |", "|---|---|---|"]
    for intent in sorted(ours["recall"]):
        lines.append(f"| {intent} | {ours['recall'][intent]:.2f} | {base['recall'].get(intent, 0):.2f} |")
    return "\n".join(lines)


LEGEND = """\
- Cross-validation counts a guess below the fallback threshold as wrong; the held-out row
  counts what pupils get: the first reply to each message in tests/pupil_messages*.yml,
  checked with the reply contract.
- Crisis rows: the first message of the reply is a crisis response (tests/crisis_phrases.yml).
- Latency "back to back": each conversation sends its next message the moment the reply
  arrives, so 20 messages always wait on one Rasa process (a stress test). "Typing": a pause
  of 2-8 s between messages, as a pupil reads and types.
- Cold start: from starting the action server and Rasa to the first reply."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    results = [measure(name, path, args.folds) for name, path in CONFIGS.items()]
    text = table(results)
    print(text)
    machine = f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}"
    args.out.write_text(f"# Assistant benchmark\n\nMeasured by `make benchmark` ({machine}); "
                        f"{args.folds}-fold cross-validation on data/.\n\n{LEGEND}\n\n{text}\n")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
