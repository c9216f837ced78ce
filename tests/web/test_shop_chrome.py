"""The phone shop chrome (issue #14, the buyer's path) without a browser: the bottom tab
bar, the sticky buy bar on product, campaign and checkout pages, 加入购物车 over htmx
(a toast and the cart's badge), the quantity stepper, the home strip's countdowns and a
flash bar that shows what is taken."""

from fastapi.testclient import TestClient

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from tests.factories import make_user
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import csrf_of, sign_in


def _product_of(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id


def test_the_home_page_has_the_tab_bar_and_the_strip_counts_down(client):
    data.flash(data.goods())
    page = client.get("/").text
    tabs = page.split('data-testid="tabbar"', 1)[1].split("</nav>", 1)[0]
    assert [t in tabs for t in ("首页", "分类", "购物车", "我的")] == [True] * 4
    assert 'href="/" aria-current="page"' in tabs and 'href="/login"' in tabs
    clock = page.split('data-testid="strip-clock"', 1)[1]
    seconds = int(clock.split('data-countdown="', 1)[1].split('"', 1)[0])
    assert "距结束" in clock and 7130 <= seconds <= 7140  # 2 h from 1 min ago
    assert 'data-testid="buybar"' not in page


def test_a_product_page_has_the_buy_bar_with_its_price_and_a_stepper(client):
    given = data.goods()
    product_id = _product_of(given.sku_id)
    page = client.get(f"/p/{product_id}").text
    assert 'data-testid="tabbar"' not in page
    bar = page.split('data-testid="buybar"', 1)[1].split("</div>", 1)[0]
    assert 'data-testid="buybar-price">¥50.00<' in bar
    assert 'form="buy-form" formaction="/buy" data-testid="buybar-button">立即购买<' in bar
    assert 'data-step="-1"' in page and 'data-step="1"' in page
    assert 'hx-post="/cart/add" hx-target="#toast"' in page


def test_a_product_led_by_a_campaign_has_the_campaign_in_its_bar(client):
    given = data.goods()
    sale = data.flash(given)
    page = client.get(f"/p/{_product_of(given.sku_id)}").text
    bar = page.split('data-testid="buybar"', 1)[1].split("</div>", 1)[0]
    assert "¥19.90" in bar and f'href="/flash/{sale}#buy"' in bar and "立即抢购" in bar
    alone = bar.split('data-testid="buybar-alone"', 1)[1].split("</button>", 1)[0]
    assert 'form="buy-form" formaction="/buy"' in bar and "¥50.00" in alone and "单独购买" in alone
    assert 'class="actions actions--lead bar-twin"' in page  # the page's pair: its twin


def test_adding_to_the_cart_over_htmx_answers_a_toast_and_the_badge(client):
    product_id = _product_of(data.goods().sku_id)
    page = client.get(f"/p/{product_id}").text
    with read_session() as session:
        sku_id = session.query(Sku).filter_by(product_id=product_id).one().id
    form = {"csrf_token": csrf_of(page), "product_id": product_id, "sku_id": sku_id,
            "quantity": 2}
    added = client.post("/cart/add", data=form, headers={"HX-Request": "true"})
    assert added.status_code == 200 and 'data-testid="toast">已加入购物车<' in added.text
    assert 'id="cart-badge" data-testid="cart-badge" hx-swap-oob="true">2<' in added.text
    assert client.cookies["qz_cart"] == f"{product_id}-{sku_id}-2"
    assert 'data-testid="cart-badge">2<' in client.get("/").text  # items, not lines
    again = client.post("/cart/add", data={**form, "quantity": 1}, headers={"HX-Request": "true"})
    assert 'hx-swap-oob="true">3<' in again.text
    plain = client.post("/cart/add", data=form, follow_redirects=False)  # without htmx
    assert (plain.status_code, plain.headers["location"]) == (303, "/cart")


def test_campaign_and_checkout_pages_have_the_buy_bar(client):
    pages = data.every_page()
    sign_in(client, make_user().email or "")
    wanted = {"flash": ("¥19.90", 'form="buy"', "立即抢购"),
              "group_buy": ("¥29.90", 'form="buy"', "开团"),
              "group": ("¥29.90", 'form="buy"', "参团"),
              "tiered": ("¥45.00", 'form="buy"', "参团"),
              "presale": ("¥10.00", 'form="buy"', "付定金"),
              "run": ("", 'form="help"', "帮砍一刀")}
    for name, parts in wanted.items():
        page = client.get(pages[name]).text
        bar = page.split('data-testid="buybar"', 1)[1].split("</div>", 1)[0]
        assert all(part in bar for part in parts), (name, bar)
        assert 'data-testid="tabbar"' not in page, name
    product_id = _product_of(data.goods().sku_id)
    with read_session() as session:
        sku_id = session.query(Sku).filter_by(product_id=product_id).one().id
    checkout = client.get(f"/checkout?product={product_id}&sku={sku_id}&qty=2").text
    bar = checkout.split('data-testid="buybar"', 1)[1].split("</div>", 1)[0]
    assert "¥100.00" in bar and 'form="checkout-form"' in bar and "提交订单" in bar


def test_a_flash_bar_that_starts_full_reads_as_nothing_taken(client: TestClient):
    sale = data.flash(data.goods(), stock=5)
    page = client.get(f"/flash/{sale}").text
    assert 'style="width: 0%" data-testid="sold-bar"' in page
    assert 'data-testid="sold-percent">已抢 0%<' in page
    english = client.get(f"/flash/{sale}", headers={"Accept-Language": "en"}).text
    assert "0% taken" in english
