"""Group-buy and tiered-deal rules of campaigns/domain.py beyond ``test_domain.py``: group
sizes and expiry, the order of the join refusals, and the price along the tiers."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.campaigns import domain
from quanzi.campaigns.domain import JoinContext, Tier
from quanzi.core.errors import InvalidInput

T0 = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
HOUR, TICK = timedelta(hours=1), timedelta(microseconds=1)


# --- group buys --------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "duration", "limit", "max_groups"), [
    (2, 60, 1, None), (100, 60, 1, 1), (3, 86400, 5, 1000)])
def test_group_buys_at_the_limits_pass(size, duration, limit, max_groups):
    assert domain.check_group_buy(size, duration, limit, max_groups) is None


@pytest.mark.parametrize(("size", "duration", "limit", "max_groups", "reason"), [
    (1, 3600, 1, None, "group_size must be between 2 and 100"),
    (101, 3600, 1, None, "group_size must be between 2 and 100"),
    (3, 59, 1, None, "a group stays open at least 60 seconds"),
    (3, 3600, 0, None, "per_user_limit and max_groups must be at least 1"),
    (3, 3600, 1, 0, "per_user_limit and max_groups must be at least 1"),
])
def test_group_buys_past_the_limits_are_refused_with_the_reason(size, duration, limit,
                                                               max_groups, reason):
    with pytest.raises(InvalidInput, match=reason):
        domain.check_group_buy(size, duration, limit, max_groups)


def _ctx(**changes: object) -> JoinContext:
    base: dict[str, object] = dict(
        starts_at=T0, ends_at=T0 + 10 * HOUR, group_status="open",
        group_expires_at=T0 + 2 * HOUR, member_count=1, group_size=3, already_member=False,
        user_seats=0, per_user_limit=1)
    return JoinContext(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(("now", "reason"), [
    (T0 + 2 * HOUR - TICK, None), (T0 + 2 * HOUR, "ended"), (T0, None), (T0 - TICK,
                                                                        "not_started")])
def test_a_group_takes_seats_until_the_instant_it_expires(now, reason):
    assert domain.join_refusal(_ctx(), now) == reason


WORST = dict(group_status="failed", member_count=3, already_member=True, user_seats=1)


@pytest.mark.parametrize(("fixed", "reason"), [
    ({}, "ended"),
    ({"group_status": "open"}, "group_full"),
    ({"group_status": "open", "member_count": 2}, "already_joined"),
    ({"group_status": "open", "member_count": 2, "already_member": False}, "limit_reached"),
    ({"group_status": "open", "member_count": 2, "already_member": False, "user_seats": 0},
     None),
])
def test_the_first_reason_in_order_is_the_one_given(fixed, reason):
    assert domain.join_refusal(_ctx(**{**WORST, **fixed}), T0 + HOUR) == reason
    assert domain.join_refusal(_ctx(**{**WORST, **fixed}), T0 - TICK) == "not_started"


@given(size=st.integers(2, 100), data=st.data())
def test_a_seat_is_refused_exactly_when_the_group_is_full(size, data):
    members = data.draw(st.integers(0, size + 2))
    reason = domain.join_refusal(_ctx(group_size=size, member_count=members), T0 + HOUR)
    assert reason == ("group_full" if members >= size else None)


@given(limit=st.integers(1, 100), seats=st.integers(0, 120))
def test_the_per_user_limit_counts_the_seats_already_held(limit, seats):
    reason = domain.join_refusal(_ctx(per_user_limit=limit, user_seats=seats), T0 + HOUR)
    assert reason == ("limit_reached" if seats >= limit else None)


# --- tiered deals ------------------------------------------------------------------------


@st.composite
def _tiers(draw: st.DrawFn) -> list[Tier]:
    """Valid tiers: from 1 participant, thresholds rising, prices falling and positive."""
    count = draw(st.integers(1, 6))
    steps = draw(st.lists(st.integers(1, 50), min_size=count - 1, max_size=count - 1))
    drops = draw(st.lists(st.integers(1, 500), min_size=count - 1, max_size=count - 1))
    thresholds, prices = [1], [sum(drops) + draw(st.integers(1, 10_000))]
    for step, drop in zip(steps, drops, strict=True):
        thresholds.append(thresholds[-1] + step)
        prices.append(prices[-1] - drop)
    return [Tier(m, p) for m, p in zip(thresholds, prices, strict=True)]


@given(_tiers())
def test_valid_tiers_are_accepted_as_a_list_of_the_same_tiers(tiers):
    assert domain.validate_tiers(tuple(tiers)) == tiers


@given(_tiers(), st.integers(0, 400))
def test_the_price_is_the_highest_tier_reached_and_the_next_tier_is_cheaper(tiers,
                                                                           participants):
    price = domain.current_tier_price(tiers, participants)
    reached = [tier for tier in tiers if tier.min_participants <= max(participants, 1)]
    assert price == reached[-1].price_fen
    upcoming = domain.next_tier(tiers, participants)
    if upcoming is None:
        assert reached[-1] == tiers[-1]
    else:
        assert upcoming == tiers[len(reached)]
        assert upcoming.price_fen < price
        assert upcoming.min_participants > participants


@given(_tiers(), st.integers(0, 400))
def test_one_more_participant_never_raises_the_price(tiers, participants):
    assert (domain.current_tier_price(tiers, participants + 1)
            <= domain.current_tier_price(tiers, participants))


def test_a_single_tier_is_a_fixed_price():
    assert domain.validate_tiers([Tier(1, 990)]) == [Tier(1, 990)]
    assert domain.current_tier_price([Tier(1, 990)], 500) == 990
    assert domain.next_tier([Tier(1, 990)], 0) is None


@pytest.mark.parametrize(("tiers", "reason"), [
    ([], "give at least one tier"),
    ([Tier(2, 100)], "the first tier starts at 1 participant"),
    ([Tier(1, 100), Tier(5, -1)], "every tier price must be positive"),
    ([Tier(1, 100), Tier(1, 90)], "min_participants must strictly increase"),
    ([Tier(1, 100), Tier(5, 100)], "tier prices must strictly decrease"),
])
def test_invalid_tiers_are_refused_with_the_reason(tiers, reason):
    with pytest.raises(InvalidInput, match=reason):
        domain.validate_tiers(tiers)
