"""The operator's commission rates per category (/operator/rates): shown beside the defaults,
saved through save_rates (product overrides kept), refused rows shown next to their row with
nothing saved, operators only; and a saved category rate is what the promoter earns."""

from sqlalchemy import select

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.orders import paying
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.payments import services as payments
from quanzi.referral import services as referral
from quanzi.referral import shares
from quanzi.referral.models import Commission
from quanzi.referral.schemas import ConfigIn, RateIn, RatesIn
from tests.factories import ADDRESS, make_product, make_supplier, make_user
from tests.web.helpers import form_post, sign_in

PAGE = "/operator/rates"


def _catalog() -> tuple[int, int]:
    """Two products of ¥100.00, one 水果 and one 蔬菜; returns their SKU ids."""
    supplier = make_supplier()
    (fruit,) = make_product(supplier, [("1箱", 10000, 50)], title="脐橙", category="水果")
    (veg,) = make_product(supplier, [("1箱", 10000, 50)], title="上海青", category="蔬菜")
    return fruit, veg


def _product_of(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id


def _stored() -> list[tuple[str | None, int | None, int, int]]:
    with read_session() as session:
        return [(r.category, r.product_id, r.level1_bp, r.level2_bp)
                for r in referral.rates_out(session).rates]


def test_the_page_shows_the_defaults_and_one_row_per_category(client):
    _catalog()
    referral.save_config(ConfigIn(level1_bp=1200, cap_bp=3000))
    referral.save_rates(RatesIn(rates=[RateIn(category="水果", level1_bp=1500, level2_bp=100),
                                       RateIn(category="旧分类", level1_bp=800)]))
    sign_in(client, make_user("operator").email)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert "一级佣金 12.00%" in html and "30.00%" in html
    assert 'data-testid="rate-水果"' in html and 'data-testid="rate-蔬菜"' in html
    assert 'name="level1_pct:水果" value="15"' in html  # percentages: 1500 bp is 15%
    assert 'name="level2_pct:水果" value="1"' in html
    assert 'name="level1_pct:蔬菜" value=""' in html
    assert 'data-testid="rate-旧分类"' in html and "暂无在售商品" in html
    assert 'href="/operator/rates"' in client.get("/operator/rules").text
    english = client.get(PAGE, headers={"Accept-Language": "en"}).text
    assert "Category rates" in english and "Default rates" in english


def test_saving_replaces_category_rates_and_keeps_product_rates(client):
    fruit, _ = _catalog()
    product_id = _product_of(fruit)
    referral.save_rates(RatesIn(rates=[RateIn(product_id=product_id, level1_bp=3000),
                                       RateIn(category="蔬菜", level1_bp=900)]))
    sign_in(client, make_user("operator").email)
    assert 'data-testid="product-rates"' in client.get(PAGE).text
    saved = form_post(client, PAGE, PAGE, {"level1_pct:水果": "15", "level2_pct:水果": "5",
                                           "level1_pct:蔬菜": "", "level2_pct:蔬菜": ""})
    assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE}?saved=1"
    assert sorted(_stored(), key=str) == sorted(
        [("水果", None, 1500, 500), (None, product_id, 3000, 0)], key=str)
    after = client.get(saved.headers["location"]).text
    assert "已保存。" in after and 'name="level1_pct:水果" value="15"' in after


def test_a_rate_breaking_a_rule_is_shown_by_its_row_and_nothing_is_saved(client):
    _catalog()
    before = [RateIn(category="水果", level1_bp=1000), RateIn(category="蔬菜", level1_bp=700)]
    referral.save_rates(RatesIn(rates=before))
    sign_in(client, make_user("operator").email)
    refused = form_post(client, PAGE, PAGE, {"level1_pct:水果": "5", "level2_pct:水果": "8",
                                             "level1_pct:蔬菜": "200", "level2_pct:蔬菜": ""})
    assert refused.status_code == 422
    html = refused.text
    assert 'data-testid="rates-problem"' in html and "有佣金率不合规，未保存。" in html
    fruit_problem = html.split('data-testid="rate-problem-水果">')[1].split("</p>")[0]
    assert "二级佣金不得高于一级" in fruit_problem
    veg_problem = html.split('data-testid="rate-problem-蔬菜">')[1].split("</p>")[0]
    assert "不得超过 100%" in veg_problem
    assert 'name="level2_pct:水果" value="8"' in html  # the values entered are kept
    assert 'name="level1_pct:蔬菜" value="200"' in html
    assert _stored() == [("水果", None, 1000, 0), ("蔬菜", None, 700, 0)]


