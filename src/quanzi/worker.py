"""The background jobs: periodic sweeps and the outbox, run by Huey (``quanzi worker``).

Every job is safe to run twice at once: each sweep claims its rows by conditional
update, so two workers (or a worker and a request) never apply one change twice.
"""

import logging
from collections.abc import Callable

from huey import crontab

from quanzi.analytics import rollup
from quanzi.campaigns import bargains, flash_sales, reactions
from quanzi.core import events
from quanzi.core.jobs import get_huey
from quanzi.orders import lifecycle, settlement
from quanzi.payments import refunds
from quanzi.wiring import wire

log = logging.getLogger(__name__)

SWEEPS: dict[str, Callable[[], int]] = {
    "outbox": events.dispatch_pending,
    "expire_unpaid": lifecycle.expire_unpaid,
    "auto_confirm": lifecycle.auto_confirm,
    "settle": settlement.settle_due,
    "refunds": refunds.send_pending,
    "groups": reactions.close_expired_groups,
    "tiered": reactions.close_tiered_deals,
    "flash_sales": flash_sales.end_sales,
    "presales": reactions.lapse_unpaid_balances,
    "bargains": bargains.expire_runs,
    "analytics": rollup.sweep,
}


def register_sweep(name: str, sweep: Callable[[], int]) -> None:
    """Add a periodic sweep (campaign expiries and the like)."""
    SWEEPS[name] = sweep


def run_due_once() -> dict[str, int]:
    """Run every sweep once, now; returns how much each did. Events go first and last."""
    done = {name: sweep() for name, sweep in SWEEPS.items()}
    done["outbox"] += events.dispatch_pending()
    return done


huey = get_huey()


@huey.periodic_task(crontab(minute="*"), retries=0)
def every_minute() -> dict[str, int]:
    done = run_due_once()
    log.info("sweeps: %s", done)
    return done


def run_consumer(workers: int = 2, *, periodic: bool = True) -> None:
    """Run the Huey consumer until SIGTERM or SIGINT; with ``periodic`` it also runs the
    sweeps every minute (one worker of several does, the others run ``--no-periodic``)."""
    from huey.consumer import Consumer

    wire()
    Consumer(huey, workers=workers, periodic=periodic, worker_type="thread").run()
