"""Benchmark the assistant's configuration against Rasa's default, side by side.

    .venv-rasa/bin/python tests/benchmarks/assistant.py [--folds 3] [--out docs/benchmarks.md]
        [--skip-default | --only-default | --table-only]

It lives under tests/ because it judges with the tests' outside judge (../shared/contract).

For each configuration (config.yml, and benchmarks/default_config.yml) on the same data, each
model served the way `make run` serves it (scripts/stack.py: Rasa and the action server):
- on the held-out messages (tests/heldout/, written blind, never trained on): intent accuracy,
  the right first response, crisis help first (all and per family), false alarms on idioms and
  everyday messages, age errors, words per first reply; the older keyword contract;
- NLU cross-validation macro-F1 on data/; training time; cold start; latency p50/p95 at 1 and 20
  conversations (back to back, and at a pupil's typing pace); peak memory of the Rasa server.
The scoring is tests/assistant/heldout.py's, which judges with ../shared/contract.
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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "assistant"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import heldout  # noqa: E402  (the outside judge: tests may use ../shared/contract)
from stack import RASA_BIN, base_env, start_stack  # noqa: E402

CONFIGS = {"this project (config.yml)": ROOT / "config.yml",
           "Rasa default": ROOT / "benchmarks" / "default_config.yml"}
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


# The intents that answer each sign, for intent accuracy (a sign is a situation, not an intent).
SIGN_INTENTS = {**{sign: {sign} for sign in heldout.SIGN_RESPONSES},
                "adult_victim": {"payment_demand", "hacked_claim", "images_shared", "already_sent", "already_paid",
                                 "ai_fake_images", "wants_removal", "they_know_school", "still_in_contact", "state_age"},
                "fear_telling_parents": {"fear_telling_parents", "ask_how_to_tell"},
                "self_harm_risk": {"self_harm_risk", "risk_possible"},
                "immediate_danger": {"immediate_danger", "self_harm_risk"},
                "meta": {"ask_if_anonymous", "ask_if_bot", "ask_for_human", "ask_service_hours", "thank_you",
                         "goodbye", "greet"}}


def parsed_intent(rasa_url: str, token: str, text: str) -> str:
    request = urllib.request.Request(f"{rasa_url}/model/parse?token={token}", data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["intent"]["name"]


def held_out_figures(webhook: str, rasa_url: str, token: str) -> dict:
    """Everything the held-out messages measure, first turns of new conversations: over every
    round, and for each round alone (the newest is the fairest test of unseen wording)."""
    names = heldout.response_names()

    def first(sign: str, text: str) -> heldout.Scored:
        return heldout.score(sign, text, post(webhook, uuid.uuid4().hex, text)[0], names)

    rounds = {r: {"situations": [first(sign, text) for sign, text in heldout.situations((r,))],
                  "crisis": [(family, first(heldout.crisis_sign(family), text))
                             for family, text in heldout.crisis_messages((r,))],
                  "idioms": [first("off_topic", text) for text in heldout.idioms((r,))],
                  "intents": [parsed_intent(rasa_url, token, text) in SIGN_INTENTS[sign]
                              for sign, text in heldout.situations((r,))]}
             for r in heldout.ROUNDS}
    every = {key: [item for r in rounds.values() for item in r[key]] for key in next(iter(rounds.values()))}
    older = [heldout.score(sign, text, post(webhook, uuid.uuid4().hex, text)[0], names)
             for name in ("pupil_messages.yml", "pupil_messages_blind.yml")
             for sign, texts in yaml.safe_load((ROOT / "tests" / name).read_text()).items() for text in texts]

    def whole_reply(text: str) -> str:
        return "\n".join(heldout.bubbles(post(webhook, uuid.uuid4().hex, text)[0]))

    facts = [heldout.missing_facts(key, whole_reply(text)) for key, text in heldout.facts()]
    figures = _figures(every)
    figures.update({
        "facts": heldout.share([not missing for missing in facts]),
        "older_contract": heldout.share([not s.contract for s in older]),
        "older_age_errors": sum(bool(s.age_errors) for s in older),
        "families": {family: heldout.share([not s.crisis_first for f, s in every["crisis"] if f == family])
                     for family in dict(every["crisis"])},
        "rounds": {r: _figures(scored) for r, scored in rounds.items()},
    })
    return figures


def _figures(scored: dict) -> dict:
    situations, crisis, idioms = scored["situations"], scored["crisis"], scored["idioms"]
    figures = heldout.summary(situations + [s for _, s in crisis], idioms)
    figures.update({
        "n_situations": len(situations), "n_crisis": len(crisis), "n_idioms": len(idioms),
        "intent_accuracy": heldout.share(scored["intents"]),
        "everyday_alarms": heldout.share([bool(heldout.false_alarm_problems(s.reply)) for s in situations
                                          if s.sign in ("off_topic", "meta")]),
        "situations_given_crisis": heldout.share([s.first_response in heldout.CRISIS_RESPONSES for s in situations]),
    })
    return figures


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
        figures = held_out_figures(webhook, stack.rasa_url, stack.api_token)
        p50_1, p95_1 = latency(webhook, 1, 40)
        p50_20, p95_20 = latency(webhook, 20, 10)
        p50_typing, p95_typing = latency(webhook, 20, 6, typing=True)
        return {**figures, "cold": cold, "p50_1": p50_1, "p95_1": p95_1, "p50_20": p50_20, "p95_20": p95_20,
                "p50_typing": p50_typing, "p95_typing": p95_typing,
                "memory": peak_memory_mb(stack.processes["rasa"].pid)}
    finally:
        stack.stop()


def measure(name: str, config: Path, folds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        print(f"[{name}] training...", flush=True)
        model, train_seconds = train(config, work / "models")
        print(f"[{name}] serving...", flush=True)
        served = serve_and_measure(model, work)
        f1, recall = float("nan"), {}
        if folds:   # each fold trains again: for Rasa's default, hours on 2 cores
            print(f"[{name}] cross-validating ({folds} folds)...", flush=True)
            f1, recall = cross_validate(config, work / "cv", folds)
    return {"name": name, "train": train_seconds, "f1": f1, "recall": recall, **served}


ROWS = [
    ("Held-out: intent accuracy (situation messages)", "intent_accuracy", "{:.1%}"),
    ("Held-out: right first response (situations)", "right_response", "{:.1%}"),
    ("Held-out: crisis help in the first message (crisis messages)", "crisis_first", "{:.1%}"),
    ("Held-out: idioms given crisis wording", "false_alarms", "{:.1%}"),
    ("Held-out: everyday and meta messages given crisis wording", "everyday_alarms", "{:.1%}"),
    ("Held-out: situation messages answered with a crisis reply", "situations_given_crisis", "{:.1%}"),
    ("Held-out: facts carried by the first reply (110 messages, tests/heldout/facts.yml)", "facts", "{:.1%}"),
    ("Held-out: age errors (adult routes to a pupil not known to be 18+)", "age_errors", "{:.0f}"),
    ("Held-out: median words in the first reply", "median_words", "{:.0f}"),
    ("Held-out: most words in a first reply", "max_words", "{:.0f}"),
    ("Held-out: keyword contract (situations and crisis)", "contract", "{:.1%}"),
    ("Older held-out sets (504): keyword contract", "older_contract", "{:.1%}"),
    ("Older held-out sets: age errors", "older_age_errors", "{:.0f}"),
    ("NLU macro-F1 (cross-validation on data/)", "f1", "{:.3f}"),
    ("Training time (s)", "train", "{:.1f}"),
    ("Cold start to first reply (s)", "cold", "{:.1f}"),
    ("Latency p50 / p95, 1 conversation (ms)", ("p50_1", "p95_1"), "ms"),
    ("Latency p50 / p95, 20 conversations back to back (ms)", ("p50_20", "p95_20"), "ms"),
    ("Latency p50 / p95, 20 conversations, typing 2-8 s between messages (ms)", ("p50_typing", "p95_typing"), "ms"),
    ("Peak memory of the Rasa server (MB)", "memory", "{:.0f}"),
]


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cell(result: dict, key, how: str) -> str:
    if isinstance(key, tuple):
        return " / ".join(_cell(result, k, how) for k in key)
    if key not in result:
        return "-"
    return f"{result[key] * 1000:.0f}" if how == "ms" else how.format(result[key])


def _ratio(ours: dict, base: dict, key) -> str:
    if isinstance(key, tuple):
        return " / ".join(_ratio(ours, base, k) for k in key)
    return f"{ours[key] / base[key]:.2f}" if base.get(key) else "-"


def table(results: list[dict]) -> str:
    ours, base = results
    lines = [f"| measure | {ours['name']} | {base['name']} | ratio |", "|---|---|---|---|"]
    lines += [f"| {label} | {_cell(ours, key, how)} | {_cell(base, key, how)} | {_ratio(ours, base, key)} |"
              for label, key, how in ROWS]
    lines += ["", "Each round of held-out messages alone (the newest round is the fairest test of unseen wording):", "",
              "| round | configuration | situations | crisis | idioms | intent accuracy | right first response "
              "| crisis help first | idioms given crisis wording | age errors | median / most words |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r} | {result['name']} | {f['n_situations']} | {f['n_crisis']} | {f['n_idioms']} "
              f"| {f['intent_accuracy']:.1%} | {f['right_response']:.1%} | {f['crisis_first']:.1%} "
              f"| {f['false_alarms']:.1%} | {f['age_errors']} | {f['median_words']:.0f} / {f['max_words']} |"
              for r in sorted(ours.get("rounds", {}), key=lambda r: int(r.split()[-1]))   # round 10 after 9
              for result in results if r in result.get("rounds", {})
              for f in [result["rounds"][r]]]
    lines += ["", "Crisis help first, per family of signals (held-out):", "",
              f"| family | {ours['name']} | {base['name']} |", "|---|---|---|"]
    lines += [f"| {family} | {ours['families'][family]:.0%} | {_percent(base['families'].get(family))} |"
              for family in ours["families"]]
    lines += ["", "Per-situation recall (cross-validation):", "",
              f"| situation | {ours['name']} | {base['name']} |", "|---|---|---|"]
    lines += [f"| {intent} | {ours['recall'][intent]:.2f} | {_number(base['recall'].get(intent))} |"
              for intent in sorted(ours["recall"])]
    return "\n".join(lines)


LEGEND = """\
- Held-out rows: the first reply to each message of tests/heldout/ in a new conversation, judged
  with ../shared/contract (version 2) by tests/assistant/heldout.py. "Right first response": the
  first message comes from a response written for the situation the pupil described.
  Crisis help first: the first message carries a crisis line (999 for danger), before any advice.
