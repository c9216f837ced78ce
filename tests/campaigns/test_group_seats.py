"""Seats in group buys: the join rules, and no group over its size under contention."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi.accounts.identity import Identity
from quanzi.campaigns.group_buy import groups as group_buys
from quanzi.campaigns.models import Group, GroupBuy, GroupMember
from quanzi.campaigns.schemas import GroupBuyCreate
from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from quanzi.core.errors import Conflict
from tests.campaigns.helpers import bulk_users, run_concurrently, signed_in, sku_of_new_supplier


def _group_buy(size: int = 3, per_user_limit: int = 1, max_groups: int | None = None,
               starts_in: timedelta = timedelta(0)) -> int:
    operator_id, _ = signed_in("operator")
    _, sku_id = sku_of_new_supplier()
    staff = Identity(id=operator_id, name="运营", roles=("operator",), supplier_id=None)
    data = GroupBuyCreate(sku_id=sku_id, price_fen=1990, group_size=size, duration_s=3600,
                          per_user_limit=per_user_limit, max_groups=max_groups,
                          starts_at=clock.now() + starts_in)
    return group_buys.create_group_buy(by=staff, data=data).id


def _open(group_buy_id: int, user_id: int) -> int:
    with transaction() as session:
        return group_buys.open_group(session, group_buy_id, user_id, clock.now()).id


def _join(group_id: int, user_id: int) -> str:
    try:
        with transaction() as session:
            group_buys.reserve_seat(session, group_id, user_id, clock.now())
        return "ok"
    except Conflict as exc:
        return exc.code


def _seats(group_id: int) -> tuple[int, int]:
    with read_session() as session:
        counted = session.scalar(select(Group.member_count).where(Group.id == group_id))
        rows = session.scalar(select(func.count(GroupMember.id)).where(
            GroupMember.group_id == group_id, GroupMember.status == "reserved"))
    return counted, rows


def test_open_group_seats_the_leader():
    group_buy_id = _group_buy()
    (leader,) = bulk_users(1)
    group_id = _open(group_buy_id, leader)
    with read_session() as session:
        group = group_buys.get_group(session, group_id)
        opened = group_buys.get_group_buy(session, group_buy_id).groups_opened
    assert (group.status, group.members, group.seats_left, group.joinable) == ("open", 1, 2, True)
    assert opened == 1


def test_join_refusals_in_order_and_nothing_changes():
    group_buy_id = _group_buy(size=2)
    leader, joiner, late = bulk_users(3)
    group_id = _open(group_buy_id, leader)

    assert _join(group_id, leader) == "already_joined"
    assert _join(group_id, joiner) == "ok"
    assert _join(group_id, late) == "group_full"
    assert _seats(group_id) == (2, 2)


def test_per_user_limit_counts_seats_across_groups():
    group_buy_id = _group_buy(per_user_limit=1)
    first, second, joiner = bulk_users(3)
    group_a, group_b = _open(group_buy_id, first), _open(group_buy_id, second)

    assert _join(group_a, joiner) == "ok"
    assert _join(group_b, joiner) == "limit_reached"
    assert _seats(group_b) == (1, 1)


def test_not_started_and_expired_groups_refuse():
    later = _group_buy(starts_in=timedelta(hours=1))
    (user,) = bulk_users(1)
    with pytest.raises(Conflict) as refused, transaction() as session:
        group_buys.open_group(session, later, user, clock.now())
    assert refused.value.code == "not_started"

    group_buy_id = _group_buy()
    leader, joiner = bulk_users(2)
    group_id = _open(group_buy_id, leader)
    clock.advance(timedelta(hours=1, seconds=1))
    assert _join(group_id, joiner) == "ended"
    assert _seats(group_id) == (1, 1)


def test_max_groups_caps_opening():
    group_buy_id = _group_buy(max_groups=1)
    first, second = bulk_users(2)
    _open(group_buy_id, first)
    with pytest.raises(Conflict) as refused, transaction() as session:
        group_buys.open_group(session, group_buy_id, second, clock.now())
    assert refused.value.code == "sold_out"
    with read_session() as session:
        assert session.scalar(select(GroupBuy.groups_opened)) == 1
        assert session.scalar(select(func.count(Group.id))) == 1


def test_released_seat_can_be_taken_again_and_paid_seats_complete_the_group():
    group_buy_id = _group_buy(size=2)
    leader, joiner, other = bulk_users(3)
    group_id = _open(group_buy_id, leader)
    assert _join(group_id, joiner) == "ok"
    with transaction() as session:
        assert group_buys.release_seat(session, group_id, joiner)
        assert not group_buys.release_seat(session, group_id, joiner)
    assert _seats(group_id) == (1, 1)
    assert _join(group_id, other) == "ok"
    with transaction() as session:
        assert not group_buys.mark_seat_paid(session, group_id, leader, clock.now())
        assert group_buys.mark_seat_paid(session, group_id, other, clock.now())
    with read_session() as session:
        group = group_buys.get_group(session, group_id)
    assert (group.status, group.paid_members, group.joinable) == ("succeeded", 2, False)


def test_500_concurrent_joiners_never_overfill_groups_of_3():
    """Given 100 open groups of 3 (leader seated) and 5 joiners aimed at each."""
    group_buy_id = _group_buy(size=3)
    leaders = bulk_users(100)
    group_ids = [_open(group_buy_id, leader) for leader in leaders]
    joiners = bulk_users(500)
    attempts = [(group_ids[i % 100], user) for i, user in enumerate(joiners)]

    results = run_concurrently(lambda attempt: _join(*attempt), attempts)

    assert results.count("ok") == 200
    assert results.count("group_full") == 300
    with read_session() as session:
        counts = session.scalars(select(Group.member_count)).all()
        members = session.execute(select(GroupMember.group_id, func.count(GroupMember.id))
                                  .group_by(GroupMember.group_id)).all()
    assert sorted(set(counts)) == [3]
    assert all(count == 3 for _, count in members)
