"""Campaign orders are attributed like ``POST /orders`` (issue #10, item 7): the body's
``share_code``, else the share cookie a click on a promoter's link left, else a binding;
and the promoter's commission accrues when the order is paid. Over the API, the flash
sale's bare route included, for every kind of campaign."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from quanzi.campaigns import buying
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.referral import clicks, redirect, services, shares
from quanzi.referral.models import Commission, CustomerBinding
from quanzi.referral.schemas import ConfigIn
from tests.factories import ADDRESS, auth, make_user, pay
from tests.referral.conftest import approved_promoter
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)

Buy = Callable[[TestClient, dict[str, str], str], Any]


@pytest.fixture(autouse=True)
def _clicks() -> Iterator[None]:
    redirect.forget_rules()
    yield
    clicks.buffer.close()
    redirect.forget_rules()


def _post(client: TestClient, url: str, headers: dict[str, str], key: str,
          body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json=body, headers={**headers, "Idempotency-Key": key})
    assert response.status_code == 201, response.text
    answer = response.json()
    return answer["order"] if "group_id" in answer else answer


def _click(client: TestClient, code: str) -> None:
    """The buyer opens the promoter's share link: the share cookies land in the client."""
    opened = client.get(f"/s/{code}", follow_redirects=False)
    assert opened.status_code == 302 and "qz_share" in client.cookies
    clicks.buffer.flush()


def _campaign(kind: str) -> tuple[str, int, Callable[..., dict[str, Any]]]:
    """A campaign of ``kind``: (the share's campaign kind, its id, buy(client, headers,
    key, **body) → the order)."""
    given = data.goods()
    if kind == "flash_sale":
        sale = data.flash(given)
        return "flash_sale", sale, lambda c, h, k, **b: _post(
            c, f"/api/v1/flash-sales/{sale}/buy", h, k, {"quantity": 1, "address": ADDRESS, **b})
    if kind == "group_open":
        deal = data.group_buy(given)
        return "group_buy", deal, lambda c, h, k, **b: _post(
            c, f"/api/v1/group-buys/{deal}/groups", h, k, {"address": ADDRESS, **b})
    if kind == "group_join":
        seat = buying.open_group(group_buy_id=data.group_buy(given), user_id=make_user().id,
                                 address=ADDRESS, share_code=None, idempotency_key="open")
        group = seat.group_id
        return "group", group, lambda c, h, k, **b: _post(
            c, f"/api/v1/groups/{group}/join", h, k, {"address": ADDRESS, **b})
    if kind == "tiered":
        deal = data.tiered(given)
        return "tiered", deal, lambda c, h, k, **b: _post(
            c, f"/api/v1/tiered-deals/{deal}/join", h, k,
            {"quantity": 1, "address": ADDRESS, **b})
    if kind == "presale":
        presale = data.presale(given)
        return "presale", presale, lambda c, h, k, **b: _post(
            c, f"/api/v1/presales/{presale}/orders", h, k,
            {"quantity": 1, "address": ADDRESS, **b})
    bargain = data.bargain(given)
    return "bargain", bargain, lambda c, h, k, **b: _bargain_buy(c, h, k, bargain, **b)


def _bargain_buy(client: TestClient, headers: dict[str, str], key: str, bargain: int,
                 **body: Any) -> dict[str, Any]:
    """The buyer starts a run of the bargain and buys it at once (the start price)."""
    started = client.post(f"/api/v1/bargains/{bargain}/start", headers=headers)
    assert started.status_code == 201, started.text
    run = started.json()["bargain_run_id"]
    return _post(client, f"/api/v1/bargain-runs/{run}/buy", headers, key,
                 {"address": ADDRESS, **body})


def _commissions(order_id: int) -> list[tuple[int, int, str]]:
    with read_session() as session:
        rows = session.execute(select(Commission.beneficiary_id, Commission.level,
                                      Commission.status)
                               .where(Commission.order_id == order_id)).all()
    return [tuple(row) for row in rows]


