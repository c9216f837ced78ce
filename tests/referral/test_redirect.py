"""GET /s/{code}: 302 with cookies, clicks buffered then written, previews, 404, concurrency."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from sqlalchemy import select

from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.referral import clicks
from quanzi.referral.models import Click
from tests.referral.conftest import approved_promoter, click_count, new_product, share_product

WECHAT = "Mozilla/5.0 (iPhone) AppleWebKit Mobile MicroMessenger/8.0.47 NetType/WIFI"


def test_redirect_sets_cookies_and_records_the_click_after_flush(client):
    product_id = new_product()
    code = share_product(approved_promoter(), product_id)

    response = client.get(f"/s/{code}", headers={"user-agent": WECHAT, "referer": "https://x.cn/a"},
                          follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"] == f"/p/{product_id}"
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith(f"qz_share={code};") and "Max-Age=604800" in c for c in cookies)
    visitor = next(c for c in cookies if c.startswith("qz_vid="))
    assert "Max-Age=31536000" in visitor and "HttpOnly" in visitor
    assert click_count() == 1
    with read_session() as session:
        click = session.scalars(select(Click)).one()
    assert click.channel == "wechat"
    assert click.referrer == "https://x.cn/a"
    assert click.visitor_id == visitor.split(";")[0].removeprefix("qz_vid=")
    assert click.ip_hash is not None and len(click.ip_hash) == 64
    assert "testclient" not in (click.ip_hash or "")
    assert click.is_preview is False


def test_the_ip_is_hashed_with_a_salt_never_stored():
    import hashlib

    assert clicks.ip_hash("1.2.3.4") != hashlib.sha256(b"1.2.3.4").hexdigest()
    assert clicks.ip_hash("1.2.3.4") == clicks.ip_hash("1.2.3.4")
    assert clicks.ip_hash(None) is None


def test_a_returning_visitor_keeps_their_id(client):
    code = share_product(approved_promoter())
    client.cookies.set("qz_vid", "visitor-abc_123")
    response = client.get(f"/s/{code}", follow_redirects=False)
    assert response.status_code == 302
    assert not any(c.startswith("qz_vid=") for c in response.headers.get_list("set-cookie"))
    click_count()
    with read_session() as session:
        assert session.scalars(select(Click.visitor_id)).one() == "visitor-abc_123"


def test_head_works_and_counts_as_a_preview(client):
    product_id = new_product()
    code = share_product(approved_promoter(), product_id)
    response = client.head(f"/s/{code}", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == f"/p/{product_id}"
    assert click_count(preview=False) == 0
    assert click_count(preview=True) == 1


def test_preview_bots_are_not_clicks_and_get_no_cookies(client):
    code = share_product(approved_promoter())
    for agent in ("facebookexternalhit/1.1", "Twitterbot/1.0", "TelegramBot (like TwitterBot)"):
        response = client.get(f"/s/{code}", headers={"user-agent": agent}, follow_redirects=False)
        assert response.status_code == 302
        assert response.headers.get_list("set-cookie") == []
    assert click_count(preview=False) == 0
    assert click_count(preview=True) == 3


def test_unknown_or_malformed_code_is_a_friendly_404_page(client):
    for path in ("/s/ZZZZZZZZZZ", "/s/bad-code!", "/s/x", "/s/" + "a" * 300):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert 'href="/"' in response.text
        assert "qz_share" not in response.headers.get("set-cookie", "")
    assert click_count(preview=None) == 0


def test_the_share_cookie_lasts_the_configured_window(client):
    from quanzi.referral import services
    from quanzi.referral.schemas import ConfigIn

    services.save_config(ConfigIn(window_days=3))
    code = share_product(approved_promoter())
    response = client.get(f"/s/{code}", follow_redirects=False)
    assert f"Max-Age={3 * 86400}" in response.headers["set-cookie"]


def test_a_click_is_stamped_with_the_clock(client):
    code = share_product(approved_promoter())
    clock.freeze()
    at = clock.now()
    client.get(f"/s/{code}", follow_redirects=False)
    click_count()
    with read_session() as session:
        assert session.scalars(select(Click.created_at)).one() == at


def test_a_thousand_concurrent_clicks_on_one_link_are_all_recorded(client):
    code = share_product(approved_promoter())
    statuses: list[int] = []
    lock = threading.Lock()

    def hit(_: int) -> None:
        status = client.get(f"/s/{code}", follow_redirects=False).status_code
        with lock:
            statuses.append(status)

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(hit, range(1000)))

    assert statuses.count(302) == 1000
    assert click_count() == 1000


def test_buffer_under_threads_loses_nothing_on_close(db):
    code = share_product(approved_promoter())
    with read_session() as session:
        share_id = session.scalar(select(Click.share_id).limit(1))  # none yet
    assert share_id is None
    from quanzi.referral.shares import lookup

    target = lookup(code)
    buffer = clicks.ClickBuffer(max_batch=200, interval=0.05)
    buffer.start()

    def add_many(worker: int) -> None:
        for n in range(125):
            buffer.add(clicks.click_row(share_id=target.share_id, visitor_id=f"v{worker}-{n}",
                                        channel="browser", referrer=None, ip="10.0.0.1",
                                        user_agent="ua", is_preview=False, at=clock.now()))

    threads = [threading.Thread(target=add_many, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    buffer.close()

    assert buffer.pending() == 0
    assert click_count() == 1000


def test_a_failed_write_keeps_the_clicks_for_the_next_flush():
    written: list[dict] = []
    fail = {"once": True}

    def flaky(rows: list[dict]) -> None:
        if fail.pop("once", False):
            raise RuntimeError("database away")
        written.extend(rows)

    buffer = clicks.ClickBuffer(max_batch=10_000, writer=flaky)
    for n in range(5):
        buffer.add({"n": n})
    with suppress(RuntimeError):
        buffer.flush()
    assert buffer.pending() == 5 and written == []
    assert buffer.flush() == 5
    assert [row["n"] for row in written] == [0, 1, 2, 3, 4]


def test_shutdown_of_the_app_flushes_the_buffer(app):
    from fastapi.testclient import TestClient

    code = share_product(approved_promoter())
    clicks.buffer.interval = 3600  # only the shutdown can write them
    try:
        with TestClient(app) as test_client:
            for _ in range(50):
                test_client.get(f"/s/{code}", follow_redirects=False)
            assert clicks.buffer.pending() == 50
    finally:
        clicks.buffer.interval = 0.5
    assert clicks.buffer.pending() == 0
    assert click_count() == 50
