"""A fresh place to run the ``quanzi`` command as a person would: a new empty folder as
the working directory, no ``QUANZI_*`` variable but the database (on the PostgreSQL run:
a new PostgreSQL database and a Redis prefix of its own; on SQLite: none, so the command
uses its default ``./quanzi.db`` and ``./data``).

``Home.quanzi(*args)`` runs one command to its end; ``Home.start(*args)`` starts a
long-running one (``serve``, ``worker``) and ``stop`` sends it SIGTERM. ``Home.opened()``
opens the same database in the test process, to check what a command did.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import inspect

from quanzi.core.db import Database
from tests import backends

_BIN = Path(sys.executable).parent / "quanzi"
COMMAND = [str(_BIN)] if _BIN.exists() else [sys.executable, "-m", "quanzi.cli"]
TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Home:
    folder: Path
    url: str  # the database, as the test process opens it (absolute)
    env: dict[str, str] = field(default_factory=dict)

    def quanzi(self, *args: str, env: dict[str, str] | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run ``quanzi *args`` in the folder and wait for it."""
        return subprocess.run([*COMMAND, *args], cwd=self.folder, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout, check=False)

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen([*COMMAND, *args], cwd=self.folder,
                                env={**self.env, **(env or {})}, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    @contextmanager
    def opened(self) -> Iterator[Database]:
        """The home's database, open in this process until the block ends."""
        database = Database(self.url)
        try:
            yield database
        finally:
            database.dispose()

    def is_migrated(self) -> bool:
        with self.opened() as database:
            return inspect(database.read_engine).has_table("alembic_version")


def stop(process: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str]:
    """SIGTERM, then wait: (exit status, everything it printed)."""
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return process.returncode, output


def read_until(process: subprocess.Popen[str], text: str) -> str:
    """What the process printed up to the line holding ``text`` (fails if it ends first)."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"ended ({process.wait()}) without printing {text!r}: {''.join(seen)}")


def wait_for(url: str, process: subprocess.Popen[str], deadline_s: float = 60) -> httpx.Response:
    """GET ``url`` until it answers (fails when the process ends first or time runs out)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited {process.returncode}: {process.communicate()[0]}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {deadline_s} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def person_env() -> dict[str, str]:
    """This process's environment without any ``QUANZI_*`` the suite set for itself, with
    cheap password hashing (quick tests) and unbuffered output (read while it runs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUANZI_")}
    env.update({"QUANZI_ARGON2_PROFILE": "CHEAPEST", "PYTHONUNBUFFERED": "1"})
    return env


def new_home(folder: Path, name: str) -> Home:
    """A home in ``folder`` with an empty database of its own (PostgreSQL + Redis on the
    PostgreSQL run)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = person_env()
    if not backends.PG_URL:
        return Home(folder, f"sqlite:///{folder / 'quanzi.db'}", env)
    url = backends.create_pg_database(backends.PG_URL, f"_{name}")
    env["QUANZI_DATABASE_URL"] = url
    if backends.REDIS_URL:
        env["QUANZI_REDIS_URL"] = backends.REDIS_URL
        env["QUANZI_REDIS_PREFIX"] = f"quanzi-test-{backends.RUN_ID}:{name}:"
    return Home(folder, url, env)


def drop_home(home: Home) -> None:
    if backends.PG_URL:
        backends.drop_pg_database(home.url)
