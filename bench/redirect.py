"""Benchmark of the share redirect ``GET /s/{code}`` against a no-op 302 on the same server.

Usage: python bench/redirect.py [--seconds 4] [--rounds 3] [--concurrency 32]

Starts uvicorn on a free loopback port in a subprocess (SQLite in a temp dir, with a
promoter and a share made first, QUANZI_BENCH=1 for ``/bench/noop-redirect``), drives
both routes with the same number of keep-alive connections in alternating rounds,
prints requests/s, p50/p99 and the ratio, stops the server gracefully (SIGINT: the
lifespan flushes the click buffer), and compares the clicks in the database with the
redirects answered. The client is a minimal asyncio HTTP/1.1 keep-alive client, much
cheaper than httpx, so that on a small machine the client is not what is measured.
The last line printed is one JSON object.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import drive_raw, free_port


def _prepare(tmp: Path) -> dict[str, str]:
    """Environment of the server, and a promoter's share in its fresh database."""
    env = {**os.environ, "QUANZI_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
           "QUANZI_DATA_DIR": str(tmp / "data"), "QUANZI_SECRET_KEY": "bench-secret",
           "QUANZI_ENV": "bench", "QUANZI_BENCH": "1", "QUANZI_RATE_LIMITS": "off"}
    env.pop("QUANZI_REDIS_URL", None)
    os.environ.update(env)
    return env


def _make_share() -> str:
    from quanzi.accounts.services import create_user
    from quanzi.catalog.models import Product, Sku, Supplier
    from quanzi.core import clock, migrate
    from quanzi.core.db import transaction
    from quanzi.referral import services, shares

    migrate.upgrade()
    with transaction() as session:
        now = clock.now()
        supplier = Supplier(name="bench", fee_bp=500, created_at=now)
        session.add(supplier)
        session.flush()
        product = Product(supplier_id=supplier.id, title="上海青", description="", category="生鲜",
                          images=[], on_shelf=True, search_tokens="", sold_count=0,
                          created_at=now, updated_at=now)
        product.skus = [Sku(spec="500g", price_fen=1290, stock=100)]
        session.add(product)
        session.flush()
        product_id = product.id
    user = create_user(name="bench", password="bench-password-1", email="bench@example.cn")
    applied = services.apply(user_id=user.id)
    services.approve(operator_id=0, promoter_id=applied.id)
    return shares.create_share(promoter_user_id=user.id, product_id=product_id).code


def _count_clicks() -> int:
    from sqlalchemy import func, select

    from quanzi.core.db import read_session
    from quanzi.referral.models import Click

    with read_session() as session:
        return int(session.scalar(select(func.count(Click.id))) or 0)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def _wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start in 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per route per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="quanzi-bench-") as tmp_name:
        env = _prepare(Path(tmp_name))
        code = _make_share()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "quanzi.asgi:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"], env=env)
        try:
            _wait_ready(port, server)
            results = _run(port, code, args)
        finally:
            server.send_signal(signal.SIGINT)  # graceful: lifespan shutdown flushes clicks
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        recorded = _count_clicks()
    lost = results.pop("redirects_answered") - recorded
    results["clicks_lost"] = lost
    print(f"clicks recorded: {recorded}, lost: {lost}")
    print(json.dumps(results))


def _get(path: str):  # type: ignore[no-untyped-def]
    headers = {"User-Agent": "Mozilla/5.0 MicroMessenger/8.0 bench"}
    return lambda _: ("GET", path, headers, b"")


def _run(port: int, code: str, args: argparse.Namespace) -> dict[str, float | int]:
    drive_raw(port, _get("/bench/noop-redirect"), seconds=1.0,
              concurrency=args.concurrency)  # warm-up
    totals: dict[str, list[float]] = {"noop": [], "redirect": []}
    elapsed = {"noop": 0.0, "redirect": 0.0}
    answered = 0
    for _ in range(args.rounds):
        for name, path in (("noop", "/bench/noop-redirect"), ("redirect", f"/s/{code}")):
            result = drive_raw(port, _get(path), seconds=args.seconds,
                               concurrency=args.concurrency)
            statuses = result["statuses"]
            if set(statuses) != {302}:
                raise SystemExit(f"{path} answered {statuses}")
            totals[name] += result["latencies"]
            elapsed[name] += result["elapsed"]
            answered += statuses[302] if name == "redirect" else 0
    rps = {name: len(totals[name]) / elapsed[name] for name in totals}
    for name in ("noop", "redirect"):
        print(f"{name:9s} {rps[name]:9.0f} req/s  p50 {_percentile(totals[name], 0.5):6.2f} ms"
              f"  p99 {_percentile(totals[name], 0.99):6.2f} ms  ({len(totals[name])} requests)")
    ratio = rps["redirect"] / rps["noop"]
    print(f"ratio redirect/noop: {ratio:.3f} (goal ≥ 0.7)")
    return {"redirect_rps": round(rps["redirect"]), "noop_rps": round(rps["noop"]),
            "ratio": round(ratio, 3), "p99_ms": round(_percentile(totals["redirect"], 0.99), 2),
            "redirects_answered": answered}


if __name__ == "__main__":
    main()
