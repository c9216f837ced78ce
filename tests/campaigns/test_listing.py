"""The list of every campaign kind: prices, statuses as the clock moves, filters, order,
and a query count that does not grow with the campaigns."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from quanzi.campaigns import services
from quanzi.campaigns.listing import KINDS, CampaignFilter, list_campaigns
from quanzi.campaigns.schemas import CampaignItem, GroupBuyCreate
from quanzi.catalog.schemas import ProductUpdate
from quanzi.catalog.services import update_product
from quanzi.core import clock
from quanzi.core.db import get_db, read_session
from tests.campaigns.listing_data import DAY, HOUR, one_of_each, operator
from tests.factories import make_product, make_supplier


def listed(limit: int = 100, **filters: object) -> list[CampaignItem]:
    with read_session() as session:
        return list_campaigns(session, CampaignFilter(**filters),  # type: ignore[arg-type]
                              now=clock.now(), limit=limit)


def statuses(**filters: object) -> dict[str, str]:
    return {item.kind: item.status for item in listed(**filters)}


def test_every_kind_is_listed_with_its_price_and_the_skus_list_price():
    supplier = make_supplier()
    (sku,) = make_product(supplier, [("1kg", 1290, 100)], title="赣南脐橙")
    ids = one_of_each(operator(), sku)

    items = {item.kind: item for item in listed()}

    assert set(items) == set(KINDS)
    assert {k: (i.id, i.price_fen) for k, i in items.items()} == {
        "flash_sale": (ids["flash_sale"], 990), "group_buy": (ids["group_buy"], 1090),
        "bargain": (ids["bargain"], 590), "tiered": (ids["tiered"], 1190),
        "presale": (ids["presale"], 1200)}
    assert {(i.sku_id, i.supplier_id, i.title, i.spec, i.list_price_fen, i.status)
            for i in items.values()} == {(sku, supplier, "赣南脐橙", "1kg", 1290, "live")}
    assert items["group_buy"].group_size == 3 and items["group_buy"].ends_at is None
    assert items["presale"].deposit_fen == 100
    assert items["flash_sale"].ends_at == items["flash_sale"].starts_at + DAY


def test_statuses_follow_the_clock():
    (sku,) = make_product(make_supplier())
    one_of_each(operator(), sku, start=clock.now() + HOUR)
    assert set(statuses().values()) == {"upcoming"}
    assert listed(status="live") == []

    clock.advance(2 * HOUR)
    assert set(statuses().values()) == {"live"}

    clock.advance(DAY)
    assert statuses() == {"flash_sale": "ended", "tiered": "ended", "presale": "ended",
                          "group_buy": "live", "bargain": "live"}
    assert sorted(i.kind for i in listed(status="ended")) == ["flash_sale", "presale",
                                                              "tiered"]
    assert sorted(i.kind for i in listed(status="live")) == ["bargain", "group_buy"]
    assert listed(status="upcoming") == []


def test_a_group_buy_with_an_end_is_ended_from_then_on():
    (sku,) = make_product(make_supplier())
    now = clock.now()
    services.create_group_buy(by=operator(), data=GroupBuyCreate(
        sku_id=sku, price_fen=990, group_size=2, duration_s=3600, starts_at=now,
        ends_at=now + HOUR))
    assert statuses() == {"group_buy": "live"}
    clock.advance(HOUR)
    assert statuses() == {"group_buy": "ended"}


def test_filters_by_kind_product_supplier_and_shelf():
    by = operator()
    mine, theirs = make_supplier(), make_supplier()
    (apple,) = make_product(mine, title="苹果")
    (pear,) = make_product(mine, title="梨")
    (rice,) = make_product(theirs, title="大米")
    for sku in (apple, pear, rice):
        one_of_each(by, sku)
    apple_product = listed(kind="flash_sale", limit=100)
    product_of = {i.sku_id: i.product_id for i in apple_product}

    assert {i.title for i in listed(supplier_id=mine)} == {"苹果", "梨"}
    assert {i.title for i in listed(supplier_id=theirs)} == {"大米"}
    assert {(i.kind, i.title) for i in listed(product_id=product_of[pear])} == {
        (kind, "梨") for kind in KINDS}
    assert {(i.kind, i.title) for i in listed(kind="bargain", supplier_id=mine)} == {
        ("bargain", "苹果"), ("bargain", "梨")}
    assert listed(supplier_id=theirs + mine + 1) == []

    update_product(actor=by, product_id=product_of[pear], data=ProductUpdate(on_shelf=False))
    assert {i.title for i in listed(on_shelf_only=True)} == {"苹果", "大米"}
    assert {i.title for i in listed(supplier_id=mine)} == {"苹果", "梨"}  # the console


def test_live_ending_soonest_first_then_upcoming_then_ended_and_bounded():
    (sku,) = make_product(make_supplier())
    by = operator()
    old = one_of_each(by, sku, start=clock.now() - 3 * DAY)      # flash/tiered/presale ended
    soon = one_of_each(by, sku, start=clock.now() - 2 * HOUR)    # all live
    later = one_of_each(by, sku, start=clock.now() + HOUR)       # all upcoming

    order = [(i.kind, i.id) for i in listed()]

    live_ending = [(k, soon[k]) for k in ("flash_sale", "tiered", "presale")]
    open_ended = [(k, ids[k]) for ids in (soon, old) for k in ("group_buy", "bargain")]
    assert order[:3] == live_ending
    assert sorted(order[3:7]) == sorted(open_ended)
    assert order[7:12] == [(k, later[k]) for k in KINDS]
    assert order[12:] == [(k, old[k]) for k in ("flash_sale", "tiered", "presale")]
    assert [(i.kind, i.id) for i in listed(limit=4)] == order[:4]
    assert len(listed(limit=1000)) == 15  # capped at 100, there are 15


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []
    engines = get_db().engines

    def record(conn, cursor, statement, params, context, executemany):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def test_one_query_per_kind_and_one_for_the_skus_however_many_campaigns():
    by = operator()
    skus = [make_product(make_supplier())[0] for _ in range(4)]
    one_of_each(by, skus[0])
    with counting() as few:
        assert len(listed()) == 5
    for sku in skus[1:]:
        one_of_each(by, sku)
    with counting() as many:
        assert len(listed(supplier_id=None)) == 20
    assert len(many) == len(few) <= len(KINDS) + 1
    with counting() as one_kind:
        assert len(listed(kind="presale")) == 4
    assert len(one_kind) <= 2
