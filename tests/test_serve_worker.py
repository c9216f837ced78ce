"""``quanzi serve`` is the whole shop (issue #15): started as ``make run`` starts it, in a
new folder on a new database with no other process, it runs the background jobs too, and
what depends on time happens within seconds; Ctrl-C or SIGTERM stops the server and its
worker together; of two schedulers on one database one fires the sweeps at a time.

Each test starts ``quanzi serve --port <free port>`` as a process (its output in a file),
writes its users and products into the same database from this process, and acts
through the HTTP API. Rate limits are on, as for a person (the server gets no
``QUANZI_*`` the suite set for itself).
"""

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from quanzi.accounts.schemas import UserOut
from quanzi.core.config import Settings
from quanzi.core.db import Database, get_db, set_db
from quanzi.core.lease import DatabaseLease
from quanzi.provisioning import create_with_role
from quanzi.worker_child import left_out
from tests.cli.home import COMMAND, TRACEBACK, Home, drop_home, free_port, new_home
from tests.factories import ADDRESS, PASSWORD, make_product, make_supplier, make_user

T = TypeVar("T")
RUNS_SWEEPS = "this process runs the sweeps"
STANDS_BY = "this process stands by"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    made = new_home(tmp_path / "home", f"serve{os.getpid()}_{time.monotonic_ns()}")
    yield made
    drop_home(made)


@dataclass
class Process:
    """A long-running ``quanzi`` command in its own process group, printing to a file."""

    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def said(self, text: str, within: float = 60) -> str:
        """Wait until the process has printed ``text``; everything it printed so far."""
        return eventually(lambda: self.output() if text in self.output() else None, within,
                          f"never printed {text!r}", self)

    def stop(self, sig: int = signal.SIGTERM, *, group: bool = False) -> int:
        """Send ``sig`` (to the whole group, as a terminal's Ctrl-C does); its exit status."""
        if group:
            os.killpg(self.popen.pid, sig)
        else:
            self.popen.send_signal(sig)
        return self.popen.wait(30)


@dataclass
class Server(Process):
    base: str = ""

    def worker_pid(self) -> int:
        found = re.search(r"quanzi worker in process (\d+)", self.output())
        assert found, self.output()
        return int(found.group(1))


def eventually(check: Callable[[], T | None], within: float, what: str,
               process: Process | None = None) -> T:
    """Poll ``check`` every 0.2 s until it answers (not None, not False)."""
    deadline = time.monotonic() + within
    while True:
        answer = check()
        if answer is not None and answer is not False:
            return answer
        if process is not None and process.popen.poll() is not None:
            raise AssertionError(f"exited {process.popen.returncode}: {process.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {within} s"
                                 + (f": {process.output()}" if process else ""))
        time.sleep(0.2)


@contextmanager
def started(home: Home, *args: str, env: dict[str, str] | None = None) -> Iterator[Process]:
    """``quanzi *args`` in the home; on the way out a process still running (a failed
    test) is killed with its group, so no test leaves one behind."""
    log = home.folder / f"{args[0]}-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen([*COMMAND, *args], cwd=home.folder, stdout=out,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 env={**home.env, **(env or {})}, start_new_session=True)
    try:
        yield Process(popen, log)
    finally:
        if popen.poll() is None:
            os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()


