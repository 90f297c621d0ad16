"""Load on the product, three ways side by side in one run (`make load-test`; not a test):
1 Rasa worker on SQLite (the embedded default, `make run`), 1 worker on Redis, and 2 workers on
Redis (`make run WORKERS=2`), each behind the web app's relay, each started by scripts/stack.py.

For each: many conversations at once sending back to back (through the relay, and straight to
Rasa to show the relay's share), the same at a pupil's typing pace, and the cost of a turn at the
1st and the 30th message of a conversation (one conversation at a time, the same message both
times). The three stacks run at once and each measurement goes round them in turn, several
rounds, so that whatever else the machine is doing falls on all three alike.

A request is an error unless the relay answers 200 with the assistant's replies (not its
"assistant unavailable" fallback); each error is reported with its reason (status and error
code, or what failed). Writes docs/load.md with the date and the machine.

    .venv-web/bin/python -m benchmarks.load_relay [--conversations 50] [--rounds 3] [--out docs/load.md]
"""
from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import redis
import requests

from scripts.stack import REDIS_KEY_PREFIX, ROOT, Stack, start_stack

# A pupil's conversation, in words a pupil would type (no button payloads: the relay accepts a
# "/..." message only right after the assistant offered it).
CONVERSATION = ["hi", "someone on snap says they'll share my pics unless i pay", "i already paid him 50 quid",
                "i'm scared to tell my mum", "how do i get the pics taken down", "thanks"]
# The turn measured at the 1st and the 30th message, and 28 messages between them.
PROBE = "is this chat anonymous"
BETWEEN = ["can i ask you something", "i met a girl on insta a few weeks ago", "she moved the chat to whatsapp",
           "she kept asking for pics", "i sent one",
           "now she says she'll send it to my followers unless i pay 200 quid", "what do i do",
           "i already paid 50", "she wants more now", "i'm 15", "can the pic be taken down",
           "how does report remove work", "will my parents find out", "i'm scared to tell my mum",
           "how do i tell her", "could i get in trouble with the police", "but i sent it myself",
           "it's my own fault", "she says she knows my school", "should i block her", "are you a bot",
           "can i talk to a real person", "when is childline open", "my friend had the same thing happen",
           "ok", "thanks", "what happens now", "bye"]
LONG_CONVERSATION = [PROBE, *BETWEEN, PROBE]
assert len(LONG_CONVERSATION) == 30

CONFIGS = {"1 worker, SQLite": {"workers": 1}, "1 worker, Redis": {"workers": 1, "redis": True},
           "2 workers, Redis": {"workers": 2}}
# The relay's limits are per school (IP address) and per conversation: this load comes from one
# address, and the turn-cost conversations send 30 messages without a pupil's pauses.
LOAD_LIMITS = {"RATE_LIMIT_PER_IP": "1000000 per minute", "RATE_LIMIT_PER_CONVERSATION": "1000 per minute"}
REPORT = ROOT / "docs" / "load.md"


# --- one request -----------------------------------------------------------------------------
def relay_turn(session: requests.Session, stack: Stack, conversation: str, text: str) -> str | None:
    """None when the relay answered with the assistant's replies; otherwise why not."""
    response = session.post(f"{stack.web_url}/api/chat", timeout=60,
                            json={"conversation_id": conversation, "school": "demo", "message": text})
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}, not JSON"
    if response.status_code != 200:
        return f"HTTP {response.status_code} {(body.get('error') or {}).get('code', '')}".strip()
    if body.get("fallback"):
        return "the relay's fallback (assistant unavailable)"
    return None if body.get("messages") else "no messages"


_turns = itertools.count()


def rasa_turn(session: requests.Session, stack: Stack, conversation: str, text: str) -> str | None:
    url = stack.rasa_urls[next(_turns) % len(stack.rasa_urls)]   # straight to the workers, in turn
    response = session.post(f"{url}/webhooks/rest/webhook", timeout=60,
                            json={"sender": conversation, "message": text, "metadata": {"school": "demo"}})
    if response.status_code != 200:
        return f"HTTP {response.status_code} from Rasa"
    return None if response.json() else "no replies from Rasa"


