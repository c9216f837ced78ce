"""Names of many users in one query, for lists that show who did what."""

from quanzi.accounts.services import user_names
from quanzi.core.db import read_session
from tests.factories import make_user


def test_names_of_the_users_that_exist_in_one_lookup():
    alice, bob = make_user(name="小美"), make_user(name="阿强")
    with read_session() as session:
        assert user_names(session, [bob.id, alice.id, bob.id, 999_999]) == {
            alice.id: "小美", bob.id: "阿强"}
        assert user_names(session, []) == {}
