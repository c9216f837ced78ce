"""The role centres without a browser: forms call the same services as the API."""

from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.referral import services as referral
from quanzi.referral.models import Promoter, ReferralConfig
from quanzi.web.kit import i18n
from quanzi.web.kit.labels import LABELS
from quanzi.web.operator.console import FIELD_LABELS
from tests.factories import make_user, snapshot
from tests.web.data import world
from tests.web.helpers import form_post, sign_in


def test_htmx_is_served_from_the_installed_package(client):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200 and "htmx" in response.text[:2000]
    assert response.headers["content-type"].startswith("text/javascript")


def test_operator_approves_a_promoter_by_the_form(client):
    operator = make_user("operator")
    applied = referral.apply(user_id=make_user().id)
    sign_in(client, operator.email)
    assert f'data-testid="promoter-{applied.id}"' in client.get("/operator/promoters").text
    done = form_post(client, "/operator/promoters", f"/operator/promoters/{applied.id}/approve")
    assert done.status_code == 303
    with read_session() as session:
        assert session.get(Promoter, applied.id).status == "approved"


def test_rules_form_shows_every_compliance_error_and_saves_nothing(client):
    sign_in(client, make_user("operator").email)
    refused = form_post(client, "/operator/rules", "/operator/rules",
                        {"level1_bp": "1000", "level2_bp": "3000", "cap_bp": "2000",
                         "window_days": "7", "binding_days": "30",
                         "level3_enabled": "on", "recruit_reward_fen": "500"})
    assert refused.status_code == 422
    assert 'data-testid="compliance-errors"' in refused.text
    for reason in ("不允许第三级佣金", "二级佣金不得高于一级", "不得为拉人头付费"):
        assert reason in refused.text
    with read_session() as session:
        assert session.get(ReferralConfig, 1) is None


def test_non_promoters_cannot_create_shares(client):
    given = world()
    sign_in(client, make_user().email)
    before = snapshot()
    response = form_post(client, f"/p/{given.product_id}", f"/p/{given.product_id}/share")
    assert response.status_code == 403
    assert snapshot() == before


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/orders", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/orders"
    assert client.get("/login?next=//evil.example").text.count('value="//evil') == 0


def test_sandbox_page_is_a_404_in_production(client, monkeypatch):
    sign_in(client, make_user().email)
    monkeypatch.setattr(get_settings(), "env", "production")
    assert client.get("/sandbox/pay/1").status_code == 404


def test_promoter_withdrawal_below_the_minimum_is_refused(client):
    given = world()
    sign_in(client, given.promoter)
    response = form_post(client, "/promoter/wallet", "/promoter/withdraw", {"amount": "0.5"})
    assert response.status_code == 422
    assert "暂无提现记录" in client.get("/promoter/wallet").text


def test_every_label_has_an_english_translation():
    english = i18n.catalog("en")
    wanted = {*LABELS.values(), *FIELD_LABELS.values(), "下单", "付款", "发货", "送达",
              "确认收货", "退款", "结算", "已打款"}
    assert sorted(w for w in wanted if w not in english) == []
