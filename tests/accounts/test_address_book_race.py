"""Two checkouts of one buyer racing to keep the same typed address (real threads; the
race shows on PostgreSQL): the book holds it once, and it is the default."""

import threading

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn
from quanzi.core.db import read_session
from tests.factories import ADDRESS, make_user

RACERS = 6


def test_racing_checkouts_keep_one_typed_address():
    user = make_user()
    start = threading.Barrier(RACERS)
    kept: list[int] = []

    def keep() -> None:
        start.wait()
        kept.append(accounts.remember_address(user.id, AddressIn(**ADDRESS)).id)

    threads = [threading.Thread(target=keep) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with read_session() as session:
        book = accounts.list_addresses(session, user.id)
    assert [(a.detail, a.is_default) for a in book] == [(ADDRESS["detail"], True)]
    assert kept == [book[0].id] * RACERS


def test_a_different_address_is_added_and_the_first_stays_default():
    user = make_user()
    first = accounts.remember_address(user.id, AddressIn(**ADDRESS))
    other = accounts.remember_address(user.id, AddressIn(**{**ADDRESS, "detail": "2 号楼"}))
    assert first.id != other.id
    with read_session() as session:
        book = accounts.list_addresses(session, user.id)
    assert [(a.id, a.is_default) for a in book] == [(first.id, True), (other.id, False)]
