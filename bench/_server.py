"""Shared bench plumbing: a throwaway database, a uvicorn subprocess, a load driver."""

import atexit
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database(server_url: str) -> str:
    """A new, empty PostgreSQL database on the server of ``server_url``; its URL."""
    from sqlalchemy import create_engine, make_url, text

    name = f"quanzi_bench_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    atexit.register(drop_database, server_url, name)
    return url


def drop_database(server_url: str, name: str) -> None:
    """Drop a bench's database when the bench ends (its server's connections with it)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def bench_env() -> dict[str, str]:
    """Environment for a bench: its own SQLite file, or with QUANZI_DATABASE_URL naming a
    PostgreSQL server a new database there; the rate limits off (the load comes from one
    machine)."""
    folder = Path(tempfile.mkdtemp(prefix="quanzi-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    env = dict(os.environ)
    env.setdefault("QUANZI_DATABASE_URL", f"sqlite:///{folder / 'bench.db'}")
    if env["QUANZI_DATABASE_URL"].startswith("postgresql"):
        env["QUANZI_DATABASE_URL"] = fresh_database(env["QUANZI_DATABASE_URL"])
    env.update({"QUANZI_DATA_DIR": str(folder / "data"), "QUANZI_BENCH": "1",
                "QUANZI_SECRET_KEY": "bench-secret", "QUANZI_ENV": "development",
                "QUANZI_RATE_LIMITS": "off"})  # thousands of buyers from one address
    os.environ.update(env)
    return env


class Server:
    """``uvicorn quanzi.asgi:app`` on a free loopback port, stopped gracefully (SIGTERM)."""

    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if workers > 1 and not env.get("QUANZI_REDIS_URL"):  # as `quanzi serve` does
            env = {**env, "QUANZI_SIGN_IN_CACHE": "off"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "quanzi.asgi:app", "--port", str(self.port),
             "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Connection:
    """A keep-alive HTTP/1.1 client on one connection: far cheaper than httpx, so the
    server is what is measured. Knows Content-Length bodies only (what the app sends)."""

    def __init__(self, reader: Any, writer: Any) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> "Connection":
        import asyncio

        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, bytes]:
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        answer = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in answer.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return int(answer[9:12]), (await self.reader.readexactly(length) if length else b"")

    def close(self) -> None:
        self.writer.close()


def drive_chains(port: int, chain: Callable[[Connection, int], Awaitable[None]], *, total: int,
                 concurrency: int, start: int = 0) -> dict[str, Any]:
    """Run ``await chain(connection, i)`` for ``start`` <= i < ``start + total`` on
    ``concurrency`` keep-alive connections (each chain may send several requests); chains
    per second and latency (and the latencies and elapsed seconds themselves)."""
    import asyncio

    latencies: list[float] = []
    numbers = iter(range(start, start + total))

    async def client() -> None:
        connection = await Connection.open(port)
        try:
            for i in numbers:
                started = time.perf_counter()
                await chain(connection, i)
                latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    async def run() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    ordered = sorted(latencies)
    return {"rps": total / elapsed, "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "latencies": latencies, "elapsed": elapsed}


async def _post_worker(port: int, make: Callable[[int], tuple[str, str, dict[str, str], bytes]],
                       counter: list[int], until: float, latencies: list[float],
                       statuses: dict[int, int]) -> None:
    connection = await Connection.open(port)
    try:
        while time.perf_counter() < until:
            counter[0] += 1
            method, path, headers, body = make(counter[0])
            started = time.perf_counter()
            status, _ = await connection.request(method, path, headers, body)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        connection.close()


def drive_raw(port: int, make: Callable[[int], tuple[str, str, dict[str, str], bytes]], *,
              seconds: float, concurrency: int) -> dict[str, Any]:
    """Drive ``make(n) -> (method, path, headers, body)`` for ``seconds`` on ``concurrency``
    connections; requests/s, p50/p99 and the count of each status."""
    import asyncio

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = [0]

    async def run() -> float:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(_post_worker(port, make, counter, until, latencies, statuses)
                               for _ in range(concurrency)))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    ordered = sorted(latencies)
    return {"rps": len(latencies) / elapsed, "p50_ms": quantile_ms(ordered, 0.5),
            "p99_ms": quantile_ms(ordered, 0.99),
            "statuses": statuses, "requests": len(latencies), "elapsed": elapsed,
            "latencies": latencies}


def quantile_ms(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of sorted latencies in seconds, in milliseconds (0 if none)."""
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


Load = Callable[[int], tuple[str, str, dict[str, str], bytes]]


def _shifted(make: Load, base: int) -> Load:
    return lambda n: make(base + n)


def drive_alternating(port: int, loads: dict[str, Load], *, seconds: float, concurrency: int,
                      slices: int = 5) -> dict[str, dict[str, Any]]:
    """Drive each load for ``seconds`` in all, in turns of ``seconds / slices``, so that a
    change in the machine's speed during the run (other tenants, frequency) weighs on
    every load alike. Each load's requests keep counting across its turns."""
    done: dict[str, list[dict[str, Any]]] = {name: [] for name in loads}
    offsets = dict.fromkeys(loads, 0)
    for _ in range(slices):
        for name, make in loads.items():
            turn = drive_raw(port, _shifted(make, offsets[name]), seconds=seconds / slices,
                             concurrency=concurrency)
            offsets[name] += turn["requests"]
            done[name].append(turn)
    merged: dict[str, dict[str, Any]] = {}
    for name, turns in done.items():
        ordered = sorted(x for turn in turns for x in turn["latencies"])
        statuses: dict[int, int] = {}
        for turn in turns:
            for status, count in turn["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        elapsed = sum(turn["elapsed"] for turn in turns)
        merged[name] = {"rps": len(ordered) / elapsed, "p50_ms": quantile_ms(ordered, 0.5),
                        "p99_ms": quantile_ms(ordered, 0.99),
                        "statuses": statuses, "requests": len(ordered), "elapsed": elapsed,
                        "turns": [round(turn["rps"]) for turn in turns]}
    return merged
