"""Promoter applications, approval, rejection, invite codes; rules and rates over HTTP."""

from sqlalchemy import func, select

from quanzi.accounts.models import User
from quanzi.core.db import read_session
from quanzi.referral.models import CommissionRate, Promoter, ReferralConfig
from tests.factories import auth, make_user, snapshot
from tests.referral.conftest import approved_promoter, invite_code_of, new_product


def _count(model) -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_apply_then_operator_approves_and_role_is_granted(client):
    user, operator = make_user(), make_user("operator")
    applied = client.post("/api/v1/promoters/apply", json={}, headers=auth(user))
    assert applied.status_code == 201  # it creates an application
    assert applied.json()["status"] == "applied"
    assert applied.json()["invite_code"] is None

    approved = client.post(f"/api/v1/promoters/{applied.json()['id']}/approve",
                           headers=auth(operator))

    assert approved.status_code == 200
    body = approved.json()
    assert body["id"] == applied.json()["id"] and body["status"] == "approved"
    assert len(body["invite_code"]) == 8
    with read_session() as session:
        assert "promoter" in session.get_one(User, user.id).roles
    me = client.get("/api/v1/me/promoter", headers=auth(user))
    assert me.json()["status"] == "approved"


def test_apply_needs_sign_in_and_never_a_payment(client):
    assert client.post("/api/v1/promoters/apply", json={}).status_code == 401
    response = client.post("/api/v1/promoters/apply", json={"entry_fee_fen": 9900},
                           headers=auth(make_user()))
    assert response.status_code == 422
    assert _count(Promoter) == 0


