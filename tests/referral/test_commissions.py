"""Commission lifecycle: accrue (order.paid), settle, reverse before, claw back after."""

import pytest
from sqlalchemy import select

from quanzi.core.db import read_session, transaction
from quanzi.core.errors import InvalidInput
from quanzi.orders.events import OrderPaid, PaidLine
from quanzi.referral import commissions, services
from quanzi.referral.models import Commission
from quanzi.referral.schemas import ConfigIn, RateIn, RatesIn
from tests.factories import make_user
from tests.referral.conftest import approved_promoter, invite_code_of, new_product


def _setup(level2: bool = True):
    if level2:
        services.save_config(ConfigIn(level1_bp=1000, level2_enabled=True, level2_bp=500,
                                      cap_bp=2000))
    inviter = approved_promoter()
    promoter = approved_promoter(invite_code=invite_code_of(inviter))
    return inviter, promoter, make_user()


def _paid(order_id, buyer, promoter, inviter, lines):
    return {"order_id": order_id, "buyer_id": buyer.id,
            "attribution": {"share_code": "abcdEFGH12", "share_id": None,
                            "promoter_id": promoter.id,
                            "inviter_id": inviter.id if inviter else None, "policy": "last_click"},
            "lines": lines}


def _accrue(payload):
    """Accrue for an ``order.paid`` made of ``payload`` (what commissions read); a line's
    product None is one with no rate of its own (no product has id 0)."""
    lines = tuple(PaidLine(quantity=1, **(line | {"product_id": line["product_id"] or 0}))
                  for line in payload["lines"])
    paid = OrderPaid(**(payload | {"lines": lines}), supplier_id=1, kind="normal",
                     campaign_ref=None, total_fen=sum(line.amount_fen for line in lines))
    with transaction() as session:
        commissions.accrue_commissions(session, paid)


def _rows(order_id: int) -> list[tuple[int, int, int, str, int]]:
    with read_session() as session:
        return [(c.order_line_id, c.level, c.beneficiary_id, c.status, c.net_fen)
                for c in session.scalars(select(Commission).where(Commission.order_id == order_id)
                                         .order_by(Commission.order_line_id, Commission.level))]


def test_accrual_two_levels_rates_and_idempotence():
    inviter, promoter, buyer = _setup()
    product_id = new_product()
    services.save_rates(RatesIn(rates=[RateIn(product_id=product_id, level1_bp=1500,
                                              level2_bp=1000),
                                       RateIn(category="日用", level1_bp=800, level2_bp=200)]))
    payload = _paid(1, buyer, promoter, inviter, [
        {"line_id": 11, "product_id": product_id, "category": "生鲜", "amount_fen": 10000},
        {"line_id": 12, "product_id": None, "category": "日用", "amount_fen": 999},
        {"line_id": 13, "product_id": None, "category": "生鲜", "amount_fen": 2000},
    ])
    _accrue(payload)
    _accrue(payload)  # a replayed event adds nothing
    assert _rows(1) == [
        (11, 1, promoter.id, "pending", 1500), (11, 2, inviter.id, "pending", 500),  # capped
        (12, 1, promoter.id, "pending", 79), (12, 2, inviter.id, "pending", 19),
        (13, 1, promoter.id, "pending", 200), (13, 2, inviter.id, "pending", 100),
    ]


def test_no_attribution_no_commission_and_level2_off_by_default():
    inviter, promoter, buyer = _setup(level2=False)
    _accrue({"order_id": 2, "buyer_id": buyer.id, "attribution": None,
             "lines": [{"line_id": 21, "product_id": None, "category": None, "amount_fen": 5000}]})
    assert _rows(2) == []
    _accrue(_paid(3, buyer, promoter, inviter, [
        {"line_id": 31, "product_id": None, "category": None, "amount_fen": 5000}]))
    assert _rows(3) == [(31, 1, promoter.id, "pending", 500)]


def test_settle_returns_amounts_per_beneficiary_once():
    inviter, promoter, buyer = _setup()
    _accrue(_paid(4, buyer, promoter, inviter, [
        {"line_id": 41, "product_id": None, "category": None, "amount_fen": 10000},
        {"line_id": 42, "product_id": None, "category": None, "amount_fen": 3000}]))
    with transaction() as session:
        paid = commissions.settle_commissions(session, 4)
    assert paid == sorted([(promoter.id, 1300), (inviter.id, 650)])
    with transaction() as session:
        assert commissions.settle_commissions(session, 4) == []
    assert {row[3] for row in _rows(4)} == {"settled"}


