"""Running the reference services for tests and benches: a throwaway PostgreSQL cluster, service
processes (Python on uvicorn, Node), health polling, and a small keep-alive JSON client.

Everything binds to 127.0.0.1. Used by tests/service/test_services.py and
benches/service_bench.py.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
SERVICE = ROOT / "examples" / "service"
PYTHON = Path(sys.executable)

sys.path.insert(0, str(SERVICE / "python"))
import store as service_store  # noqa: E402,F401  (the services' own storage code, to read the rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- PostgreSQL ---------------------------------------------------------------------------


def postgres_bin() -> Path:
    """The newest installed server's bin dir; installs the Debian package if there is none."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway cluster on 127.0.0.1 and a free port; yields its URL; stops and deletes it.

    PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user."""
    bindir = postgres_bin()
    tmp = tempfile.mkdtemp(prefix="leadcore-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, user="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(tmp, "data")
    port = free_port()
    started = False
    try:
        subprocess.run(as_user + [str(bindir / "initdb"), "-D", data, "-A", "trust", "-U", "postgres"],
                       check=True, stdout=subprocess.DEVNULL)
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c max_connections=200 "
                f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", data, "-o", opts, "-l", os.path.join(tmp, "log"),
                                  "-w", "-t", "120", "start"], check=True, stdout=subprocess.DEVNULL)
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


# -- service processes ----------------------------------------------------------------------


class Service:
    """One service process (``kind``: "python" or "node") on 127.0.0.1:``port``."""

    def __init__(self, kind: str, db: str, policy: Optional[Path] = None, port: Optional[int] = None,
                 logdir: Optional[Path] = None, env: Optional[dict[str, str]] = None) -> None:
        self.kind = kind
        self.db = db
        self.policy = policy
        self.port = port or free_port()
        self.logdir = Path(logdir or tempfile.mkdtemp(prefix="leadcore-svc-"))
        self.extra_env = env or {}
        self.proc: Optional[subprocess.Popen] = None
        self.starts = 0

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.port}"

    def command(self) -> list[str]:
        if self.kind == "python":
            return [str(PYTHON), "-m", "uvicorn", "app:app", "--app-dir", str(SERVICE / "python"), "--host", "127.0.0.1",
                    "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        return ["node", str(SERVICE / "node" / "server.js")]

    def start(self) -> "Service":
        env = {**os.environ, "LEADCORE_DB": self.db, "PORT": str(self.port), "HOST": "127.0.0.1", **self.extra_env}
        if self.policy:
            env["LEADCORE_POLICY"] = str(self.policy)
        self.starts += 1
        log = open(self.logdir / f"{self.kind}-{self.port}-{self.starts}.log", "wb")
        # cwd outside the repository: `import leadcore` must find the installed package, not the
        # `leadcore/` Rust folder at the root.
        self.proc = subprocess.Popen(self.command(), cwd=self.logdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait_healthy(self, timeout: float = 90.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, body, _ = Client(self.port, timeout=2).request("GET", "/healthz")
                if status == 200:
                    return body
                last = (status, body)
            except OSError as e:
                last = e
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not healthy after {timeout}s ({last}):\n{self.log_tail()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log_tail(self, n: int = 4000) -> str:
        logs = sorted(self.logdir.glob(f"{self.kind}-{self.port}-*.log"))
        return "".join(p.read_text(errors="replace")[-n:] for p in logs[-2:])


@contextlib.contextmanager
def running(services: list[Service], timeout: float = 120.0) -> Iterator[list[Service]]:
    try:
        for s in services:
            s.start()
            # one at a time: the first creates the schema, and a loaded machine starts faster so
            s.wait_healthy(timeout)
        yield services
    finally:
        for s in services:
            s.stop()


# -- client ---------------------------------------------------------------------------------


class Client:
    """A keep-alive JSON client for one service (one per thread)."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.port = port
        self.timeout = timeout
        self.conn: Optional[http.client.HTTPConnection] = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: Any = None,
                headers: Optional[dict[str, str]] = None) -> tuple[int, Any, dict[str, str]]:
        """(status, decoded body, headers); raises OSError (timeouts included) on transport errors."""
        data = None if body is None else json.dumps(body).encode()
        hdrs = {"content-type": "application/json", **(headers or {})}
        for fresh in (False, True):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None), {k.lower(): v for k, v in resp.getheaders()}
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # a kept-alive connection the server closed: once more on a fresh one
                self.close()
                if fresh:
                    raise
            except (OSError, http.client.HTTPException) as e:
                self.close()
                raise OSError(str(e)) from e
        raise OSError("unreachable")
