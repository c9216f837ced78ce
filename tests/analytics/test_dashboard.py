"""The operator's dashboard reads the rollup, not the orders or the clicks, and says how
fresh its figures are; when the rollup is older than a minute, today is counted live."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from quanzi.analytics import queries, rollup
from quanzi.core import clock
from quanzi.core.db import get_db, read_session
from tests.analytics.seed import DAY1, DAY2, NOON_DAY2, at, paid_order, seed
from tests.factories import auth, make_user
from tests.web.helpers import sign_in

SOURCE_TABLES = re.compile(r"\b(orders|clicks)\b", re.IGNORECASE)


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement run meanwhile, on either engine."""
    seen: list[str] = []
    engines = get_db().engines

    def record(conn, cursor, statement, params, context, executemany):
        seen.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def operator_signed_in(client) -> None:
    sign_in(client, make_user("operator").email or "")


def test_the_dashboard_reads_the_rollup_and_no_order_or_click(client):
    seed(client)
    operator_signed_in(client)
    rollup.sweep()
    with statements() as seen:
        page = client.get("/operator")
    assert page.status_code == 200
    assert seen and [s for s in seen if SOURCE_TABLES.search(s)] == []
    assert "订单 · 3" in page.text and "成交额 · ¥77.40" in page.text
    assert "点击 · 5" in page.text
    assert "汇总于 2025-03-02 12:00（每分钟更新）" in page.text


def test_the_read_model_gives_the_charts_and_today_and_yesterday(client):
    seed(client)
    rollup.sweep()
    with read_session() as session:
        board = queries.dashboard(session, clock.now())
    assert board.daily.days[-2:] == [DAY1, DAY2] and len(board.daily.days) == 14
    assert board.daily.orders[-2:] == [1, 2] and sum(board.daily.orders) == 3
    assert board.daily.gmv_fen[-2:] == [2580, 5160] and board.daily.clicks[-2:] == [1, 4]
    assert board.today == queries.Figures(DAY2, paid_orders=2, gmv_fen=5160, clicks=4,
                                          visitors=2, refunded_fen=3870, new_buyers=1,
                                          new_accounts=1)
    assert (board.yesterday.day, board.yesterday.paid_orders) == (DAY1, 1)
    assert (board.rolled_at, board.live_today) == (NOON_DAY2, False)


def test_today_is_counted_live_when_the_rollup_is_older_than_a_minute(client):
    given = seed(client)
    rollup.sweep()
    operator_signed_in(client)
    paid_order(client, auth(make_user()), given.sku_id, 1, NOON_DAY2 + timedelta(minutes=2))
    page = client.get("/operator", headers={"Accept-Language": "en"}).text
    assert "Orders · 4" in page and "¥90.30" in page
    assert "Today&#39;s figures are live; earlier days as rolled up at" in page
    with read_session() as session:
        board = queries.dashboard(session, clock.now())
    assert board.live_today and board.today.new_buyers == 2 and board.yesterday.gmv_fen == 2580


def test_before_any_rollup_today_is_live_and_the_page_says_so(client):
    seed(client)
    operator_signed_in(client)
    page = client.get("/operator").text
    assert "订单 · 2" in page  # today's two orders, counted live; the 1st not rolled up yet
    assert "此前各天尚未汇总" in page
    at(NOON_DAY2 + timedelta(seconds=59))
    rollup.sweep()
    assert "订单 · 3" in client.get("/operator").text