def test_partial_refunds_before_settlement_reverse_exactly():
    inviter, promoter, buyer = _setup()
    _accrue(_paid(5, buyer, promoter, inviter, [
        {"line_id": 51, "product_id": None, "category": None, "amount_fen": 1000}]))  # 100 + 50
    with transaction() as session:
        commissions.reverse_commissions(session, 5, 51, 1, 3)
    assert [r[4] for r in _rows(5)] == [66, 33]
    with transaction() as session:
        commissions.reverse_commissions(session, 5, 51, 1, 3)
    assert [r[4] for r in _rows(5)] == [33, 16]
    with transaction() as session:
        assert commissions.settle_commissions(session, 5) == sorted(
            [(promoter.id, 33), (inviter.id, 16)])


def test_full_refund_before_settlement_reverses_and_settles_nothing():
    inviter, promoter, buyer = _setup()
    _accrue(_paid(6, buyer, promoter, inviter, [
        {"line_id": 61, "product_id": None, "category": None, "amount_fen": 1000}]))
    with transaction() as session:
        commissions.reverse_commissions(session, 6, 61, 2, 2)
    assert [(r[3], r[4]) for r in _rows(6)] == [("reversed", 0), ("reversed", 0)]
    with transaction() as session:
        assert commissions.settle_commissions(session, 6) == []


def test_refund_after_settlement_claws_back_proportionally():
    inviter, promoter, buyer = _setup()
    _accrue(_paid(7, buyer, promoter, inviter, [
        {"line_id": 71, "product_id": None, "category": None, "amount_fen": 1000}]))
    with transaction() as session:
        commissions.settle_commissions(session, 7)
    with transaction() as session:
        taken = commissions.clawback_commissions(session, 7, 71, 1, 4)
    assert taken == sorted([(promoter.id, 25), (inviter.id, 13)])  # 100→75, 50→37
    with transaction() as session:
        taken = commissions.clawback_commissions(session, 7, 71, 3, 4)
    assert taken == sorted([(promoter.id, 75), (inviter.id, 37)])
    assert [(r[3], r[4]) for r in _rows(7)] == [("clawed_back", 0), ("clawed_back", 0)]


def test_refunding_more_than_the_line_is_refused_and_changes_nothing():
    inviter, promoter, buyer = _setup()
    _accrue(_paid(8, buyer, promoter, inviter, [
        {"line_id": 81, "product_id": None, "category": None, "amount_fen": 1000}]))
    with pytest.raises(InvalidInput), transaction() as session:
        commissions.reverse_commissions(session, 8, 81, 3, 2)
    assert [r[4] for r in _rows(8)] == [100, 50]


def test_saving_category_rates_only_leaves_product_rates_alone():
    product_id = new_product()
    services.save_rates(RatesIn(rates=[RateIn(product_id=product_id, level1_bp=3000),
                                       RateIn(category="水果", level1_bp=1200)]))
    services.save_rates(RatesIn(rates=[RateIn(category="蔬菜", level1_bp=800)]),
                        categories_only=True)
    with read_session() as session:
        stored = {(r.category, r.product_id, r.level1_bp)
                  for r in services.rates_out(session).rates}
    assert stored == {(None, product_id, 3000), ("蔬菜", None, 800)}
    with pytest.raises(InvalidInput):
        services.save_rates(RatesIn(rates=[RateIn(product_id=product_id, level1_bp=1)]),
                            categories_only=True)
    with read_session() as session:
        assert len(services.rates_out(session).rates) == 2


def test_the_inviter_buying_through_an_invitee_share_earns_nothing():
    """Level 2 on: inviter A buys through invitee B's share. B earns level 1 on the sale;
    A is the buyer, so no level pays A."""
    from quanzi.catalog.models import Sku
    from quanzi.referral import shares
    from tests.orders.race import paid_order

    inviter, promoter, _ = _setup(level2=True)
    product_id = new_product(price_fen=10_000)
    with read_session() as session:
        sku = session.scalars(select(Sku.id).where(Sku.product_id == product_id)).one()
    code = shares.create_share(promoter_user_id=promoter.id, product_id=product_id).code
    order_id = paid_order(inviter.id, sku, 1, code, "inviter-buys")
    assert [(level, beneficiary) for _, level, beneficiary, _, _ in _rows(order_id)] == [
        (1, promoter.id)]
    assert _rows(order_id)[0][4] == 1000
