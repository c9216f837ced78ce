"""Help-cut-price over HTTP: starting, helping by the rules, the honest count, the reveal."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi.campaigns import domain
from quanzi.campaigns.bargain import runs as bargains
from quanzi.campaigns.models import BargainHelp, BargainRun
from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from quanzi.core.errors import Conflict
from tests.campaigns.helpers import (
    bulk_users,
    headers,
    run_concurrently,
    signed_in,
    sku_of_new_supplier,
)
from tests.factories import snapshot


def _bargain(client, helps: int = 3, per_day: int = 3, start: int = 9900, floor: int = 100,
             **extra) -> int:
    _, sku_id = sku_of_new_supplier()
    body = {"sku_id": sku_id, "start_price_fen": start, "floor_price_fen": floor,
            "helps_needed": helps, "duration_s": 86400, "helps_per_user_per_day": per_day,
            **extra}
    response = client.post("/api/v1/bargains", json=body, headers=headers("operator"))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _start(client, bargain_id: int, owner: dict) -> dict:
    response = client.post(f"/api/v1/bargains/{bargain_id}/start", headers=owner)
    assert response.status_code == 201, response.text
    return response.json()


def _help(client, run_id: int, helper: dict, **kwargs):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/bargain-runs/{run_id}/help", headers=helper, **kwargs)


def _helps(run_id: int) -> int:
    with read_session() as session:
        return session.scalar(select(func.count(BargainHelp.id))
                              .where(BargainHelp.run_id == run_id))


def test_helps_cut_to_the_floor_and_the_reveal_matches_the_commitment(client):
    bargain_id = _bargain(client, helps=3)
    owner = headers()
    started = _start(client, bargain_id, owner)
    run_id = started["bargain_run_id"]
    first = 9900 - started["current_price_fen"]  # the starter's own cut, applied at start
    assert first >= 1 and started["helps_remaining"] == 3

    hidden = client.get(f"/api/v1/bargain-runs/{run_id}").json()
    assert hidden["status"] == "active" and "salt" not in hidden and "cuts_fen" not in hidden

    results = [_help(client, run_id, headers()).json() for _ in range(3)]
    assert [r["helps_remaining"] for r in results] == [2, 1, 0]
    assert results[-1]["current_price_fen"] == 100
    assert 9900 - first - sum(r["cut_fen"] for r in results) == 100

    revealed = client.get(f"/api/v1/bargain-runs/{run_id}").json()
    assert revealed["status"] == "floor_reached"
    assert revealed["cuts_fen"] == [first, *(r["cut_fen"] for r in results)]
    assert first == max(revealed["cuts_fen"])
    assert domain.commitment(revealed["salt"], revealed["cuts_fen"]) == started["commitment"]

    extra = _help(client, run_id, headers())
    assert extra.status_code == 409
    assert extra.json()["error"] == {"code": "floor_reached", "message": "已砍到底价，无需再帮砍"}
    assert _helps(run_id) == 3
    assert client.get(f"/api/v1/bargain-runs/{run_id}").json() == revealed


def test_owner_cannot_help_and_a_friend_helps_once(client):
    bargain_id = _bargain(client, helps=3)
    owner, friend = headers(), headers()
    run_id = _start(client, bargain_id, owner)["bargain_run_id"]

    own = _help(client, run_id, owner)
    assert own.status_code == 403
    assert _help(client, run_id, friend).status_code == 200
    again = _help(client, run_id, friend)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_helped")
    assert _helps(run_id) == 1
    assert client.get(f"/api/v1/bargain-runs/{run_id}").json()["helps_remaining"] == 2


def test_daily_help_limit_resets_the_next_china_day(client):
    clock.freeze(clock.now().replace(hour=3, minute=0))  # 11:00 in China
    bargain_id = _bargain(client, helps=5, per_day=1)
    friend = headers()
    run_a = _start(client, bargain_id, headers())["bargain_run_id"]
    run_b = _start(client, bargain_id, headers())["bargain_run_id"]

    assert _help(client, run_a, friend).status_code == 200
    limited = _help(client, run_b, friend)
    assert (limited.status_code, limited.json()["error"]["code"]) == (409, "limit_reached")
    assert _helps(run_b) == 0

    clock.advance(timedelta(hours=13))  # 00:00 the next day in China
    assert _help(client, run_b, friend).status_code == 200


def test_expired_run_refuses_helps_and_reveals(client):
    bargain_id = _bargain(client, helps=3)
    run_id = _start(client, bargain_id, headers())["bargain_run_id"]
    clock.advance(timedelta(days=1))

    late = _help(client, run_id, headers())
    assert (late.status_code, late.json()["error"]["code"]) == (409, "ended")
    shown = client.get(f"/api/v1/bargain-runs/{run_id}").json()
    assert shown["status"] == "expired" and len(shown["cuts_fen"]) == 4  # the starter's too
    assert bargains.expire_runs() == 1
    assert bargains.expire_runs() == 0


def test_wechat_helps_follow_the_bargain_setting(client):
    wechat = {"user-agent": "Mozilla/5.0 MicroMessenger/8.0.47"}
    closed = _bargain(client, helps=2)
    run_id = _start(client, closed, headers())["bargain_run_id"]
    refused = _help(client, run_id, {**headers(), **wechat})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "help_off_in_wechat")
    assert _helps(run_id) == 0

    allowed = _bargain(client, helps=2, allow_in_wechat=True)
    run_id = _start(client, allowed, headers())["bargain_run_id"]
    assert _help(client, run_id, {**headers(), **wechat}).status_code == 200


def test_one_live_run_per_owner_and_not_before_the_start(client):
    bargain_id = _bargain(client, helps=2)
    owner = headers()
    _start(client, bargain_id, owner)
    later = _bargain(client, starts_at=(clock.now() + timedelta(hours=1)).isoformat())
    before = snapshot()
    again = client.post(f"/api/v1/bargains/{bargain_id}/start", headers=owner)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_started")

    early = client.post(f"/api/v1/bargains/{later}/start", headers=owner)
    assert (early.status_code, early.json()["error"]["code"]) == (409, "not_started")
    assert client.post("/api/v1/bargains/4242/start", headers=owner).status_code == 404
    assert snapshot() == before


def test_owner_claims_the_run_once_at_the_current_price(client):
    bargain_id = _bargain(client, helps=4)
    owner_id, owner = signed_in()
    started = _start(client, bargain_id, owner)
    run_id = started["bargain_run_id"]
    cut = _help(client, run_id, headers()).json()
    with transaction() as session:
        price = bargains.claim_run_for_purchase(session, run_id, owner_id, clock.now())
    assert price == started["current_price_fen"] - cut["cut_fen"] == cut["current_price_fen"]
    with pytest.raises(Conflict), transaction() as session:
        bargains.claim_run_for_purchase(session, run_id, owner_id, clock.now())


def test_concurrent_helps_apply_each_cut_exactly_once(client):
    bargain_id = _bargain(client, helps=40, start=100_000, floor=0)
    run_id = _start(client, bargain_id, headers())["bargain_run_id"]
    helpers = bulk_users(60)

    def help_once(user_id: int) -> str:
        try:
            bargains.help_bargain(run_id=run_id, helper_id=user_id)
            return "ok"
        except Conflict as exc:
            return exc.code

    results = run_concurrently(help_once, helpers, workers=16)

    assert results.count("ok") == 40 and results.count("floor_reached") == 20
    with read_session() as session:
        run = session.get(BargainRun, run_id)
        seqs = session.scalars(select(BargainHelp.seq).where(BargainHelp.run_id == run_id)).all()
        cuts = session.scalars(select(BargainHelp.cut_fen).where(BargainHelp.run_id == run_id)
                               .order_by(BargainHelp.seq)).all()
    assert sorted(seqs) == list(range(1, 41))  # cut 0 is the starter's, applied at start
    assert cuts == run.cuts_fen[1:]
    assert (run.current_price_fen, run.status) == (0, "floor_reached")
