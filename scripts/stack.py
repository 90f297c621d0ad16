"""Start and stop the whole product: action server, Rasa server and web app.

One module so that `make run`, the tests and the benchmarks start the stack the same way.
Standard library only: it runs under any Python 3, outside the project's virtual envs.

    python3 scripts/stack.py run            # what `make run` calls
    from stack import start_stack           # in tests: start_stack(...).stop()
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin"
WEB_BIN = ROOT / ".venv-web" / "bin"
MODEL = ROOT / "models" / "current.tar.gz"
LOCALHOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll url until it answers 200, failing early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",  # anonymous by design: nothing leaves the machine
        SANIC_HOST=LOCALHOST,            # the action server listens on localhost only
        PYTHONUNBUFFERED="1",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    env.update(extra)
    return env


@dataclass
class Stack:
    """Handles on the running processes and where they listen."""
    rasa_url: str
    actions_url: str
    api_token: str
    web_url: str | None
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_rasa(self) -> None:
        self.stop_process("rasa")

    def stop_actions(self) -> None:
        self.stop_process("actions")

    def stop(self) -> None:
        for name in ("web", "rasa", "actions"):
            self.stop_process(name)


def _spawn(name: str, command: list[str], env: dict[str, str], log_dir: Path) -> subprocess.Popen:
    log = open(log_dir / f"{name}.log", "ab")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_stack(
    rasa_port: int | None = None,
    actions_port: int | None = None,
    web_port: int | None = None,
    with_web: bool = True,
    with_actions: bool = True,
    log_dir: Path | None = None,
    tracker_db: Path | None = None,
    extra_env: dict[str, str] | None = None,
    model: Path = MODEL,
) -> Stack:
    """Start the servers on localhost and wait until each answers. Ports default to free ones."""
    rasa_port = rasa_port or free_port()
    actions_port = actions_port or free_port()
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="stack-logs-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    tracker_db = tracker_db or log_dir / "tracker.db"
    actions_url = f"http://{LOCALHOST}:{actions_port}"
    rasa_url = f"http://{LOCALHOST}:{rasa_port}"
    # The HTTP API (used by the reviewer sandbox) needs this token; it is made afresh per start.
    api_token = secrets.token_hex(24)
    env = base_env(
        ACTION_ENDPOINT_URL=f"{actions_url}/webhook",
        TRACKER_DB=str(tracker_db),
        **(extra_env or {}),
    )
    stack = Stack(rasa_url=rasa_url, actions_url=actions_url, api_token=api_token, web_url=None, log_dir=log_dir)
    try:
        if with_actions:
            stack.processes["actions"] = _spawn(
                "actions",
                [str(RASA_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
                env, log_dir)
        stack.processes["rasa"] = _spawn(
            "rasa",
            [str(RASA_BIN / "rasa"), "run", "--interface", LOCALHOST, "--port", str(rasa_port),
             "--model", str(model), "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
             "--enable-api", "--auth-token", api_token],
            env, log_dir)
        if with_actions:
            wait_for(f"{actions_url}/health", stack.processes["actions"])
        wait_for(f"{rasa_url}/", stack.processes["rasa"])
        if with_web:
            web_port = web_port or free_port()
            stack.web_url = f"http://{LOCALHOST}:{web_port}"
            stack.processes["web"] = _spawn(
                "web",
                [str(WEB_BIN / "waitress-serve"), f"--listen={LOCALHOST}:{web_port}", "--threads=32",
                 # Waitress's own body limit, the app's (MAX_CONTENT_LENGTH, from MAX_REQUEST_BYTES):
                 # a larger body is refused before it is read, not after 1 GiB of it.
                 f"--max-request-body-size={int(env.get('MAX_REQUEST_BYTES') or 16 * 1024)}",
                 "--call", "web:create_app"],
                dict(env, RASA_URL=rasa_url, RASA_API_TOKEN=api_token), log_dir)
            wait_for(f"{stack.web_url}/healthz", stack.processes["web"])
    except BaseException:
        stack.stop()
        raise
    return stack


def run_forever(args: argparse.Namespace) -> None:
    """`make run`: start everything on the usual ports and stop it all on Ctrl-C."""
    log_dir = ROOT / "logs"
    if not args.no_web and not (WEB_BIN / "waitress-serve").exists():
        print("The web app is not set up (no .venv-web): starting the assistant only.")
        args.no_web = True
    print("Starting the action server, Rasa and the web app (first start takes ~15 s)...", flush=True)
    stack = start_stack(args.rasa_port, args.actions_port, args.web_port, with_web=not args.no_web,
                        log_dir=log_dir, tracker_db=ROOT / "state" / "tracker.db")
    print(f"  Rasa REST channel: {stack.rasa_url}/webhooks/rest/webhook")
    if stack.web_url:
        print(f"\n  Demo school page:  {stack.web_url.replace(LOCALHOST, 'localhost')}/\n")
    print(f"Logs are in {log_dir}. Press Ctrl-C to stop.", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped unexpectedly (see {log_dir / (name + '.log')}); stopping the rest.")
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        stack.stop()
        print("Stopped.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start everything and wait for Ctrl-C")
    run.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    run.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    run.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", 8000)))
    run.add_argument("--no-web", action="store_true", help="only the assistant (action server and Rasa)")
    args = parser.parse_args(argv)
    if args.command == "run":
        os.makedirs(ROOT / "state", exist_ok=True)
        run_forever(args)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
