"""People and accounts named on the operator's pages: 推客审核 with name, masked phone and
inviter; the trial balance with each ledger account's Chinese name and owner."""

import pytest

from quanzi.accounts import services as accounts
from quanzi.core.db import read_session, transaction
from quanzi.ledger import services as ledger
from quanzi.referral import queries
from quanzi.referral import services as referral
from quanzi.web.kit.templating import masked_phone
from tests.factories import PASSWORD, make_supplier, make_user
from tests.web.helpers import sign_in


@pytest.mark.parametrize(("phone", "shown"), [("13800138000", "138****8000"), (None, ""),
                                              ("1234567", "1******")])
def test_a_phone_is_masked(phone, shown):
    assert masked_phone(phone) == shown


def test_promoter_review_names_the_applicant_and_who_invited_them(client):
    operator = make_user("operator")
    inviter = accounts.create_user(name="小美", password=PASSWORD, phone="13912345678")
    referral.approve(operator_id=operator.id,
                     promoter_id=referral.apply(user_id=inviter.id).id)
    with read_session() as session:
        code = queries.my_promoter(session, inviter.id).invite_code
    applicant = accounts.create_user(name="阿强", password=PASSWORD, phone="13800138000")
    applied = referral.apply(user_id=applicant.id, invite_code=code)
    alone = referral.apply(user_id=make_user(name="独行侠").id)
    sign_in(client, operator.email)
    page = client.get("/operator/promoters").text
    card = page.split(f'data-testid="promoter-{applied.id}"')[1].split("</form>")[0]
    assert '<strong data-testid="promoter-name">阿强</strong>' in card
    assert '<span data-testid="promoter-phone">138****8000</span>' in card
    assert "13800138000" not in page and "邀请人: 小美 139****5678" in card
    assert f"#{applicant.id}" not in card
    other = page.split(f'data-testid="promoter-{alone.id}"')[1].split("</form>")[0]
    assert "独行侠" in other and "自己申请，无邀请人" in other


@pytest.mark.ledger_unchecked  # postings with no orders behind them
def test_ledger_accounts_read_as_chinese_names_with_their_owners(client):
    supplier_id = make_supplier("鲜果园")
    promoter = make_user(name="小美")
    with transaction() as session:
        ledger.post(session, kind="payment", ref="t:1", dedupe_key="t:1", memo="test",
                    postings=[("external", -10000), ("escrow", 10000)])
        ledger.post(session, kind="settlement", ref="t:2", dedupe_key="t:2", memo="test",
                    postings=[("escrow", -10000), (f"supplier:{supplier_id}", 8000),
                              (f"wallet:{promoter.id}", 1000), ("platform_revenue", 1000)])
    sign_in(client, make_user("operator").email)
    page = client.get("/operator/ledger").text
    for code, name in (("escrow", "担保账户"), ("external", "外部"),
                       ("platform_revenue", "平台收入"),
                       (f"supplier:{supplier_id}", "供应商:鲜果园"),
                       (f"wallet:{promoter.id}", "钱包:小美")):
        assert f'data-testid="account-{code}"><td>{name} <span' in page, code
    english = client.get("/operator/ledger", headers={"Accept-Language": "en"}).text
    assert '<td>Escrow <span' in english and "<td>Supplier:鲜果园 <span" in english
