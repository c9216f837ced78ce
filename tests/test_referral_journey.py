"""Issue "social distribution", end to end through the API with a moved clock.

A promoter is approved, shares a product; one friend opens the link, another pastes
the token; both buy and pay; after the return window the sharer's commission and (with
level 2 on) the inviter's are in their wallets; a withdrawal is approved and paid; the
ledger balances.
"""

from datetime import timedelta

from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders.settlement import settle_due
from quanzi.referral import clicks, redirect
from tests.factories import ADDRESS, auth, make_product, make_supplier, make_user, pay


def _order(client, headers, sku, quantity, key, **extra):
    response = client.post("/api/v1/orders", headers={**headers, "Idempotency-Key": key},
                           json={"items": [{"sku_id": sku, "quantity": quantity}],
                                 "address": ADDRESS, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_share_click_buy_settle_withdraw(client):
    redirect.forget_rules()
    operator_user = make_user("operator")
    operator = auth(operator_user)
    config = client.put("/api/v1/referral/config", headers=operator,
                        json={"level1_bp": 1000, "level2_enabled": True, "level2_bp": 300,
                              "cap_bp": 2000})
    assert config.status_code == 200, config.text
    assert "传销" in config.json()["warning"]

    supplier_id = make_supplier("鲜果园", fee_bp=500)
    (sku,) = make_product(supplier_id, [("2kg", 5000, 20)], title="赣南脐橙")
    product_id = client.get("/api/v1/products", params={"q": "脐橙"}).json()["items"][0]["id"]

    inviter_user = make_user(name="阿花")
    inviter = auth(inviter_user)
    applied = client.post("/api/v1/promoters/apply", headers=inviter, json={}).json()
    invite_code = client.post(f"/api/v1/promoters/{applied['id']}/approve",
                              headers=operator).json()["invite_code"]
    sharer_user = make_user(name="小美")
    sharer = auth(sharer_user)
    applied = client.post("/api/v1/promoters/apply", headers=sharer,
                          json={"invite_code": invite_code}).json()
    assert client.post(f"/api/v1/promoters/{applied['id']}/approve",
                       headers=operator).json()["status"] == "approved"
    sharer = auth(sharer_user)  # the new role is on the user: sign in again

    share = client.post("/api/v1/shares", headers=sharer, json={"product_id": product_id})
    assert share.status_code == 201, share.text
    share = share.json()
    assert share["url"] == f"/s/{share['code']}" and share["token"] == f"￥{share['code']}￥"

    # friend 1 opens the link in WeChat, then buys (the app passes the share code)
    friend1_user = make_user(name="朋友一")
    friend1 = auth(friend1_user)
    opened = client.get(share["url"], follow_redirects=False,
                        headers={"User-Agent": "Mozilla/5.0 MicroMessenger/8.0"})
    assert opened.status_code == 302 and opened.headers["location"] == f"/p/{product_id}"
    clicks.buffer.flush()
    order1 = _order(client, friend1, sku, 2, "o1", share_code=share["code"])
    assert order1["attribution"]["promoter_id"] == sharer_user.id
    assert order1["attribution"]["inviter_id"] == inviter_user.id

    # friend 2 pastes the token from a chat
    friend2_user = make_user(name="朋友二")
    friend2 = auth(friend2_user)
    resolved = client.post("/api/v1/shares/resolve",
                           json={"text": f"【圈子】赣南脐橙 {share['token']} 复制打开"})
    assert resolved.json()["code"] == share["code"]
    order2 = _order(client, friend2, sku, 1, "o2", share_code=resolved.json()["code"])

    for headers, order in ((friend1, order1), (friend2, order2)):
        pay(client, headers, order["id"])
    commissions = client.get("/api/v1/me/commissions", headers=sharer).json()["items"]
    assert sorted((c["level"], c["amount_fen"], c["status"]) for c in commissions) == [
        (1, 500, "pending"), (1, 1000, "pending")]
    inviter_view = client.get("/api/v1/me/commissions", headers=inviter).json()["items"]
    assert sorted(c["amount_fen"] for c in inviter_view) == [150, 300]
    assert all(c["level"] == 2 for c in inviter_view)
    wallet = client.get("/api/v1/me/wallet", headers=sharer).json()
    assert wallet == {"available_fen": 0, "pending_fen": 1500, "balance_fen": 0,
                      "withdrawing_fen": 0}

    staff = auth(make_user("supplier", supplier_id=supplier_id))
    for headers, order in ((friend1, order1), (friend2, order2)):
        client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                    json={"carrier": "顺丰", "tracking_no": "SF100200300"})
        assert client.post(f"/api/v1/orders/{order['id']}/confirm",
                           headers=headers).json()["status"] == "completed"

    clock.advance(timedelta(days=7, minutes=1))
    assert settle_due() == 2
    sharer, inviter, operator = auth(sharer_user), auth(inviter_user), auth(operator_user)
    # 15000 fen sold: level 1 = 10% = 1500, level 2 = 3% = 450, fee 5% = 750
    assert client.get("/api/v1/me/wallet", headers=sharer).json()["available_fen"] == 1500
    assert client.get("/api/v1/me/wallet", headers=inviter).json()["available_fen"] == 450
    with read_session() as session:
        balances = dict(ledger.balances(session))
    assert balances[f"supplier:{supplier_id}"] == 15000 - 750 - 1500 - 450
    assert balances["platform_revenue"] == 750 and balances["escrow"] == 0

    withdrawal = client.post("/api/v1/me/withdrawals", json={"amount_fen": 1500},
                             headers={**sharer, "Idempotency-Key": "w1"})
    assert withdrawal.status_code == 201, withdrawal.text
    too_much = client.post("/api/v1/me/withdrawals", json={"amount_fen": 100},
                           headers={**sharer, "Idempotency-Key": "w2"})
    assert too_much.status_code == 409
    wid = withdrawal.json()["id"]
    assert client.post(f"/api/v1/payouts/{wid}/approve", headers=operator,
                       json={}).json()["status"] == "approved"
    assert client.post(f"/api/v1/payouts/{wid}/paid", headers=operator).json()["status"] == "paid"
    assert client.get("/api/v1/me/wallet", headers=sharer).json()["balance_fen"] == 0

    trial = client.get("/api/v1/ledger/trial-balance", headers=operator).json()
    assert trial["total_debits_fen"] == trial["total_credits_fen"]
    assert sum(a["balance_fen"] for a in trial["accounts"]) == 0

    stats = client.get("/api/v1/me/referral/stats", headers=sharer).json()
    assert stats["orders"] == 2 and stats["gmv_fen"] == 15000
