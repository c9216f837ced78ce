"""Bargain (砍价) rules of campaigns/domain.py beyond ``test_domain.py``: a run's cut
sequence walks the price from start to floor one help at a time, its commitment binds
salt and sequence, and helps can be kept out of WeChat."""

import hashlib
import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.campaigns import domain
from quanzi.core.errors import InvalidInput

T0 = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)


@st.composite
def _run(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    """A bargain's start and floor prices and a cut sequence planned for it."""
    floor = draw(st.integers(0, 1_000_000))
    start = floor + draw(st.integers(1, 1_000_000))
    helps = draw(st.integers(1, min(start - floor, domain.MAX_HELPS)))
    seed = draw(st.integers(0, 2**32))
    return start, floor, domain.plan_cuts(start - floor, helps, random.Random(seed))


@given(_run())
def test_every_sequence_walks_from_start_to_exactly_the_floor(run):
    start, floor, cuts = run
    assert sum(cuts) == start - floor and min(cuts) >= 1
    prices = [domain.price_after(start, cuts, done) for done in range(len(cuts) + 1)]
    assert prices[0] == start and prices[-1] == floor
    assert all(later < earlier for earlier, later in pairwise(prices))


@given(_run(), st.data())
def test_the_helps_remaining_are_the_cuts_still_between_the_price_and_the_floor(run, data):
    start, floor, cuts = run
    done = data.draw(st.integers(0, len(cuts)))
    remaining = cuts[done:]
    assert len(remaining) == len(cuts) - done
    assert domain.price_after(start, cuts, done) - sum(remaining) == floor


@given(total=st.integers(1, 100_000), seed=st.integers(0, 2**32), data=st.data())
def test_the_same_draw_plans_the_same_sequence(total, seed, data):
    helps = data.draw(st.integers(1, min(total, 200)))
    first = domain.plan_cuts(total, helps, random.Random(seed))
    assert domain.plan_cuts(total, helps, random.Random(seed)) == first


@given(salt=st.text(max_size=40), cuts=st.lists(st.integers(1, 10**7), min_size=1,
                                                max_size=30))
def test_the_commitment_is_sha256_of_salt_colon_comma_joined_cuts(salt, cuts):
    text = salt + ":" + ",".join(str(cut) for cut in cuts)
    value = domain.commitment(salt, cuts)
    assert value == hashlib.sha256(text.encode()).hexdigest()
    assert domain.verify_commitment(value, salt, cuts)
    assert domain.verify_commitment(value, salt, tuple(cuts))


def test_a_commitment_does_not_verify_another_salt_or_order():
    value = domain.commitment("s", [500, 300, 200])
    assert not domain.verify_commitment(value, "t", [500, 300, 200])
    assert not domain.verify_commitment(value, "s", [300, 500, 200])
    assert not domain.verify_commitment(value, "s", [500, 300])
    assert not domain.verify_commitment(value.upper(), "s", [500, 300, 200])


@pytest.mark.parametrize(("start", "floor", "low", "high"), [
    (2000, 1000, 1, domain.MAX_HELPS), (1001, 1000, 1, 1), (5, 0, 5, 5)])
def test_the_largest_allowed_bargains_pass(start, floor, low, high):
    assert domain.check_bargain(start, floor, low, high) is None


@pytest.mark.parametrize(("start", "floor", "low", "high", "reason"), [
    (5000, 1000, 1, domain.MAX_HELPS + 1, "between 1 and 1000"),
    (1005, 1000, 1, 6, "more helps than fen to cut"),
    (1000, 1000, 1, 1, "floor_price_fen must be at least 0 and below start_price_fen"),
])
def test_bargains_past_the_limits_are_refused_with_the_reason(start, floor, low, high, reason):
    with pytest.raises(InvalidInput, match=reason):
        domain.check_bargain(start, floor, low, high)


@pytest.mark.parametrize("stored", ["floor_reached", "bought", "expired"])
def test_only_an_active_run_turns_expired_by_the_clock(stored):
    assert domain.run_status(stored, T0, T0 + timedelta(days=9)) == stored


@pytest.mark.parametrize(("allow_in_wechat", "in_wechat", "off"), [
    (False, True, True), (True, True, False), (False, False, False), (True, False, False)])
def test_helps_are_off_only_inside_wechat_for_a_bargain_that_keeps_them_out(allow_in_wechat,
                                                                           in_wechat, off):
    assert domain.helps_off(allow_in_wechat=allow_in_wechat, in_wechat=in_wechat) is off


@given(total=st.integers(1, 1_000_000), helps=st.integers(1, domain.MAX_HELPS),
       seed=st.integers(0, 2**32))
def test_the_starter_gets_the_first_cut_and_friends_needed_stay_the_same(total, helps, seed):
    if helps > total:
        return
    plan = domain.plan_run(total, helps, random.Random(seed))
    assert sum(plan.cuts_fen) == total and min(plan.cuts_fen) >= 1
    assert len(plan.cuts_fen) - plan.applied == helps  # friends still needed
    assert plan.applied == (1 if total > helps else 0)
    if plan.applied:
        assert plan.cuts_fen[0] == max(plan.cuts_fen)  # the starter's cut is the largest


def test_the_starters_cut_is_inside_the_commitment():
    plan = domain.plan_run(4900, 2, random.Random(7))
    salt = domain.new_salt()
    value = domain.commitment(salt, plan.cuts_fen)
    assert len(plan.cuts_fen) == 3 and plan.applied == 1
    assert domain.price_after(5000, plan.cuts_fen, plan.applied) == 5000 - plan.cuts_fen[0]
    assert domain.verify_commitment(value, salt, plan.cuts_fen)
    assert not domain.verify_commitment(value, salt, plan.cuts_fen[1:])  # can't drop it


def test_no_starters_cut_when_every_fen_is_a_friends_cut():
    assert domain.plan_run(3, 3, random.Random(1)) == domain.RunPlan([1, 1, 1], 0)
