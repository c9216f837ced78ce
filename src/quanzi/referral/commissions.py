"""The commission lifecycle: accrue on payment, settle, reverse before settlement, claw back after.

These take the caller's session and only flush. Money moves (wallets, ledger postings)
belong to the ledger: ``settle_commissions`` and ``clawback_commissions`` return what
to post, per beneficiary user id.
"""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.core import clock, money
from quanzi.core.errors import InvalidInput
from quanzi.orders.events import OrderPaid
from quanzi.referral import domain
from quanzi.referral.models import Commission
from quanzi.referral.services import load_rules, rate_tables

__all__ = ["accrue_commissions", "accrue_leader_commissions", "clawback_commissions",
           "rebase_commissions", "reverse_commissions", "settle_commissions"]


def accrue_commissions(session: Session, paid: OrderPaid) -> None:
    """Pending commissions for an attributed order, when it is paid (``order.paid``).

    Reads the order's ``buyer_id``, ``attribution`` snapshot (None: nobody brought it)
    and its lines' ``line_id``, ``product_id``, ``category`` and ``amount_fen``. Rates are today's
    (product > category > default), capped per line. Level 2 needs an inviter in the
    snapshot, level 2 still on, and a buyer who is neither the sharer nor the inviter: no
    level pays the buyer on their own purchase (level 1 only with the self-purchase rebate,
    which attribution allows). Idempotent: one row per line and level.
    """
    attribution = paid.attribution
    if not attribution or not attribution.get("promoter_id"):
        return
    rules = load_rules(session)
    by_product, by_category = rate_tables(session)
    promoter_id = int(attribution["promoter_id"])
    inviter = attribution.get("inviter_id")
    inviter_id = int(inviter) if inviter else None
    buyer_id = paid.buyer_id
    use_level2 = bool(inviter_id and rules.level2_enabled
                      and buyer_id not in (promoter_id, inviter_id))
    order_id = paid.order_id
    done = {(line_id, level) for line_id, level in session.execute(
        select(Commission.order_line_id, Commission.level).where(
            Commission.order_id == order_id, Commission.kind == "promoter"))}
    now = clock.now()
    for line in paid.lines:
        rate = domain.resolve_rate(rules, product_id=line.product_id, category=line.category,
                                   by_product=by_product, by_category=by_category)
        amount = line.amount_fen
        first, second = domain.split_line(amount, rate, cap_bp=rules.cap_bp, level2=use_level2)
        common = {"order_id": order_id, "order_line_id": line.line_id,
                  "share_id": attribution.get("share_id"), "product_id": line.product_id,
                  "source_promoter_id": promoter_id, "line_amount_fen": amount,
                  "status": "pending", "created_at": now}
        if (common["order_line_id"], 1) not in done:
            session.add(Commission(**common, beneficiary_id=promoter_id, level=1,
                                   rate_bp=rate.level1_bp, amount_fen=first))
        if use_level2 and second > 0 and (common["order_line_id"], 2) not in done:
            session.add(Commission(**common, beneficiary_id=inviter_id, level=2,
                                   rate_bp=rate.level2_bp, amount_fen=second))
    session.flush()


def _locked(session: Session, order_id: int, status: str,
            line_id: int | None = None) -> list[Commission]:
    query = select(Commission).where(Commission.order_id == order_id, Commission.status == status)
    if line_id is not None:
        query = query.where(Commission.order_line_id == line_id)
    return list(session.scalars(query.order_by(Commission.id).with_for_update()))


