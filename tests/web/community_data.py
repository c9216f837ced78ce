"""The people and goods of community buying's page tests, made through the services: a
supplier of groceries with its staff, an operator, a leader running a live point in
杭州 西湖区 (with coordinates), a buyer who chose that point and paid an order in the open
batch, a cut-off batch and a dispatched one."""

from dataclasses import dataclass
from datetime import timedelta

from quanzi.accounts.identity import Identity
from quanzi.accounts.schemas import UserOut
from quanzi.community import batches, cutoff, leaders
from quanzi.community.schemas import BatchCreate, PointIn
from quanzi.core import clock
from tests.community.helpers import order, pay
from tests.factories import make_product, make_supplier, make_user


@dataclass(frozen=True)
class Community:
    operator: UserOut
    supplier: UserOut
    supplier_id: int
    skus: list[int]
    leader: UserOut
    point_id: int
    application_id: int


def point_in(name: str, community: str, lat: float | None = None,
             lng: float | None = None) -> PointIn:
    return PointIn(name=name, province="浙江省", city="杭州市", district="西湖区",
                   community=community, address=f"{community} 3 幢一楼", lat=lat, lng=lng,
                   opening_hours="08:00-21:00")


def groceries(supplier_name: str = "鲜蔬直供") -> tuple[int, UserOut, list[int]]:
    """A supplier with two SKUs (上海青 ¥3.50, 土鸡蛋 ¥32.00) and its staff member."""
    supplier_id = make_supplier(supplier_name)
    greens = make_product(supplier_id, [("500g", 350, 1000)], title="新鲜上海青",
                          category="蔬菜")
    eggs = make_product(supplier_id, [("30枚", 3200, 1000)], title="农家土鸡蛋",
                        category="蔬菜")
    return supplier_id, make_user("supplier", supplier_id=supplier_id), [*greens, *eggs]


def community() -> Community:
    operator = make_user("operator", name="运营小王")
    supplier_id, staff, skus = groceries()
    leader = make_user(name="李团长")
    applied = leaders.apply(user_id=leader.id,
                            point=point_in("阳光家园便利店", "阳光家园", 30.2790, 120.1290))
    approved = leaders.approve(operator_id=operator.id, application_id=applied.id)
    assert approved.pickup_point_id is not None
    return Community(operator, staff, supplier_id, skus, leader, approved.pickup_point_id,
                     applied.id)


def batch(given: Community, *, hours: float = 24, title: str = "明日达") -> int:
    """A batch of the SKUs open now (上海青 ¥2.90, 土鸡蛋 ¥28.80), leader's rate 8 %."""
    now = clock.now()
    made = batches.create_batch(
        actor=Identity(given.operator.id, ("operator",)), data=BatchCreate(
            title=title, opens_at=now - timedelta(minutes=1),
            cuts_off_at=now + timedelta(hours=hours),
            pickup_from=now + timedelta(hours=hours + 12), leader_rate_bps=800,
            items=[{"sku_id": given.skus[0], "price_fen": 290, "stock": 100},
                   {"sku_id": given.skus[1], "price_fen": 2880, "stock": 50}]))
    return made.id


def paid_batch_order(given: Community, buyer_id: int, batch_id: int) -> int:
    placed = order(buyer_id, batch_id, given.point_id, [(given.skus[0], 2)])
    pay(buyer_id, placed.id)
    return placed.id


def cut_and_dispatched(given: Community, buyer_id: int) -> tuple[int, int]:
    """Two batches with a paid order each, past their cut-off: one left ``cut_off``, the
    other ``dispatched`` (the clock moves 2 minutes)."""
    cut, sent = (batch(given, hours=1 / 60, title=t) for t in ("周三团", "周二团"))
    for batch_id in (cut, sent):
        paid_batch_order(given, buyer_id, batch_id)
    clock.advance(timedelta(minutes=2))
    assert cutoff.cut_off_due() == 2
    batches.dispatch(actor=Identity(given.operator.id, ("operator",)), batch_id=sent)
    return cut, sent


def chosen_buyer(given: Community, name: str = "张三") -> UserOut:
    buyer = make_user(name=name)
    leaders.choose_point(user_id=buyer.id, point_id=given.point_id)
    return buyer


def coverage_ids(*, supplier_id: int, sku_id: int, buyer: UserOut, friend: UserOut,
                 leader: UserOut) -> dict[str, object]:
    """What tests/web/test_api_coverage.py needs of community buying, for the supplier
    of ``sku_id`` (list price ¥30.00): the leader's live point and a second one paused, an
    application to decide, an open batch in which ``buyer`` (who chose the point) paid an
    order, a batch cut off and one dispatched (the clock moves 2 minutes)."""
    ops = make_user("operator")
    point_id = _approved(ops.id, leader.id, point_in("果园自提点", "阳光家园", 30.2790, 120.1290))
    paused = _approved(ops.id, leader.id, point_in("果园二号点", "翠苑一区"))
    leaders.pause(leader_id=leader.id, point_id=paused)
    application = leaders.apply(user_id=make_user(name="申请团长").id,
                                point=point_in("古荡驿站", "古荡新村")).id
    given = Community(ops, buyer, supplier_id, [sku_id, sku_id], leader, point_id, application)
    leaders.choose_point(user_id=buyer.id, point_id=point_id)
    open_batch = _one_item_batch(given, hours=24, title="果园团")
    batch_order = paid_batch_order(given, buyer.id, open_batch)
    cut, sent = _one_item_batch(given, hours=1 / 60, title="周三团"), \
        _one_item_batch(given, hours=1 / 60, title="周二团")
    for batch_id in (cut, sent):
        paid_batch_order(given, friend.id, batch_id)
    clock.advance(timedelta(minutes=2))
    assert cutoff.cut_off_due() == 2
    batches.dispatch(actor=Identity(ops.id, ("operator",)), batch_id=sent)
    return {"point": point_id, "paused_point": paused, "application": application,
            "batch": open_batch, "batch_order": batch_order, "cut_batch": cut,
            "sent_batch": sent}


def _approved(operator_id: int, user_id: int, point: PointIn) -> int:
    approved = leaders.approve(operator_id=operator_id,
                               application_id=leaders.apply(user_id=user_id, point=point).id)
    assert approved.pickup_point_id is not None
    return approved.pickup_point_id


def _one_item_batch(given: Community, *, hours: float, title: str) -> int:
    now = clock.now()
    return batches.create_batch(
        actor=Identity(given.operator.id, ("operator",)), data=BatchCreate(
            title=title, opens_at=now - timedelta(minutes=1),
            cuts_off_at=now + timedelta(hours=hours),
            pickup_from=now + timedelta(hours=hours + 12), leader_rate_bps=800,
            items=[{"sku_id": given.skus[0], "price_fen": 2500, "stock": 100}])).id
