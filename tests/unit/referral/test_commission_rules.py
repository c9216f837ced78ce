"""Commission rules (referral/domain.py) beyond the examples in ``test_domain.py``: rate
resolution, the cap, the two levels, refunds, and the level-2 legal guard."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.core.errors import InvalidInput
from quanzi.core.money import BP_SCALE, share_of
from quanzi.referral import domain
from quanzi.referral.domain import LEVEL2_CAVEAT, Proposal, Rate, Rules

BP = st.integers(0, BP_SCALE)
AMOUNT = st.integers(0, 10**10)


# --- rate resolution: product > category > default ---------------------------------------

RULES = Rules(level1_bp=1000, level2_bp=300)
BY_PRODUCT = {7: Rate(1500, 500)}
BY_CATEGORY = {"生鲜": Rate(800, 200)}


@pytest.mark.parametrize(("product_id", "category", "rate"), [
    (7, "生鲜", Rate(1500, 500)),
    (7, None, Rate(1500, 500)),
    (7, "日用", Rate(1500, 500)),
    (8, "生鲜", Rate(800, 200)),
    (None, "生鲜", Rate(800, 200)),
    (8, "日用", Rate(1000, 300)),
    (None, None, Rate(1000, 300)),
])
def test_the_most_specific_rate_wins(product_id, category, rate):
    assert domain.resolve_rate(RULES, product_id=product_id, category=category,
                               by_product=BY_PRODUCT, by_category=BY_CATEGORY) == rate


def test_without_overrides_the_rules_rates_apply_even_with_level2_off():
    rules = Rules(level1_bp=1200, level2_enabled=False, level2_bp=400)
    assert domain.resolve_rate(rules, product_id=1, category="生鲜", by_product={},
                               by_category={}) == Rate(1200, 400)


# --- the split of one line ---------------------------------------------------------------


@given(amount=AMOUNT, level1=BP, level2=BP, cap=st.integers(0, 3 * BP_SCALE),
       level2_on=st.booleans())
def test_a_lines_commission_never_passes_the_cap_and_level1_comes_first(amount, level1, level2,
                                                                       cap, level2_on):
    first, second = domain.split_line(amount, Rate(level1, level2), cap_bp=cap,
                                      level2=level2_on)
    ceiling = share_of(amount, min(cap, BP_SCALE))
    assert first >= 0 and second >= 0
    assert first + second <= ceiling <= amount
    assert first == min(share_of(amount, level1), ceiling)
    assert second == (min(share_of(amount, level2), ceiling - first) if level2_on else 0)


@pytest.mark.parametrize(("amount", "rate", "cap", "level2", "split"), [
    (10000, Rate(12000, 0), 20000, False, (10000, 0)),  # a cap above 100 % counts as 100 %
    (10000, Rate(9000, 5000), 20000, True, (9000, 1000)),
    (10000, Rate(1000, 500), 0, True, (0, 0)),
    (10000, Rate(1000, 1000), 2000, True, (1000, 1000)),
    (10001, Rate(1000, 1000), 1500, True, (1000, 500)),
    (1, Rate(10000, 10000), 10000, True, (1, 0)),
])
def test_split_line_exact_values(amount, rate, cap, level2, split):
    assert domain.split_line(amount, rate, cap_bp=cap, level2=level2) == split


# --- what a commission is worth after refunds --------------------------------------------


@given(amount=AMOUNT, line_qty=st.integers(1, 200), data=st.data())
def test_a_refund_leaves_at_most_the_proportional_share_and_less_with_each_unit(amount,
                                                                               line_qty, data):
    refunded = data.draw(st.integers(0, line_qty))
    left = domain.remaining_after_refund(amount, refunded, line_qty)
    assert 0 <= left <= amount
    assert left * line_qty <= amount * (line_qty - refunded) < (left + 1) * line_qty
    if refunded < line_qty:
        assert domain.remaining_after_refund(amount, refunded + 1, line_qty) <= left


def test_nothing_refunded_keeps_it_all_and_everything_refunded_keeps_nothing():
    assert domain.remaining_after_refund(999, 0, 7) == 999
    assert domain.remaining_after_refund(999, 7, 7) == 0


@pytest.mark.parametrize(("refunded", "line_qty"), [(-1, 3), (4, 3), (0, 0), (0, -2)])
def test_a_refund_outside_the_line_is_refused(refunded, line_qty):
    with pytest.raises(InvalidInput, match="between 0 and the line quantity"):
        domain.remaining_after_refund(100, refunded, line_qty)


# --- the level-2 legal guard -------------------------------------------------------------


@given(level1=st.integers(0, BP_SCALE), data=st.data(), cap=BP, level2_on=st.booleans())
def test_the_caveat_comes_with_level2_on_and_only_then(level1, data, cap, level2_on):
    level2 = data.draw(st.integers(0, level1))
    rules = Rules(level1_bp=level1, level2_bp=level2, level2_enabled=level2_on, cap_bp=cap)
    assert domain.check_compliance(Proposal(rules=rules)) == (LEVEL2_CAVEAT if level2_on
                                                              else None)


def test_a_non_compliant_proposal_with_level2_on_is_refused_not_warned():
    rules = Rules(level2_enabled=True, level1_bp=500, level2_bp=600)
    with pytest.raises(InvalidInput) as refused:
        domain.check_compliance(Proposal(rules=rules, level3_enabled=True))
    assert refused.value.code == "non_compliant"
    assert "third" in refused.value.message and "level 2 may not" in refused.value.message


@pytest.mark.parametrize(("rules", "reason"), [
    (Rules(attribution_policy="first_click"),
     "attribution_policy must be one of last_click, binding"),
    (Rules(level1_bp=-1, level2_bp=-1), "rates may not be negative"),
    (Rules(level2_bp=-1), "rates may not be negative"),
    (Rules(cap_bp=-1), "rates may not be negative"),
    (Rules(window_days=0), "window_days and binding_days must be at least 1"),
    (Rules(binding_days=0), "window_days and binding_days must be at least 1"),
])
def test_rules_out_of_shape_are_refused_with_the_reason(rules, reason):
    assert domain.compliance_problems(Proposal(rules=rules)) == [reason]
    with pytest.raises(InvalidInput, match=reason):
        domain.check_compliance(Proposal(rules=rules))


@pytest.mark.parametrize(("level1", "level2", "refused"), [
    (1000, 1000, False), (10000, 0, False), (0, 0, False),
    (10001, 0, True), (1000, 1001, True),
])
def test_a_rate_override_obeys_the_level_rules(level1, level2, refused):
    if not refused:
        assert domain.check_rate_override(level1, level2) is None
        return
    with pytest.raises(InvalidInput) as raised:
        domain.check_rate_override(level1, level2)
    assert (raised.value.status, raised.value.code) == (422, "non_compliant")


def test_the_default_rules_pay_one_level_within_a_fifth_of_the_line():
    rules = Rules()
    assert (rules.level1_bp, rules.level2_enabled, rules.level2_bp, rules.cap_bp) == (
        1000, False, 0, 2000)
    assert domain.split_line(10000, domain.resolve_rate(
        rules, product_id=None, category=None, by_product={}, by_category={}),
        cap_bp=rules.cap_bp, level2=rules.level2_enabled) == (1000, 0)
    assert domain.RULE_FIELDS[0] == "attribution_policy" and "level3_bp" not in domain.RULE_FIELDS
