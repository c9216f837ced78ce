"""Human durations (core/durations.py): ``15m``, ``7d``, ``1h30m``, ``0s``, seconds."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.core.durations import parse_duration

SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@pytest.mark.parametrize(("text", "duration"), [
    ("15m", timedelta(minutes=15)), ("7d", timedelta(days=7)), ("1h30m", timedelta(minutes=90)),
    ("0s", timedelta(0)), ("90", timedelta(seconds=90)), ("0", timedelta(0)),
    (" 2H ", timedelta(hours=2)), ("1d1h1m1s", timedelta(seconds=90061)),
    ("30m1h", timedelta(minutes=90)), ("1m1m", timedelta(minutes=2)),
    (45, timedelta(seconds=45)), (timedelta(days=3), timedelta(days=3)),
])
def test_durations_people_write(text, duration):
    assert parse_duration(text) == duration


@pytest.mark.parametrize("text", [
    "", "  ", "m", "1x", "1h 30m", "-5s", "1.5h", "h1", "1hh", "15 m", "7days", "1h30", "½h",
])
def test_anything_else_is_refused_with_the_shapes_it_takes(text):
    with pytest.raises(ValueError, match=r"not a duration: .* \(use e\.g\. 15m, 7d, 1h30m, 0s\)"):
        parse_duration(text)


@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from("smhd")), min_size=1,
                max_size=4))
def test_parts_run_together_add_up(parts):
    text = "".join(f"{number}{unit}" for number, unit in parts)
    total = sum(number * SECONDS[unit] for number, unit in parts)
    assert parse_duration(text) == timedelta(seconds=total)
    assert parse_duration(text.upper()) == timedelta(seconds=total)


@given(st.integers(0, 10**9))
def test_a_number_of_seconds_in_text_or_as_an_int_is_the_same(seconds):
    assert parse_duration(str(seconds)) == parse_duration(seconds) == timedelta(seconds=seconds)
