"""The shape of the code: the import contracts of pyproject.toml hold, and the ports of the
money domains are plugged in by ``quanzi.wiring.wire`` only, never by an import."""

import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "quanzi"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", "pyproject.toml"],
                          cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(cwd / "src")})


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c.get("id", c["name"]): c for c in config["tool"]["importlinter"]["contracts"]}


def test_the_import_contracts_are_kept():
    linted = _lint(ROOT)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    for contract in _contracts().values():
        assert f"{contract['name']} KEPT" in linted.stdout


def _lint_with(tmp_path: Path, planted: dict[str, str]) -> str:
    """Lint a copy of the code with ``planted`` modules (path under quanzi/ → source) in it:
    the output, once the linter has said some contract is broken."""
    shutil.copytree(SOURCE, tmp_path / "src" / "quanzi",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, source in planted.items():
        (tmp_path / "src" / "quanzi" / path).write_text(source)
    linted = _lint(tmp_path)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    return linted.stdout


def _top_modules() -> set[str]:
    return {f"quanzi.{p.stem}" for p in SOURCE.iterdir()
            if p.suffix == ".py" or (p / "__init__.py").exists()}


def test_a_lower_domain_importing_a_higher_one_breaks_a_contract(tmp_path: Path):
    """The check is not vacuous: a copy of the code where the ledger reads referral fails."""
    out = _lint_with(tmp_path, {
        "ledger/wallets.py": "from quanzi.referral.queries import pending_commission_fen\n"})
    assert "ledger imports nothing above core BROKEN" in out
    assert "quanzi.ledger.wallets -> quanzi.referral.queries" in out


def test_pages_importing_the_api_or_a_domain_importing_wiring_break_contracts(tmp_path: Path):
    """web and api are independent, and no domain reaches up to delivery or the wiring."""
    out = _lint_with(tmp_path, {"web/kit/peek.py": "from quanzi.api.deps import CurrentUser\n",
                                "campaigns/listing.py": "from quanzi.wiring import wire\n"})
    assert "web and api are independent of each other BROKEN" in out
    assert "no domain imports a delivery layer or the wiring BROKEN" in out
    assert "quanzi.campaigns.listing -> quanzi.wiring" in out


def test_a_domain_importing_a_delivery_layer_breaks_the_layers(tmp_path: Path):
    """The layered contract is not vacuous: orders reading the web's session breaks it."""
    out = _lint_with(tmp_path, {"orders/peek.py": "from quanzi.web.kit import session\n"})
    assert "each imports only the layers below it BROKEN" in out
    assert "quanzi.orders.peek -> quanzi.web.kit.session" in out


def test_campaigns_reaching_past_orders_door_break_a_contract(tmp_path: Path):
    """Campaigns use ``orders.campaign_support``, never orders' tables or payments."""
    out = _lint_with(tmp_path, {"campaigns/peek.py": "from quanzi.orders.models import Order\n"
                                                     "from quanzi.payments import refunds\n"})
    assert "campaigns reach orders only through its doors, and payments not at all BROKEN" in out
    assert "quanzi.campaigns.peek -> quanzi.orders.models" in out


def test_the_ledger_contract_names_every_package_but_core():
    """A package added later is above the ledger too: the contract must name it."""
    forbidden = set(_contracts()["ledger-below"]["forbidden_modules"])  # type: ignore[arg-type]
    assert _top_modules() - forbidden == {"quanzi.__init__", "quanzi.core", "quanzi.ledger"}


def test_the_layers_name_every_package_and_module():
    """A package added later gets its place among the layers, or the suite says so."""
    named = {name.strip() for layer in _contracts()["layers"]["layers"]  # type: ignore[attr-defined]
             for name in layer.replace(":", "|").split("|")}
    assert _top_modules() - named == {"quanzi.__init__"}


def test_ports_are_plugged_by_wire_and_not_by_importing():
    """Importing every entry point plugs nothing: the payment listener is missing and orders
    pays no commission, until ``wire()`` plugs orders and referral in."""
    probe = textwrap.dedent("""
        import quanzi.app, quanzi.cli, quanzi.worker
        from quanzi.orders import ports as orders_ports
        from quanzi.payments import ports as payments_ports
        try:
            payments_ports.listener()
        except payments_ports.NotWired:
            print("listener: none")
        print("commissions:", type(orders_ports.commissions()).__name__)
        from quanzi.wiring import wire
        wire()
        wire()
        print("listener:", type(payments_ports.listener()).__name__)
        print("commissions:", type(orders_ports.commissions()).__name__)
    """)
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["listener: none", "commissions: NoCommissions",
                                       "listener: OrderPayments",
                                       "commissions: LeaderCommissions"]
