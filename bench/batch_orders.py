"""Community batch orders over HTTP: one hot item, 2,000 buyers, 20 pickup points.

    python bench/batch_orders.py [--seconds 10] [--concurrency 32] [--stock 1500]
                                 [--buyers 2000] [--points 20]

Uses PostgreSQL when it answers (QUANZI_BENCH_PG, default the local server; a fresh
database of its own, dropped afterwards), otherwise SQLite. Signed-in buyers, each at
one of the points in turn, hit ``POST /api/v1/batches/{id}/orders`` for one unit of the
batch's one item (its stock is ``--stock``: the rest are answered 409 ``sold_out``); in
the same run, in turns with it, the same load hits ``GET /bench/noop``. Afterwards the
units ordered are counted against the batch's stock: ``oversold`` must be 0. The last
line printed is one JSON object ``{orders_rps, noop_rps, ratio, oversold}``.
"""

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Server, bench_env, drive_alternating, drive_raw
from flash_sale import _backends, _drop


def _seed(stock: int, buyers: int, points: int) -> tuple[int, int, list[int], list[str]]:
    """Buyers with tokens, leaders with live points, and an open batch of one item:
    (batch id, SKU id, point ids, tokens)."""
    from quanzi.accounts.identity import Identity
    from quanzi.accounts.models import AuthToken, User
    from quanzi.catalog.schemas import ProductCreate, SkuCreate
    from quanzi.catalog.services import add_product, add_supplier
    from quanzi.community import geo
    from quanzi.community.batches import create_batch
    from quanzi.community.models import PickupPoint
    from quanzi.community.schemas import BatchCreate
    from quanzi.core import clock, migrate, security
    from quanzi.core.db import transaction

    migrate.upgrade()
    now = clock.now()
    tokens = [security.new_token() for _ in range(buyers)]
    with transaction() as session:
        supplier = add_supplier(session, name="社区团购供货商")
        sku = add_product(session, ProductCreate(
            supplier_id=supplier.id, title="团购 农家土鸡蛋", category="蛋禽",
            skus=[SkuCreate(spec="30枚", price_fen=3280, stock=1_000_000)])).skus[0].id
        users = [User(name=f"邻居{i}", email=f"batch{i}@bench.cn", password_hash="x",
                      roles=["consumer", "operator"] if i == 0 else ["consumer"],
                      is_active=True, created_at=now) for i in range(buyers + points)]
        session.add_all(users)
        session.flush()
        session.add_all([AuthToken(user_id=u.id, token_hash=security.token_digest(t),
                                   created_at=now, expires_at=now + timedelta(days=1))
                         for u, t in zip(users, tokens, strict=False)])
        rows = [PickupPoint(leader_id=leader.id, name=f"自提点{n}", province="浙江省",
                            city="杭州市", district="西湖区", community=f"小区{n}",
                            initials=geo.initials(f"小区{n}"), address=f"{n} 号",
                            lat=None, lng=None, h3_cell=None, opening_hours=None,
                            status="live", created_at=now)
                for n, leader in enumerate(users[buyers:])]
        session.add_all(rows)
        session.flush()
        point_ids = [row.id for row in rows]
        operator = Identity(id=users[0].id, roles=("operator",))
    batch = create_batch(actor=operator, data=BatchCreate(
        title="压测团期", opens_at=now - timedelta(minutes=1), cuts_off_at=now + timedelta(hours=2),
        pickup_from=now + timedelta(hours=12), leader_rate_bps=800,
        items=[{"sku_id": sku, "price_fen": 2880, "stock": stock}]))
    return batch.id, sku, point_ids, tokens


def _ordered(batch_id: int) -> tuple[int, int]:
    """(units in live orders of the batch, the batch item's stock left)."""
    from sqlalchemy import func, select

    from quanzi.community.models import BatchItem
    from quanzi.core.db import read_session
    from quanzi.orders.models import Order, OrderLine

    with read_session() as session:
        units = session.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0))
                               .join(Order, Order.id == OrderLine.order_id)
                               .where(Order.campaign_ref == f"batch:{batch_id}",
                                      Order.status != "cancelled"))
        left = session.scalar(select(func.sum(BatchItem.stock_left))
                              .where(BatchItem.batch_id == batch_id))
    return int(units or 0), int(left or 0)


def _orderer(batch_id: int, sku: int, points: list[int], tokens: list[str]):  # type: ignore[no-untyped-def]
    def make(n: int) -> tuple[str, str, dict[str, str], bytes]:
        body = json.dumps({"items": [{"sku_id": sku, "quantity": 1}],
                           "pickup_point_id": points[n % len(points)]}).encode()
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}",
                   "Idempotency-Key": f"batch-{n}", "Content-Type": "application/json"}
        return "POST", f"/api/v1/batches/{batch_id}/orders", headers, body

    return make


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--stock", type=int, default=1500)
    parser.add_argument("--buyers", type=int, default=2000)
    parser.add_argument("--points", type=int, default=20)
    args = parser.parse_args()
    env = bench_env()
    pg, _ = _backends(env)
    batch_id, sku, points, tokens = _seed(args.stock, args.buyers, args.points)
    server = Server(env)
    try:
        def noop(_: int) -> tuple[str, str, dict[str, str], bytes]:
            return "GET", "/bench/noop", {}, b""

        drive_raw(server.port, noop, seconds=1, concurrency=args.concurrency)  # warm up
        both = drive_alternating(server.port, {
            "noop": noop, "orders": _orderer(batch_id, sku, points, tokens)},
            seconds=args.seconds, concurrency=args.concurrency)
    finally:
        server.stop()
    base, orders = both["noop"], both["orders"]
    units, left = _ordered(batch_id)
    oversold = max(0, units - args.stock) + (1 if units + left != args.stock else 0)
    print(f"backend: {'PostgreSQL' if pg else 'SQLite'}; {args.buyers} buyers, "
          f"{len(points)} points, stock {args.stock}")
    for name, result in (("no-op", base), ("batch order", orders)):
        print(f"{name:12} {result['rps']:8.1f}/s  p50 {result['p50_ms']:6.1f} ms  "
              f"p99 {result['p99_ms']:6.1f} ms  statuses {result['statuses']}")
    print(f"units ordered {units}, stock left {left}; oversold {oversold}")
    if pg:
        _drop(pg)
    print(json.dumps({"orders_rps": round(orders["rps"], 1), "noop_rps": round(base["rps"], 1),
                      "ratio": round(orders["rps"] / base["rps"], 4), "oversold": oversold}))


if __name__ == "__main__":
    main()
