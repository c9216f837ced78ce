"""The promoter's 选品中心: products with 赚¥X at the current rates, one tap to the 小铺 or
the share sheet (which says what a sale earns), and 我的分享 naming what was shared."""

from quanzi.core.db import read_session
from quanzi.referral import picker, shares, shops
from quanzi.referral import services as referral
from quanzi.referral.schemas import RateIn, RatesIn, ShopIn
from tests.factories import make_product, make_supplier
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.data import world
from tests.web.helpers import csrf_of, form_post, sign_in


def test_the_picker_lists_what_one_item_earns_at_the_current_rates(client):
    given = world()  # 赣南脐橙 ¥50.00, 水果, default level 1 = 10%
    make_product(make_supplier("茶园"), [("500g", 12800, 5)], title="明前龙井",
                                category="茶叶")
    referral.save_rates(RatesIn(rates=[RateIn(category="茶叶", level1_bp=1500, level2_bp=0)]))
    sign_in(client, given.promoter)
    page = client.get("/promoter/picker").text
    assert f'data-testid="earn-{given.product_id}">赚¥5.00<' in page
    assert "明前龙井" in page and ">赚¥19.20<" in page  # 15% of ¥128.00
    searched = client.get("/promoter/picker?q=龙井").text
    assert "明前龙井" in searched and "赣南脐橙" not in searched



def test_one_tap_adds_to_the_shop_and_opens_it_first(client):
    given = world()
    sign_in(client, given.promoter)
    page = client.get("/promoter/picker")
    added = client.post(f"/promoter/picker/{given.product_id}/add",
                        data={"csrf_token": csrf_of(page.text)},
                        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)})
    assert added.status_code == 200 and f'data-testid="in-shop-{given.product_id}"' in added.text
    again = client.post(f"/promoter/picker/{given.product_id}/add",
                        data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert again.status_code == 303
    with read_session() as session:
        shop = shops.my_shop(session, given.promoter_id)
    assert shop.name == "小美的小铺" and [i.product_id for i in shop.items] == [given.product_id]
    assert f'data-testid="in-shop-{given.product_id}"' in client.get("/promoter/picker").text


def test_adding_a_product_not_on_sale_changes_nothing(client):
    given = world()
    sign_in(client, given.promoter)
    refused = form_post(client, "/promoter/picker", "/promoter/picker/999999/add")
    assert refused.status_code == 422
    with read_session() as session:
        assert picker.picker(session, given.promoter_id).items[0].in_shop is False
    shop = client.get("/promoter/shop").text
    assert "去选品中心添加商品" in shop


def test_the_share_sheet_says_what_a_sale_earns(client):
    given = world()
    sign_in(client, given.promoter)
    page = client.get("/promoter/picker")
    sheet = client.post(f"/promoter/picker/{given.product_id}/share",
                        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)})
    assert 'data-testid="share-sheet"' in sheet.text
    assert "每卖出一件，你赚" in sheet.text and "¥5.00" in sheet.text
    product = client.get(f"/p/{given.product_id}")
    token = csrf_of(product.text)
    from_product = client.post(f"/p/{given.product_id}/share",
                               headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert "¥5.00" in from_product.text
    assert client.get("/promoter/picker").text.count('id="share"') == 1


def test_my_shares_name_the_product_the_shop_and_the_campaign(client):
    given = world()
    shops.save_shop(promoter_user_id=given.promoter_id, data=ShopIn(name="小美优选"))
    shares.create_share(promoter_user_id=given.promoter_id, product_id=given.product_id)
    sale = data.flash(data.goods())
    shares.create_share(promoter_user_id=given.promoter_id, campaign_kind="flash_sale",
                        campaign_id=sale)
    sign_in(client, given.promoter)
    page = client.get("/promoter").text
    assert "赣南脐橙</a>" in page and "小铺 · 小美优选" in page and "秒杀 · 阳光玫瑰葡萄" in page
    assert "#1<" not in page and 'href="/promoter/picker"' in page
