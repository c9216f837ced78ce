"""The 省/市/区 picker's lists (GET /api/v1/regions) and the region code an address keeps."""

import pytest

from quanzi.accounts import regions
from quanzi.accounts.schemas import AddressIn
from tests.factories import ADDRESS, auth, make_user


def test_the_top_list_is_the_34_provincial_divisions_in_code_order(client):
    answer = client.get("/api/v1/regions")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "public, max-age=86400"
    items = answer.json()["items"]
    assert len(items) == 34
    assert items[0] == {"code": "110000", "name": "北京市", "leaf": False}
    assert [i["code"] for i in items] == sorted(i["code"] for i in items)
    assert {"440000", "650000", "810000", "820000", "710000"} <= {i["code"] for i in items}


def test_a_citys_districts_and_a_municipalitys_own_city(client):
    shenzhen = client.get("/api/v1/regions", params={"parent": "440300"}).json()["items"]
    assert {"code": "440305", "name": "南山区", "leaf": True} in shenzhen
    assert all(i["code"].startswith("4403") and i["leaf"] for i in shenzhen)
    beijing = client.get("/api/v1/regions", params={"parent": "110000"}).json()["items"]
    assert beijing == [{"code": "110100", "name": "北京市", "leaf": False}]
    districts = client.get("/api/v1/regions", params={"parent": "110100"}).json()["items"]
    assert {"code": "110105", "name": "朝阳区", "leaf": True} in districts
    assert len(districts) == 16


@pytest.mark.parametrize("parent", ["999999", "110105", "abc", "1101000"])
def test_an_unknown_code_or_a_leaf_is_a_404_json_error(client, parent):
    answer = client.get("/api/v1/regions", params={"parent": parent})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_places_text_names_each_level_once():
    assert regions.place("110105").text == "北京市 朝阳区"
    assert regions.place("440305").text == "广东省 深圳市 南山区"
    assert regions.place("441900").text == "广东省 东莞市"  # a city without districts
    assert regions.place("419001").text == "河南省 济源市"  # under 省直辖, left unsaid


def test_an_address_with_a_code_takes_its_region_from_the_code(client):
    user = make_user()
    saved = client.post("/api/v1/me/addresses", headers=auth(user),
                        json={**ADDRESS, "region": "", "region_code": "310115"})
    assert saved.status_code == 201
    assert (saved.json()["region"], saved.json()["region_code"]) == ("上海市 浦东新区", "310115")
    listed = client.get("/api/v1/me/addresses", headers=auth(user)).json()["items"]
    assert [(a["region"], a["region_code"]) for a in listed] == [("上海市 浦东新区", "310115")]


def test_an_unknown_code_is_refused_and_nothing_is_saved(client):
    user = make_user()
    refused = client.post("/api/v1/me/addresses", headers=auth(user),
                          json={**ADDRESS, "region_code": "999999"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "validation_error"
    assert client.get("/api/v1/me/addresses", headers=auth(user)).json() == {"items": []}


def test_an_address_without_a_code_is_as_before():
    typed = AddressIn(**ADDRESS)
    assert (typed.region, typed.region_code) == ("上海市 浦东新区", None)
