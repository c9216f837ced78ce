"""The ``quanzi`` command: serve, db upgrade, demo, user create/disable/enable, worker,
ledger check.

Outside production ``serve`` runs the worker as its child (``quanzi.worker_child``), so
``quanzi serve`` (``make run``) is the whole shop: the site, the API and the jobs.

Every command first wires the application (``quanzi.wiring.wire``: every table and every
event handler), exactly as the app and the worker do. A refusal is one plain line on
stderr and exit status 1; bad usage (an unknown role, no ``--email`` or ``--phone``) is
typer's usage message and exit status 2. Neither prints a traceback.
"""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import EmailStr, TypeAdapter, ValidationError
from rich.console import Console
from rich.table import Table

from quanzi.accounts.domain import ROLES
from quanzi.core import migrate
from quanzi.core.config import get_settings
from quanzi.core.errors import QuanziError
from quanzi.core.secret_key import MissingSecretKey
from quanzi.wiring import wire
from quanzi.worker_child import alongside, ending_by_signal, left_out

app = typer.Typer(help="quanzi (圈子): social commerce engine", no_args_is_help=True,
                  add_completion=False)
db_app = typer.Typer(help="Database commands", no_args_is_help=True)
user_app = typer.Typer(help="User commands", no_args_is_help=True)
ledger_app = typer.Typer(help="Ledger commands", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(ledger_app, name="ledger")
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)
_EMAIL = TypeAdapter(EmailStr)
Role = StrEnum("Role", ROLES)  # type: ignore[misc]  # the choices of --role: accounts' roles


@app.callback()
def start() -> None:
    """quanzi (圈子): social commerce engine."""
    wire()


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a service's refusal or a missing secret key into a message and exit status 1."""
    try:
        yield
    except QuanziError as exc:
        _refuse(exc.message)
    except MissingSecretKey as exc:
        _refuse(str(exc))


def _refuse(message: str) -> None:
    errors.print(message, style="red", markup=False, highlight=False)
    raise typer.Exit(1)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
          no_worker: Annotated[bool, typer.Option(
              "--no-worker", help="run no background jobs here (production runs quanzi "
                                  "worker instead)")] = False,
          uds: Annotated[str | None, typer.Option(
              help="listen on this unix socket instead of host:port (behind nginx)")] = None,
          forwarded_allow_ips: Annotated[str | None, typer.Option(
              help="addresses (comma-separated, or *) whose X-Forwarded-For and "
                   "X-Forwarded-Proto are trusted; default: * with --uds (only the proxy "
                   "can open the socket), else uvicorn's (127.0.0.1, or "
                   "$FORWARDED_ALLOW_IPS)")] = None) -> None:
    """Migrate an empty database, then serve the site and the API; outside production
    the background jobs run alongside, in a child process stopped with the server.

    Behind a proxy (deploy/nginx) the client's address and scheme come from the
    proxy's X-Forwarded-* headers when the proxy's address is in --forwarded-allow-ips
    (uvicorn's proxy headers, always on)."""
    import uvicorn

    settings = get_settings()
    with refusals():
        settings.resolved_secret_key()  # production: never made here, must exist
    if migrate.is_empty():
        console.print("[cyan]empty database: applying migrations[/cyan]")
        migrate.upgrade()
    console.print(f"quanzi on unix:{uds}" if uds else f"quanzi on http://{host}:{port}")
    if uds and forwarded_allow_ips is None:
        forwarded_allow_ips = "*"  # a unix socket's peer has no address to check
    if workers > 1 and not settings.redis_url:  # nothing would tell them of a sign-out
        os.environ["QUANZI_SIGN_IN_CACHE"] = "off"
        console.print("no Redis: each request looks its sign-in up (QUANZI_SIGN_IN_CACHE=off)")
    reason = left_out(settings, no_worker=no_worker)
    with ending_by_signal(), alongside(start_worker=reason is None) as child:
        if child is None:
            console.print(f"background jobs: not run here ({reason}); run quanzi worker")
        else:
            console.print(f"background jobs: quanzi worker in process {child.pid}, "
                          "stopped with the server")
        uvicorn.run("quanzi.asgi:app", host=host, port=port, uds=uds, workers=workers,
                    log_level="info", proxy_headers=True,
                    forwarded_allow_ips=forwarded_allow_ips)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    migrate.upgrade()
    console.print("[green]database is up to date[/green]")


