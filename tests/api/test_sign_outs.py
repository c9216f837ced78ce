"""Sign-outs are immediate everywhere: the flash buy's cache of sign-ins drops a token the
moment it is signed out (or its user's roles change), in this process directly and,
with Redis, in every other process through the news channel (``core.broadcast``)."""

import json
import time

import redis

from quanzi.accounts import services as accounts
from quanzi.accounts import sign_ins, sign_outs
from quanzi.core import broadcast
from quanzi.core.security import token_digest
from quanzi.referral import services as referral
from tests import backends
from tests.api.conftest import World, new_key
from tests.api.test_access import _fresh_caches  # noqa: F401  (no sale's Redis keys left over)
from tests.factories import ADDRESS, make_user, token_for


def _buy(client, world: World, token: str):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/flash-sales/{world.sale_id}/buy",
                       json={"quantity": 1, "address": ADDRESS},
                       headers={"Authorization": f"Bearer {token}",
                                "Idempotency-Key": new_key()})


def test_a_signed_out_token_cannot_buy_at_once(client):
    world = World()
    token = token_for(world.buyer)
    assert _buy(client, world, token).status_code == 201
    assert sign_ins.cached(token) is not None  # the cache is warm

    response = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204

    refused = _buy(client, world, token)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_token"


def test_a_role_change_drops_the_user_s_cached_sign_ins():
    user, operator = make_user(), make_user("operator")
    token = token_for(user)
    assert sign_ins.identity(token).roles == ("consumer",)
    promoter = referral.apply(user_id=user.id)
    referral.approve(operator_id=operator.id, promoter_id=promoter.id)
    assert sign_ins.cached(token) is None
    assert "promoter" in sign_ins.identity(token).roles


def test_a_lookup_under_way_during_a_sign_out_is_not_remembered(monkeypatch):
    token = token_for(make_user())
    real = sign_ins.signed_in_until

    def racing(tokens):  # type: ignore[no-untyped-def]
        found = real(tokens)  # read while the token was live...
        accounts.logout(token)  # ...signed out before the answer is remembered
        return found

    monkeypatch.setattr(sign_ins, "signed_in_until", racing)
    assert sign_ins.lookup([token])  # this request had it
    assert sign_ins.cached(token) is None


def test_a_sign_out_published_by_another_process_drops_the_entry_within_a_second():
    url = backends.require_redis()
    token = token_for(make_user())
    assert sign_ins.identity(token) is not None
    with broadcast.subscribed():
        time.sleep(0.2)  # the listener has subscribed (which forgets every cached sign-in)
        assert sign_ins.identity(token) is not None
        other_process = redis.Redis.from_url(url)
        message = {"origin": "another-process", "topic": sign_outs.TOPIC,
                   "data": {"tokens": [token_digest(token)], "users": []}}
        other_process.publish(broadcast.channel(), json.dumps(message))
        deadline = time.monotonic() + 1.0
        while sign_ins.cached(token) is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        other_process.close()
        assert sign_ins.cached(token) is None