def timed(turn, session, stack, conversation, text) -> tuple[float, str | None]:
    started = time.perf_counter()
    try:
        error = turn(session, stack, conversation, text)
    except requests.RequestException as problem:
        error = type(problem).__name__
    return (time.perf_counter() - started) * 1000, error


# --- measurements ----------------------------------------------------------------------------
CPU_PARTS = ("Rasa", "action server", "relay", "Redis", "load generator")


def cpu_seconds(stack: Stack) -> Counter:
    """CPU time each part of the stack has used so far (and this process: the load generator)."""
    used = Counter({"load generator": time.process_time()})
    ticks = os.sysconf("SC_CLK_TCK")
    for name, process in stack.processes.items():
        part = {"actions": "action server", "web": "relay", "redis": "Redis"}.get(name, "Rasa")
        try:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[part] += (int(fields[11]) + int(fields[12])) / ticks
    return used


@dataclass
class Run:
    """Requests of one kind against one stack, pooled over rounds."""
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    cpu: Counter = field(default_factory=Counter)   # CPU seconds used by each part meanwhile
    logged: Counter = field(default_factory=Counter)   # failures in the web app's log, whole run

    def cpu_per_reply(self, part: str) -> float:
        return self.cpu[part] * 1000 / len(self.latencies) if self.latencies else 0.0

    def add(self, latency: float, error: str | None) -> None:
        self.latencies.append(latency)
        if error:
            self.errors[error] += 1

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[q - 1] if len(self.latencies) > 1 else self.latencies[0]


def concurrent_conversations(turn, stack: Stack, run: Run, conversations: int, think: float = 0.0,
                             seed: int = 0) -> None:
    """`conversations` conversations at once, each sending CONVERSATION; after each reply a pause
    of `think` seconds on average (0: back to back)."""
    lock = threading.Lock()

    def one(n: int) -> None:
        pauses = random.Random(seed * 1000 + n)
        session, conversation = requests.Session(), uuid.uuid4().hex
        if think:
            time.sleep(pauses.uniform(0, think))   # pupils do not all start at once
        for text in CONVERSATION:
            latency, error = timed(turn, session, stack, conversation, text)
            with lock:
                run.add(latency, error)
            if think:
                time.sleep(pauses.uniform(think / 2, think * 1.5))

    started, cpu_before = time.perf_counter(), cpu_seconds(stack)
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        for future in [pool.submit(one, n) for n in range(conversations)]:
            future.result()
    run.seconds += time.perf_counter() - started
    run.cpu.update(cpu_seconds(stack) - cpu_before)


def long_conversation(turn, stack: Stack, first: Run, thirtieth: Run, others: Run) -> None:
    """One conversation of 30 messages, alone."""
    session, conversation = requests.Session(), uuid.uuid4().hex
    for number, text in enumerate(LONG_CONVERSATION, start=1):
        latency, error = timed(turn, session, stack, conversation, text)
        (first if number == 1 else thirtieth if number == 30 else others).add(latency, error)


TURN_WAYS = {"through the relay": relay_turn, "straight to Rasa": rasa_turn}


def conversation_bytes(stack: Stack) -> list[int]:
    """What one conversation takes in Redis (MEMORY USAGE of its key) after 6 and after 30 messages."""
    client = redis.Redis.from_url(stack.redis_url)
    sizes = []
    for messages in (CONVERSATION, LONG_CONVERSATION):
        session, conversation = requests.Session(), uuid.uuid4().hex
        for text in messages:
            relay_turn(session, stack, conversation, text)
        sizes.append(client.memory_usage(f"{REDIS_KEY_PREFIX}:tracker:{conversation}") or 0)
    client.close()
    return sizes


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- the report ------------------------------------------------------------------------------
def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return f"{os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.0f} GB RAM, {platform.system()} {platform.release()}"


def fmt(value: float, digits: int = 0) -> str:
    return f"{value:.{digits}f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def load_table(title: str, runs: dict[str, Run]) -> str:
    names = list(runs)
    lines = [f"| {title} | " + " | ".join(names) + " | 2 workers / 1 (Redis) |",
             "|---|" + "---|" * (len(names) + 1)]
    rows = [("Requests", lambda r: len(r.latencies), 0), ("Errors", lambda r: sum(r.errors.values()), 0),
            ("Throughput (replies/s)", lambda r: r.throughput, 1), ("Latency p50 (ms)", lambda r: r.quantile(50), 0),
            ("Latency p95 (ms)", lambda r: r.quantile(95), 0)]
    rows += [(f"CPU per reply, {part} (ms)", lambda r, part=part: r.cpu_per_reply(part), 1) for part in CPU_PARTS]
    for label, value, digits in rows:
        cells = [fmt(value(runs[name]), digits) for name in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " | "
                     + ratio(value(runs["2 workers, Redis"]), value(runs["1 worker, Redis"])) + " |")
    return "\n".join(lines)