@app.command()
def demo() -> None:
    """Load the demo shop (safe to run twice) and print the demo logins."""
    from quanzi.demo import load_demo

    if get_settings().is_production:
        _refuse("quanzi demo does not run with QUANZI_ENV=production: the demo logins share "
                "one published password")
    if migrate.is_empty():
        migrate.upgrade()
    with refusals():
        summary = load_demo()
    table = Table(title="demo logins (password for all: " + summary.password + ")")
    for column in ("role", "login", "name"):
        table.add_column(column)
    for login in summary.logins:
        table.add_row(login.role, login.login, login.name)
    console.print(summary.describe())
    console.print(table)


@user_app.command("create")
def user_create(
    role: Annotated[Role, typer.Option(help="every user is also a consumer")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    email: Annotated[str | None, typer.Option(help="the login e-mail")] = None,
    phone: Annotated[str | None, typer.Option(help="the login mobile number")] = None,
    name: Annotated[str | None, typer.Option(help="the name shown (default: the login)")] = None,
    supplier_id: Annotated[int | None,
                           typer.Option(help="for --role supplier: its supplier")] = None,
) -> None:
    """Create a user with a role, ready to act in it (a promoter is approved at once)."""
    from quanzi.provisioning import create_with_role

    _check_user_options(role.value, email, phone, supplier_id)
    with refusals():
        user = create_with_role(role=role.value, name=name or email or phone or "user",
                                password=password, email=email, phone=phone,
                                supplier_id=supplier_id)
    console.print(f"created user {user.id} ({', '.join(user.roles)})")


@user_app.command("disable")
def user_disable(login: Annotated[str, typer.Argument(help="the user's e-mail or phone")]) -> None:
    """Disable a user: sign-in is refused and every token they hold stops working at once."""
    from quanzi.accounts.services import set_active

    with refusals():
        user = set_active(login, False)
    console.print(f"disabled user {user.id}")


@user_app.command("enable")
def user_enable(login: Annotated[str, typer.Argument(help="the user's e-mail or phone")]) -> None:
    """Let a disabled user sign in again (their old tokens stay ended)."""
    from quanzi.accounts.services import set_active

    with refusals():
        user = set_active(login, True)
    console.print(f"enabled user {user.id}")


def _check_user_options(role: str, email: str | None, phone: str | None,
                        supplier_id: int | None) -> None:
    """Usage errors (exit status 2) before anything is written."""
    if not email and not phone:
        raise typer.BadParameter("give --email or --phone (the login)")
    if email:
        try:
            _EMAIL.validate_python(email)
        except ValidationError:
            raise typer.BadParameter(f"{email!r} is not an e-mail address",
                                     param_hint="--email") from None
    if role == "supplier" and supplier_id is None:
        raise typer.BadParameter("--role supplier needs --supplier-id (the supplier's id)")
    if role != "supplier" and supplier_id is not None:
        raise typer.BadParameter("--supplier-id is only for --role supplier")


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="run what is due now and exit")] = False,
    no_periodic: Annotated[bool, typer.Option(
        "--no-periodic", help="never fire the periodic sweeps: only the outbox")] = False,
    parent_pid: Annotated[int | None, typer.Option(
        "--parent-pid", hidden=True, help="end when this process is gone (serve's child)")] = None,
) -> None:
    """Run due jobs: payment timeouts, auto-confirm, settlement, refunds, the outbox."""
    from quanzi import worker as jobs

    if once and no_periodic:
        raise typer.BadParameter("--once runs the periodic sweeps: leave out --no-periodic")
    settings = get_settings()
    with refusals():
        settings.resolved_secret_key()  # sandbox refunds are signed with it
    if once:
        done = jobs.run_due_once()
        console.print(" ".join(f"{name}={count}" for name, count in done.items()))
        return
    every = f"every {settings.sweep_interval.total_seconds():g} s"
    lease = "Redis" if settings.redis_url else "the database"
    started = (f"worker: outbox {every}; periodic sweeps off (--no-periodic)" if no_periodic
               else f"worker: sweeps and outbox {every}, by one worker at a time "
                    f"(its lease in {lease})")
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    jobs.run(periodic=not no_periodic, parent_pid=parent_pid,
             on_start=lambda: console.print(started))
    console.print("worker stopped")


@ledger_app.command("check")
def ledger_check() -> None:
    """Exit non-zero, naming each problem, unless the books are right: entries balance,
    escrow equals what paid and unsettled orders hold, no wallet or supplier balance is
    below zero but by a clawback, and no order has two open payments for one purpose."""
    from quanzi import audit

    found = audit.check()
    for problem in found:
        console.print(f"[red]{problem}[/red]")
    if found:
        console.print(f"[red]{len(found)} problem(s) in the ledger[/red]")
        raise typer.Exit(1)
    console.print("[green]ledger ok[/green]")


if __name__ == "__main__":
    app()
