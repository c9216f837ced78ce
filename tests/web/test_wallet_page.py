"""The wallet page (/me/wallet) of promoters and leaders: the balance, withdrawing through
the form (POST /api/v1/me/withdrawals' service), refusals in the reader's language with
nothing withdrawn, and who may not."""

import pytest

from quanzi.core.db import read_session, transaction
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import wallet_account
from quanzi.ledger.models import Payout
from tests.factories import PASSWORD, make_user, snapshot
from tests.web.data import world
from tests.web.helpers import csrf_of, form_post, sign_in


def _leader_with(fen: int) -> tuple[str, int]:
    """A leader whose wallet holds ``fen``. Leaders' own commission (community group buying)
    is not built yet, so the money is posted as settlement posts a wallet's share."""
    leader = make_user("leader", name="团长")
    with transaction() as session:
        ledger.post(session, kind="settlement", ref="test:leader", dedupe_key=f"test:{leader.id}",
                    postings=[("platform_revenue", -fen), (wallet_account(leader.id), fen)])
    return leader.email or "", leader.id


def _withdrawals(user_id: int) -> list[tuple[int, str]]:
    with read_session() as session:
        rows = session.query(Payout).filter(Payout.account == wallet_account(user_id))
        return [(p.amount_fen, p.status) for p in rows.order_by(Payout.id)]


def test_a_leader_withdraws_from_the_wallet_page(client):
    login, leader_id = _leader_with(5000)
    sign_in(client, login)
    home = client.get("/").text
    assert 'href="/me/wallet"' in home  # the leader's way to the wallet
    page = client.get("/me/wallet").text
    assert "¥50.00" in page and "暂无提现记录" in page
    sent = form_post(client, "/me/wallet", "/me/withdrawals", {"amount": "12.34", "key": "w1"})
    assert sent.status_code == 303 and sent.headers["location"] == "/me/wallet"
    assert _withdrawals(leader_id) == [(1234, "requested")]
    page = client.get("/me/wallet").text
    assert 'data-testid="wallet-available">¥37.66<' in page
    assert 'data-testid="wallet-withdrawing">¥12.34<' in page
    assert "待处理" in page


def test_the_same_form_sent_twice_withdraws_once(client):
    login, leader_id = _leader_with(5000)
    sign_in(client, login)
    for _ in range(2):
        form_post(client, "/me/wallet", "/me/withdrawals", {"amount": "10", "key": "same"})
    assert _withdrawals(leader_id) == [(1000, "requested")]


def test_more_than_available_is_refused_on_the_page_in_chinese_and_english(client):
    login, leader_id = _leader_with(5000)
    sign_in(client, login)
    refused = form_post(client, "/me/wallet", "/me/withdrawals", {"amount": "60.00"})
    assert refused.status_code == 409
    assert 'data-testid="withdraw-error">可用余额不足（可用 ¥50.00）<' in refused.text
    assert 'value="60.00"' in refused.text  # the amount is kept
    client.cookies.set("lang", "en")
    refused = form_post(client, "/me/wallet", "/me/withdrawals", {"amount": "60.00"})
    assert refused.status_code == 409
    assert "Not enough balance available (¥50.00 available)." in refused.text
    assert _withdrawals(leader_id) == []


def test_a_bad_amount_is_a_422_and_withdraws_nothing(client):
    login, leader_id = _leader_with(5000)
    sign_in(client, login)
    for amount, says in (("abc", "请输入金额，如 12.34"), ("0.5", "单笔提现至少")):
        refused = form_post(client, "/me/wallet", "/me/withdrawals", {"amount": amount})
        assert refused.status_code == 422 and says in refused.text, amount
    assert _withdrawals(leader_id) == []


def test_a_promoter_has_the_same_page_and_the_old_address_leads_there(client):
    given = world()
    sign_in(client, given.promoter)
    moved = client.get("/promoter/wallet", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/me/wallet"
    page = client.get("/me/wallet").text
    assert 'action="/me/withdrawals"' in page and 'href="/promoter"' in page


def test_consumers_have_no_wallet_page_and_visitors_sign_in_first(client):
    sign_in(client, make_user().email or "")
    assert client.get("/me/wallet").status_code == 403
    token = csrf_of(client.get("/").text)
    before = snapshot()
    refused = client.post("/me/withdrawals", data={"amount": "1", "csrf_token": token})
    assert refused.status_code == 403
    assert snapshot() == before
    client.cookies.clear()
    response = client.get("/me/wallet", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/me/wallet"


def test_a_withdrawal_without_the_csrf_token_is_refused(client):
    login, leader_id = _leader_with(5000)
    sign_in(client, login)
    refused = client.post("/me/withdrawals", data={"amount": "10"}, follow_redirects=False)
    assert refused.status_code == 403
    assert _withdrawals(leader_id) == []


@pytest.mark.browser
def test_a_leader_withdraws_in_the_browser(visitor):
    login, leader_id = _leader_with(5000)
    person = visitor()
    person.sign_in(login, PASSWORD)
    with person.page.expect_navigation():
        person.page.click("nav.topnav a[href='/me/wallet']")
    assert person.page.text_content("[data-testid=wallet-available]") == "¥50.00"
    person.page.fill("input[name=amount]", "20")
    with person.page.expect_navigation():
        person.page.click("[data-testid=withdraw-form] button[type=submit]")
    assert person.page.text_content("[data-testid=wallet-available]") == "¥30.00"
    assert person.page.text_content("[data-testid=wallet-withdrawing]") == "¥20.00"
    assert person.scroll_width() <= 375 and person.errors == []
    person.shot("leader-withdrawal")
    assert _withdrawals(leader_id) == [(2000, "requested")]
