"""Building blocks for community tests: leaders with live points, batches, paid orders."""

import itertools
from datetime import timedelta

from quanzi.accounts.identity import Identity
from quanzi.community import batches, leaders, ordering
from quanzi.community.schemas import BatchCreate, BatchOrderCreate, PointIn
from quanzi.core import clock
from quanzi.orders import paying
from quanzi.orders.schemas import OrderOut
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
