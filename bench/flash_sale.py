"""A flash sale over HTTP: the real buy path, a no-op route and a row-lock buy, one run.

    python bench/flash_sale.py [--seconds 10] [--concurrency 32] [--stock 100] [--buyers 2000]

Uses PostgreSQL and Redis when they answer (QUANZI_BENCH_PG, default the local server;
QUANZI_BENCH_REDIS, default redis://127.0.0.1:6379/0), each with its own fresh database
or key prefix; otherwise SQLite without Redis (and no row-lock figure). Thousands of
signed-in buyers (per-user limit 1) hit ``POST /api/v1/flash-sales/{id}/buy``; in the
same run the same load hits ``GET /bench/noop`` (in turns with the buy, so that a change
in the machine's speed weighs on both alike) and ``POST /bench/rowlock-buy/{id}`` (the
textbook ``SELECT … FOR UPDATE`` buy on a second sale of the same size). Afterwards the
orders are counted against the allotment: ``oversold`` must be 0. The last line printed
is one JSON object.
"""

import argparse
import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import (
    Server,
    bench_env,
    drive_alternating,
    drive_raw,
    drop_database,
    fresh_database,
)

ADDRESS = {"name": "抢购", "phone": "13800138000", "region": "上海市", "detail": "1 号"}


def _pg_server() -> str:
    return os.environ.get("QUANZI_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _backends(env: dict[str, str]) -> tuple[str | None, str | None]:
    """Point the bench at a fresh PostgreSQL database and a Redis prefix when reachable."""
    pg, redis_url = None, None
    try:
        pg = fresh_database(_pg_server())
        env["QUANZI_DATABASE_URL"] = os.environ["QUANZI_DATABASE_URL"] = pg
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL unavailable ({exc.__class__.__name__}): SQLite, no row-lock figure")
    try:
        import redis

        url = os.environ.get("QUANZI_BENCH_REDIS", "redis://127.0.0.1:6379/0")
        redis.Redis.from_url(url).ping()
        redis_url = url
        prefix = f"quanzi-bench-{secrets.token_hex(4)}:"
        env.update({"QUANZI_REDIS_URL": url, "QUANZI_REDIS_PREFIX": prefix})
        os.environ.update({"QUANZI_REDIS_URL": url, "QUANZI_REDIS_PREFIX": prefix})
    except Exception as exc:  # noqa: BLE001
        print(f"Redis unavailable ({exc.__class__.__name__}): the database counts the stock")
    return pg, redis_url


def _drop(pg: str) -> None:
    """Drop the bench's own database once its figures are read."""
    from sqlalchemy import make_url

    from quanzi.core.db import set_db

    set_db(None)  # this process's connections to it
    drop_database(_pg_server(), str(make_url(pg).database))


def _seed(stock: int, buyers: int) -> tuple[int, int, list[str]]:
    from quanzi.accounts.identity import Identity
    from quanzi.accounts.models import AuthToken, User
    from quanzi.campaigns.flash.sales import create_flash_sale
    from quanzi.campaigns.schemas import FlashSaleCreate
    from quanzi.catalog.schemas import ProductCreate, SkuCreate
    from quanzi.catalog.services import add_product, add_supplier
    from quanzi.core import clock, migrate, security
    from quanzi.core.db import transaction

    migrate.upgrade()
    now = clock.now()
    tokens = [security.new_token() for _ in range(buyers)]
    with transaction() as session:
        supplier = add_supplier(session, name="秒杀供货商")
        sku = add_product(session, ProductCreate(
            supplier_id=supplier.id, title="秒杀 阳澄湖大闸蟹", category="海鲜",
            skus=[SkuCreate(spec="4只装", price_fen=19900, stock=1_000_000)])).skus[0].id
        users = [User(name=f"抢购{i}", email=f"flash{i}@bench.cn", password_hash="x",
                      roles=["consumer", "operator"] if i == 0 else ["consumer"],
                      is_active=True, created_at=now) for i in range(buyers)]
        session.add_all(users)
        session.flush()
        session.add_all([AuthToken(user_id=u.id, token_hash=security.token_digest(t),
                                   created_at=now, expires_at=now + timedelta(days=1))
                         for u, t in zip(users, tokens, strict=True)])
        operator = Identity(id=users[0].id, name="运营", roles=("operator",), supplier_id=None)
    sales = [create_flash_sale(by=operator, data=FlashSaleCreate(
        sku_id=sku, price_fen=9900, stock=stock, per_user_limit=1,
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=1))).id
             for _ in range(2)]
    return sales[0], sales[1], tokens


def _count(sale_id: int) -> int:
    from sqlalchemy import func, select

    from quanzi.core.db import read_session
    from quanzi.orders.models import Order

    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(Order)
                                  .where(Order.campaign_ref == f"flash:{sale_id}")) or 0)


def _buyer(path: str, tokens: list[str]):  # type: ignore[no-untyped-def]
    body = json.dumps({"quantity": 1, "address": ADDRESS}).encode()

    def make(n: int) -> tuple[str, str, dict[str, str], bytes]:
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}",
                   "Idempotency-Key": f"{path}-{n}", "Content-Type": "application/json"}
        return "POST", path, headers, body

    return make


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--stock", type=int, default=100)
    parser.add_argument("--buyers", type=int, default=2000)
    args = parser.parse_args()
    env = bench_env()
    pg, redis_url = _backends(env)
    sale, rowlock_sale, tokens = _seed(args.stock, args.buyers)
    server = Server(env)
    try:
        def noop(_: int) -> tuple[str, str, dict[str, str], bytes]:
            return "GET", "/bench/noop", {}, b""

        run = {"seconds": args.seconds, "concurrency": args.concurrency}
        drive_raw(server.port, noop, seconds=1, concurrency=args.concurrency)  # warm up
        both = drive_alternating(server.port, {
            "noop": noop, "buy": _buyer(f"/api/v1/flash-sales/{sale}/buy", tokens)}, **run)
        base, buy = both["noop"], both["buy"]
        rowlock = (drive_raw(server.port, _buyer(f"/bench/rowlock-buy/{rowlock_sale}", tokens),
                             **run) if pg else None)
    finally:
        server.stop()
    oversold = max(0, _count(sale) - args.stock)
    print(f"backends: {'PostgreSQL' if pg else 'SQLite'}, {'Redis' if redis_url else 'no Redis'}")
    for name, result in (("no-op", base), ("flash buy", buy), ("row-lock buy", rowlock)):
        if result:
            print(f"{name:13} {result['rps']:8.1f}/s  p50 {result['p50_ms']:6.1f} ms  "
                  f"p99 {result['p99_ms']:6.1f} ms  statuses {result['statuses']}"
                  + (f"  turns {result['turns']}" if "turns" in result else ""))
    sold = _count(sale)
    print(f"flash orders {sold} of {args.stock}; oversold {oversold}")
    if pg:
        _drop(pg)
    figures = {"buy_rps": round(buy["rps"], 1), "noop_rps": round(base["rps"], 1),
               "rowlock_rps": round(rowlock["rps"], 1) if rowlock else None,
               "ratio_noop": round(buy["rps"] / base["rps"], 3),
               "ratio_rowlock": round(buy["rps"] / rowlock["rps"], 3) if rowlock else None,
               "p99_ms": round(buy["p99_ms"], 1), "oversold": oversold}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
