"""The background jobs: the periodic sweeps and the outbox, run in a plain loop by
``quanzi worker`` (and, in development, by the child that ``quanzi serve`` starts).

Every ``QUANZI_SWEEP_INTERVAL`` (2 s by default) the worker holding the ``sweeps`` lease
(``core.lease``: one at a time per database, whatever else runs) calls every sweep once;
a round that finds nothing due is a dozen short queries. A worker run
``--no-periodic`` never fires the sweeps: it only hands the outbox's events to their
handlers, as often.

Every job is safe to run twice at once: each sweep claims its rows by conditional
update, so two workers (or a worker and a request) never apply one change twice.
"""

import logging
import os
import signal
from collections.abc import Callable

from quanzi.analytics import rollup
from quanzi.campaigns import reactions
from quanzi.campaigns.bargain import runs as bargains
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.community import cutoff, unarrived, uncollected
from quanzi.community import reactions as community
from quanzi.core import events
from quanzi.core.config import Settings, get_settings
from quanzi.core.lease import lease_for
from quanzi.core.scheduler import Scheduler
from quanzi.orders import lifecycle, settlement
from quanzi.orders import refunds as order_refunds
from quanzi.payments import refunds
from quanzi.wiring import wire

log = logging.getLogger(__name__)

SWEEPS: dict[str, Callable[[], int]] = {
    "outbox": events.dispatch_pending,
    "expire_unpaid": lifecycle.expire_unpaid,
    "auto_confirm": lifecycle.auto_confirm,
    "refund_deadline": order_refunds.approve_overdue,
    "settle": settlement.settle_due,
    "refunds": refunds.send_pending,
    "groups": reactions.close_expired_groups,
    "tiered": reactions.close_tiered_deals,
    "flash_sales": flash_sales.end_sales,
    "presales": reactions.lapse_unpaid_balances,
    "bargains": bargains.expire_runs,
    "batches_open": community.open_due,
    "batches_cut_off": cutoff.cut_off_due,
    "batches_uncollected": uncollected.complete_uncollected,
    "batches_unarrived": unarrived.refund_unarrived,
    "batches_close": community.close_collected,
    "analytics": rollup.sweep,
}


def register_sweep(name: str, sweep: Callable[[], int]) -> None:
    """Add a periodic sweep (campaign expiries and the like)."""
    SWEEPS[name] = sweep


def run_due_once(*, keep_going: bool = False) -> dict[str, int]:
    """Run every sweep once, now; returns how much each did. Events go first and last.

    A sweep that raises stops the round, unless ``keep_going``: then it is logged, counts
    0, and the other sweeps still run (the loop's rounds)."""
    done = {name: _run(name, sweep, keep_going) for name, sweep in SWEEPS.items()}
    done["outbox"] += _run("outbox", events.dispatch_pending, keep_going)
    return done


def _run(name: str, sweep: Callable[[], int], keep_going: bool) -> int:
    try:
        return sweep()
    except Exception:
        if not keep_going:
            raise
        log.exception("sweep %s failed; it runs again next round", name)
        return 0


def sweep_round() -> dict[str, int]:
    """One round of the loop: every sweep, each on its own; logs what was done, if anything."""
    done = run_due_once(keep_going=True)
    if any(done.values()):
        log.info("sweeps: %s", " ".join(f"{name}={count}" for name, count in done.items() if count))
    return done


def outbox_round() -> int:
    """One round of a ``--no-periodic`` worker: the outbox's events, nothing else."""
    handled = events.dispatch_pending()
    if handled:
        log.info("outbox: %d events handled", handled)
    return handled


def scheduler(settings: Settings, *, periodic: bool, parent_pid: int | None = None) -> Scheduler:
    """The loop: the sweeps under the ``sweeps`` lease, or (not ``periodic``) the outbox
    alone without a lease; with ``parent_pid`` it ends once that process is gone."""
    interval = settings.sweep_interval.total_seconds()
    alive = (lambda: os.getppid() == parent_pid) if parent_pid else (lambda: True)
    if periodic:
        return Scheduler(sweep_round, name="sweeps", interval=interval,
                         lease=lease_for(settings, "sweeps"), alive=alive)
    return Scheduler(outbox_round, name="outbox events", interval=interval, alive=alive)


def run(*, periodic: bool = True, parent_pid: int | None = None,
        on_start: Callable[[], object] = lambda: None) -> None:
    """Run the jobs until SIGTERM or SIGINT, finishing the round under way; ``on_start``
    is called once the signals are handled, before the first round.

    With ``parent_pid`` (the child of ``quanzi serve``) the worker also ends as soon as
    that process is gone, and stops on SIGTERM only: a Ctrl-C reaches the server, which
    then stops its child."""
    wire()
    loop = scheduler(get_settings(), periodic=periodic, parent_pid=parent_pid)
    signals = [signal.SIGTERM] if parent_pid else [signal.SIGTERM, signal.SIGINT]
    previous = {sig: signal.signal(sig, lambda *_: loop.stop()) for sig in signals}
    try:
        on_start()
        loop.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
