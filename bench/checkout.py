"""Order-and-pay over HTTP against a real server, with a no-op route as the baseline.

    python bench/checkout.py [--orders 400] [--concurrency 8] [--workers 1]

Starts uvicorn on its own SQLite database (or QUANZI_DATABASE_URL), signs in buyers,
then each client places an order of three lines, opens a sandbox payment and completes
it. In the same run ``/bench/noop`` (the cheapest route the server has) is driven with
the same number of connections; both loads come from the same minimal keep-alive
client (``_server.Connection``), so the client's own cost weighs alike on both.
``--workers N`` runs N uvicorn worker processes on the one database (the no-op too).
Prints orders/s, p50/p99 and the ratio; the last line is one JSON object.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Connection, Server, bench_env, drive_chains, drive_raw  # noqa: E402

ADDRESS = {"name": "压测", "phone": "13800138000", "region": "上海市", "detail": "1 号"}


def seed(buyers: int) -> tuple[list[int], list[str]]:
    from quanzi.accounts.services import create_user, login
    from quanzi.catalog.schemas import ProductCreate, SkuCreate
    from quanzi.catalog.services import add_product, add_supplier
    from quanzi.core import migrate
    from quanzi.core.db import transaction

    migrate.upgrade()
    with transaction() as session:
        supplier = add_supplier(session, name="压测供货商")
        product = add_product(session, ProductCreate(
            supplier_id=supplier.id, title="压测商品", category="测试",
            skus=[SkuCreate(spec=f"{n}g", price_fen=990 + n, stock=1_000_000) for n in (1, 2, 3)]))
        skus = [sku.id for sku in product.skus]
    tokens = []
    for n in range(buyers):
        create_user(name=f"buyer{n}", password="bench-pass-1", email=f"b{n}@bench.cn")
        tokens.append(login(f"b{n}@bench.cn", "bench-pass-1").access_token)
    return skus, tokens


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    env = bench_env()
    skus, tokens = seed(args.concurrency)
    server = Server(env, workers=args.workers)
    try:
        body = json.dumps({"items": [{"sku_id": s, "quantity": 1} for s in skus],
                           "address": ADDRESS}).encode()

        async def order_and_pay(connection: Connection, i: int) -> None:
            auth = {"Authorization": f"Bearer {tokens[i % len(tokens)]}",
                    "Content-Type": "application/json"}
            status, order = await connection.request(
                "POST", "/api/v1/orders", {**auth, "Idempotency-Key": f"o{i}"}, body)
            assert status == 201, order
            status, intent = await connection.request(
                "POST", f"/api/v1/orders/{json.loads(order)['id']}/pay",
                {**auth, "Idempotency-Key": f"p{i}"}, b"{}")
            assert status == 200, intent
            status, paid = await connection.request(
                "POST", f"/api/v1/payments/sandbox/{json.loads(intent)['payment_id']}/complete",
                auth)
            assert status == 200 and json.loads(paid)["status"] == "paid", paid

        def noop(_: int) -> tuple[str, str, dict[str, str], bytes]:
            return "GET", "/bench/noop", {}, b""

        drive_raw(server.port, noop, seconds=1, concurrency=args.concurrency)  # warm up
        orders = drive_chains(server.port, order_and_pay, total=args.orders,
                              concurrency=args.concurrency)
        base = drive_raw(server.port, noop, seconds=5, concurrency=args.concurrency)
    finally:
        server.stop()
    ratio = orders["rps"] / base["rps"]
    print(f"order+pay: {orders['rps']:.1f}/s  p50 {orders['p50_ms']:.1f} ms  "
          f"p99 {orders['p99_ms']:.1f} ms")
    print(f"no-op:     {base['rps']:.1f}/s  p50 {base['p50_ms']:.1f} ms  "
          f"p99 {base['p99_ms']:.1f} ms")
    print(f"ratio (order+pay / no-op): {ratio:.3f}")
    print(json.dumps({"workers": args.workers, "orders_rps": round(orders["rps"], 1),
                      "noop_rps": round(base["rps"], 1), "ratio": round(ratio, 4),
                      "p99_ms": round(orders["p99_ms"], 1)}))


if __name__ == "__main__":
    main()
