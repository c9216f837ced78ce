"""The ``quanzi`` command: serve, db upgrade, demo, user create, worker, ledger check."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from quanzi.core import migrate
from quanzi.core.config import get_settings
from quanzi.core.errors import QuanziError

app = typer.Typer(help="quanzi (圈子): social commerce engine", no_args_is_help=True,
                  add_completion=False)
db_app = typer.Typer(help="Database commands", no_args_is_help=True)
user_app = typer.Typer(help="User commands", no_args_is_help=True)
ledger_app = typer.Typer(help="Ledger commands", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(ledger_app, name="ledger")
console = Console()


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1) -> None:
    """Migrate an empty database, then serve the site and the API."""
    import uvicorn

    if migrate.is_empty():
        console.print("[cyan]empty database: applying migrations[/cyan]")
        migrate.upgrade()
    console.print(f"quanzi on http://{host}:{port}  (API docs: /docs)")
    uvicorn.run("quanzi.asgi:app", host=host, port=port, workers=workers, log_level="info")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    migrate.upgrade()
    console.print("[green]database is up to date[/green]")


@app.command()
def demo() -> None:
    """Load the demo shop (safe to run twice) and print the demo logins."""
    from quanzi.demo import load_demo

    if migrate.is_empty():
        migrate.upgrade()
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
    role: Annotated[str, typer.Option(help="operator, supplier, leader, promoter or consumer")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    email: str | None = None, phone: str | None = None, name: str | None = None,
    supplier_id: Annotated[int | None, typer.Option(help="for --role supplier")] = None,
) -> None:
    """Create a user with a role."""
    from quanzi.accounts.services import create_user

    if not email and not phone:
        raise typer.BadParameter("give --email or --phone")
    roles = ["consumer"] if role == "consumer" else ["consumer", role]
    try:
        user = create_user(name=name or (email or phone or "user"), password=password,
                           email=email, phone=phone, roles=roles, supplier_id=supplier_id)
    except QuanziError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"created user {user.id} ({', '.join(user.roles)})")


@app.command()
def worker(once: Annotated[bool, typer.Option("--once", help="run what is due now and exit")] = False,
           threads: int = 2) -> None:
    """Run due jobs: payment timeouts, auto-confirm, settlement, refunds, the outbox."""
    from quanzi import handlers  # noqa: F401  (registers event handlers)
    from quanzi import worker as jobs

    if once:
        done = jobs.run_due_once()
        console.print(" ".join(f"{name}={count}" for name, count in done.items()))
        return
    console.print(f"worker on {'Redis' if get_settings().redis_url else 'SQLite'} job storage")
    jobs.run_consumer(workers=threads)


@ledger_app.command("check")
def ledger_check() -> None:
    """Exit non-zero, naming each problem, unless the books are right: entries balance,
    escrow equals what paid and unsettled orders hold, no wallet or supplier balance is
    below zero but by a clawback, and no order has two open payments for one purpose."""
    from quanzi import audit, tables  # noqa: F401  (every table, for the joins)

    found = audit.check()
    for problem in found:
        console.print(f"[red]{problem}[/red]")
    if found:
        console.print(f"[red]{len(found)} problem(s) in the ledger[/red]")
        raise typer.Exit(1)
    console.print("[green]ledger ok[/green]")


if __name__ == "__main__":
    app()
