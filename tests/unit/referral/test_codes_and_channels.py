"""Shapes of share codes, invite codes and tokens (referral/codes.py), and the channel
tests of referral/domain.py, beyond the examples in ``test_domain.py``."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.referral import codes, domain

CODE = st.text(alphabet=codes.BASE62, min_size=8, max_size=16)
AMBIGUOUS = set("0O1IL")


def test_a_share_code_is_ten_base62_characters():
    made = [codes.new_share_code() for _ in range(300)]
    assert all(len(code) == codes.SHARE_CODE_LENGTH == 10 for code in made)
    assert all(set(code) <= set(codes.BASE62) for code in made)
    assert len(set(made)) == 300


def test_an_invite_code_is_eight_capitals_and_digits_nobody_misreads():
    made = [codes.new_invite_code() for _ in range(300)]
    assert all(len(code) == 8 for code in made)
    alphabet = set(string.ascii_uppercase + string.digits) - AMBIGUOUS
    assert all(set(code) <= alphabet for code in made)
    assert len(set(made)) == 300


@pytest.mark.parametrize(("text", "looks"), [
    ("abcdefg", False), ("abcdefgh", True), ("a" * 16, True), ("a" * 17, False),
    ("abcd-efgh", False), ("abcdéfgh", False), ("abcd efgh", False), ("", False),
    ("ＡＢＣＤＥＦＧＨ", False),
])
def test_only_8_to_16_base62_characters_look_like_a_code(text, looks):
    assert codes.looks_like_code(text) is looks


@given(code=CODE, before=st.sampled_from(["", "【圈子】好物 ", "copy this: ", "\n"]),
       after=st.sampled_from(["", " 复制打开", " ", "!"]))
def test_a_code_comes_back_out_of_its_token_or_link_in_any_message(code, before, after):
    assert codes.looks_like_code(code)
    assert codes.token_for(code) == f"￥{code}￥"
    assert codes.extract_code(before + codes.token_for(code) + after) == code
    assert codes.extract_code(f"{before}https://quanzi.example/s/{code}{after}") == code


def test_a_link_whose_code_runs_on_past_16_characters_is_not_a_code():
    assert codes.extract_code("https://quanzi.example/s/" + "a" * 17) is None


@pytest.mark.parametrize(("agent", "wechat"), [
    ("Mozilla/5.0 (iPhone) MicroMessenger/8.0.47", True),
    ("mozilla/5.0 micromessenger/8.0", True),
    ("Mozilla/5.0 MICROMESSENGER", True),
    ("Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0", False),
    ("WeChat", False),
    ("", False),
])
def test_wechat_is_recognised_by_its_browsers_name_in_any_case(agent, wechat):
    assert domain.is_wechat(agent) is wechat
    assert (domain.channel_for(agent) == "wechat") is wechat


@pytest.mark.parametrize(("kind", "page"), sorted(domain.CAMPAIGN_PAGES.items()))
def test_every_campaign_kind_leads_to_its_page(kind, page):
    assert domain.target_path("campaign", 9, campaign_kind=kind) == f"/{page}/9"


def test_a_campaign_of_no_known_kind_leads_to_the_generic_campaign_page():
    assert domain.target_path("campaign", 9) == "/campaigns/9"
    assert domain.target_path("campaign", 9, campaign_kind="coupon") == "/campaigns/9"
