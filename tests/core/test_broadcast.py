"""News for the caches (``core.broadcast``): heard at once in this process, within a second
in the others (Redis pub/sub), and a broken subscription makes every cache start afresh."""

import json
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import redis

from quanzi.accounts import sign_ins
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.core import broadcast
from quanzi.core.config import get_settings
from quanzi.referral import redirect
from quanzi.referral import services as referral
from quanzi.referral.schemas import ConfigIn
from tests import backends
from tests.factories import make_user, token_for


@pytest.fixture
def heard() -> Iterator[list[broadcast.Data]]:
    found: list[broadcast.Data] = []
    broadcast.listen("test-topic", found.append)
    yield found
    broadcast._listeners.pop("test-topic", None)


@pytest.fixture
def gaps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When this process forgot what it caches (news may have been missed)."""
    seen: list[float] = []
    monkeypatch.setattr(broadcast, "_gap_hooks",
                        [*broadcast._gap_hooks, lambda: seen.append(time.monotonic())])
    return seen


def _from_another_process(topic: str, data: broadcast.Data, origin: str = "elsewhere") -> str:
    return json.dumps({"origin": origin, "topic": topic, "data": data})


def _within(seconds: float, check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_an_announcement_reaches_this_process_s_listeners_at_once(heard):
    broadcast.announce("test-topic", {"n": 1})
    broadcast.announce("another-topic", {"n": 2})
    assert heard == [{"n": 1}]


def test_news_from_another_process_is_handed_on_but_not_this_process_s_own(heard):
    broadcast.received(_from_another_process("test-topic", {"n": 1}))
    broadcast.received(_from_another_process("test-topic", {"n": 2}, origin=broadcast.ORIGIN))
    broadcast.received(b"not json")
    broadcast.received(json.dumps({"origin": "elsewhere"}))  # no topic
    assert heard == [{"n": 1}]


def test_a_sale_s_news_drops_its_cached_terms_and_only_its():
    kept = flash_sales.SaleTerms(1, 990, 1, *[flash_sales.clock.now()] * 2, None)
    flash_sales._terms.update({7: (time.monotonic(), kept), 8: (time.monotonic(), kept)})
    broadcast.received(_from_another_process(flash_sales.TOPIC, {"sale_id": 7}))
    assert flash_sales.cached_terms(7) is None and flash_sales.cached_terms(8) == kept
    flash_sales.forget_terms()


def test_saving_the_rules_drops_the_cached_attribution_window():
    redirect._window = (time.monotonic(), 3600)
    referral.save_config(ConfigIn(window_days=3))
    assert redirect._window is None
    assert redirect.window_seconds() == 3 * 24 * 3600


def test_the_rules_changed_by_another_process_drop_the_window_here():
    redirect._window = (time.monotonic(), 3600)
    broadcast.received(_from_another_process(referral.RULES_TOPIC, {}))
    assert redirect._window is None


def test_another_process_s_announcement_arrives_within_a_second(heard):
    url = backends.require_redis()
    with broadcast.subscribed(), redis.Redis.from_url(url) as other:
        assert _within(2, lambda: other.pubsub_numsub(broadcast.channel())[0][1] >= 1)
        sent = time.monotonic()
        other.publish(broadcast.channel(), _from_another_process("test-topic", {"n": 1}))
        assert _within(1, lambda: heard == [{"n": 1}])
    assert time.monotonic() - sent < 1


def test_the_first_subscription_starts_the_caches_afresh_before_it_returns(gaps):
    """Else a cache filled just after start-up (the app's first requests) could be
    forgotten a moment later, when the listener reads the subscription's confirmation."""
    backends.require_redis()
    with broadcast.subscribed():
        assert len(gaps) == 1
        time.sleep(2 * broadcast.READ_WAIT_S)  # the listener's reads go on meanwhile
        assert len(gaps) == 1


def test_a_broken_subscription_forgets_every_sign_in_and_hears_news_again(heard):
    url = backends.require_redis()
    token = token_for(make_user())
    with broadcast.subscribed(), redis.Redis.from_url(url) as other:
        assert _within(2, lambda: other.pubsub_numsub(broadcast.channel())[0][1] >= 1)
        assert sign_ins.identity(token) is not None and sign_ins.cached(token) is not None

        other.client_kill_filter(_type="pubsub", skipme=True,
                                 _id=_client_id(other, f"quanzi-news-{broadcast.ORIGIN}"))

        assert _within(5, lambda: sign_ins.cached(token) is None)  # news may have been lost
        assert _within(5, lambda: other.pubsub_numsub(broadcast.channel())[0][1] >= 1)
        other.publish(broadcast.channel(), _from_another_process("test-topic", {"n": 2}))
        assert _within(1, lambda: heard == [{"n": 2}])


def _client_id(client: redis.Redis, name: str) -> str:
    (found,) = [entry["id"] for entry in client.client_list(_type="pubsub")
                if entry.get("name") == name]
    return str(found)


def test_the_channel_is_under_the_prefix():
    assert broadcast.channel() == f"{get_settings().redis_prefix}news"


def test_a_listener_that_fails_leaves_the_subscription_running(heard, caplog):
    url = backends.require_redis()

    def broken(_: broadcast.Data) -> None:
        raise RuntimeError("a bug in a cache")

    broadcast.listen("broken-topic", broken)
    try:
        with broadcast.subscribed(), redis.Redis.from_url(url) as other:
            assert _within(2, lambda: other.pubsub_numsub(broadcast.channel())[0][1] >= 1)
            other.publish(broadcast.channel(), _from_another_process("broken-topic", {}))
            other.publish(broadcast.channel(), _from_another_process("test-topic", {"n": 3}))
            assert _within(1, lambda: heard == [{"n": 3}])
    finally:
        broadcast._listeners.pop("broken-topic", None)
    assert "a listener failed" in caplog.text


def test_leaving_the_subscription_ends_the_listener_without_waiting_out_its_read(monkeypatch):
    """An app shutting down (each test's app, a server on SIGTERM) must not wait for the
    listener's read to time out: leaving wakes it."""
    backends.require_redis()
    monkeypatch.setattr(broadcast, "READ_WAIT_S", 60.0)
    with broadcast.subscribed():
        (listener,) = [t for t in threading.enumerate() if t.name == "news"]
        assert listener.is_alive()
    assert not listener.is_alive()  # without the wake it would still be reading
