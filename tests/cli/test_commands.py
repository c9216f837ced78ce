"""Every command README.md and API.md document, run as a person runs it: ``quanzi …`` as a
process, in a new folder, on a new database; checked by its exit status, what it prints
and what it left in the database. A new command gets its test here the same way (take a
``home``, run ``home.quanzi(...)``, look in ``home.opened()``).
"""

import signal
import stat
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select

from quanzi.accounts.models import AuthToken, User
from quanzi.core.db import Database, read_session, set_db, transaction
from quanzi.ledger import services as ledger
from quanzi.orders.models import Order
from quanzi.tables import Base
from tests import backends
from tests.cli.home import TRACEBACK, Home, free_port, read_until, stop, wait_for
from tests.factories import auth, make_product, make_supplier, make_user, pay, place

PASSWORD = "s3cret-pass-7"
ON_SQLITE = not backends.PG_URL


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def rows(home: Home) -> dict[str, int]:
    """How many rows each table of the home's database holds."""
    with home.opened() as database, database.read_engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables}


def use(home: Home) -> None:
    """Point this test process at the home's database (the autouse fixture closes it)."""
    set_db(Database(home.url))


def sign_in(client: TestClient, login: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


# --- db upgrade --------------------------------------------------------------------------

def test_db_upgrade_migrates_a_new_database_and_a_second_run_changes_nothing(fresh_home):
    first = fresh_home.quanzi("db", "upgrade")
    second = fresh_home.quanzi("db", "upgrade")

    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "database is up to date" in second.stdout
    with fresh_home.opened() as database:
        tables = set(inspect(database.read_engine).get_table_names())
    assert {"users", "suppliers", "orders", "alembic_version"} <= tables
    if ON_SQLITE:  # the new database file is its owner's alone, as are its WAL files
        files = list(fresh_home.folder.glob("quanzi.db*"))
        assert files and {mode(f) for f in files} == {0o600}


# --- user create -------------------------------------------------------------------------

def test_user_create_makes_each_role_a_user_who_signs_in_with_it(home, client):
    use(home)
    made = home.quanzi("user", "create", "--role", "operator", "--email", "ops@example.cn",
                       "--password", PASSWORD, "--name", "运营 小林")
    assert made.returncode == 0, made.stdout + made.stderr
    assert "(consumer, operator)" in made.stdout
    supplier = client.post("/api/v1/suppliers", json={"name": "绿源生鲜"},
                           headers=sign_in(client, "ops@example.cn"))
    assert supplier.status_code == 201, supplier.text
    supplier_id = supplier.json()["id"]
    logins = {"supplier": ["--email", "staff@example.cn", "--supplier-id", str(supplier_id)],
              "leader": ["--email", "leader@example.cn"],
              "promoter": ["--email", "promoter@example.cn"],
              "consumer": ["--phone", "13800138123"]}

    for role, options in logins.items():
        result = home.quanzi("user", "create", "--role", role, *options, "--password", PASSWORD)
        assert result.returncode == 0, (role, result.stdout + result.stderr)

    for role, options in {"operator": ["--email", "ops@example.cn"], **logins}.items():
        headers = sign_in(client, options[1])
        me = client.get("/api/v1/me", headers=headers).json()
        assert me["roles"] == (["consumer"] if role == "consumer" else ["consumer", role])
        assert me["supplier_id"] == (supplier_id if role == "supplier" else None)
    promoter = client.get("/api/v1/me/promoter", headers=sign_in(client, "promoter@example.cn"))
    assert promoter.json()["status"] == "approved"  # can share at once, like the demo's


def test_user_disable_ends_every_token_and_enable_lets_them_sign_in_again(home, client):
    use(home)
    assert home.quanzi("user", "create", "--role", "consumer", "--email", "ban@example.cn",
                       "--password", PASSWORD).returncode == 0
    token_headers = sign_in(client, "ban@example.cn")

    disabled = home.quanzi("user", "disable", "ban@example.cn")

    assert disabled.returncode == 0, disabled.stdout + disabled.stderr
    assert "disabled user" in disabled.stdout
    login = {"login": "ban@example.cn", "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 401
    with home.opened() as database, database.read_engine.connect() as connection:
        live = connection.scalar(
            select(func.count()).select_from(AuthToken)
            .join(User, User.id == AuthToken.user_id)
            .where(User.email == "ban@example.cn", AuthToken.revoked_at.is_(None)))
    assert live == 0
    assert client.get("/api/v1/me", headers=token_headers).status_code == 401
    assert home.quanzi("user", "enable", "ban@example.cn").returncode == 0
    assert client.get("/api/v1/me", headers=sign_in(client, "ban@example.cn")).status_code == 200
    unknown = home.quanzi("user", "disable", "nobody@example.cn")
    assert unknown.returncode == 1 and "no user" in unknown.stderr + unknown.stdout
    assert TRACEBACK not in unknown.stderr + unknown.stdout


@pytest.mark.parametrize(("options", "says"), [
    (["--role", "boss", "--email", "boss@example.cn"], "'boss' is not one of"),
    (["--role", "operator"], "give --email or --phone"),
], ids=["unknown-role", "no-login"])
def test_user_create_refuses_bad_usage_with_a_message_and_creates_nobody(home, options, says):
    before = rows(home)

    result = home.quanzi("user", "create", *options, "--password", PASSWORD)

    assert result.returncode == 2
    assert says in result.stderr and TRACEBACK not in result.stderr + result.stdout
    assert rows(home) == before


# --- demo --------------------------------------------------------------------------------

def test_demo_migrates_a_new_database_and_a_second_run_adds_nothing(fresh_home):
    first = fresh_home.quanzi("demo")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "operator@demo.quanzi.cn" in first.stdout and "quanzi-demo" in first.stdout
    loaded = rows(fresh_home)
    assert loaded["users"] == 7 and loaded["products"] == 30

    second = fresh_home.quanzi("demo")

    assert second.returncode == 0, second.stdout + second.stderr
    assert ("0 new users, 0 new campaigns, 0 new pickup points, 0 new batches"
            in second.stdout)
    assert rows(fresh_home) == loaded


# --- worker ------------------------------------------------------------------------------

def test_worker_once_runs_what_is_due_and_exits(home, client, settings, monkeypatch):
    use(home)
    monkeypatch.setattr(settings, "payment_timeout", timedelta(0))  # due at once
    (sku,) = make_product(make_supplier())
    order = place(client, auth(make_user()), [(sku, 1)])

    result = home.quanzi("worker", "--once")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "expire_unpaid=1" in result.stdout and "settle=0" in result.stdout
    with read_session() as session:
        assert session.get_one(Order, order["id"]).status == "cancelled"


def test_worker_runs_until_sigterm(home):
    worker = home.start("worker", "--no-periodic")
    started = read_until(worker, "periodic sweeps off")  # said once it handles signals

    status, output = stop(worker)

    assert "periodic sweeps off" in started
    assert status == 0, started + output
    assert "worker stopped" in output and TRACEBACK not in started + output


# --- ledger check ------------------------------------------------------------------------

@pytest.mark.ledger_unchecked
def test_ledger_check_passes_right_books_and_names_what_is_wrong(home, client):
    use(home)
    buyer = auth(make_user())
    (sku,) = make_product(make_supplier())
    pay(client, buyer, place(client, buyer, [(sku, 2)])["id"])

    right = home.quanzi("ledger", "check")

    assert right.returncode == 0, right.stdout + right.stderr
    assert "ledger ok" in right.stdout
    with transaction() as session:  # money in escrow that no order holds
        ledger.post(session, kind="payment", ref="stray", dedupe_key="stray",
                    postings=[("external", -500), ("escrow", 500)])

    wrong = home.quanzi("ledger", "check")

    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "escrow_mismatch" in wrong.stdout and TRACEBACK not in wrong.stdout + wrong.stderr


# --- serve -------------------------------------------------------------------------------

def test_serve_migrates_a_new_database_answers_and_stops_on_sigterm(fresh_home):
    base = f"http://127.0.0.1:{free_port()}"
    server = fresh_home.start("serve", "--port", base.rsplit(":", 1)[1])
    try:
        health = wait_for(f"{base}/healthz", server)
        registered = httpx.post(f"{base}/api/v1/auth/register", json={
            "email": "new@example.cn", "password": PASSWORD, "name": "新人"})
        login = httpx.post(f"{base}/api/v1/auth/login",
                           json={"login": "new@example.cn", "password": PASSWORD})
    finally:
        status, output = stop(server)

    assert health.json() == {"status": "ok"}
    assert registered.status_code == 201, registered.text
    assert login.status_code == 200 and login.json()["token_type"] == "bearer"
    assert "empty database: applying migrations" in output
    # a graceful stop: uvicorn finishes the lifespan (the click writer flushes), then ends
    # by the signal it got, so that a process manager sees why it stopped
    assert status in (0, -signal.SIGTERM), output
    assert "Application shutdown complete" in output and "Finished server process" in output
    assert TRACEBACK not in output
    key = fresh_home.folder / "data" / "secret_key"  # made once in ./data, its owner's alone
    assert mode(key) == 0o600 and len(key.read_text()) >= 32
    if ON_SQLITE:
        assert mode(fresh_home.folder / "quanzi.db") == 0o600
