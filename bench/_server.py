"""Shared bench plumbing: a throwaway database, a uvicorn subprocess, a load driver."""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_env() -> dict[str, str]:
    """Environment for a bench: its own SQLite file unless QUANZI_DATABASE_URL is set."""
    folder = Path(tempfile.mkdtemp(prefix="quanzi-bench-"))
    env = dict(os.environ)
    env.setdefault("QUANZI_DATABASE_URL", f"sqlite:///{folder / 'bench.db'}")
    env.update({"QUANZI_DATA_DIR": str(folder / "data"), "QUANZI_BENCH": "1",
                "QUANZI_SECRET_KEY": "bench-secret", "QUANZI_ENV": "development"})
    os.environ.update(env)
    return env


class Server:
    """``uvicorn quanzi.asgi:app`` on a free loopback port, stopped gracefully (SIGTERM)."""

    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
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


def drive(worker: Callable[[httpx.Client, int], None], *, base_url: str, total: int,
          concurrency: int) -> dict[str, float]:
    """Run ``worker(client, i)`` ``total`` times on ``concurrency`` threads; rate and latency."""
    latencies: list[float] = []
    clients = [httpx.Client(base_url=base_url, timeout=30) for _ in range(concurrency)]

    def one(i: int) -> None:
        started = time.perf_counter()
        worker(clients[i % concurrency], i)
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    ordered = sorted(latencies)
    return {"rps": total / elapsed, "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000}
