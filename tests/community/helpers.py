"""Building blocks for community tests: leaders with live points, batches, paid orders."""

import itertools
import threading
from datetime import timedelta

from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, leaders, ordering
from quanzi.community.models import Batch
from quanzi.community.schemas import BatchCreate, BatchOrderCreate, PointIn
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import QuanziError
from quanzi.orders import paying, refunds
from quanzi.orders.models import Order, OrderLine
from quanzi.orders.schemas import OrderOut, RefundCreate
from quanzi.payments import services as payments
from tests.campaigns.helpers import signed_in
from tests.factories import make_product, make_supplier

_seq = itertools.count(1)


def operator() -> Identity:
    return Identity(signed_in("operator")[0], ("operator",))


def leader_point(community: str = "阳光家园", *, district: str = "西湖区",
                 lat: float | None = None, lng: float | None = None,
                 ops: Identity | None = None) -> tuple[int, dict[str, str], int]:
    """A user who applied and was approved as a leader: (user id, headers, point id)."""
    user_id, headers = signed_in()
    n = next(_seq)
    applied = leaders.apply(user_id=user_id, point=PointIn(
        name=f"{community}{n}号自提点", province="浙江省", city="杭州市", district=district,
        community=community, address=f"{community}{n}幢架空层", lat=lat, lng=lng,
        opening_hours="08:00-20:00"))
    approved = leaders.approve(operator_id=(ops or operator()).id,
                               application_id=applied.id)
    assert approved.pickup_point_id is not None
    return user_id, headers, approved.pickup_point_id


def supplier_skus(*prices: int, stock: int = 10_000) -> tuple[int, list[int]]:
    """A supplier and one SKU per list price: (supplier id, SKU ids)."""
    supplier_id = make_supplier()
    return supplier_id, make_product(supplier_id, [(f"{p}规格", p, stock) for p in prices],
                                     title=f"蔬菜{next(_seq)}")


def open_batch(sku_ids: list[int], *, price_fen: int = 1000, stock: int = 100,
               minimum: int | None = None, rate_bps: int = 1000, hours: float = 2,
               ops: Identity | None = None) -> int:
    """A batch open now, cutting off in ``hours``: its id."""
    now = clock.now()
    created = batches.create_batch(actor=ops or operator(), data=BatchCreate(
        title=f"明日达{next(_seq)}", opens_at=now - timedelta(minutes=1),
        cuts_off_at=now + timedelta(hours=hours), pickup_from=now + timedelta(hours=hours + 12),
        leader_rate_bps=rate_bps,
        items=[{"sku_id": sku_id, "price_fen": price_fen, "stock": stock,
                "min_qty_per_point": minimum} for sku_id in sku_ids]))
    assert created.status == "open"
    return created.id


def order(buyer_id: int, batch_id: int, point_id: int, items: list[tuple[int, int]],
          key: str | None = None) -> OrderOut:
    return ordering.place_batch_order(
        buyer_id=buyer_id, batch_id=batch_id, idempotency_key=key or f"b{next(_seq)}",
        data=BatchOrderCreate(items=[{"sku_id": s, "quantity": q} for s, q in items],
                              pickup_point_id=point_id))


def pay(buyer_id: int, order_id: int) -> None:
    intent = paying.start_payment(order_id=order_id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key=f"p{next(_seq)}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)


def paid_order(buyer_id: int, batch_id: int, point_id: int,
               items: list[tuple[int, int]]) -> OrderOut:
    placed = order(buyer_id, batch_id, point_id, items)
    pay(buyer_id, placed.id)
    return placed


def buyer() -> int:
    return signed_in()[0]


def dispatched_batch(orders: int = 2, points: int = 1) -> tuple[int, list[Identity], list[int]]:
    """A batch cutting off in 2 h (pickup from 14 h), ``orders`` paid orders at each of
    ``points`` points, cut off and dispatched: (batch id, the leaders, the order ids)."""
    ops = operator()
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], price_fen=1000, rate_bps=1000, ops=ops)
    leading, order_ids = [], []
    for _ in range(points):
        leader_id, _, point_id = leader_point(ops=ops)
        leading.append(Identity(leader_id, ("consumer", "leader")))
        order_ids += [paid_order(buyer(), batch_id, point_id, [(sku, 2)]).id
                      for _ in range(orders)]
    clock.advance(timedelta(hours=2, seconds=1))
    assert cutoff.cut_off_due() == 1
    batches.dispatch(actor=ops, batch_id=batch_id)
    return batch_id, leading, order_ids


def order_row(order_id: int) -> Order:
    with read_session() as session:
        return session.get_one(Order, order_id)


def batch_status(batch_id: int) -> str:
    with read_session() as session:
        return session.get_one(Batch, batch_id).status


def race(*jobs) -> list[object]:  # type: ignore[no-untyped-def]
    start = threading.Barrier(len(jobs))
    results: list[object] = []

    def run(job) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        try:
            results.append(job())
        except QuanziError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def ask_refund(order_id: int, *, reason: str, key: str) -> None:
    """The buyer asks for a refund of one unit of the order's first line."""
    with read_session() as session:
        line_id = session.scalars(select(OrderLine.id).where(OrderLine.order_id == order_id)
                                  .order_by(OrderLine.id).limit(1)).one()
    refunds.request_refund(
        actor=Identity(order_row(order_id).buyer_id), order_id=order_id, idempotency_key=key,
        data=RefundCreate(lines=[{"line_id": line_id, "quantity": 1}], reason=reason))
