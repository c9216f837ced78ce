"""Sign-ins of the API and the hot routes: looked up together (one statement at a time),
remembered briefly, never past the token's expiry."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import update

from quanzi.accounts import services as accounts
from quanzi.accounts import sign_ins
from quanzi.accounts.models import AuthToken
from quanzi.core import clock
from quanzi.core.db import transaction
from tests.factories import make_user, token_for


def _in_own_loop(coroutine):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _ask_together(tokens: list[str], monkeypatch) -> tuple[list, list[int]]:  # type: ignore[no-untyped-def]
    """Ask for every token in one loop tick; the answers and the size of each lookup."""
    sizes: list[int] = []
    real = sign_ins.lookup

    def counting(part: list[str]):  # type: ignore[no-untyped-def]
        sizes.append(len(part))
        return real(part)

    monkeypatch.setattr(sign_ins, "lookup", counting)

    async def main():  # type: ignore[no-untyped-def]
        return await asyncio.gather(*(sign_ins.identity_async(t) for t in tokens))

    return _in_own_loop(main()), sizes


def test_a_crowd_of_new_buyers_is_looked_up_in_one_statement(monkeypatch):
    users = [make_user() for _ in range(6)]
    tokens = [token_for(user) for user in users]
    asked = [*tokens, tokens[0], "not-a-token"]

    answers, sizes = _ask_together(asked, monkeypatch)

    assert sizes == [7]  # one lookup for the distinct tokens
    assert [a.id for a in answers[:6]] == [u.id for u in users]
    assert answers[6].id == users[0].id
    assert answers[7] is None
    assert sign_ins.cached(tokens[3]).id == users[3].id


def test_remembered_answers_need_no_lookup_and_expire(monkeypatch):
    user = make_user("operator")
    token = token_for(user)
    first, _ = _ask_together([token], monkeypatch)
    again, sizes = _ask_together([token], monkeypatch)
    assert first[0] == again[0] and again[0].is_operator and sizes == []

    monkeypatch.setattr(sign_ins, "SIGN_IN_TTL", 0.0)
    expired, sizes = _ask_together([token], monkeypatch)
    assert expired[0] == first[0] and sizes == [1]  # past the TTL: looked up again


def test_a_sign_out_drops_the_remembered_answer_at_once(monkeypatch):
    token = token_for(make_user())
    _ask_together([token], monkeypatch)
    assert sign_ins.cached(token) is not None

    accounts.logout(token)

    assert sign_ins.cached(token) is None
    after, sizes = _ask_together([token], monkeypatch)
    assert after == [None] and sizes == [1]


def test_expired_tokens_are_not_signed_in():
    token = token_for(make_user())
    clock.advance(timedelta(days=8))
    assert sign_ins.identity(token) is None


def test_a_remembered_answer_ends_with_its_token(client):
    user = make_user()
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # remembered now
    clock.advance(timedelta(days=7, seconds=1))  # the token's own life (QUANZI_TOKEN_TTL)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_with_the_cache_off_every_request_looks_its_token_up(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "sign_in_cache", False)
    user = make_user()
    token = token_for(user)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert sign_ins.cached(token) is None
    with transaction() as session:  # as another process would, unheard
        session.execute(update(AuthToken).values(revoked_at=clock.now()))
    assert client.get("/api/v1/me", headers=headers).status_code == 401
