"""Attribution (referral/domain.py ``credit_order``) at the boundary instants of the
attribution window and the binding period, under both policies."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.referral import domain
from quanzi.referral.domain import Bound, Credit, Rules, Touch

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
LAST_CLICK = Rules(attribution_policy="last_click", window_days=7, binding_days=30)
BINDING = Rules(attribution_policy="binding", window_days=7, binding_days=30)


def _touch(promoter: int, ago: timedelta) -> Touch:
    return Touch(promoter * 10, f"code{promoter:04d}", promoter, NOW - ago)


def _credit(rules: Rules, *, touch: Touch | None = None, first_touch: Touch | None = None,
            binding: Bound | None = None) -> Credit | None:
    return domain.credit_order(rules, touch=touch, first_touch=first_touch, binding=binding,
                               now=NOW)


def test_the_window_and_the_binding_period_are_whole_days():
    assert (BINDING.window, BINDING.binding_period) == (timedelta(days=7), timedelta(days=30))


@pytest.mark.parametrize("rules", [LAST_CLICK, BINDING])
@pytest.mark.parametrize(("ago", "credited"), [
    (timedelta(0), True), (timedelta(days=7) - TICK, True), (timedelta(days=7), True),
    (timedelta(days=7) + TICK, False),
])
def test_a_click_counts_up_to_and_including_the_last_instant_of_the_window(rules, ago,
                                                                          credited):
    credit = _credit(rules, touch=_touch(1, ago))
    assert (credit is not None) is credited
    if credit is not None:
        assert credit.touch == _touch(1, ago)
        assert credit.bind is (rules is BINDING)


@pytest.mark.parametrize(("expires_in", "live"), [
    (TICK, True), (timedelta(days=30), True), (timedelta(0), False), (-TICK, False)])
def test_a_binding_holds_until_the_instant_it_expires(expires_in, live):
    binding = Bound(promoter_id=1, share_id=10, share_code="code0001",
                    expires_at=NOW + expires_in)
    credit = _credit(BINDING, touch=_touch(2, timedelta(hours=1)), binding=binding)
    assert credit is not None
    if live:
        assert credit == Credit(Touch(10, "code0001", 1, NOW), bind=False)
    else:
        assert credit == Credit(_touch(2, timedelta(hours=1)), bind=True)


def test_a_binding_without_a_share_credits_its_promoter_with_no_share():
    binding = Bound(promoter_id=3, share_id=None, share_code=None, expires_at=NOW + TICK)
    assert _credit(BINDING, binding=binding) == Credit(Touch(0, "", 3, NOW), bind=False)


@pytest.mark.parametrize(("ago", "first"), [
    (timedelta(days=30) - TICK, True), (timedelta(days=30), True),
    (timedelta(days=30) + TICK, False)])
def test_whoever_brought_the_consumer_first_within_the_binding_period_binds_them(ago, first):
    credit = _credit(BINDING, touch=_touch(2, timedelta(days=1)), first_touch=_touch(1, ago))
    assert credit is not None and credit.bind is True
    assert credit.touch.promoter_id == (1 if first else 2)


def test_with_neither_a_live_binding_nor_a_fresh_touch_nobody_is_credited():
    stale = _touch(1, timedelta(days=31))
    expired = Bound(promoter_id=1, share_id=10, share_code="code0001", expires_at=NOW)
    assert _credit(BINDING, touch=_touch(2, timedelta(days=8)), first_touch=stale,
                   binding=expired) is None
    assert _credit(BINDING) is None
    assert _credit(LAST_CLICK, first_touch=_touch(1, timedelta(0))) is None


TOUCHES = st.none() | st.builds(
    _touch, st.integers(1, 5), st.timedeltas(min_value=timedelta(0),
                                             max_value=timedelta(days=40)))
BINDINGS = st.none() | st.builds(
    Bound, st.integers(1, 5), st.just(10), st.just("code0001"),
    st.timedeltas(min_value=-timedelta(days=5), max_value=timedelta(days=5)).map(
        lambda offset: NOW + offset))


@given(touch=TOUCHES, first=TOUCHES, binding=BINDINGS)
def test_last_click_credits_only_a_fresh_last_click_and_never_binds(touch, first, binding):
    credit = _credit(LAST_CLICK, touch=touch, first_touch=first, binding=binding)
    fresh = touch is not None and NOW - touch.at <= LAST_CLICK.window
    assert credit == (Credit(touch) if fresh else None)


@given(touch=TOUCHES, first=TOUCHES, binding=BINDINGS)
def test_under_binding_a_live_binding_always_wins_and_anything_else_binds(touch, first,
                                                                         binding):
    credit = _credit(BINDING, touch=touch, first_touch=first, binding=binding)
    if binding is not None and binding.expires_at > NOW:
        assert credit is not None and credit.touch.promoter_id == binding.promoter_id
        assert credit.bind is False
    elif credit is not None:
        assert credit.bind is True
        assert credit.touch in (touch, first)
