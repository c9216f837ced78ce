"""Campaigns where shoppers meet them: the home page's 活动 section and the product page's
badges, each linking to the campaign's own page."""

from quanzi.core import clock
from tests.campaigns.listing_data import DAY, HOUR, one_of_each, operator
from tests.factories import make_product, make_supplier

PAGES = {"flash_sale": "/flash/{}", "group_buy": "/group-buys/{}", "bargain": "/bargains/{}",
         "tiered": "/tiered/{}", "presale": "/presales/{}"}


def product_of(client, title: str) -> int:
    items = client.get("/api/v1/campaigns").json()["items"]
    return next(i["product_id"] for i in items if i["title"] == title)


def test_the_home_page_lists_live_campaigns_with_links_to_their_pages(client):
    (sku,) = make_product(make_supplier(), [("2kg", 5000, 50)], title="赣南脐橙")
    ids = one_of_each(operator(), sku)

    page = client.get("/").text

    assert 'id="campaigns-title"' in page
    for kind, campaign_id in ids.items():
        assert f'href="{PAGES[kind].format(campaign_id)}"' in page, kind
        assert f'data-testid="campaign-{kind}-{campaign_id}"' in page
    for price in ("¥9.90", "¥10.90", "¥5.90", "¥11.90", "¥12.00", "¥50.00"):
        assert price in page


def test_upcoming_and_ended_campaigns_stay_off_the_home_page(client):
    (sku,) = make_product(make_supplier())
    ended = one_of_each(operator(), sku, start=clock.now() - 3 * DAY)
    upcoming = one_of_each(operator(), sku, start=clock.now() + HOUR)
    page = client.get("/").text
    for kind in ("flash_sale", "tiered", "presale"):
        assert f'data-testid="campaign-{kind}-{ended[kind]}"' not in page
    assert all(f'data-testid="campaign-{k}-{i}"' not in page for k, i in upcoming.items())
    assert f'data-testid="campaign-group_buy-{ended["group_buy"]}"' in page  # open-ended
    assert 'id="campaigns-title"' not in client.get("/?q=脐橙").text


def test_no_campaign_section_without_live_campaigns(client):
    make_product(make_supplier())
    assert 'id="campaigns-title"' not in client.get("/").text


def test_the_product_page_shows_a_badge_with_the_price_for_each_live_campaign(client):
    supplier = make_supplier()
    (sku,) = make_product(supplier, [("2kg", 5000, 50)], title="赣南脐橙")
    make_product(supplier, title="苹果")
    ids = one_of_each(operator(), sku)
    orange = product_of(client, "赣南脐橙")
    page = client.get(f"/p/{orange}").text
    for kind, campaign_id in ids.items():
        assert f'data-testid="badge-{kind}-{campaign_id}"' in page
        assert f'href="{PAGES[kind].format(campaign_id)}"' in page
    for label, price in (("秒杀", "¥9.90"), ("拼团", "¥10.90"), ("砍价", "¥5.90"),
                         ("阶梯团", "¥11.90"), ("预售", "¥12.00")):
        assert (f'<span class="campaign-kind">{label}</span>'
                f'<span class="campaign-badge-price">{price}</span>') in page
    english = client.get(f"/p/{orange}", headers={"Accept-Language": "en"}).text
    assert '<span class="campaign-kind">Flash sale</span>' in english
    apple = orange + 1  # made right after, with no campaign
    assert "campaign-badge" not in client.get(f"/p/{apple}").text


def test_ended_campaigns_lose_their_badge(client):
    (sku,) = make_product(make_supplier(), title="赣南脐橙")
    ids = one_of_each(operator(), sku)
    orange = product_of(client, "赣南脐橙")
    clock.advance(2 * DAY)
    page = client.get(f"/p/{orange}").text
    assert f'data-testid="badge-group_buy-{ids["group_buy"]}"' in page
    assert f'data-testid="badge-flash_sale-{ids["flash_sale"]}"' not in page