def test_applying_twice_is_409(client):
    headers = auth(make_user())
    assert client.post("/api/v1/promoters/apply", json={}, headers=headers).status_code == 201
    again = client.post("/api/v1/promoters/apply", json={}, headers=headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_applied"
    assert _count(Promoter) == 1


def test_invite_code_sets_the_inviter_once(client):
    inviter = approved_promoter()
    headers = auth(make_user())
    response = client.post("/api/v1/promoters/apply",
                           json={"invite_code": invite_code_of(inviter).lower()}, headers=headers)
    assert response.status_code == 201
    assert response.json()["inviter_id"] == inviter.id


def test_unknown_invite_code_is_422_and_creates_nothing(client):
    response = client.post("/api/v1/promoters/apply", json={"invite_code": "NOPE2345"},
                           headers=auth(make_user()))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_invite_code"
    assert _count(Promoter) == 0


def test_an_applicants_code_is_not_valid_until_approved(client):
    pending = make_user()
    client.post("/api/v1/promoters/apply", json={}, headers=auth(pending))
    with read_session() as session:
        code = session.scalars(select(Promoter.invite_code)).one()
    applicant = auth(make_user())
    before = snapshot()
    response = client.post("/api/v1/promoters/apply", json={"invite_code": code},
                           headers=applicant)
    assert response.status_code == 422
    assert snapshot() == before


def test_reject_with_reason_then_reapply_keeps_the_inviter(client):
    inviter = approved_promoter()
    user, operator = make_user(), make_user("operator")
    applied = client.post("/api/v1/promoters/apply", json={"invite_code": invite_code_of(inviter)},
                          headers=auth(user)).json()
    rejected = client.post(f"/api/v1/promoters/{applied['id']}/reject",
                           json={"reason": "资料不全"}, headers=auth(operator))
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["reject_reason"] == "资料不全"
    with read_session() as session:
        assert "promoter" not in session.get_one(User, user.id).roles

    again = client.post("/api/v1/promoters/apply", json={}, headers=auth(user))
    assert again.json()["status"] == "applied"
    assert again.json()["inviter_id"] == inviter.id


def test_approve_and_reject_are_operator_only(client):
    applicant = auth(make_user())
    applied = client.post("/api/v1/promoters/apply", json={}, headers=applicant).json()
    url = f"/api/v1/promoters/{applied['id']}"
    assert client.post(f"{url}/approve").status_code == 401
    assert client.post(f"{url}/approve", headers=applicant).status_code == 403
    assert client.post(f"{url}/reject", json={"reason": "x"}, headers=applicant).status_code == 403
    assert client.get("/api/v1/promoters", headers=applicant).status_code == 403
    with read_session() as session:
        assert session.scalars(select(Promoter.status)).one() == "applied"


def test_unknown_promoter_is_404_and_illegal_transitions_409(client):
    operator = auth(make_user("operator"))
    before = snapshot()
    assert client.post("/api/v1/promoters/999/approve", headers=operator).status_code == 404
    assert client.post("/api/v1/promoters/99999999999/approve", headers=operator).status_code == 422
    assert snapshot() == before
    applied = client.post("/api/v1/promoters/apply", json={}, headers=auth(make_user())).json()
    client.post(f"/api/v1/promoters/{applied['id']}/approve", headers=operator)
    before = snapshot()
    again = client.post(f"/api/v1/promoters/{applied['id']}/approve", headers=operator)
    assert again.status_code == 409
    reject = client.post(f"/api/v1/promoters/{applied['id']}/reject", json={"reason": "x"},
                         headers=operator)
    assert reject.status_code == 409
    assert snapshot() == before
    assert before["statuses"]["promoters"] == {applied["id"]: "approved"}


def test_list_promoters_by_status(client):
    operator = auth(make_user("operator"))
    approved_promoter()
    client.post("/api/v1/promoters/apply", json={}, headers=auth(make_user()))
    everyone = client.get("/api/v1/promoters", headers=operator).json()["items"]
    waiting = client.get("/api/v1/promoters?status=applied", headers=operator).json()["items"]
    assert len(everyone) == 2
    assert [p["status"] for p in waiting] == ["applied"]
    assert client.get("/api/v1/promoters?status=bogus", headers=operator).status_code == 422


def test_me_promoter_is_404_before_applying(client):
    response = client.get("/api/v1/me/promoter", headers=auth(make_user()))
    assert response.status_code == 404


def test_auto_approve_by_configuration(client):
    operator = auth(make_user("operator"))
    assert client.put("/api/v1/referral/config", json={"auto_approve": True},
                      headers=operator).status_code == 200
    response = client.post("/api/v1/promoters/apply", json={}, headers=auth(make_user()))
    assert response.json()["status"] == "approved"
    assert response.json()["invite_code"]


# --- rules -----------------------------------------------------------------------------------

def test_config_defaults_and_operator_only(client):
    operator = auth(make_user("operator"))
    response = client.get("/api/v1/referral/config", headers=operator)
    assert response.status_code == 200
    assert response.json() == {"attribution_policy": "last_click", "window_days": 7,
                               "binding_days": 30, "self_purchase_rebate": False,
                               "auto_approve": False, "level1_bp": 1000, "level2_enabled": False,
                               "level2_bp": 0, "cap_bp": 2000, "warning": None}
    stranger = auth(make_user())
    before = snapshot()
    assert client.get("/api/v1/referral/config", headers=stranger).status_code == 403
    assert client.put("/api/v1/referral/config", json={"level1_bp": 1500},
                      headers=stranger).status_code == 403
    assert snapshot() == before
    assert client.get("/api/v1/referral/config", headers=operator).json() == response.json()


def test_every_non_compliant_config_is_refused_over_http_and_changes_nothing(client):
    operator = auth(make_user("operator"))
    for body in ({"level3_enabled": True}, {"level3_bp": 100},
                 {"level1_bp": 500, "level2_enabled": True, "level2_bp": 800},
                 {"cap_bp": 12000}, {"entry_fee_fen": 100}, {"purchase_required": True},
                 {"min_purchase_fen": 9900}, {"recruit_reward_fen": 500}):
        response = client.put("/api/v1/referral/config", json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "non_compliant", body
        assert response.json()["error"]["message"]
    assert _count(ReferralConfig) == 0


def test_turning_level2_on_answers_with_the_warning(client):
    operator = auth(make_user("operator"))
    response = client.put("/api/v1/referral/config",
                          json={"level2_enabled": True, "level2_bp": 300}, headers=operator)
    assert response.status_code == 200
    body = response.json()
    assert body["level2_enabled"] is True and body["level2_bp"] == 300
    assert "《禁止传销条例》" in body["warning"] and "Chongqing" in body["warning"]
    assert body["level1_bp"] == 1000  # untouched fields stay


def test_config_rejects_absurd_input(client):
    operator = auth(make_user("operator"))
    assert client.put("/api/v1/referral/config", json={"window_days": 3},
                      headers=operator).status_code == 200
    config = client.get("/api/v1/referral/config", headers=operator).json()
    before = snapshot()
    for body in ({"attribution_policy": "first_click"}, {"window_days": 0},
                 {"level1_bp": -1}, {"bogus": 1}):
        assert client.put("/api/v1/referral/config", json=body,
                          headers=operator).status_code == 422
    assert snapshot() == before
    assert client.get("/api/v1/referral/config", headers=operator).json() == config
    assert config["window_days"] == 3


def test_rates_are_replaced_and_validated(client):
    operator = auth(make_user("operator"))
    product_id = new_product()
    rates = {"rates": [{"category": "生鲜", "level1_bp": 800, "level2_bp": 100},
                       {"product_id": product_id, "level1_bp": 1500, "level2_bp": 500}]}
    response = client.put("/api/v1/referral/rates", json=rates, headers=operator)
    assert response.status_code == 200
    assert len(response.json()["rates"]) == 2
    assert client.get("/api/v1/referral/rates", headers=operator).json() == response.json()

    bad = client.put("/api/v1/referral/rates",
                     json={"rates": [{"category": "日用", "level1_bp": 100, "level2_bp": 200}]},
                     headers=operator)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "non_compliant"
    both = client.put("/api/v1/referral/rates",
                      json={"rates": [{"category": "a", "product_id": 1, "level1_bp": 1}]},
                      headers=operator)
    assert both.status_code == 422
    unknown = client.put("/api/v1/referral/rates",
                         json={"rates": [{"product_id": 424242, "level1_bp": 1}]},
                         headers=operator)
    assert unknown.status_code == 422
    assert _count(CommissionRate) == 2
    assert client.put("/api/v1/referral/rates", json={"rates": []},
                      headers=auth(make_user())).status_code == 403
