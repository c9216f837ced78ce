"""attribute_order: windows and bindings with a moved clock, competing promoters, bad codes."""

from datetime import timedelta

from sqlalchemy import func, select

from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from quanzi.referral import clicks, services
from quanzi.referral.attribution import attribute_order
from quanzi.referral.models import CustomerBinding
from quanzi.referral.schemas import ConfigIn
from quanzi.referral.shares import lookup
from tests.factories import make_user
from tests.referral.conftest import approved_promoter, invite_code_of, share_product

DAY = timedelta(days=1)


def _attribute(buyer_id: int, code: str | None, visitor: str | None = None) -> dict | None:
    with transaction() as session:
        return attribute_order(session, buyer_id=buyer_id, share_code=code, visitor_id=visitor,
                               now=clock.now())


def _click(code: str, visitor: str) -> None:
    target = lookup(code)
    clicks.buffer.add(clicks.click_row(share_id=target.share_id, visitor_id=visitor,
                                       channel="wechat", referrer=None, ip=None, user_agent="ua",
                                       is_preview=False, at=clock.now()))
    clicks.buffer.flush()


def _bindings() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count(CustomerBinding.id))) or 0)


def test_a_valid_code_is_snapshotted():
    clock.freeze()
    promoter, buyer = approved_promoter(), make_user()
    code = share_product(promoter)
    snapshot = _attribute(buyer.id, code)
    assert snapshot == {"share_code": code, "share_id": lookup(code).share_id,
                        "promoter_id": promoter.id, "inviter_id": None, "policy": "last_click"}
    assert _bindings() == 0


def test_forged_unknown_and_missing_codes_give_no_attribution():
    buyer = make_user()
    share_product(approved_promoter())
    for code in (None, "", "ZZZZZZZZZZ", "not a code!", "../../etc", "a" * 40):
        assert _attribute(buyer.id, code, visitor="v1") is None
    assert _bindings() == 0


def test_last_click_expires_after_the_window():
    promoter, buyer = approved_promoter(), make_user()
    code = share_product(promoter)
    clock.freeze()
    _click(code, "visitor1")
    clock.advance(7 * DAY - timedelta(minutes=1))
    assert _attribute(buyer.id, code, "visitor1")["promoter_id"] == promoter.id
    clock.advance(2 * timedelta(minutes=1))
    assert _attribute(buyer.id, code, "visitor1") is None


def test_last_click_two_promoters_the_later_click_wins():
    first, second, buyer = approved_promoter(), approved_promoter(), make_user()
    product_code_1, product_code_2 = share_product(first), share_product(second)
    clock.freeze()
    _click(product_code_1, "v")
    clock.advance(DAY)
    _click(product_code_2, "v")
    clock.advance(DAY)
    assert _attribute(buyer.id, product_code_2, "v")["promoter_id"] == second.id
    assert _bindings() == 0


def test_binding_two_promoters_the_first_keeps_the_customer_until_expiry():
    services.save_config(ConfigIn(attribution_policy="binding", binding_days=30))
    first, second, buyer = approved_promoter(), approved_promoter(), make_user()
    code_1, code_2 = share_product(first), share_product(second)
    clock.freeze()
    _click(code_1, "v")
    clock.advance(DAY)
    _click(code_2, "v")
    clock.advance(DAY)

    snapshot = _attribute(buyer.id, code_2, "v")
    assert snapshot["promoter_id"] == first.id and snapshot["share_code"] == code_1
    assert snapshot["policy"] == "binding"
    assert _bindings() == 1

    clock.advance(20 * DAY)  # binding still live: another promoter's share does not steal it
    assert _attribute(buyer.id, code_2, "other-device")["promoter_id"] == first.id
    assert _bindings() == 1

    clock.advance(11 * DAY)  # binding expired: the fresh share wins and binds anew
    snapshot = _attribute(buyer.id, code_2, "other-device")
    assert snapshot["promoter_id"] == second.id
    assert _bindings() == 2


def test_binding_without_any_touch_is_nobody():
    services.save_config(ConfigIn(attribution_policy="binding"))
    assert _attribute(make_user().id, None, "v") is None
    assert _bindings() == 0


def test_self_purchase_needs_the_rebate_flag_and_never_pays_level2():
    services.save_config(ConfigIn(level2_enabled=True, level2_bp=300))
    inviter = approved_promoter()
    promoter = approved_promoter(invite_code=invite_code_of(inviter))
    code = share_product(promoter)
    assert _attribute(promoter.id, code) is None

    services.save_config(ConfigIn(self_purchase_rebate=True))
    snapshot = _attribute(promoter.id, code)
    assert snapshot["promoter_id"] == promoter.id and snapshot["inviter_id"] is None
    assert _attribute(make_user().id, code)["inviter_id"] == inviter.id


def test_inviter_only_when_level2_is_on_at_that_moment():
    inviter = approved_promoter()
    promoter = approved_promoter(invite_code=invite_code_of(inviter))
    code = share_product(promoter)
    buyer = make_user()
    assert _attribute(buyer.id, code)["inviter_id"] is None
    services.save_config(ConfigIn(level2_enabled=True, level2_bp=300))
    assert _attribute(buyer.id, code)["inviter_id"] == inviter.id
