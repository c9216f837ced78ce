"""Past one process (issue #13): nginx (``deploy/nginx/quanzi.conf``) in front of two
``quanzi serve --no-worker`` processes and two ``quanzi worker`` (one ``--no-periodic``), on
one new PostgreSQL database and the run's Redis, behave as one shop.

PostgreSQL + Redis only (a skip without them; nginx missing fails under CI, as Chromium
does: ``scripts/ensure_nginx.sh``). The processes start once for the module; each test
makes its own sale or share, and the last one stops a server with SIGTERM under load.
Rate limits are off: thousands of buyers come from one address.
"""

import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from quanzi.accounts.models import AuthToken, User
from quanzi.core import clock, security
from quanzi.core.db import Database, get_db, read_session, set_db, transaction
from quanzi.orders.models import Order
from quanzi.referral import clicks
from quanzi.referral import services as referral
from quanzi.referral.models import Click, Share
from tests import backends
from tests.cli.home import Home, drop_home, free_port, new_home
from tests.cluster import nginx
from tests.cluster.load import Answer, Ask, send_all
from tests.factories import ADDRESS, make_product, make_supplier, make_user, token_for
from tests.test_serve_worker import Process, eventually, started

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
BUYERS = 2000
CLIENT_IP = "203.0.113.7"  # the buyer's address as nginx forwards it


