"""``quanzi demo`` makes one live campaign of each kind on demo products, once."""

from datetime import timedelta

from sqlalchemy import func, select

from quanzi.campaigns.demo import TARGETS
from quanzi.campaigns.listing import KINDS, CampaignFilter, list_campaigns
from quanzi.campaigns.models import Bargain, FlashSale, GroupBuy, Presale, TieredDeal
from quanzi.catalog.demo import FRESH, demo_supplier_ids
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.demo import load_demo

MODELS = (FlashSale, GroupBuy, Bargain, TieredDeal, Presale)


def rows() -> list[int]:
    with read_session() as session:
        return [session.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS]


def live() -> dict[str, tuple[str, str, int]]:
    with read_session() as session:
        items = list_campaigns(session, CampaignFilter(status="live", on_shelf_only=True),
                               now=clock.now(), limit=100)
    return {i.kind: (i.title, i.spec, i.supplier_id) for i in items}


def test_one_live_campaign_of_each_kind_and_none_more_on_a_second_run():
    first = load_demo()
    second = load_demo()

    assert first.campaigns is not None and second.campaigns is not None
    assert (first.campaigns.created, second.campaigns.created) == (5, 0)
    assert second.campaigns.live == 5
    assert rows() == [1, 1, 1, 1, 1]
    fresh = demo_supplier_ids()[FRESH]
    assert live() == {kind: (*TARGETS[kind], fresh) for kind in KINDS}
    assert "0 new campaigns" in second.describe()


def test_a_run_after_the_windows_ended_brings_each_kind_back():
    load_demo()
    clock.advance(timedelta(days=9))  # flash sale, tiered deal and deposit window are over
    assert set(live()) == {"group_buy", "bargain"}

    again = load_demo()

    assert again.campaigns is not None and again.campaigns.created == 3
    assert set(live()) == set(KINDS)
    assert rows() == [2, 1, 1, 2, 2]
