"""Order-and-pay over HTTP against a real server, with a no-op route as the baseline.

    python bench/checkout.py [--orders 800] [--concurrency 8] [--workers 1] [--turns 4]

Starts uvicorn on its own SQLite database (or QUANZI_DATABASE_URL), signs in buyers,
then each client places an order of three lines, opens a sandbox payment and completes
it. In the same run ``/bench/noop`` (the cheapest route the server has) is driven with
the same number of connections; both loads come from the same minimal keep-alive
client (``_server.Connection``), so the client's own cost weighs alike on both. The two
loads take turns (``--turns``, 4 by default: a quarter of the no-op's 5 s, then a quarter
of the orders, and so on), so that the machine slowing down or speeding up during the run
(other tenants) weighs on both alike. ``--workers N`` runs N uvicorn worker processes on
the one database (the no-op too). Prints orders/s, p50/p99, the ratio and each turn's
ratio; the last line is one JSON object.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Connection, Server, bench_env, drive_chains, drive_raw, quantile_ms

WARM_UP = 40  # sales before the measured ones
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
    parser.add_argument("--orders", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--turns", type=int, default=4)
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

        drive_raw(server.port, noop, seconds=1, concurrency=args.concurrency)  # warm up, both:
        drive_chains(server.port, order_and_pay, total=WARM_UP, concurrency=args.concurrency,
                     start=args.orders)  # the first sale makes the ledger's accounts
        turns = []
        for turn in range(args.turns):
            base = drive_raw(server.port, noop, seconds=5 / args.turns,
                             concurrency=args.concurrency)
            share = args.orders // args.turns
            sold = drive_chains(server.port, order_and_pay, total=share,
                                concurrency=args.concurrency, start=turn * share)
            turns.append((base, sold))
    finally:
        server.stop()
    orders, base = _merged([sold for _, sold in turns]), _merged([base for base, _ in turns])
    ratio = orders["rps"] / base["rps"]
    print(f"order+pay: {orders['rps']:.1f}/s  p50 {orders['p50_ms']:.1f} ms  "
          f"p99 {orders['p99_ms']:.1f} ms")
    print(f"no-op:     {base['rps']:.1f}/s  p50 {base['p50_ms']:.1f} ms  "
          f"p99 {base['p99_ms']:.1f} ms")
    by_turn = [round(sold["rps"] / base["rps"], 4) for base, sold in turns]
    print(f"ratio (order+pay / no-op): {ratio:.4f}  by turn: {by_turn}")
    print(json.dumps({"workers": args.workers, "orders_rps": round(orders["rps"], 1),
                      "noop_rps": round(base["rps"], 1), "ratio": round(ratio, 4),
                      "p99_ms": round(orders["p99_ms"], 1), "turn_ratios": by_turn}))


def _merged(runs: list[dict[str, Any]]) -> dict[str, float]:
    """One load's turns as one: its count over its own time, percentiles over all."""
    ordered = sorted(x for run in runs for x in run["latencies"])
    return {"rps": len(ordered) / sum(run["elapsed"] for run in runs),
            "p50_ms": quantile_ms(ordered, 0.5), "p99_ms": quantile_ms(ordered, 0.99)}


if __name__ == "__main__":
    main()
