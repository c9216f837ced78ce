"""``quanzi demo``'s community part: three live points in one city, one of them the demo
leader's, and an open batch of groceries; a second run adds nothing."""

from sqlalchemy import select

from quanzi.accounts.models import User
from quanzi.community.models import Batch, BatchItem, PickupPoint
from quanzi.core.db import read_session
from quanzi.demo import load_demo


def test_the_demo_has_three_points_with_leaders_and_an_open_batch_and_runs_twice():
    first = load_demo()
    assert first.community is not None and first.community.points_created == 3
    second = load_demo()
    assert second.community is not None
    assert (second.community.points_created, second.community.batch_created) == (0, False)
    with read_session() as session:
        points = list(session.scalars(select(PickupPoint)))
        assert {p.city for p in points} == {"杭州市"} and len(points) == 3
        assert {p.status for p in points} == {"live"}
        leader = session.scalars(select(User).where(
            User.email == "leader@demo.quanzi.cn")).one()
        assert leader.id in {p.leader_id for p in points}
        for point in points:
            assert "leader" in session.get_one(User, point.leader_id).roles
        (batch,) = session.scalars(select(Batch))
        assert batch.status == "open"
        assert len(list(session.scalars(select(BatchItem)))) == 4