- The crisis detector alone and the pattern floor alone: `benchmarks/crisis_detector.py`.
- Latency "back to back": each conversation sends its next message the moment the reply
  arrives, so 20 messages always wait on one Rasa process (a stress test). "Typing": a pause
  of 2-8 s between messages, as a pupil reads and types.
- Cold start: from starting the action server and Rasa to the first reply."""


def crisis_parts() -> str:
    """The detector alone and the pattern floor alone on the held-out crisis messages."""
    import crisis_detector
    return crisis_detector.markdown(crisis_detector.rates(crisis_detector.trained(), crisis_detector.thresholds(),
                                                          crisis_detector.held_out()))


# Each configuration's figures are saved with the commit they were measured at, so Rasa's
# default (which trains for over an hour here) need not be measured again beside every new
# measure of config.yml, and the table can be written again from what was measured.
RESULTS = {"this project (config.yml)": ROOT / "docs" / "benchmarks_this_project.json",
           "Rasa default": ROOT / "docs" / "benchmarks_rasa_default.json"}


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def save(result: dict) -> None:
    result = {**result, "commit": commit(), "date": time.strftime("%Y-%m-%d")}
    RESULTS[result["name"]].write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"written to {RESULTS[result['name']]}")


def saved(name: str) -> dict:
    if not RESULTS[name].exists():
        return {"name": f"{name} (not measured)", "families": {}, "recall": {}}
    result = json.loads(RESULTS[name].read_text())
    return {**result, "name": f"{name} (measured at {result['commit']}, {result['date']})"}


def write_table(out: Path, folds: int) -> None:
    results = [saved(name) for name in CONFIGS]
    text = table(results) + "\n\nEach part of crisis detection alone (`benchmarks/crisis_detector.py`):\n\n" + crisis_parts()
    print(text)
    machine = f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}"
    out.write_text(f"# Assistant benchmark\n\nMeasured by `make benchmark` ({machine}); "
                   f"{folds}-fold cross-validation on data/.\n\n{LEGEND}\n\n{text}\n")
    print(f"\nwritten to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds; 0 skips it")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--skip-default", action="store_true",
                       help="measure only config.yml; show Rasa's default as last measured")
    which.add_argument("--only-default", action="store_true",
                       help="measure only Rasa's default and save its figures")
    which.add_argument("--table-only", action="store_true", help="measure nothing; write the table from the saved figures")
    args = parser.parse_args()
    names = list(CONFIGS)
    if args.skip_default:
        names = names[:1]
    elif args.only_default:
        names = names[1:]
    elif args.table_only:
        names = []
    for name in names:
        save(measure(name, CONFIGS[name], args.folds))
    if not args.only_default:
        write_table(args.out, args.folds)


if __name__ == "__main__":
    main()
