"""Start and stop the whole product: action server, Rasa server(s), Redis and the web app.

One module so that `make run`, the tests and the benchmarks start the stack the same way.
Standard library only: it runs under any Python 3, outside the project's virtual envs.

Two ways to keep conversations:
  - the embedded default: one Rasa process, conversations in SQLite (endpoints.yml); the web
    app's purge counts and deletes them an hour after their last message;
  - shared state (workers > 1, or redis=True): Debian's redis-server on localhost with nothing
    written to disk, N Rasa workers sharing Rasa's Redis tracker and lock stores
    (endpoints-redis.yml); each conversation expires by itself an hour after its last message,
    and the web app's relay spreads conversations across the workers.

    python3 scripts/stack.py run [--workers 2]   # what `make run [WORKERS=2]` calls
    from scripts.stack import start_stack        # in tests: start_stack(...).stop()
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
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
SQLITE_ENDPOINTS = "endpoints.yml"
REDIS_ENDPOINTS = "endpoints-redis.yml"
# The Redis tracker and lock stores' keys start with this (Rasa allows letters and digits only).
REDIS_KEY_PREFIX = "pupilchat"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 300.0) -> None:
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


def conversation_expiry_seconds(env: dict[str, str]) -> int:
    """How long a conversation is kept after its last message: CONVERSATION_IDLE_MINUTES (default
    60), the same setting the SQLite purge uses, in whole seconds for Redis' expiry."""
    minutes = float(env.get("CONVERSATION_IDLE_MINUTES") or 60)
    return max(1, round(minutes * 60))


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


# --- Redis ---------------------------------------------------------------------------------
REDIS_SERVER = "redis-server"


def redis_server_path() -> str:
    path = shutil.which(REDIS_SERVER) or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if not path:
        raise RuntimeError("redis-server is not installed: `make redis` installs Debian's package "
                           "(or: sudo apt-get install redis-server).")
    return path


def redis_command(port: int, password: str, *command: str, timeout: float = 2.0) -> bytes:
    """One Redis command (after AUTH) over a plain socket; returns the raw reply of the command."""
    def encode(*parts: str) -> bytes:
        return f"*{len(parts)}\r\n".encode() + b"".join(
            f"${len(p.encode())}\r\n".encode() + p.encode() + b"\r\n" for p in parts)

    with socket.create_connection((LOCALHOST, port), timeout=timeout) as s:
        s.sendall(encode("AUTH", password) + encode(*command))
        reply = b""
        while reply.count(b"\r\n") < 2:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    auth, _, rest = reply.partition(b"\r\n")
    if auth != b"+OK":
        raise OSError(f"Redis refused AUTH: {auth!r}")
    return rest


def start_redis(log_dir: Path, port: int | None = None) -> tuple[subprocess.Popen, int, str, Path]:
    """Debian's redis-server on localhost, password-protected, keeping nothing on disk: no RDB
    snapshots, no append-only file, its working folder a fresh temporary one. The settings go in
    on stdin, so the password is not on the command line for other users to see. Returns the
    process, its port, its password and its working folder (to delete once it stopped)."""
    port = port or free_port()
    password = secrets.token_hex(24)
    workdir = Path(tempfile.mkdtemp(prefix="redis-"))
    settings = "\n".join([
        f"port {port}", f"bind {LOCALHOST}", "protected-mode yes", f"requirepass {password}",
        'save ""', "appendonly no", f"dir {workdir}", "daemonize no", 'logfile ""', "loglevel warning",
    ]) + "\n"
    log = open(log_dir / "redis.log", "ab")
    process = subprocess.Popen([redis_server_path(), "-"], stdin=subprocess.PIPE, stdout=log,
                               stderr=subprocess.STDOUT, cwd=workdir)
    process.stdin.write(settings.encode())
    process.stdin.close()
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with code {process.returncode} (see {log_dir / 'redis.log'})")
        try:
            if redis_command(port, password, "PING").startswith(b"+PONG"):
                break
        except OSError as error:
            if time.monotonic() > deadline:
                process.kill()
                raise TimeoutError("redis-server did not answer within 20 s") from error
        time.sleep(0.1)
    return process, port, password, workdir


