"""Finding a pickup point: by distance around the buyer, and with no location at all by
district and community name (汉字 or pinyin initials)."""

from quanzi.community import leaders, queries
from quanzi.core.db import read_session
from tests.community.helpers import leader_point, operator

WEST_LAKE = (30.2590, 120.1300)  # 杭州 西湖区, roughly


def _names(points) -> list[str]:  # type: ignore[no-untyped-def]
    return [point.community for point in points]


def test_points_are_found_nearest_first_within_the_radius():
    ops = operator()
    leader_point("北山花园", lat=30.2700, lng=120.1300, ops=ops)   # ≈ 1.2 km north
    leader_point("阳光家园", lat=30.2620, lng=120.1300, ops=ops)   # ≈ 0.3 km north
    leader_point("远方小区", lat=30.3200, lng=120.1300, ops=ops)   # ≈ 6.8 km: outside
    leader_point("无坐标小区", ops=ops)                             # no location: never near
    with read_session() as session:
        found = queries.near(session, *WEST_LAKE, 5000)
        wide = queries.near(session, *WEST_LAKE, 10_000)
    assert _names(found) == ["阳光家园", "北山花园"]
    assert [p.distance_m for p in found] == [334, 1223]
    assert _names(wide) == ["阳光家园", "北山花园", "远方小区"]


def test_without_a_location_a_district_and_initials_or_characters_find_the_point():
    ops = operator()
    leader_point("阳光家园", district="西湖区", ops=ops)
    leader_point("阳光家园", district="拱墅区", ops=ops)
    leader_point("翠苑一区", district="西湖区", ops=ops)
    _, _, paused = leader_point("古荡新村", district="西湖区", ops=ops)
    with read_session() as session:
        leader_id = session.get_one(queries.PickupPoint, paused).leader_id
    leaders.pause(leader_id=leader_id, point_id=paused)
    with read_session() as session:
        assert _names(queries.points_in(session, district="西湖区", q="ygjy")) == ["阳光家园"]
        assert _names(queries.points_in(session, district="西湖区", q="YG JY")) == ["阳光家园"]
        assert _names(queries.points_in(session, district="西湖区", q="翠苑")) == ["翠苑一区"]
        assert _names(queries.points_in(session, district=None, q="阳光")) == ["阳光家园"] * 2
        assert sorted(_names(queries.points_in(session, district="西湖区", q=None))) == [
            "翠苑一区", "阳光家园"]  # the paused point is not offered