@dataclass
class Cluster:
    home: Home
    env: dict[str, str]
    servers: list[Process]
    bases: list[str]  # each server's own address
    workers: list[Process]
    proxy: nginx.Nginx
    operator: dict[str, str]
    promoter: dict[str, str]
    sku_id: int
    product_id: int
    buyers: list[str]  # bearer tokens

    @contextmanager
    def database(self) -> Iterator[Database]:
        """This process pointed at the cluster's database for the block."""
        suites = get_db()
        database = Database(self.home.url)
        set_db(database)
        try:
            yield database
        finally:
            set_db(suites)
            database.dispose()

    def api(self, method: str, path: str, headers: dict[str, str], *, base: str = "",
            expect: int = 200, **body: Any) -> dict[str, Any]:
        """One API call through nginx (or ``base``); a POST gets a fresh Idempotency-Key."""
        key = {"Idempotency-Key": f"k{time.monotonic_ns()}"} if method == "POST" else {}
        response = httpx.request(method, f"{base or self.proxy.base}/api/v1{path}",
                                 headers={**headers, **key}, json=body or None, timeout=30)
        assert response.status_code == expect, response.text
        return dict(response.json()) if response.content else {}

    def flash_sale(self, stock: int) -> int:
        now = clock.now()
        return int(self.api("POST", "/flash-sales", self.operator, expect=201,
                            sku_id=self.sku_id, price_fen=990, stock=stock, per_user_limit=1,
                            starts_at=(now - timedelta(minutes=1)).isoformat(),
                            ends_at=(now + timedelta(hours=1)).isoformat())["id"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _buyers(count: int) -> list[str]:
    """``count`` signed-in consumers, written at once (as bench/flash_sale.py does)."""
    now = clock.now()
    tokens = [security.new_token() for _ in range(count)]
    with transaction() as session:
        users = [User(name=f"抢购{i}", email=f"cluster{i}@example.cn", password_hash="x",
                      roles=["consumer"], is_active=True, created_at=now) for i in range(count)]
        session.add_all(users)
        session.flush()
        session.add_all([AuthToken(user_id=user.id, token_hash=security.token_digest(token),
                                   created_at=now, expires_at=now + timedelta(days=1))
                         for user, token in zip(users, tokens, strict=True)])
    return tokens


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not (backends.PG_URL and backends.REDIS_URL):
        pytest.skip("needs PostgreSQL and Redis: set QUANZI_TEST_DATABASE_URL and "
                    "QUANZI_TEST_REDIS_URL")
    nginx.require_nginx()
    folder = tmp_path_factory.mktemp("cluster")
    home = new_home(folder / "home", f"cluster{time.monotonic_ns()}")
    env = {"QUANZI_RATE_LIMITS": "off", "QUANZI_ENV": "development",
           "QUANZI_SECRET_KEY": "test-secret-key-not-for-production",
           "QUANZI_SWEEP_INTERVAL": "1s"}
    with ExitStack() as stack:
        stack.callback(drop_home, home)
        migrated = home.quanzi("db", "upgrade", env=env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        ports = [free_port(), free_port()]
        # the first server (stopped by the last test) keeps its clicks until it stops
        servers = [stack.enter_context(started(home, "serve", "--no-worker", "--port",
                                               str(port), env={**env, **extra}))
                   for port, extra in zip(ports, ({"QUANZI_CLICK_FLUSH_INTERVAL": "1h"}, {}),
                                          strict=True)]
        workers = [stack.enter_context(started(home, "worker", *extra, env=env))
                   for extra in ((), ("--no-periodic",))]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for server, base in zip(servers, bases, strict=True):
            eventually(lambda b=base: _answers(f"{b}/healthz"), 60, "no answer", server)
        proxy = nginx.start(folder / "nginx", free_port(), [b.removeprefix("http://")
                                                            for b in bases])
        stack.callback(nginx.remove, proxy)
        made = Cluster(home, env, servers, bases, workers, proxy, {}, {}, 0, 0, [])
        with made.database():
            _seed(made)
        yield made


def _seed(cluster: Cluster) -> None:
    supplier_id = make_supplier(fee_bp=500)
    (cluster.sku_id,) = make_product(supplier_id, [("500g", 5000, 1_000_000)], title="赣南脐橙")
    operator, promoter = make_user("operator"), make_user(name="小美")
    applied = referral.apply(user_id=promoter.id)
    referral.approve(operator_id=operator.id, promoter_id=applied.id)
    cluster.operator, cluster.promoter = (_bearer(token_for(operator)),
                                          _bearer(token_for(promoter)))
    cluster.buyers = _buyers(BUYERS)
    cluster.product_id = int(cluster.api("GET", "/products", {})["items"][0]["id"])


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _buy(base: str, sale_id: int, token: str, key: str) -> Ask:
    return Ask("POST", f"{base}/api/v1/flash-sales/{sale_id}/buy",
               {**_bearer(token), "Idempotency-Key": key}, {"quantity": 1, "address": ADDRESS})


def _statuses(answers: list[Answer]) -> dict[int, int]:
    found: dict[int, int] = {}
    for answer in answers:
        found[answer.status] = found.get(answer.status, 0) + 1
    return found


# --- the processes ------------------------------------------------------------------------

def test_of_the_two_workers_exactly_one_runs_the_sweeps(cluster):
    periodic, outbox_only = cluster.workers
    periodic.said("this process runs the sweeps")
    assert "periodic sweeps off (--no-periodic)" in outbox_only.said("worker:")
    time.sleep(2)  # a couple of ticks
    assert "this process runs the sweeps" not in outbox_only.output()


def test_static_files_are_kept_by_nginx_after_the_first_answer(cluster):
    page = httpx.get(f"{cluster.proxy.base}/", timeout=30)
    css = re.search(r'/static/quanzi\.css\?v=\w+', page.text)
    assert page.status_code == 200 and css, page.text[:500]
    first = httpx.get(f"{cluster.proxy.base}{css.group(0)}", timeout=10)
    second = httpx.get(f"{cluster.proxy.base}{css.group(0)}", timeout=10)
    assert first.status_code == second.status_code == 200, cluster.proxy.errors()
    assert first.content == second.content
    assert second.headers["x-cache-status"] == "HIT"
    assert "immutable" in second.headers["cache-control"]


# --- the journeys -------------------------------------------------------------------------

def test_the_referral_journey_through_nginx_ends_in_a_pending_commission(cluster):
    share = cluster.api("POST", "/shares", cluster.promoter, expect=201,
                        product_id=cluster.product_id)
    with httpx.Client(base_url=cluster.proxy.base, timeout=30) as browser:
        click = browser.get(f"/s/{share['code']}")
        assert click.status_code == 302 and browser.cookies.get("qz_share") == share["code"]
    buyer = _bearer(cluster.buyers[0])
    order = cluster.api("POST", "/orders", buyer, expect=201, address=ADDRESS,
                        items=[{"sku_id": cluster.sku_id, "quantity": 2}],
                        share_code=share["code"])
    intent = cluster.api("POST", f"/orders/{order['id']}/pay", buyer, provider="sandbox")
    paid = cluster.api("POST", f"/payments/sandbox/{intent['payment_id']}/complete", buyer)
    wallet = cluster.api("GET", "/me/wallet", cluster.promoter)

    assert paid["status"] == "paid" and order["total_fen"] == 10_000
    assert (wallet["available_fen"], wallet["pending_fen"]) == (0, 1000)  # 10% of ¥100


def _clicks_of(code: str) -> list[Click] | None:
    with read_session() as session:
        share_id = session.scalar(select(Share.id).where(Share.code == code))
        found = list(session.scalars(select(Click).where(Click.share_id == share_id)))
    return found or None


def test_2000_buyers_split_across_both_processes_oversell_nothing(cluster):
    stock = 500
    sale_id = cluster.flash_sale(stock)
    asks = [_buy(cluster.bases[i % 2], sale_id, token, f"rush-{i}")
            for i, token in enumerate(cluster.buyers)]

    answers = send_all(asks, concurrency=64)

    by_server = [_statuses([a for a in answers if a.ask.url.startswith(base)])
                 for base in cluster.bases]
    assert _statuses(answers) == {201: stock, 409: BUYERS - stock}, by_server
    assert all(sum(found.values()) == BUYERS // 2 and found.get(201) for found in by_server)
    refused = {a.body["error"]["code"] for a in answers if a.status == 409 and a.body}
    assert refused == {"sold_out"}
    with cluster.database():
        orders = _count(Order.campaign_ref == f"flash:{sale_id}")
    left = cluster.api("GET", f"/flash-sales/{sale_id}", {})["stock_left"]
    assert orders == stock and left == 0


def _count(*where: Any) -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(Order).where(*where)) or 0)


def test_a_sign_out_through_one_process_is_refused_by_the_other_within_a_second(cluster):
    sale_id = cluster.flash_sale(100)
    token = cluster.buyers[-1]
    one, other = cluster.bases
    warm = send_all([_buy(other, sale_id, token, "warm")])  # the other caches the sign-in
    assert warm[0].status == 201

    cluster.api("POST", "/auth/logout", _bearer(token), base=one, expect=204)
    signed_out = time.monotonic()

    def refused() -> bool:
        (answer,) = send_all([_buy(other, sale_id, token, f"after-{time.monotonic_ns()}")])
        assert answer.status in (401, 409), answer  # 409: bought already, still signed in
        return answer.status == 401

    eventually(refused, 1.0, "the other process still took the signed-out token")
    assert time.monotonic() - signed_out < 1.0


def test_a_rules_change_and_a_price_change_through_one_process_reach_the_other_at_once(
        cluster):
    one, other = cluster.bases
    share = cluster.api("POST", "/shares", cluster.promoter, expect=201,
                        product_id=cluster.product_id)
    assert _share_cookie_age(other, share["code"]) == 7 * 86_400  # the other caches it
    with cluster.database():
        (sku_id,) = make_product(make_supplier(), [("1kg", 2000, 10)], title="砂糖橘")

    cluster.api("PUT", "/referral/config", cluster.operator, base=one, window_days=3)
    changed = time.monotonic()
    eventually(lambda: _share_cookie_age(other, share["code"]) == 3 * 86_400, 1.0,
               "the other process kept the old attribution window")
    heard_within = time.monotonic() - changed
    cluster.api("PATCH", f"/skus/{sku_id}", cluster.operator, base=one, price_fen=1500)
    order = cluster.api("POST", "/orders", _bearer(cluster.buyers[1]), base=other, expect=201,
                        address=ADDRESS, items=[{"sku_id": sku_id, "quantity": 1}])

    assert heard_within < 1.0
    assert order["lines"][0]["price_fen"] == 1500 and order["total_fen"] == 1500


def _share_cookie_age(base: str, code: str) -> int:
    """The attribution cookie's Max-Age as the process at ``base`` sets it on a click."""
    answer = httpx.get(f"{base}/s/{code}", headers={"Referer": "https://t.example/rules"},
                       timeout=10)
    assert answer.status_code == 302
    found = re.search(r"qz_share=[^;]+; Max-Age=(\d+)", answer.headers["set-cookie"])
    assert found, answer.headers
    return int(found.group(1))


# --- a server stopped under load ------------------------------------------------------------

def test_sigterm_under_load_loses_no_click_and_no_acknowledged_order(cluster):
    share = cluster.api("POST", "/shares", cluster.promoter, expect=201,
                        product_id=cluster.product_id)
    sale_id = cluster.flash_sale(BUYERS)
    base, stopped = cluster.proxy.base, cluster.servers[0]
    asks = []
    for i, token in enumerate(cluster.buyers[1:-1]):
        asks.append(Ask("GET", f"{base}/s/{share['code']}",
                        {"Referer": f"https://t.example/{i}", "X-Forwarded-For": CLIENT_IP}))
        asks.append(_buy(base, sale_id, token, f"term-{i}"))
    answered, stop = [0], threading.Event()
    result: list[list[Answer]] = []

    def count(_: Answer) -> None:
        answered[0] += 1

    driver = threading.Thread(target=lambda: result.append(send_all(
        asks, concurrency=32, stop=stop, heard=count)))
    driver.start()
    eventually(lambda: answered[0] >= 600, 60, "the load did not get going")
    status = stopped.stop(signal.SIGTERM)  # returns once the process has exited
    after = answered[0] + 400  # and the other one carries the load on its own a while
    eventually(lambda: answered[0] >= after, 60, "the load stopped with the server")
    stop.set()
    driver.join(60)
    answers = result[0]

    kinds = _statuses(answers)
    assert status in (0, -signal.SIGTERM) and "Application shutdown complete" in stopped.output()
    served_by_stopped = stopped.output().count(f"/s/{share['code']}")
    assert served_by_stopped > 0, stopped.output()[-2000:]
    assert set(kinds) <= {201, 302, 502, 0}, kinds
    redirected = {a.ask.headers["Referer"] for a in answers if a.status == 302}
    ordered = {int(a.body["id"]) for a in answers if a.status == 201 and a.body}
    assert len(redirected) > 300 and len(ordered) > 300, kinds
    with cluster.database():
        # the server still running writes its clicks every 0.5 s; the stopped one kept all
        # of its clicks in memory (QUANZI_CLICK_FLUSH_INTERVAL=1h) until SIGTERM
        lost = _lost(redirected, share["code"], within=3.0)
        addresses = {click.ip_hash for click in _clicks_of(share["code"]) or []
                     if click.referrer in redirected}  # (a promoter shares a product once)
        kept = _count(Order.id.in_(ordered))
    assert not lost, f"{len(lost)} clicks lost: {sorted(lost)[:10]}"
    assert addresses == {clicks.ip_hash(CLIENT_IP)}  # the client's, as nginx forwarded it
    assert kept == len(ordered)

    check = cluster.home.quanzi("ledger", "check", env=cluster.env)
    assert check.returncode == 0, check.stdout + check.stderr


def _lost(referrers: set[str], code: str, within: float) -> set[str]:
    """The clicks answered 302 but not stored after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        lost = referrers - {click.referrer for click in _clicks_of(code) or []}
        if not lost or time.monotonic() > deadline:
            return lost
        time.sleep(0.2)


def test_logs_hold_no_traceback(cluster):
    for process in [*cluster.servers, *cluster.workers]:
        assert "Traceback (most recent call last)" not in process.output(), process.output()
    assert "[emerg]" not in cluster.proxy.errors() and "[crit]" not in cluster.proxy.errors()