def turn_table(way: str, first: dict[str, Run], thirtieth: dict[str, Run], others: dict[str, Run]) -> str:
    names = list(first)
    lines = [f"| One conversation at a time, {way} | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for label, cell in [
        ("Turn 1, p50 (ms)", lambda n: fmt(first[n].quantile(50))),
        ("Turn 30, p50 (ms)", lambda n: fmt(thirtieth[n].quantile(50))),
        ("Turn 30 / turn 1", lambda n: ratio(thirtieth[n].quantile(50), first[n].quantile(50))),
        ("Turns 2-29, p50 (ms)", lambda n: fmt(others[n].quantile(50))),
        ("Errors", lambda n: str(sum(first[n].errors.values()) + sum(thirtieth[n].errors.values())
                                 + sum(others[n].errors.values()))),
    ]:
        lines.append(f"| {label} | " + " | ".join(cell(n) for n in names) + " |")
    return "\n".join(lines)


def error_lines(all_runs: dict[str, dict[str, Run]]) -> list[str]:
    lines = []
    for scenario, runs in all_runs.items():
        for name, run in runs.items():
            for reason, count in run.errors.most_common():
                lines.append(f"- {scenario}, {name}: {count} x {reason}")
            for what, count in run.logged.most_common():
                lines.append(f"- the web app's log, {name}, whole run: {count} x \"{what}\"")
    return lines


