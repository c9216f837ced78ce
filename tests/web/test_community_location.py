"""使用我的位置 in the browser: points nearest first with their distance, the chosen point
kept while the list re-sorts around the buyer; a refused location says to search instead."""

import pytest

from quanzi.community import leaders
from tests.factories import make_user
from tests.web import axe
from tests.web import community_data as cd
from tests.web.data import PASSWORD

pytestmark = pytest.mark.browser
# beside 翠苑一区 (30.2862, 120.1335): about 120 m from it, about 900 m from 阳光家园
HERE = {"latitude": 30.2872, "longitude": 120.1340}


def test_the_nearest_point_comes_first_and_the_chosen_one_stays_chosen(visitor):
    given = cd.community()  # 阳光家园便利店 at (30.2790, 120.1290)
    near = make_user(name="孙团长")
    applied = leaders.apply(user_id=near.id,
                            point=cd.point_in("翠苑一区菜鸟驿站", "翠苑一区", 30.2862, 120.1335))
    closer = leaders.approve(operator_id=given.operator.id, application_id=applied.id)
    buyer = cd.chosen_buyer(given)  # chose 阳光家园 earlier, without a location
    person = visitor(geolocation=HERE, permissions=["geolocation"])
    person.sign_in(buyer.email or "", PASSWORD)
    person.page.goto("/community/points")
    with person.page.expect_navigation():
        person.page.click("[data-testid=use-location]")
    cards = person.page.locator("[data-testid=point-results] > li")
    assert cards.count() == 2
    assert cards.nth(0).get_attribute("data-testid") == f"point-{closer.pickup_point_id}"
    assert [d.strip() for d in person.page.locator("[data-testid=distance]").all_text_contents()
            ] == ["121 m", "1.0 km"]
    assert person.page.text_content("[data-testid=chosen-name]") == "阳光家园便利店"
    assert cards.nth(1).locator("[data-testid=is-chosen]").is_visible()
    axe.assert_readable(person.page)
    assert person.scroll_width() <= 375
    person.shot("community-choose-point-near")
    assert person.errors == []


def test_a_refused_location_says_to_search_by_district_and_name(visitor):
    cd.community()
    person = visitor(permissions=[])
    person.page.goto("/community/points")
    person.page.click("[data-testid=use-location]")
    message = person.page.locator("[data-locate-message]")
    message.wait_for()
    assert "请用下面的地区和小区名查找" in message.text_content()
    assert "lat=" not in person.page.url
