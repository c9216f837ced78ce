"""The quanzi command: db upgrade, user create, demo (twice), worker --once."""

from datetime import timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from quanzi.accounts.models import User
from quanzi.catalog.models import Product
from quanzi.cli import app
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import auth, make_product, make_supplier, make_user, place

runner = CliRunner()


def test_db_upgrade_is_idempotent():
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_user_create_and_duplicate():
    args = ["user", "create", "--role", "operator", "--email", "ops@example.cn",
            "--password", "s3cret-pass", "--name", "运营"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, args)
    assert second.exit_code == 1
    with read_session() as session:
        roles = session.scalars(select(User.roles).where(User.email == "ops@example.cn")).one()
    assert roles == ["consumer", "operator"]


def test_user_create_supplier_needs_supplier_id():
    result = runner.invoke(app, ["user", "create", "--role", "supplier", "--email",
                                 "s@example.cn", "--password", "s3cret-pass"])
    assert result.exit_code == 2
    assert "--supplier-id" in result.output


def _users() -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def test_user_create_refuses_what_cannot_be_a_user_and_creates_nobody():
    supplier_id = make_supplier()
    cases = [  # options, exit status, what it says
        (["--role", "supplier", "--email", "s@example.cn", "--supplier-id", "999999"], 1,
         "no such supplier"),
        (["--role", "consumer", "--email", "c@example.cn", "--supplier-id", str(supplier_id)], 2,
         "--supplier-id is only for --role supplier"),
        (["--role", "operator", "--email", "not-an-address"], 2, "not an e-mail address"),
        (["--role", "consumer", "--phone", "12345"], 1, "not a mainland China mobile number"),
    ]
    for options, status, says in cases:
        result = runner.invoke(app, ["user", "create", *options, "--password", "s3cret-pass"])
        assert (result.exit_code, says in result.output) == (status, True), result.output
    assert _users() == 0


def test_worker_once_with_no_periodic_is_bad_usage():
    result = runner.invoke(app, ["worker", "--once", "--no-periodic"])
    assert result.exit_code == 2 and "--once runs the periodic sweeps" in result.output


def test_demo_twice_creates_nothing_the_second_time():
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "operator@demo.quanzi.cn" in first.output
    with read_session() as session:
        products = session.scalar(select(func.count()).select_from(Product))
        users = session.scalar(select(func.count()).select_from(User))
    assert products == 30 and users == 7  # five roles, and two more leaders of pickup points
    from quanzi.referral.models import Promoter

    with read_session() as session:
        statuses = session.scalars(select(Promoter.status)).all()
    assert statuses == ["approved"]  # the demo promoter can share at once
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0, second.output
    with read_session() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 30
        assert session.scalar(select(func.count()).select_from(User)) == 7


def test_worker_once_runs_due_sweeps(client):
    (sku,) = make_product(make_supplier())
    order = place(client, auth(make_user()), [(sku, 1)])
    clock.advance(timedelta(minutes=20))
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "expire_unpaid=1" in result.output
    with read_session() as session:
        assert session.get_one(Order, order["id"]).status == "cancelled"


def test_a_round_runs_every_sweep_and_the_lease_follows_the_settings():
    from quanzi import worker
    from quanzi.core.config import get_settings
    from quanzi.core.lease import DatabaseLease, RedisLease

    done = worker.sweep_round()
    loop = worker.scheduler(get_settings(), periodic=True)

    assert set(done) >= {"outbox", "expire_unpaid", "auto_confirm", "settle", "refunds",
                         "groups", "tiered", "flash_sales", "presales", "bargains"}
    expected = RedisLease if get_settings().redis_url else DatabaseLease
    assert isinstance(loop.lease, expected)
    assert worker.scheduler(get_settings(), periodic=False).lease is None  # --no-periodic
