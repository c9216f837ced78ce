"""Accounts' pure rules (accounts/domain.py): mainland mobile numbers and login names."""

import pytest

from quanzi.accounts.domain import ROLES, looks_like_email, normalize_phone


@pytest.mark.parametrize(("typed", "phone"), [
    ("13800138000", "13800138000"), ("+86 138-0013-8000", "13800138000"),
    ("86 13800138000", "13800138000"), ("+8619912345678", "19912345678"),
    (" 138 0013 8000 ", "13800138000"), ("15012345678", "15012345678"),
])
def test_mainland_mobile_numbers_are_read_without_separators_or_country_code(typed, phone):
    assert normalize_phone(typed) == phone


@pytest.mark.parametrize("typed", [
    "", "12345", "12800138000", "10800138000", "1380013800", "138001380001",
    "+1 13800138000", "010-12345678", "13800138000x", "138.0013.8000", "＋8613800138000",
])
def test_anything_else_is_not_a_mainland_mobile_number(typed):
    assert normalize_phone(typed) is None


def test_a_login_with_an_at_sign_is_an_email():
    assert looks_like_email("a@example.cn")
    assert not looks_like_email("13800138000")


def test_the_roles():
    assert ROLES == ("consumer", "promoter", "leader", "supplier", "operator")
