"""``quanzi.wiring.wire``: the one place where ports, hooks and event handlers are plugged in.

Each check runs in a fresh interpreter, so what the test suite itself wired (its
conftest calls ``wire()``) cannot hide a registration made at import time.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select

from quanzi.accounts.models import User
from tests.cli.home import drop_home, new_home

ROOT = Path(__file__).resolve().parents[1]

# What every hook list and port holds, as names: printed before wire(), after it, and
# after a second wire().
_PROBE = textwrap.dedent("""
    import json

    import quanzi.app, quanzi.cli, quanzi.demo, quanzi.worker
    from quanzi.accounts import sign_outs
    from quanzi.core import broadcast, db, events
    from quanzi.orders import ports as orders_ports
    from quanzi.payments import ports as payments_ports

    def name(thing):
        return f"{thing.__module__}.{getattr(thing, '__qualname__', type(thing).__name__)}"

    def state():
        try:
            listener = type(payments_ports.listener()).__name__
        except payments_ports.NotWired:
            listener = None
        return {
            "after_commit": [name(h) for h in db._after_commit],
            "database_switch": [name(h) for h in db._on_switch],
            "sign_outs": [name(h) for h in sign_outs._listeners],
            "news": {k: [name(h) for h in v] for k, v in broadcast._listeners.items() if v},
            "news_gap": [name(h) for h in broadcast._gap_hooks],
            "events": {k: [name(h) for _, h in v] for k, v in events._handlers.items() if v},
            "payment_listener": listener,
            "commissions": type(orders_ports.commissions()).__name__,
        }

    before = state()
    from quanzi.wiring import wire
    wire()
    once = state()
    wire()
    print(json.dumps({"before": before, "once": once, "twice": state()}))
""")


def _probe() -> dict[str, dict[str, object]]:
    ran = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_every_entry_point_plugs_nothing_and_wire_plugs_everything_once():
    found = _probe()
    assert found["before"] == {"after_commit": [], "database_switch": [], "sign_outs": [],
                               "news": {}, "news_gap": [], "events": {},
                               "payment_listener": None,
                               "commissions": "NoCommissions"}
    assert found["twice"] == found["once"]
    assert found["once"] == {
        "after_commit": ["quanzi.campaigns.flash.stock._release_after_commit",
                         "quanzi.core.events._dispatch_inline",
                         "quanzi.accounts.sign_outs._announce_committed"],
        "database_switch": ["quanzi.campaigns.flash.sales.forget_terms",
                            "quanzi.referral.redirect._on_switch",
                            "quanzi.accounts.sign_ins.forget"],
        "sign_outs": ["quanzi.accounts.sign_ins.drop"],
        "news": {"sign-outs": ["quanzi.accounts.sign_outs._received"],
                 "flash-sales": ["quanzi.campaigns.flash.sales._changed"],
                 "referral-rules": ["quanzi.referral.redirect._rules_changed"]},
        "news_gap": ["quanzi.campaigns.flash.sales.forget_terms",
                     "quanzi.referral.redirect.forget_rules", "quanzi.accounts.sign_ins.forget"],
        "events": {"order.paid": ["quanzi.handlers.count_sales",
                                  "quanzi.campaigns.reactions.on_order_paid"],
                   "order.cancelled": ["quanzi.campaigns.reactions.on_order_cancelled",
                                       "quanzi.community.reactions.give_back_units"]},
        "payment_listener": "OrderPayments",
        "commissions": "LeaderCommissions",
    }


def test_a_process_that_imports_only_the_cli_creates_a_user(tmp_path: Path):
    """``quanzi user create`` writes a user, whose table refers to suppliers: the command
    must know every table although it imports none of them itself."""
    home = new_home(tmp_path / "home", "wiring")
    run = "import sys; from quanzi.cli import app; app(sys.argv[1:], prog_name='quanzi')"
    try:
        for args in (["db", "upgrade"],
                     ["user", "create", "--role", "operator", "--email", "ops@example.cn",
                      "--password", "s3cret-pass-for-ops", "--name", "运营"]):
            ran = subprocess.run([sys.executable, "-c", run, *args], cwd=home.folder,
                                 env=home.env, capture_output=True, text=True, timeout=120)
            assert ran.returncode == 0, ran.stdout + ran.stderr
        assert ran.stdout.startswith("created user ") and "operator" in ran.stdout
        with home.opened() as database, database.read_engine.connect() as connection:
            found = connection.execute(select(User.name).where(User.email == "ops@example.cn"))
            assert found.scalar_one() == "运营"
    finally:
        drop_home(home)