@contextmanager
def serving(home: Home, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``quanzi serve --port <free>`` answering, with this process pointed at its database
    until the block ends."""
    port = free_port()
    with started(home, "serve", "--port", str(port), *args, env=env) as process:
        server = Server(process.popen, process.log, base=f"http://127.0.0.1:{port}")
        eventually(lambda: _answers(f"{server.base}/healthz"), 60, "no answer", server)
        suites = get_db()
        set_db(Database(home.url))  # migrated by serve
        try:
            yield server
        finally:
            set_db(suites)  # before the home's database is dropped


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def signed_in(server: Server, user: UserOut) -> dict[str, str]:
    response = httpx.post(f"{server.base}/api/v1/auth/login",
                          json={"login": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def call(server: Server, method: str, path: str, headers: dict[str, str], *,
         expect: int = 200, **body: Any) -> dict[str, Any]:
    """One API call; a money- or stock-moving POST gets a fresh Idempotency-Key."""
    key = {"Idempotency-Key": f"k{time.monotonic_ns()}"} if method == "POST" else {}
    response = httpx.request(method, f"{server.base}/api/v1{path}", headers={**headers, **key},
                             json=body or None, timeout=30)
    assert response.status_code == expect, response.text
    return dict(response.json())


def stopped_cleanly(status: int, sig: int, output: str) -> None:
    assert status in (0, -sig), output
    assert "Application shutdown complete" in output and "worker stopped" in output, output
    assert TRACEBACK not in output, output


# --- the jobs run with the server --------------------------------------------------------

def test_an_unpaid_order_is_cancelled_and_its_stock_released_by_serve_alone(home):
    with serving(home, env={"QUANZI_PAYMENT_TIMEOUT": "2s"}) as server:
        (sku,) = make_product(make_supplier(), [("500g", 1290, 10)])
        buyer = signed_in(server, make_user())
        order = call(server, "POST", "/orders", buyer, expect=201, address=ADDRESS,
                     items=[{"sku_id": sku, "quantity": 3}])
        placed = time.monotonic()
        product = f"/products/{order['lines'][0]['product_id']}"
        assert call(server, "GET", product, {})["skus"][0]["stock"] == 7

        eventually(lambda: call(server, "GET", f"/orders/{order['id']}", buyer)["status"]
                   == "cancelled", 10, "the unpaid order was not cancelled", server)
        waited = time.monotonic() - placed
        stock = call(server, "GET", product, {})["skus"][0]["stock"]
        worker = server.worker_pid()
        status = server.stop(signal.SIGINT, group=True)  # Ctrl-C in the terminal of make run

    assert waited < 10 and stock == 10, waited
    stopped_cleanly(status, signal.SIGINT, server.output())
    assert not running(worker)


def test_a_completed_order_settles_into_the_promoters_wallet_by_serve_alone(home):
    with serving(home, env={"QUANZI_RETURN_WINDOW": "0s"}) as server:
        supplier_id = make_supplier(fee_bp=500)
        (sku,) = make_product(supplier_id, [("2kg", 5000, 20)])
        sharer = create_with_role(role="promoter", name="小美", password=PASSWORD,
                                  email="sharer@example.cn")
        promoter = signed_in(server, sharer)
        buyer = signed_in(server, make_user())
        staff = signed_in(server, make_user("supplier", supplier_id=supplier_id))
        product_id = call(server, "GET", "/products", {})["items"][0]["id"]
        share = call(server, "POST", "/shares", promoter, expect=201, product_id=product_id)

        order = call(server, "POST", "/orders", buyer, expect=201, address=ADDRESS,
                     items=[{"sku_id": sku, "quantity": 1}], share_code=share["code"])
        intent = call(server, "POST", f"/orders/{order['id']}/pay", buyer, provider="sandbox")
        call(server, "POST", f"/payments/sandbox/{intent['payment_id']}/complete", buyer)
        call(server, "POST", f"/orders/{order['id']}/ship", staff, carrier="顺丰",
             tracking_no="SF100200300")
        assert call(server, "POST", f"/orders/{order['id']}/confirm", buyer)["status"] \
            == "completed"

        wallet = eventually(lambda: (lambda w: w if w["available_fen"] else None)(
            call(server, "GET", "/me/wallet", promoter)), 10, "no commission settled", server)
        status = server.stop()

    assert order["attribution"]["promoter_id"] == sharer.id
    assert wallet["available_fen"] == 500 and wallet["pending_fen"] == 0  # 10% of ¥50
    stopped_cleanly(status, signal.SIGTERM, server.output())


# --- stopping ------------------------------------------------------------------------------

def test_sigint_to_serve_alone_stops_its_worker_too_and_leaves_no_child(home):
    with serving(home) as server:
        worker = server.worker_pid()
        server.said(RUNS_SWEEPS)  # the child is up and holds the lease
        assert children(server.popen.pid) == [worker] and running(worker)

        status = server.stop(signal.SIGINT)  # the group's Ctrl-C: the first test

    stopped_cleanly(status, signal.SIGINT, server.output())
    assert not running(worker)


def test_the_worker_ends_by_itself_when_serve_is_killed(home):
    with serving(home) as server:
        worker = server.worker_pid()
        server.said(RUNS_SWEEPS)

        server.stop(signal.SIGKILL)  # no chance to stop its child

        eventually(lambda: not running(worker), 5, "the orphan worker still runs")
        assert "worker stopped" in server.output()


def test_serve_no_worker_starts_none(home):
    with serving(home, "--no-worker") as server:
        output = server.said("background jobs:")
        kids = children(server.popen.pid)
        status = server.stop()

    assert "background jobs: not run here (--no-worker); run quanzi worker" in output
    assert kids == [] and status in (0, -signal.SIGTERM)
    assert RUNS_SWEEPS not in server.output()


@pytest.mark.parametrize(("settings", "no_worker", "reason"), [
    ({}, False, None),
    ({}, True, "--no-worker"),
    ({"env": "production"}, False, "QUANZI_ENV=production"),
    ({"serve_worker": False}, False, "QUANZI_SERVE_WORKER=off"),
])
def test_serve_starts_a_worker_outside_production_unless_told_not_to(settings, no_worker,
                                                                     reason):
    assert left_out(Settings(**settings), no_worker=no_worker) == reason


def test_the_settings_read_the_sweep_interval_and_the_switch(monkeypatch):
    monkeypatch.setenv("QUANZI_SWEEP_INTERVAL", "5s")
    monkeypatch.setenv("QUANZI_SERVE_WORKER", "off")
    assert Settings().sweep_interval == timedelta(seconds=5)
    assert Settings().serve_worker is False
    monkeypatch.setenv("QUANZI_SWEEP_INTERVAL", "0s")
    with pytest.raises(ValueError, match="sweep_interval"):
        Settings()


# --- one scheduler at a time ---------------------------------------------------------------

def test_with_a_second_scheduler_on_the_database_one_fires_the_sweeps_at_a_time(home):
    with serving(home) as server:
        child = server.worker_pid()
        serve_says = server.said(RUNS_SWEEPS)
        holder = re.search(rf"{RUNS_SWEEPS} \((\S+:{child}:\w+)\)", serve_says)
        assert holder, serve_says
        with started(home, "worker") as worker:
            stood_by = worker.said(STANDS_BY)
            time.sleep(3)  # a tick or two of each
            recorded = _recorded_holder(home)
            still_standing_by = RUNS_SWEEPS not in worker.output()

            server.stop()  # its child lets go of the lease on the way out
            took_over = worker.said(RUNS_SWEEPS, within=15)
            worker_status = worker.stop()

    assert f"the sweeps are run by {holder.group(1)}; {STANDS_BY}" in stood_by
    assert recorded == holder.group(1) and still_standing_by
    assert serve_says.count(RUNS_SWEEPS) == 1 and took_over.count(RUNS_SWEEPS) == 1
    assert worker_status == 0 and TRACEBACK not in worker.output() + server.output()


def _recorded_holder(home: Home) -> str | None:
    """Who holds the sweeps' lease of the home, as its processes record it: in its Redis
    when it has one, else in its database (this process's, within ``serving``)."""
    if "QUANZI_REDIS_URL" not in home.env:
        return DatabaseLease("sweeps").holder()
    import redis

    with redis.Redis.from_url(home.env["QUANZI_REDIS_URL"]) as client:
        value = client.get(f"{home.env['QUANZI_REDIS_PREFIX']}lease:sweeps")
    return value.decode() if value else None
