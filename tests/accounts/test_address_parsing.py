"""智能填写: pasted addresses split into the form's fields (POST /api/v1/addresses/parse)."""

import pytest

from quanzi.accounts.address_parsing import guess
from tests.factories import auth, make_user

CASES = [
    ("张三 13812345678 北京市朝阳区建国路88号SOHO现代城A座1001",
     ("张三", "13812345678", "北京市", "北京市", "朝阳区", "110105", "北京市 朝阳区",
      "建国路88号SOHO现代城A座1001")),
    ("13912345678 李四 广东省深圳市南山区科技园科苑路15号",  # the phone first
     ("李四", "13912345678", "广东省", "深圳市", "南山区", "440305",
      "广东省 深圳市 南山区", "科技园科苑路15号")),
    ("收货人：王五，手机号码：150-0000-1111，所在地区：浙江省杭州市西湖区 详细地址：文三路90号",
     ("王五", "15000001111", "浙江省", "杭州市", "西湖区", "330106",
      "浙江省 杭州市 西湖区", "文三路90号")),
    ("上海浦东新区世纪大道100号 赵六 +86 137 0000 2222",  # short names, +86 and spaces
     ("赵六", "13700002222", "上海市", "上海市", "浦东新区", "310115", "上海市 浦东新区",
      "世纪大道100号")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_a_pasted_address_gives_every_field(text, expected):
    found = guess(text)
    assert (found.name, found.phone, found.province, found.city, found.district,
            found.region_code, found.region, found.detail) == expected


def test_text_without_an_address_leaves_the_fields_empty():
    found = guess("随便写点什么")
    assert (found.name, found.phone, found.region_code, found.region) == ("", "", None, "")
    assert found.detail == "随便写点什么"


def test_the_api_answers_signed_in_callers_and_refuses_empty_text(client):
    user = make_user()
    text = {"text": CASES[1][0]}
    assert client.post("/api/v1/addresses/parse", json=text).status_code == 401
    answer = client.post("/api/v1/addresses/parse", json=text, headers=auth(user))
    assert answer.status_code == 200
    assert answer.json() == {"name": "李四", "phone": "13912345678", "province": "广东省",
                             "city": "深圳市", "district": "南山区", "region_code": "440305",
                             "region": "广东省 深圳市 南山区", "detail": "科技园科苑路15号"}
    empty = client.post("/api/v1/addresses/parse", json={"text": ""}, headers=auth(user))
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "validation_error"