def _pay_in_full(client: TestClient, headers: dict[str, str], order: dict[str, Any]) -> None:
    """Pay the order; a presale's deposit first, then its balance in the balance window."""
    paid = pay(client, headers, order["id"])
    if paid["status"] == "deposit_paid":
        clock.advance(timedelta(days=2, minutes=1))
        paid = pay(client, headers, order["id"])
    assert paid["status"] == "paid"


KINDS = ["flash_sale", "group_open", "group_join", "bargain", "tiered", "presale"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_click_on_the_share_link_credits_the_campaign_order(client, kind):
    clock.freeze()
    target_kind, target_id, buy = _campaign(kind)
    promoter = approved_promoter()
    code = shares.create_share(promoter_user_id=promoter.id, campaign_kind=target_kind,
                               campaign_id=target_id).code
    buyer = auth(make_user())
    _click(client, code)

    order = buy(client, buyer, "buy-1")

    assert order["attribution"]["promoter_id"] == promoter.id
    assert order["attribution"]["share_code"] == code
    assert _commissions(order["id"]) == []
    _pay_in_full(client, buyer, order)
    assert _commissions(order["id"]) == [(promoter.id, 1, "pending")]


@pytest.mark.parametrize("kind", KINDS)
def test_the_body_share_code_wins_over_the_cookie(client, kind):
    target_kind, target_id, buy = _campaign(kind)
    clicked, named = approved_promoter(), approved_promoter()
    code_clicked, code_named = (
        shares.create_share(promoter_user_id=p.id, campaign_kind=target_kind,
                            campaign_id=target_id).code for p in (clicked, named))
    buyer = auth(make_user())
    _click(client, code_clicked)

    order = buy(client, buyer, "buy-1", share_code=code_named)

    assert order["attribution"]["promoter_id"] == named.id


def test_the_bargain_buy_takes_a_share_code_without_any_cookie(client):
    _, bargain, buy = _campaign("bargain")
    promoter = approved_promoter()
    code = shares.create_share(promoter_user_id=promoter.id, campaign_kind="bargain",
                               campaign_id=bargain).code
    buyer = auth(make_user())

    order = buy(client, buyer, "buy-1", share_code=code)

    assert order["attribution"]["promoter_id"] == promoter.id
    assert "qz_share" not in client.cookies


def test_without_a_share_a_campaign_order_is_nobody_s(client):
    _, _, buy = _campaign("group_open")
    order = buy(client, auth(make_user()), "buy-1")
    assert order["attribution"] is None
    with read_session() as session:
        assert session.scalar(select(Order.attribution)) is None


def test_under_the_binding_policy_the_first_promoter_keeps_the_campaign_buyer(client):
    """The cookie names the later share; the visitor cookie finds the first click, so
    the binding (锁粉) goes to the promoter who brought the buyer first."""
    services.save_config(ConfigIn(attribution_policy="binding", binding_days=30))
    clock.freeze()
    target_kind, target_id, buy = _campaign("group_open")
    first, later = approved_promoter(), approved_promoter()
    code_first, code_later = (
        shares.create_share(promoter_user_id=p.id, campaign_kind=target_kind,
                            campaign_id=target_id).code for p in (first, later))
    buyer_user = make_user()
    _click(client, code_first)
    clock.advance(timedelta(hours=1))
    _click(client, code_later)

    order = buy(client, auth(buyer_user), "buy-1")

    assert order["attribution"]["promoter_id"] == first.id
    with read_session() as session:
        bound = session.execute(select(CustomerBinding.user_id, CustomerBinding.promoter_id,
                                       CustomerBinding.visitor_id)).all()
    assert bound == [(buyer_user.id, first.id, client.cookies["qz_vid"])]


def test_a_cookie_that_is_no_share_code_is_ignored(client):
    _, _, buy = _campaign("flash_sale")
    client.cookies.set("qz_share", "../../etc/passwd")
    client.cookies.set("qz_vid", "x" * 300)
    order = buy(client, auth(make_user()), "buy-1")
    assert order["attribution"] is None