def test_malformed_rates_are_named_and_nothing_is_saved(client):
    _catalog()
    referral.save_rates(RatesIn(rates=[RateIn(category="水果", level1_bp=1000)]))
    sign_in(client, make_user("operator").email)
    cases = [({"level1_pct:水果": "", "level2_pct:水果": "1"}, "一级佣金（%）：必填"),
             ({"level1_pct:水果": "12.345"}, "须为百分比"),
             ({"level1_pct:水果": "-5"}, "须为百分比"),
             ({"level1_pct:水果": "二十"}, "须为百分比"),
             ({"level1_pct:水果": "20000"}, "超出允许的范围")]
    for data, reason in cases:
        response = form_post(client, PAGE, PAGE, data)
        assert response.status_code == 422, data
        assert reason in response.text.split('data-testid="rate-problem-水果">')[1], data
    english = form_post(client, PAGE, PAGE, {"level1_pct:水果": "x"},
                        headers={"Accept-Language": "en"})
    assert english.status_code == 422 and "must be a percentage" in english.text
    assert _stored() == [("水果", None, 1000, 0)]


def test_a_rate_may_be_typed_with_decimals_or_a_percent_sign_or_posted_in_basis_points(client):
    _catalog()
    sign_in(client, make_user("operator").email)
    saved = form_post(client, PAGE, PAGE, {"level1_pct:水果": "12.5%", "level2_pct:水果": "0.05"})
    assert saved.status_code == 303 and _stored() == [("水果", None, 1250, 5)]
    assert 'name="level1_pct:水果" value="12.5"' in client.get(PAGE).text
    in_bp = form_post(client, PAGE, PAGE, {"level1_bp:水果": "1500", "level2_bp:水果": "500"})
    assert in_bp.status_code == 303 and _stored() == [("水果", None, 1500, 500)]


def test_only_operators_see_or_change_the_rates(client):
    _catalog()
    anonymous = client.get(PAGE, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    sign_in(client, make_user().email)
    assert client.get(PAGE).status_code == 403
    supplier = make_user("supplier", supplier_id=make_supplier())
    sign_in(client, supplier.email)
    assert form_post(client, "/supplier", PAGE, {"level1_bp:水果": "1500"}).status_code == 403
    sign_in(client, make_user("operator").email)
    assert client.post(PAGE, data={"level1_bp:水果": "1500"}).status_code == 403  # no CSRF
    assert _stored() == []


def _buy(buyer_id: int, sku: int, code: str, key: str) -> int:
    order = place_order(buyer_id=buyer_id, idempotency_key=key, data=OrderCreate.model_validate(
        {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS, "share_code": code}))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key=f"p{key}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)
    return int(order.id)


def test_a_category_rate_saved_on_the_page_is_what_the_promoter_earns(client):
    fruit, veg = _catalog()
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    sign_in(client, make_user("operator").email)
    assert form_post(client, PAGE, PAGE, {"level1_bp:水果": "1500"}).status_code == 303
    promoter = make_user()
    applied = referral.apply(user_id=promoter.id)
    referral.approve(operator_id=0, promoter_id=applied.id)
    buyer = make_user()
    earned = {}
    for name, sku in (("水果", fruit), ("蔬菜", veg)):
        code = shares.create_share(promoter_user_id=promoter.id,
                                   product_id=_product_of(sku)).code
        order_id = _buy(buyer.id, sku, code, name)
        with read_session() as session:
            row = session.scalars(select(Commission).where(Commission.order_id == order_id)).one()
        earned[name] = (row.beneficiary_id, row.level, row.rate_bp, row.amount_fen)
    assert earned == {"水果": (promoter.id, 1, 1500, 1500),   # the category's rate
                      "蔬菜": (promoter.id, 1, 1000, 1000)}   # the default