def report(args, scenarios: dict[str, dict[str, Run]], turn_runs: dict[str, tuple[dict[str, Run], ...]],
           memory: dict[str, float], redis_bytes: list[int], load_before, load_after) -> str:
    relay = scenarios["back to back, through the relay"]
    typing = scenarios["typing pace, through the relay"]
    all_runs = dict(scenarios)
    for way, (first, thirtieth, others) in turn_runs.items():
        all_runs[f"turn cost, {way}"] = {n: Run(first[n].latencies + thirtieth[n].latencies + others[n].latencies,
                                                first[n].errors + thirtieth[n].errors + others[n].errors)
                                         for n in first}
    first, thirtieth, _ = turn_runs["straight to Rasa"]
    relay_first, relay_thirtieth, _ = turn_runs["through the relay"]
    errors = sum(sum(run.errors.values()) for runs in all_runs.values() for run in runs.values())
    scale = relay["2 workers, Redis"].throughput / relay["1 worker, Redis"].throughput
    scale_sqlite = relay["2 workers, Redis"].throughput / relay["1 worker, SQLite"].throughput
    best_p95 = min(run.quantile(95) for run in relay.values())
    turn_ratios = {n: thirtieth[n].quantile(50) / first[n].quantile(50) for n in first}
    relay_turn_ratios = {n: relay_thirtieth[n].quantile(50) / relay_first[n].quantile(50) for n in relay_first}
    aims = [
        ("2 workers >= 1.6x the throughput of 1 (back to back, through the relay)",
         f"{scale:.2f}x of 1 worker on Redis, {scale_sqlite:.2f}x of 1 on SQLite", scale >= 1.6),
        (f"p95 at {args.conversations} conversations back to back <= 500 ms through the relay",
         ", ".join(f"{n}: {relay[n].quantile(95):.0f} ms" for n in relay), best_p95 <= 500),
        ("0 errors", f"{errors}", errors == 0),
        ("turn 30 <= 1.2x turn 1 (straight to Rasa: Rasa's own cost; through the relay, turn 1 also sets "
         "the conversation's slots)",
         "straight to Rasa: " + ", ".join(f"{n}: {r:.2f}" for n, r in turn_ratios.items())
         + "; through the relay: " + ", ".join(f"{n}: {r:.2f}" for n, r in relay_turn_ratios.items()),
         all(r <= 1.2 for n, r in turn_ratios.items() if "Redis" in n)),
    ]
    per_worker = relay["1 worker, Redis"].throughput
    one, two = relay["1 worker, Redis"], relay["2 workers, Redis"]
    direct_one = scenarios["back to back, straight to Rasa"]["1 worker, Redis"]
    cpu_two = sum(two.cpu_per_reply(part) for part in CPU_PARTS)
    ceiling_one = 1000 / one.cpu_per_reply("Rasa") if one.cpu_per_reply("Rasa") else 0.0
    ceiling_two = os.cpu_count() * 1000 / cpu_two if cpu_two else 0.0
    best_scale = ceiling_two / ceiling_one if ceiling_one else 0.0
    limits = (
        "## What limits these figures\n\n"
        f"- Back to back, each conversation sends its next message as soon as it has a reply, so the average "
        f"wait is the number of conversations divided by the throughput (Little's law): at {two.throughput:.0f} "
        f"replies/s, {args.conversations} conversations wait {args.conversations / two.throughput * 1000:.0f} ms "
        f"on average. A p95 of 500 ms at {args.conversations} conversations needs roughly "
        f"{args.conversations / 0.3:.0f} replies/s or more, whatever the number of workers.\n"
        f"- With 2 workers every part together used {cpu_two:.0f} ms of CPU per reply (Rasa "
        f"{two.cpu_per_reply('Rasa'):.0f}, relay {two.cpu_per_reply('relay'):.0f}, load generator "
        f"{two.cpu_per_reply('load generator'):.0f}, action server and Redis the rest), so {os.cpu_count()} "
        f"cores give at most {ceiling_two:.0f} replies/s even with nothing else running. One worker is one "
        f"process using at most one core: {one.cpu_per_reply('Rasa'):.0f} ms of Rasa CPU per reply caps it at "
        f"{ceiling_one:.0f} replies/s. So this machine can show at most about {best_scale:.1f}x "
        "for 2 workers over 1, before anything else running on it takes its share. The workers share "
        f"nothing but Redis ({two.cpu_per_reply('Redis'):.1f} ms of its CPU per reply).\n"
        f"- Through the relay one worker on Redis used {one.cpu_per_reply('Rasa'):.0f} ms of Rasa CPU per reply, "
        f"straight to Rasa {direct_one.cpu_per_reply('Rasa'):.0f}. The relay makes no call to Rasa but the "
        "message: a session's context (the school's contact) travels in the metadata of its first message "
        "and Rasa's pipeline sets the slots from it (components/conversation_context.py).\n"
    )
    sections = [
        load_table(f"{args.conversations} conversations back to back, through the relay", relay),
        load_table(f"{args.conversations} conversations back to back, straight to Rasa",
                   scenarios["back to back, straight to Rasa"]),
        load_table(f"{args.conversations} conversations at a typing pace (a message {args.think / 2:g}-"
                   f"{args.think * 1.5:g} s after each reply), through the relay", typing),
        *(turn_table(way, *runs) for way, runs in turn_runs.items()),
        "| Each Rasa worker | " + " | ".join(memory) + " |\n|---|" + "---|" * len(memory) + "\n"
        "| Peak memory (MB) | " + " | ".join(f"{mb:.0f}" for mb in memory.values()) + " |",
    ]
    aims_table = "\n".join(["| Aim | Measured | Met |", "|---|---|---|"]
                           + [f"| {aim} | {measured} | {'yes' if met else '**no**'} |" for aim, measured, met in aims])
    problems = error_lines(all_runs)
    text = (
        "# Load test\n\n"
        f"Measured by `make load-test` on {date.today()}: {machine()}. Load average (1 min): "
        f"{load_before[0]:.1f} before the run (other work on the machine), {load_after[0]:.1f} at its end.\n\n"
        f"Three stacks ran at once, each with its action server and its web app (waitress) in front; "
        f"each measurement went round them in turn, {args.rounds} rounds, figures pooled. A conversation is the "
        f"{len(CONVERSATION)} messages in `benchmarks/load_relay.py`. The load generator, the relay, Rasa, "
        "the action server and Redis all share the machine's cores. The relay's rate limits were raised for "
        "this load (it comes from one address; the 30-message conversations do not pause).\n\n"
        + "\n\n".join(sections) + "\n\n"
        "## Aims\n\n" + aims_table + "\n\n"
        + ("Errors, with their reasons:\n\n" + "\n".join(problems) + "\n\n" if problems else "No errors.\n\n")
        + limits + "\n"
        + "## Sizing, from these figures\n\n"
        f"- One worker on Redis gave {per_worker:.0f} replies/s back to back through the relay here; "
        f"at a pupil's pace of about one message every 20 s (reading the reply, then typing), that is "
        f"about {per_worker * 20:.0f} pupils chatting at once, before any headroom.\n"
        f"- Peak memory per Rasa worker: {max(memory.values()):.0f} MB.\n"
        f"- Redis holds a conversation in {redis_bytes[0] / 1024:.0f} KB after {len(CONVERSATION)} messages and "
        f"{redis_bytes[1] / 1024:.0f} KB after 30 (MEMORY USAGE of its key), for an hour after its last message.\n"
    )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50, help="conversations at once (default 50)")
    parser.add_argument("--rounds", type=int, default=3, help="times round the three stacks (default 3)")
    parser.add_argument("--think", type=float, default=3.0,
                        help="typing pace: mean seconds between a reply and the next message (default 3)")
    parser.add_argument("--long", type=int, default=4, help="30-message conversations per stack per round (default 4)")
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--logs", type=Path, help="keep the stacks' logs here (default: deleted)")
    args = parser.parse_args()

    load_before = os.getloadavg()
    stacks: dict[str, Stack] = {}
    scenarios = {"back to back, through the relay": {}, "back to back, straight to Rasa": {},
                 "typing pace, through the relay": {}}
    turn_runs: dict[str, tuple[dict[str, Run], ...]] = {way: ({}, {}, {}) for way in TURN_WAYS}
    with tempfile.TemporaryDirectory() as tmp:
        logs = args.logs or Path(tmp)
        try:
            for name, options in CONFIGS.items():
                print(f"Starting {name}...", flush=True)
                stacks[name] = start_stack(with_web=True, log_dir=logs / name.replace(" ", "_").replace(",", ""),
                                           extra_env={**LOAD_LIMITS, "PURGE_EVERY_MINUTES": "0"}, **options)
                for runs in (*scenarios.values(), *(r for way in turn_runs.values() for r in way)):
                    runs[name] = Run()
            for stack in stacks.values():   # warm up: the first turns load what Rasa loads lazily
                concurrent_conversations(relay_turn, stack, Run(), 4)
                concurrent_conversations(rasa_turn, stack, Run(), 4)
            for round_number in range(1, args.rounds + 1):
                print(f"Round {round_number} of {args.rounds}...", flush=True)
                for name, stack in stacks.items():
                    concurrent_conversations(relay_turn, stack, scenarios["back to back, through the relay"][name],
                                             args.conversations)
                for name, stack in stacks.items():
                    concurrent_conversations(rasa_turn, stack, scenarios["back to back, straight to Rasa"][name],
                                             args.conversations)
                for name, stack in stacks.items():
                    concurrent_conversations(relay_turn, stack, scenarios["typing pace, through the relay"][name],
                                             args.conversations, think=args.think, seed=round_number)
                for _ in range(args.long):
                    for way, turn in TURN_WAYS.items():
                        for name, stack in stacks.items():
                            long_conversation(turn, stack, *(runs[name] for runs in turn_runs[way]))
            memory = {name: max(peak_memory_mb(stack.processes[worker].pid) for worker in stack.rasa_worker_names())
                      for name, stack in stacks.items()}
            redis_bytes = conversation_bytes(stacks["2 workers, Redis"])
        finally:
            for stack in stacks.values():
                stack.stop()
        # What the web apps logged about failures (a type of error, never a message's text).
        for name, stack in stacks.items():
            lines = (stack.log_dir / "web.log").read_text(errors="replace").splitlines()
            logged = Counter(line[line.find(failure):].strip() for line in lines
                             for failure in ("unexpected error", "assistant unavailable") if failure in line)
            for what, count in logged.items():
                scenarios["back to back, through the relay"][name].logged[what] += count
    load_after = os.getloadavg()
    text = report(args, scenarios, turn_runs, memory, redis_bytes, load_before, load_after)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
