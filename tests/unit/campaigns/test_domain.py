"""The campaigns' pure rules: cuts and commitments, tiers, join reasons, statuses, presales."""

import hashlib
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quanzi.campaigns import domain
from quanzi.campaigns.domain import JoinContext, Tier
from quanzi.core.errors import InvalidInput

T0 = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
quick = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- bargain cuts ---------------------------------------------------------------------


@quick
@given(total=st.integers(1, 10_000_000), data=st.data(), seed=st.integers(0, 2**32))
def test_cuts_are_positive_and_sum_exactly_to_the_total(total, data, seed):
    helps = data.draw(st.integers(1, min(total, 300)))
    cuts = domain.plan_cuts(total, helps, random.Random(seed))
    assert len(cuts) == helps
    assert sum(cuts) == total
    assert min(cuts) >= 1
    assert cuts == sorted(cuts, reverse=True)


@quick
@given(total=st.integers(1, 100_000), seed=st.integers(0, 2**32))
def test_commitment_matches_the_revealed_sequence(total, seed):
    rng = random.Random(seed)
    cuts = domain.plan_cuts(total, rng.randint(1, min(total, 50)), rng)
    salt = domain.new_salt()
    value = domain.commitment(salt, cuts)
    assert domain.verify_commitment(value, salt, cuts)
    assert not domain.verify_commitment(value, salt, [*cuts[:-1], cuts[-1] + 1])


def test_commitment_is_the_documented_sha256_in_lowercase_hex():
    expected = hashlib.sha256(b"abc:500,300,200").hexdigest()
    assert domain.commitment("abc", [500, 300, 200]) == expected
    assert expected == expected.lower() and len(expected) == 64


def test_one_help_takes_the_whole_amount_and_every_help_can_be_one_fen():
    assert domain.plan_cuts(999, 1, random.Random(0)) == [999]
    assert domain.plan_cuts(7, 7, random.Random(0)) == [1] * 7


@pytest.mark.parametrize(("total", "helps"), [(5, 6), (0, 1), (10, 0)])
def test_impossible_cut_plans_are_refused(total, helps):
    with pytest.raises(ValueError):
        domain.plan_cuts(total, helps, random.Random(0))


def test_salts_are_fresh_and_long():
    salts = {domain.new_salt() for _ in range(50)}
    assert len(salts) == 50
    assert all(len(s) == 32 for s in salts)


@pytest.mark.parametrize(("start", "floor", "lo", "hi", "ok"), [
    (1000, 100, 3, 5, True), (1000, 0, 1, 1000, True), (1000, 1000, 1, 1, False),
    (1000, 1200, 1, 1, False), (1000, 995, 3, 6, False), (1000, 100, 5, 3, False),
    (1000, 100, 0, 3, False), (1000, -1, 1, 2, False),
])
def test_bargain_configuration_rules(start, floor, lo, hi, ok):
    if ok:
        domain.check_bargain(start, floor, lo, hi)
    else:
        with pytest.raises(InvalidInput):
            domain.check_bargain(start, floor, lo, hi)


def test_price_after_applies_the_first_n_cuts():
    assert domain.price_after(1000, [500, 300, 100], 0) == 1000
    assert domain.price_after(1000, [500, 300, 100], 2) == 200
    assert domain.price_after(1000, [500, 300, 100], 3) == 100


def test_run_status_shows_an_active_run_past_expiry_as_expired():
    assert domain.run_status("active", T0, T0 - timedelta(seconds=1)) == "active"
    assert domain.run_status("active", T0, T0) == "expired"
    assert domain.run_status("floor_reached", T0, T0 + HOUR) == "floor_reached"


@pytest.mark.parametrize(("ctx", "reason"), [
    (domain.HelpContext("active", True, False), "forbidden"),
    (domain.HelpContext("expired", False, False), "ended"),
    (domain.HelpContext("floor_reached", False, False), "floor_reached"),
    (domain.HelpContext("floor_reached", False, True), "floor_reached"),
    (domain.HelpContext("bought", False, False), "ended"),
    (domain.HelpContext("active", False, True), "already_helped"),
    (domain.HelpContext("active", False, False), None),
])
def test_help_refusals(ctx, reason):
    assert domain.help_refusal(ctx) == reason


def test_china_day_turns_at_midnight_beijing_time():
    assert domain.china_day(datetime(2025, 6, 18, 15, 59, tzinfo=UTC)).isoformat() == "2025-06-18"
    assert domain.china_day(datetime(2025, 6, 18, 16, 0, tzinfo=UTC)).isoformat() == "2025-06-19"


# --- tiers ----------------------------------------------------------------------------

TIERS = [Tier(1, 3990), Tier(10, 3490), Tier(50, 2990)]


@pytest.mark.parametrize(("participants", "price"), [
    (0, 3990), (1, 3990), (9, 3990), (10, 3490), (49, 3490), (50, 2990), (5000, 2990)])
def test_current_tier_price(participants, price):
    assert domain.current_tier_price(TIERS, participants) == price


def test_next_tier():
    assert domain.next_tier(TIERS, 0) == Tier(10, 3490)
    assert domain.next_tier(TIERS, 3) == Tier(10, 3490)
    assert domain.next_tier(TIERS, 10) == Tier(50, 2990)
    assert domain.next_tier(TIERS, 50) is None


@pytest.mark.parametrize("tiers", [
    [], [Tier(2, 100)], [Tier(1, 100), Tier(1, 90)], [Tier(1, 100), Tier(5, 100)],
    [Tier(1, 100), Tier(5, 120)], [Tier(1, 0)], [Tier(1, 100), Tier(3, 50), Tier(2, 40)],
])
def test_invalid_tiers_are_refused(tiers):
    with pytest.raises(InvalidInput):
        domain.validate_tiers(tiers)


