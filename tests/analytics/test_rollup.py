"""The rollup writes the figures a direct count finds, by Shanghai day, and writing
them again — twice in a row or twice at once — changes nothing."""

import threading
from datetime import date, timedelta

from sqlalchemy import delete, select

from quanzi.analytics import rollup
from quanzi.analytics.metrics import METRICS
from quanzi.analytics.models import DailyMetric
from quanzi.core.db import read_session, transaction
from tests.analytics.seed import (
    DAY1,
    DAY2,
    LAST_SECOND_OF_DAY1,
    MIDNIGHT,
    at,
    click,
    counted_directly,
    nonzero,
    seed,
)

EXPECTED = {  # 2 × ¥12.90 paid at 23:59:59 on the 1st, 3 × and 1 × from midnight on
    (DAY1, "paid_orders"): 1, (DAY1, "gmv_fen"): 2580, (DAY1, "new_buyers"): 1,
    (DAY1, "clicks"): 1, (DAY1, "visitors"): 1, (DAY1, "new_accounts"): 2,
    (DAY2, "paid_orders"): 2, (DAY2, "gmv_fen"): 5160, (DAY2, "new_buyers"): 1,
    (DAY2, "clicks"): 4, (DAY2, "visitors"): 2, (DAY2, "new_accounts"): 1,
    (DAY2, "refunded_fen"): 1290 + 2580,
}


def stored() -> dict[tuple[date, str], int]:
    with read_session() as session:
        rows = session.execute(select(DailyMetric.day, DailyMetric.metric, DailyMetric.value))
        return {(day, metric): value for day, metric, value in rows}


def test_the_rollup_equals_a_direct_count_across_a_shanghai_midnight(client):
    seed(client)
    written = rollup.sweep()
    assert written == 2 * len(METRICS)  # the first run: from the first day with figures
    assert nonzero(stored()) == nonzero(counted_directly()) == EXPECTED
    assert set(stored()) == {(day, name) for day in (DAY1, DAY2) for name in METRICS}


def test_running_the_sweep_again_changes_nothing(client):
    seed(client)
    rollup.sweep()
    first = stored()
    assert rollup.sweep() == 2 * len(METRICS)
    assert rollup.sweep(full=True) == 2 * len(METRICS)
    assert stored() == first


def test_two_sweeps_at_once_write_the_same_rows_as_one(client):
    seed(client)
    start, failures = threading.Barrier(2), []

    def run() -> None:
        start.wait()
        try:
            rollup.sweep()
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert nonzero(stored()) == EXPECTED
    assert len(stored()) == 2 * len(METRICS)


def test_a_click_written_after_midnight_counts_for_the_day_it_was_made(client):
    given = seed(client)
    rollup.sweep()
    at(MIDNIGHT + timedelta(days=1, seconds=30))  # the 3rd: the worker rolls up at 00:00:30
    rollup.sweep()
    click(given.share_id, "v9", MIDNIGHT + timedelta(days=1) - timedelta(seconds=1))
    rollup.sweep()  # yesterday is redone every run
    assert stored()[DAY2, "clicks"] == 5 and stored()[DAY2, "visitors"] == 3
    assert stored()[DAY2 + timedelta(days=1), "clicks"] == 0


def test_days_missed_while_no_worker_ran_are_rolled_up_when_it_runs_again(client):
    given = seed(client)
    rollup.sweep()  # at noon on the 2nd
    click(given.share_id, "v1", MIDNIGHT + timedelta(days=2, hours=1))  # the 4th
    at(MIDNIGHT + timedelta(days=5))  # the 7th: nothing ran for five days
    assert rollup.sweep() == 6 * len(METRICS)  # the 2nd … the 7th
    assert stored()[DAY2 + timedelta(days=2), "clicks"] == 1
    assert nonzero(stored()) == {**EXPECTED, (DAY2 + timedelta(days=2), "clicks"): 1,
                                 (DAY2 + timedelta(days=2), "visitors"): 1}


def test_a_full_rollup_counts_days_older_than_yesterday(client):
    seed(client)
    rollup.sweep()
    at(LAST_SECOND_OF_DAY1 + timedelta(days=30))
    rollup.sweep()
    with transaction() as session:  # the 1st forgotten, as if its rows were never written
        session.execute(delete(DailyMetric).where(DailyMetric.day == DAY1))
    rollup.sweep()
    assert (DAY1, "gmv_fen") not in stored()  # an ordinary run looks back one day only
    rollup.sweep(full=True)
    assert stored()[DAY1, "gmv_fen"] == 2580
