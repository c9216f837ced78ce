"""Posters of campaign shares show the campaign: its goods, kind and campaign price. A
bargain run's price falls with each help (a product's price may change too), so every
poster is cached by what it shows and browsers revalidate it by ETag."""

import io

from PIL import Image
from sqlalchemy import update

from quanzi.campaigns import services as campaigns
from quanzi.core.config import get_settings
from quanzi.core.db import read_session, transaction
from quanzi.core.money import format_fen
from quanzi.referral import poster, shares
from quanzi.referral.models import Share
from tests.factories import make_user
from tests.referral.conftest import approved_promoter
from tests.web import campaign_data
from tests.web.campaign_data import clean_redis  # noqa: F401 (fixture)


def _share(kind: str, campaign_id: int) -> str:
    promoter = approved_promoter(name="小美")
    return shares.create_share(promoter_user_id=promoter.id, campaign_kind=kind,
                               campaign_id=campaign_id).code


def _data(code: str) -> poster.PosterData:
    with read_session() as session:
        return poster.poster_data(session, code)


def _png(client, code: str) -> bytes:
    response = client.get(f"/api/v1/shares/{code}/poster.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (poster.WIDTH, poster.HEIGHT)
    return response.content


def _cached(code: str) -> list[str]:
    folder = get_settings().data_dir / "posters"
    return sorted(path.name for path in folder.glob(f"{code}*.png"))


def test_a_flash_sale_poster_shows_the_sale_price_and_is_cached(client):
    code = _share("flash_sale", campaign_data.flash(campaign_data.goods()))
    data = _data(code)
    assert (data.title, data.label, data.price_text) == ("阳光玫瑰葡萄", "秒杀", "秒杀价 ¥19.90")
    assert (data.sharer, data.note) == ("小美", None)
    assert data.url.endswith(f"/s/{code}")
    png = _png(client, code)
    (cached,) = _cached(code)
    assert cached.startswith(f"{code}-")
    assert (get_settings().data_dir / "posters" / cached).read_bytes() == png


def test_a_group_poster_says_how_many_make_the_group():
    given = campaign_data.goods()
    group_buy_id = campaign_data.group_buy(given, size=3)
    data = _data(_share("group_buy", group_buy_id))
    assert (data.label, data.price_text) == ("拼团", "3人团 ¥29.90")


def test_each_kind_has_its_label_and_price_words():
    pages = campaign_data.every_page()
    expected = {"bargain": ("bargain", "砍价", "最低砍至 ¥10.00"),
                "tiered": ("tiered", "阶梯团", "阶梯团价 ¥45.00"),
                "presale": ("presale", "预售", "预售价 ¥45.00"),
                "group": ("group", "拼团", "3人团 ¥29.90")}
    for kind, (page, label, price) in expected.items():
        data = _data(_share(kind, int(pages[page].rsplit("/", 1)[1])))
        assert (data.label, data.price_text) == (label, price), kind


def test_a_bargain_run_poster_shows_the_current_price_and_the_cuts_to_go(client):
    bargain_id = campaign_data.bargain(campaign_data.goods(), helps=2)
    owner = make_user()
    run = campaigns.start_bargain(bargain_id=bargain_id, user_id=owner.id)
    code = _share("bargain_run", run.bargain_run_id)
    data = _data(code)
    started = format_fen(run.current_price_fen)  # less the starter's own first cut
    assert (data.label, data.price_text, data.note) == ("砍价", f"当前价 {started}", "还差 2 刀")
    first = _png(client, code)
    assert _png(client, code) == first
    (cached,) = _cached(code)
    assert cached != f"{code}.png" and cached.startswith(f"{code}-")

    cut = campaigns.help_bargain(run_id=run.bargain_run_id, helper_id=make_user().id)
    data = _data(code)
    assert data.price_text == f"当前价 {format_fen(cut.current_price_fen)}"
    assert data.price_fen == run.current_price_fen - cut.cut_fen and data.note == "还差 1 刀"
    second = _png(client, code)
    assert second != first
    assert _cached(code) != [cached] and len(_cached(code)) == 1  # the old one is gone

    campaigns.help_bargain(run_id=run.bargain_run_id, helper_id=make_user().id)
    data = _data(code)
    assert (data.price_text, data.note) == ("当前价 ¥10.00", "已砍到底价")


def test_a_poster_is_drawn_once_per_content(client, monkeypatch):
    bargain_id = campaign_data.bargain(campaign_data.goods(), helps=2)
    run = campaigns.start_bargain(bargain_id=bargain_id, user_id=make_user().id)
    code = _share("bargain_run", run.bargain_run_id)
    drawn = []
    real_render = poster.render
    monkeypatch.setattr(poster, "render", lambda data, font: drawn.append(data)
                        or real_render(data, font))
    _png(client, code)
    _png(client, code)
    assert len(drawn) == 1
    campaigns.help_bargain(run_id=run.bargain_run_id, helper_id=make_user().id)
    _png(client, code)
    assert len(drawn) == 2 and drawn[1].note == "还差 1 刀"


def test_the_poster_of_a_share_whose_campaign_is_gone_is_404(client):
    code = _share("presale", campaign_data.presale(campaign_data.goods()))
    with transaction() as session:  # a share row left over from a campaign since removed
        session.execute(update(Share).where(Share.code == code).values(target_id=987654))
    response = client.get(f"/api/v1/shares/{code}/poster.png")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_campaign"
    assert _cached(code) == []


def test_browsers_revalidate_posters_and_get_304_while_unchanged(client):
    bargain_id = campaign_data.bargain(campaign_data.goods(), helps=2)
    run = campaigns.start_bargain(bargain_id=bargain_id, user_id=make_user().id)
    code = _share("bargain_run", run.bargain_run_id)
    url = f"/api/v1/shares/{code}/poster.png"
    first = client.get(url)
    assert first.headers["cache-control"] == "no-cache"
    etag = first.headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    campaigns.help_bargain(run_id=run.bargain_run_id, helper_id=make_user().id)
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag
    assert moved.content != first.content


def test_a_product_poster_follows_a_price_change(client):
    from quanzi.catalog.models import Sku
    from tests.referral.conftest import new_product

    product_id = new_product(price_fen=1290)
    code = shares.create_share(promoter_user_id=approved_promoter(name="小美").id,
                               product_id=product_id).code
    first = _png(client, code)
    with transaction() as session:
        session.execute(update(Sku).where(Sku.product_id == product_id).values(price_fen=990))
    assert _data(code).price_text == "¥9.90"
    assert _png(client, code) != first
    assert len(_cached(code)) == 1
