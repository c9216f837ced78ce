"""Settlement (结算): after the return window, escrow is split in one journal entry.

For an order with ``gross`` fen still in escrow (total less refunds): the platform fee
(the supplier's rate, fixed when the order was placed), each commission into its
beneficiary's wallet, and the rest to the supplier's payable account.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import Session

from quanzi.core import clock, events, money
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, transaction
from quanzi.core.sweeps import sweep
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import ESCROW, PLATFORM, supplier_account, wallet_account
from quanzi.orders import ports
from quanzi.orders.domain import COMPLETED, split
from quanzi.orders.events import OrderSettled
from quanzi.orders.models import Order, Refund

BATCH = 200


def settle_order(session: Session, order: Order) -> bool:
    """Settle one completed order (flushes); False if it was already settled or a refund
    request is open. The caller holds the order's row lock and read it after taking it."""
    claimed = changed_rows(
        session,
        update(Order).where(Order.id == order.id, Order.settled_at.is_(None),
                            Order.status == COMPLETED, ~_open_refund())
        .values(settled_at=clock.now()).execution_options(synchronize_session=False))
    if not claimed:
        return False
    gross = order.total_fen - order.refunded_fen
    credits = ports.commissions().settle(session, order.id)
    fee, supplier = split(gross, order.fee_bp, [amount for _, amount in credits])
    if gross:
        postings = [(ESCROW, -gross), (PLATFORM, fee),
                    (supplier_account(order.supplier_id), supplier)]
        postings += [(wallet_account(user_id), amount) for user_id, amount in credits]
        ledger.post(session, kind="settlement", ref=f"order:{order.id}",
                    dedupe_key=f"settlement:{order.id}", postings=postings,
                    memo=f"order {order.id} settled")
    events.emit(session, OrderSettled(order_id=order.id, gross_fen=gross, fee_fen=fee,
                                      supplier_fen=supplier))
    return True


def settle_forfeit(session: Session, order: Order) -> None:
    """A presale's forfeited deposit leaves escrow now: the supplier's, less the fee.

    No commission: nothing was sold (flushes; once per order).
    """
    claimed = changed_rows(
        session,
        update(Order).where(Order.id == order.id, Order.settled_at.is_(None))
        .values(settled_at=clock.now()).execution_options(synchronize_session=False))
    deposit = order.deposit_fen or 0
    if not claimed or not deposit:
        return
    fee, supplier = split(deposit, order.fee_bp, [])
    ledger.post(session, kind="forfeit", ref=f"order:{order.id}",
                dedupe_key=f"forfeit:{order.id}",
                postings=[(ESCROW, -deposit), (PLATFORM, fee),
                          (supplier_account(order.supplier_id), supplier)],
                memo=f"order {order.id}: deposit forfeited")


def unsettle(session: Session, order: Order, amount_fen: int,
             clawbacks: list[tuple[int, int]], *, ref: str) -> None:
    """Return ``amount_fen`` of a settled order to escrow for a refund (flushes).

    The wallets give back ``clawbacks``; the platform its fee on the amount (rounded
    down, so never more than it took); the supplier the rest.
    """
    taken = sum(amount for _, amount in clawbacks)
    fee = min(money.share_of(amount_fen, order.fee_bp), amount_fen - taken)
    postings = [(ESCROW, amount_fen), (PLATFORM, -fee),
                (supplier_account(order.supplier_id), -(amount_fen - taken - fee))]
    postings += [(wallet_account(user_id), -amount) for user_id, amount in clawbacks]
    debited = {supplier_account(order.supplier_id), *(wallet_account(u) for u, _ in clawbacks)}
    for code in sorted(debited):  # a payout deciding on one of these balances waits
        ledger.lock_account(session, code)
    ledger.post(session, kind="clawback", ref=f"order:{order.id}", dedupe_key=f"unsettle:{ref}",
                postings=postings, memo=f"order {order.id}: refund after settlement")


def settle_due(now: datetime | None = None) -> int:
    """Settle every completed order whose return window has closed and has no open refund."""
    cutoff = (now or clock.now()) - get_settings().return_window
    return sweep(select(Order.id).where(Order.status == COMPLETED, Order.settled_at.is_(None),
                                        Order.completed_at <= cutoff, ~_open_refund())
                 .order_by(Order.id), _settle_one, limit=BATCH)


def _open_refund() -> ColumnElement[bool]:
    return exists().where(Refund.order_id == Order.id, Refund.status == "requested")


def _settle_one(order_id: int) -> bool:
    with transaction() as session:
        order = session.get(Order, order_id, with_for_update=True, populate_existing=True)
        return order is not None and settle_order(session, order)