# --- the stack -----------------------------------------------------------------------------
@dataclass
class Stack:
    """Handles on the running processes and where they listen."""
    rasa_url: str
    actions_url: str
    api_token: str
    web_url: str | None
    log_dir: Path
    rasa_urls: list[str] = field(default_factory=list)   # one per Rasa worker; rasa_url is the first
    redis_port: int | None = None
    redis_password: str | None = None
    redis_dir: Path | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def redis_url(self) -> str | None:
        """For redis-py's Redis.from_url (tests and benchmarks); None when conversations are in SQLite."""
        if not self.redis_port:
            return None
        return f"redis://:{self.redis_password}@{LOCALHOST}:{self.redis_port}/0"

    def rasa_worker_names(self) -> list[str]:
        return [name for name in self.processes if name == "rasa" or name.startswith("rasa-")]

    def stop_process(self, name: str) -> None:
        """Ctrl-C for the process (Rasa and Sanic finish the requests in hand), then kill after 15 s."""
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.send_signal(signal.SIGINT if name != "redis" else signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if name == "redis" and self.redis_dir:
            shutil.rmtree(self.redis_dir, ignore_errors=True)

    def stop_rasa(self) -> None:
        """Every Rasa worker."""
        for name in self.rasa_worker_names():
            self.stop_process(name)

    def stop_actions(self) -> None:
        self.stop_process("actions")

    def stop(self) -> None:
        for name in ("web", *self.rasa_worker_names(), "actions", "redis"):
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
    workers: int = 1,
    redis: bool | None = None,
) -> Stack:
    """Start the servers on localhost and wait until each answers. Ports default to free ones.
    Conversations are kept in SQLite (tracker_db) with one worker, and in Redis with several (or
    with redis=True)."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    redis = workers > 1 if redis is None else redis
    if workers > 1 and not redis:
        raise ValueError("several Rasa workers need Redis: SQLite and Rasa's in-memory lock store are per process")
    actions_port = actions_port or free_port()
    # The workers on rasa_port, rasa_port + 1, ... (make run: 5005, 5006, ...), or on free ports.
    rasa_ports = [rasa_port + n for n in range(workers)] if rasa_port else [free_port() for _ in range(workers)]
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="stack-logs-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    tracker_db = tracker_db or log_dir / "tracker.db"
    actions_url = f"http://{LOCALHOST}:{actions_port}"
    rasa_urls = [f"http://{LOCALHOST}:{port}" for port in rasa_ports]
    # The HTTP API (used by the reviewer sandbox) needs this token; it is made afresh per start.
    api_token = secrets.token_hex(24)
    env = base_env(ACTION_ENDPOINT_URL=f"{actions_url}/webhook", **(extra_env or {}))
    stack = Stack(rasa_url=rasa_urls[0], rasa_urls=rasa_urls, actions_url=actions_url, api_token=api_token,
                  web_url=None, log_dir=log_dir)
    try:
        if redis:
            stack.processes["redis"], stack.redis_port, stack.redis_password, stack.redis_dir = start_redis(log_dir)
            env.update(REDIS_HOST=LOCALHOST, REDIS_PORT=str(stack.redis_port), REDIS_PASSWORD=stack.redis_password,
                       REDIS_KEY_PREFIX=REDIS_KEY_PREFIX,
                       CONVERSATION_EXPIRY_SECONDS=str(conversation_expiry_seconds(env)))
            env.pop("TRACKER_DB", None)   # nothing of a conversation goes to SQLite
            endpoints = REDIS_ENDPOINTS
        else:
            env["TRACKER_DB"] = str(tracker_db)
            endpoints = SQLITE_ENDPOINTS
        if with_actions:
            stack.processes["actions"] = _spawn(
                "actions",
                [str(RASA_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
                env, log_dir)
        names = ["rasa"] + [f"rasa-{n}" for n in range(2, workers + 1)]
        for name, port in zip(names, rasa_ports):
            stack.processes[name] = _spawn(
                name,
                [str(RASA_BIN / "rasa"), "run", "--interface", LOCALHOST, "--port", str(port),
                 "--model", str(model), "--endpoints", endpoints, "--credentials", "credentials.yml",
                 "--enable-api", "--auth-token", api_token],
                env, log_dir)
        if with_actions:
            wait_for(f"{actions_url}/health", stack.processes["actions"])
        for name, url in zip(names, rasa_urls):
            wait_for(f"{url}/", stack.processes[name])
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
                # RASA_URL: the reviewer sandbox's (any worker: they share the conversations);
                # RASA_URLS: the relay spreads pupils' conversations across all of them.
                dict(env, RASA_URL=rasa_urls[0], RASA_URLS=" ".join(rasa_urls), RASA_API_TOKEN=api_token),
                log_dir)
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
    if args.workers > 1:
        print(f"Starting Redis, the action server, {args.workers} Rasa workers and the web app "
              "(first start takes ~15 s)...", flush=True)
    else:
        print("Starting the action server, Rasa and the web app (first start takes ~15 s)...", flush=True)
    stack = start_stack(args.rasa_port, args.actions_port, args.web_port, with_web=not args.no_web,
                        log_dir=log_dir, tracker_db=ROOT / "state" / "tracker.db", workers=args.workers)
    for url in stack.rasa_urls:
        print(f"  Rasa REST channel: {url}/webhooks/rest/webhook")
    if stack.redis_port:
        print(f"  Conversations: Redis on {LOCALHOST}:{stack.redis_port} (in memory only; each expires "
              f"{conversation_expiry_seconds(dict(os.environ)) // 60} minutes after its last message)")
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
    run.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS") or 1),
                     help="Rasa workers; more than 1 keeps conversations in Redis (default 1: SQLite)")
    run.add_argument("--no-web", action="store_true", help="only the assistant (action server and Rasa)")
    args = parser.parse_args(argv)
    if args.command == "run":
        os.makedirs(ROOT / "state", exist_ok=True)
        run_forever(args)


if __name__ == "__main__":
    main()
