"""Reading the share cookies (referral/share_cookies.py): a cookie that cannot be a share
code or a visitor id is dropped."""

import pytest

from quanzi.referral.share_cookies import Origin, from_cookie_header


def test_both_cookies_are_read_among_others():
    header = "lang=en; qz_vid=AbCdEf123456; qz_session=xyz; qz_share=K7dQ2mXa9Z"
    assert from_cookie_header(header) == Origin("K7dQ2mXa9Z", "AbCdEf123456")


@pytest.mark.parametrize("header", ["", "lang=en", "qz_share=", "qz_share=../../etc",
                                    'qz_share="K7dQ2mXa9Z', "qz_share=" + "a" * 17,
                                    "qz_vid=short", "qz_vid=" + "v" * 33, "qz_vid=a b c d e f g",
                                    "qz_vid=\x00\x00\x00\x00\x00\x00\x00\x00"])
def test_what_cannot_be_a_code_or_a_visitor_is_none(header):
    assert from_cookie_header(header) == Origin()


def test_the_request_s_code_wins_over_the_cookie_s():
    cookies = from_cookie_header("qz_share=K7dQ2mXa9Z; qz_vid=AbCdEf123456")
    assert cookies.with_code("Zz9Zz9Zz9Z") == Origin("Zz9Zz9Zz9Z", "AbCdEf123456")
    assert cookies.with_code(None) == cookies
