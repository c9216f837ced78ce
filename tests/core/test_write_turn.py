"""SQLite writers queue for their turn: in the process on a lock, across processes on a file
lock; a writer that never gets one gives up with WriteTurnTimeout."""

import fcntl
import os
import threading

import pytest
from sqlalchemy import text

from quanzi.core import write_turn
from quanzi.core.db import transaction
from quanzi.core.write_turn import WriteTurn, WriteTurnTimeout

WAIT = 0.2  # how long a writer is given to show it did not start


def _enter_in_thread(turn: WriteTurn, entered: threading.Event,
                     leave: threading.Event) -> threading.Thread:
    def writer() -> None:
        with turn:
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    return thread


def test_the_queue_moves_on_when_the_holder_leaves(tmp_path):
    turn = WriteTurn(tmp_path / "shop.db-writers")
    first, second = threading.Event(), threading.Event()
    leave_first, leave_second = threading.Event(), threading.Event()
    holder = _enter_in_thread(turn, first, leave_first)
    assert first.wait(5)
    waiter = _enter_in_thread(turn, second, leave_second)
    assert not second.wait(WAIT)

    leave_first.set()

    assert second.wait(5)
    leave_second.set()
    holder.join(5)
    waiter.join(5)


def test_a_writer_waits_for_another_process_holding_the_file(tmp_path):
    path = tmp_path / "shop.db-writers"
    other = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # as another process would
    fcntl.flock(other, fcntl.LOCK_EX)
    turn = WriteTurn(path)
    entered, leave = threading.Event(), threading.Event()
    writer = _enter_in_thread(turn, entered, leave)
    try:
        assert not entered.wait(WAIT)

        fcntl.flock(other, fcntl.LOCK_UN)

        assert entered.wait(5)
    finally:
        leave.set()
        writer.join(5)
        os.close(other)
        turn.close()


def test_no_turn_within_the_timeout_raises_and_leaves_the_turn_free(tmp_path, monkeypatch):
    monkeypatch.setattr(write_turn, "TIMEOUT", 0.05)
    path = tmp_path / "shop.db-writers"
    other = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)
    turn = WriteTurn(path)
    try:
        with pytest.raises(WriteTurnTimeout), turn:
            pass
        fcntl.flock(other, fcntl.LOCK_UN)
        with turn:  # the in-process lock was given back when the file lock timed out
            pass
    finally:
        os.close(other)
        turn.close()


def test_the_turn_is_reentrant_in_its_thread(tmp_path):
    turn = WriteTurn(tmp_path / "shop.db-writers")
    with turn, turn:
        pass
    entered, leave = threading.Event(), threading.Event()
    writer = _enter_in_thread(turn, entered, leave)
    assert entered.wait(5)  # fully released after the nested exit
    leave.set()
    writer.join(5)
    turn.close()


def test_many_threads_writing_at_once_all_commit(db):
    with transaction() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS tally (n INTEGER)"))
    errors: list[BaseException] = []

    def add_one() -> None:
        try:
            for _ in range(20):
                with transaction() as session:
                    session.execute(text("INSERT INTO tally (n) VALUES (1)"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    with transaction() as session:
        assert session.scalar(text("SELECT count(*) FROM tally")) == 160
        session.execute(text("DROP TABLE tally"))


def test_try_enter_takes_a_free_turn_without_waiting(tmp_path):
    turn = WriteTurn(tmp_path / "shop.db-writers")
    assert turn.try_enter()
    entered, leave = threading.Event(), threading.Event()
    writer = _enter_in_thread(turn, entered, leave)
    try:
        assert not entered.wait(WAIT)  # held until left

        turn.__exit__()

        assert entered.wait(5)
        assert not turn.try_enter()  # the thread holds it now
    finally:
        leave.set()
        writer.join(5)
    assert turn.try_enter()
    turn.__exit__()


def test_try_enter_refuses_while_another_process_holds_the_file(tmp_path):
    path = tmp_path / "shop.db-writers"
    other = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # as another process would
    fcntl.flock(other, fcntl.LOCK_EX)
    turn = WriteTurn(path)
    try:
        assert not turn.try_enter()
        entered, leave = threading.Event(), threading.Event()
        writer = _enter_in_thread(turn, entered, leave)  # the thread lock was given back
        assert not entered.wait(WAIT)
        fcntl.flock(other, fcntl.LOCK_UN)
        assert entered.wait(5)
        leave.set()
        writer.join(5)
        assert turn.try_enter()
        turn.__exit__()
    finally:
        os.close(other)
        turn.close()


def test_try_enter_does_not_jump_a_queued_writer(tmp_path):
    turn = WriteTurn(tmp_path / "shop.db-writers")
    # a writer between joining the queue and getting the lock: the moment a holder has
    # just left and the woken waiter has not taken the lock yet
    turn._waiting += 1
    try:
        assert not turn.try_enter()
    finally:
        turn._waiting -= 1
    assert turn.try_enter()
    turn.__exit__()
    turn.close()
