"""The commission rules form takes rates as percentages and keeps basis points."""

from quanzi.core.db import read_session
from quanzi.referral import services as referral
from quanzi.referral.models import ReferralConfig
from tests.factories import make_user
from tests.web.helpers import form_post, sign_in

PAGE = "/operator/rules"


def test_rules_are_typed_as_percentages_and_stored_as_basis_points(client):
    sign_in(client, make_user("operator").email)
    page = client.get(PAGE).text
    assert 'name="level1_pct" value="10"' in page and "一级佣金（%）" in page
    saved = form_post(client, PAGE, PAGE, {"level1_pct": "12.5", "level2_pct": "0",
                                           "cap_pct": "20%", "window_days": "7",
                                           "binding_days": "30"})
    assert saved.status_code == 200 and "已保存。" in saved.text
    with read_session() as session:
        rules = referral.load_rules(session)
    assert (rules.level1_bp, rules.level2_bp, rules.cap_bp) == (1250, 0, 2000)
    assert 'name="level1_pct" value="12.5"' in saved.text


def test_a_rate_that_is_not_a_percentage_is_refused_and_nothing_is_saved(client):
    sign_in(client, make_user("operator").email)
    refused = form_post(client, PAGE, PAGE, {"level1_pct": "十", "window_days": "7",
                                             "binding_days": "30"})
    assert refused.status_code == 422
    assert "一级佣金（%）：须为百分比，最多两位小数（如 12.5）" in refused.text
    under = refused.text.split('name="level1_pct"')[1]
    assert under.startswith(' value="十"') and 'aria-describedby="level1_pct-error"' in under
    assert 'id="level1_pct-error"' in under[:400]  # right under the field, as typed
    with read_session() as session:
        assert session.get(ReferralConfig, 1) is None
