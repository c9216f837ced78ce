"""Demo community buying: three pickup points in one city, each with its leader, and an
open batch of groceries from the demo fresh-food supplier.

``load_demo_community(operator=…, leader_ids=[…], supplier_id=…)`` runs after the demo
catalog and users exist. Safe to run any number of times: a leader's point is made only
when they lead none, and a batch only when no demo batch takes orders now.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.catalog.queries import ProductFilter
from quanzi.community import batches, domain, leaders
from quanzi.community.models import Batch, PickupPoint
from quanzi.community.schemas import BatchCreate, BatchItemIn, PointIn
from quanzi.core import clock
from quanzi.core.db import read_session

BATCH_TITLE = "明日达 社区团购"
# (name, community, address, lat, lng) in 杭州市 西湖区, a few hundred metres apart
POINTS = [
    ("阳光家园3幢便利店", "阳光家园", "文三路 388 号 3 幢一楼", 30.2790, 120.1290),
    ("翠苑一区菜鸟驿站", "翠苑一区", "翠苑路 12 号", 30.2862, 120.1335),
    ("古荡新村社区服务站", "古荡新村", "古墩路 66 号 东门", 30.2811, 120.1182),
]
# (demo product title, SKU spec, batch price fen, stock taken from the SKU's, minimum per
# point)
GROCERIES = [
    ("新鲜上海青", "500g", 290, 60, None),
    ("云南小土豆", "2.5kg", 990, 40, None),
    ("山东沙瓤西红柿", "500g", 350, 50, None),
    ("农家散养土鸡蛋", "30枚", 2880, 30, 2),
]


@dataclass(frozen=True)
class CommunitySummary:
    points_created: int
    batch_created: bool


def load_demo_community(*, operator: Identity, leader_ids: list[int],
                        supplier_id: int) -> CommunitySummary:
    made = sum(_point(operator, leader_id, *point)
               for leader_id, point in zip(leader_ids, POINTS, strict=False))
    return CommunitySummary(points_created=made, batch_created=_batch(operator, supplier_id))


def _point(operator: Identity, leader_id: int, name: str, community: str, address: str,
           lat: float, lng: float) -> bool:
    with read_session() as session:
        if session.scalar(select(PickupPoint.id).where(PickupPoint.leader_id == leader_id)):
            return False
    applied = leaders.apply(user_id=leader_id, point=PointIn(
        name=name, province="浙江省", city="杭州市", district="西湖区", community=community,
        address=address, lat=lat, lng=lng, opening_hours="08:00-21:00"))
    leaders.approve(operator_id=operator.id, application_id=applied.id)
    return True


def _batch(operator: Identity, supplier_id: int) -> bool:
    now = clock.now()
    with read_session() as session:
        if session.scalar(select(Batch.id).where(
                Batch.title == BATCH_TITLE, Batch.status.in_(domain.SELLING),
                Batch.cuts_off_at > now)):
            return False
        products = catalog.list_products(session, ProductFilter(supplier_id=supplier_id),
                                          limit=100).items
    skus = {(p.title, sku.spec): sku.id for p in products for sku in p.skus}
    items = [BatchItemIn(sku_id=skus[(title, spec)], price_fen=price, stock=stock,
                         min_qty_per_point=minimum)
             for title, spec, price, stock, minimum in GROCERIES if (title, spec) in skus]
    if not items:
        return False
    batches.create_batch(actor=operator, data=BatchCreate(
        title=BATCH_TITLE, opens_at=now, cuts_off_at=now + timedelta(days=1),
        pickup_from=now + timedelta(days=1, hours=12), leader_rate_bps=800, items=items))
    return True
