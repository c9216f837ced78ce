"""The campaign pages' buy buttons attribute their orders as the API does (issue #10,
item 7): a buyer who opened a promoter's share link and then buys through the page's
form gets an order credited to that promoter; without a browser (TestClient)."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from quanzi.campaigns import buying
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.referral import clicks, redirect, services, shares
from quanzi.referral.models import CustomerBinding
from quanzi.referral.schemas import ConfigIn
from tests.factories import ADDRESS, make_user
from tests.referral.conftest import approved_promoter
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import csrf_of, form_post, sign_in


@pytest.fixture(autouse=True)
def _clicks() -> Iterator[None]:
    redirect.forget_rules()
    yield
    clicks.buffer.close()
    redirect.forget_rules()


def _buyer(app) -> tuple[TestClient, int]:  # type: ignore[no-untyped-def]
    user = make_user()
    browser = TestClient(app)
    sign_in(browser, user.email or "")
    return browser, user.id


def _click(browser: TestClient, promoter_id: int, kind: str, target_id: int) -> None:
    code = shares.create_share(promoter_user_id=promoter_id, campaign_kind=kind,
                               campaign_id=target_id).code
    assert browser.get(f"/s/{code}", follow_redirects=False).status_code == 302
    clicks.buffer.flush()


def _buy(browser: TestClient, page: str, action: str, **extra: object) -> None:
    html = browser.get(page).text
    key = html.split('name="key" value="', 1)[1].split('"', 1)[0]
    response = browser.post(action, data={**ADDRESS, "key": key, "csrf_token": csrf_of(html),
                                          **extra}, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"].startswith("/sandbox/pay/")


def _attributed_to(buyer_id: int) -> dict[str, int | None]:
    """The buyer's orders by kind → the promoter credited."""
    with read_session() as session:
        rows = session.execute(select(Order.kind, Order.attribution)
                               .where(Order.buyer_id == buyer_id)).all()
    return {kind: (attribution or {}).get("promoter_id") for kind, attribution in rows}


def test_every_buy_button_credits_the_promoter_whose_link_was_opened(app):
    given = data.goods(stock=1000)
    promoter = approved_promoter()
    browser, buyer_id = _buyer(app)
    sale, deal, tiered, presale = (data.flash(given), data.group_buy(given),
                                   data.tiered(given), data.presale(given))
    seat = buying.open_group(group_buy_id=data.group_buy(given), user_id=make_user().id,
                             address=ADDRESS, share_code=None, idempotency_key="open")
    bargain = data.bargain(given)
    buys = [("flash_sale", sale, f"/flash/{sale}", f"/flash/{sale}/buy", {}),
            ("group_buy", deal, f"/group-buys/{deal}", f"/group-buys/{deal}/open", {}),
            ("group", seat.group_id, f"/groups/{seat.group_id}",
             f"/groups/{seat.group_id}/join", {}),
            ("tiered", tiered, f"/tiered/{tiered}", f"/tiered/{tiered}/join", {}),
            ("presale", presale, f"/presales/{presale}", f"/presales/{presale}/order",
             {"rule_ok": "1"})]
    for kind, target, page, action, extra in buys:
        _click(browser, promoter.id, kind, target)
        _buy(browser, page, action, **extra)
    _click(browser, promoter.id, "bargain", bargain)
    started = form_post(browser, f"/bargains/{bargain}", f"/bargains/{bargain}/start")
    run_page = started.headers["location"]
    _buy(browser, run_page, f"{run_page}/buy")

    assert _attributed_to(buyer_id) == {
        "flash_sale": promoter.id, "group_buy": promoter.id, "tiered": promoter.id,
        "presale": promoter.id, "bargain": promoter.id}
    with read_session() as session:
        assert session.scalar(select(Order.attribution).where(
            Order.buyer_id == buyer_id, Order.campaign_ref == f"group:{seat.group_id}")
        )["promoter_id"] == promoter.id


def test_a_page_buy_keeps_the_binding_of_the_first_promoter(app):
    """The page hands the visitor cookie on too: under the binding policy (锁粉) the first
    promoter's click wins over the share cookie of a later one."""
    services.save_config(ConfigIn(attribution_policy="binding", binding_days=30))
    clock.freeze()
    deal = data.group_buy(data.goods())
    first, later = approved_promoter(), approved_promoter()
    browser, buyer_id = _buyer(app)
    _click(browser, first.id, "group_buy", deal)
    clock.advance(timedelta(hours=1))
    _click(browser, later.id, "group_buy", deal)

    _buy(browser, f"/group-buys/{deal}", f"/group-buys/{deal}/open")

    assert _attributed_to(buyer_id) == {"group_buy": first.id}
    with read_session() as session:
        assert session.scalars(select(CustomerBinding.promoter_id)).all() == [first.id]