def _per_beneficiary(amounts: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    totals: dict[int, int] = defaultdict(int)
    for user_id, amount in amounts:
        totals[user_id] += amount
    return sorted((user_id, amount) for user_id, amount in totals.items() if amount > 0)


def settle_commissions(session: Session, order_id: int) -> list[tuple[int, int]]:
    """Mark the order's pending commissions settled; returns ``[(user_id, amount_fen)]`` to
    credit (net of reversals, summed per beneficiary, zero amounts left out). A second
    call returns ``[]``."""
    rows = _locked(session, order_id, "pending")
    now = clock.now()
    for row in rows:
        row.status, row.settled_at = "settled", now
    session.flush()
    return _per_beneficiary((row.beneficiary_id, row.net_fen) for row in rows)


def _next_refunded(row: Commission, refunded_qty: int, line_qty: int) -> int:
    total = row.refunded_qty + refunded_qty
    if refunded_qty <= 0 or total > line_qty:
        raise InvalidInput(f"refund of {refunded_qty} on line {row.order_line_id} exceeds "
                         f"its quantity {line_qty} (already {row.refunded_qty})")
    return total


def reverse_commissions(session: Session, order_id: int, line_id: int, refunded_qty: int,
                        line_qty: int) -> None:
    """Before settlement: reduce the line's pending commissions for a refund of
    ``refunded_qty`` more units (this refund, not the running total) of ``line_qty``.

    What stays owed is exactly ``amount * (line_qty - refunded_total) // line_qty``; a
    full refund marks the row ``reversed``.
    """
    for row in _locked(session, order_id, "pending", line_id):
        row.refunded_qty = _next_refunded(row, refunded_qty, line_qty)
        remaining = domain.remaining_after_refund(row.amount_fen, row.refunded_qty, line_qty)
        row.reversed_fen = row.amount_fen - remaining
        if remaining == 0:
            row.status = "reversed"
    session.flush()


def clawback_commissions(session: Session, order_id: int, line_id: int, refunded_qty: int,
                         line_qty: int) -> list[tuple[int, int]]:
    """After settlement: for a refund of ``refunded_qty`` more units of ``line_qty``, take
    back the proportional part of the line's settled commissions. Returns
    ``[(user_id, amount_fen)]`` to debit from each wallet; a row taken back to zero becomes
    ``clawed_back``."""
    taken: list[tuple[int, int]] = []
    for row in _locked(session, order_id, "settled", line_id):
        row.refunded_qty = _next_refunded(row, refunded_qty, line_qty)
        target = domain.remaining_after_refund(row.amount_fen, row.refunded_qty, line_qty)
        take = row.net_fen - target
        row.clawed_back_fen += take
        if target == 0:
            row.status = "clawed_back"
        taken.append((row.beneficiary_id, take))
    session.flush()
    return _per_beneficiary(taken)


def rebase_commissions(session: Session, order_id: int, line_id: int, old_line_fen: int,
                       new_line_fen: int, line_qty: int) -> None:
    """Before settlement: the line now sells for ``new_line_fen`` instead of ``old_line_fen``
    (a price refund, such as a tiered deal closing lower). Pending commissions shrink in
    proportion (rounded down), keeping any quantity refunds already applied."""
    if not 0 <= new_line_fen <= old_line_fen or old_line_fen == 0:
        raise InvalidInput("a line's new amount must be between 0 and its old amount")
    for row in _locked(session, order_id, "pending", line_id):
        row.amount_fen = row.amount_fen * new_line_fen // old_line_fen
        row.line_amount_fen = row.line_amount_fen * new_line_fen // old_line_fen
        kept = domain.remaining_after_refund(row.amount_fen, row.refunded_qty, line_qty)
        row.reversed_fen = row.amount_fen - kept
        if row.amount_fen - row.reversed_fen == 0:
            row.status = "reversed"
    session.flush()


def accrue_leader_commissions(session: Session, paid: OrderPaid, *, leader_id: int,
                              rate_bp: int) -> None:
    """Pending ``leader`` commissions for a paid community batch order: ``rate_bp`` (the
    batch's rate, snapshotted on the order when it was placed) of each line, rounded
    down, credited to the leader of the order's pickup point.

    They then live exactly as promoter commissions do: settled into the leader's wallet
    with the order, reversed by refunds before, clawed back after. Idempotent: one row
    per line. Nothing for a leader buying at their own point, or at a rate of 0.
    """
    if rate_bp <= 0 or leader_id == paid.buyer_id:
        return
    done = set(session.scalars(select(Commission.order_line_id).where(
        Commission.order_id == paid.order_id, Commission.kind == "leader")))
    now = clock.now()
    for line in paid.lines:
        if line.line_id in done:
            continue
        session.add(Commission(
            order_id=paid.order_id, order_line_id=line.line_id, share_id=None,
            product_id=line.product_id, beneficiary_id=leader_id, source_promoter_id=leader_id,
            level=1, kind="leader", rate_bp=rate_bp, line_amount_fen=line.amount_fen,
            amount_fen=money.share_of(line.amount_fen, rate_bp), status="pending",
            created_at=now))
    session.flush()