def test_valid_tiers_pass():
    assert domain.validate_tiers(TIERS) == TIERS


@quick
@given(paid=st.integers(0, 10**6), final=st.integers(0, 10**6), qty=st.integers(1, 100))
def test_refund_due_is_the_overpayment_and_never_negative(paid, final, qty):
    due = domain.refund_due(paid, final, qty)
    assert due == max(0, paid - final) * qty
    assert due + final * qty >= paid * qty if paid >= final else due == 0


def test_tier_refunds_sum_to_what_was_overpaid():
    joined_at_price = [3990] * 9 + [3490] * 40 + [2990] * 11
    final = domain.current_tier_price(TIERS, len(joined_at_price))
    refunds = [domain.refund_due(p, final, 2) for p in joined_at_price]
    assert final == 2990
    assert sum(refunds) == sum(p * 2 for p in joined_at_price) - final * 2 * 60


# --- group buy ------------------------------------------------------------------------


def _ctx(**changes):
    base = dict(starts_at=T0, ends_at=T0 + 10 * HOUR, group_status="open",
                group_expires_at=T0 + 2 * HOUR, member_count=1, group_size=3,
                already_member=False, user_seats=0, per_user_limit=1)
    return JoinContext(**{**base, **changes})


@pytest.mark.parametrize(("changes", "now", "reason"), [
    ({}, T0 + HOUR, None),
    ({}, T0 - HOUR, "not_started"),
    ({}, T0 + 10 * HOUR, "ended"),
    ({}, T0 + 2 * HOUR, "ended"),
    ({"group_status": "failed"}, T0 + HOUR, "ended"),
    ({"group_status": "succeeded"}, T0 + HOUR, "ended"),
    ({"member_count": 3}, T0 + HOUR, "group_full"),
    ({"already_member": True}, T0 + HOUR, "already_joined"),
    ({"user_seats": 1}, T0 + HOUR, "limit_reached"),
    ({"user_seats": 1, "per_user_limit": 2}, T0 + HOUR, None),
    ({"ends_at": None}, T0 + 100 * HOUR, "ended"),  # the group itself expired
])
def test_join_refusals(changes, now, reason):
    assert domain.join_refusal(_ctx(**changes), now) == reason


@pytest.mark.parametrize(("size", "duration", "limit", "max_groups"), [
    (1, 3600, 1, None), (101, 3600, 1, None), (3, 10, 1, None), (3, 3600, 0, None),
    (3, 3600, 1, 0)])
def test_group_buy_configuration_rules(size, duration, limit, max_groups):
    with pytest.raises(InvalidInput):
        domain.check_group_buy(size, duration, limit, max_groups)


# --- flash sale -----------------------------------------------------------------------


@pytest.mark.parametrize(("now", "left", "ended_at", "status"), [
    (T0 - HOUR, 10, None, "not_started"),
    (T0, 10, None, "active"),
    (T0 + HOUR, 0, None, "sold_out"),
    (T0 + 2 * HOUR, 10, None, "ended"),
    (T0 + 2 * HOUR, 0, None, "ended"),
    (T0 + HOUR, 10, T0 + HOUR, "ended"),
    (T0 - HOUR, 0, None, "not_started"),
])
def test_flash_status(now, left, ended_at, status):
    assert domain.flash_status(T0, T0 + 2 * HOUR, left, now, ended_at) == status


# --- presale --------------------------------------------------------------------------

WINDOWS = domain.PresaleWindows(T0, T0 + 24 * HOUR, T0 + 48 * HOUR, T0 + 72 * HOUR)


def test_deposit_worth_more_than_paid_lowers_the_balance():
    assert domain.balance_due(9900, 3000) == 6900
    assert domain.balance_due(2000, 3000) == 0


@pytest.mark.parametrize(("now", "phase", "deposit", "balance"), [
    (T0 - HOUR, "not_started", "not_started", "not_started"),
    (T0, "deposit", None, "not_started"),
    (T0 + 30 * HOUR, "waiting_balance", "ended", "not_started"),
    (T0 + 48 * HOUR, "balance", "ended", None),
    (T0 + 72 * HOUR, "ended", "ended", "ended"),
])
def test_presale_phases_and_window_refusals(now, phase, deposit, balance):
    assert domain.presale_phase(WINDOWS, now) == phase
    assert domain.deposit_refusal(WINDOWS, now) == deposit
    assert domain.balance_refusal(WINDOWS, now) == balance


@pytest.mark.parametrize(("price", "deposit", "worth", "windows", "rule"), [
    (9900, 0, 3000, WINDOWS, "forfeit_deposit"),
    (9900, 4000, 3000, WINDOWS, "forfeit_deposit"),
    (9900, 1000, 12000, WINDOWS, "forfeit_deposit"),
    (9900, 1000, 3000, domain.PresaleWindows(T0, T0, T0 + HOUR, T0 + 2 * HOUR),
     "forfeit_deposit"),
    (9900, 1000, 3000, domain.PresaleWindows(T0, T0 + 2 * HOUR, T0 + HOUR, T0 + 3 * HOUR),
     "forfeit_deposit"),
    (9900, 1000, 3000, WINDOWS, "keep_everything"),
])
def test_bad_presales_are_refused(price, deposit, worth, windows, rule):
    with pytest.raises(InvalidInput):
        domain.check_presale(price, deposit, worth, windows, rule)
