"""Shanghai days: the pure bucketing the rollup's SQL mirrors."""

from datetime import UTC, date, datetime, timedelta, timezone

from quanzi.analytics.days import Window, day_start, days_between, fill, last_days, shanghai_day

SHANGHAI = timezone(timedelta(hours=8))


def test_the_last_second_before_shanghai_midnight_and_midnight_are_different_days():
    assert shanghai_day(datetime(2025, 3, 1, 23, 59, 59, tzinfo=SHANGHAI)) == date(2025, 3, 1)
    assert shanghai_day(datetime(2025, 3, 2, 0, 0, 0, tzinfo=SHANGHAI)) == date(2025, 3, 2)
    assert shanghai_day(datetime(2025, 3, 1, 15, 59, 59, 999999, tzinfo=UTC)) == date(2025, 3, 1)
    assert shanghai_day(datetime(2025, 3, 1, 16, 0, tzinfo=UTC)) == date(2025, 3, 2)


def test_a_shanghai_day_begins_at_four_in_the_afternoon_utc_the_day_before():
    assert day_start(date(2025, 3, 2)) == datetime(2025, 3, 1, 16, 0, tzinfo=UTC)
    assert day_start(date(2025, 1, 1)) == datetime(2024, 12, 31, 16, 0, tzinfo=UTC)
    assert shanghai_day(day_start(date(2025, 3, 2))) == date(2025, 3, 2)
    assert shanghai_day(day_start(date(2025, 3, 2)) - timedelta(microseconds=1)) \
        == date(2025, 3, 1)


def test_a_window_is_a_half_open_utc_range_over_whole_shanghai_days():
    window = Window(date(2025, 2, 28), date(2025, 3, 1))
    assert window.since == datetime(2025, 2, 27, 16, 0, tzinfo=UTC)
    assert window.until == datetime(2025, 3, 1, 16, 0, tzinfo=UTC)


def test_days_between_includes_both_ends_and_crosses_months_and_leap_days():
    assert days_between(date(2024, 2, 28), date(2024, 3, 1)) == [
        date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]
    assert days_between(date(2025, 3, 2), date(2025, 3, 1)) == []
    assert last_days(date(2025, 1, 2), 3) == [date(2024, 12, 31), date(2025, 1, 1),
                                              date(2025, 1, 2)]


def test_fill_gives_every_day_and_metric_a_figure_and_leaves_out_the_rest():
    days = [date(2025, 3, 1), date(2025, 3, 2)]
    found = [(date(2025, 3, 2), "clicks", 4), (date(2025, 2, 1), "clicks", 9),
             (date(2025, 3, 1), "unknown", 1)]
    assert fill(days, ["clicks", "visitors"], found) == [
        (date(2025, 3, 1), "clicks", 0), (date(2025, 3, 1), "visitors", 0),
        (date(2025, 3, 2), "clicks", 4), (date(2025, 3, 2), "visitors", 0)]
