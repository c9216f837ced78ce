"""Refunds (退款), whole or per line, for part of a line's quantity.

A buyer asks; before shipment the refund is granted at once and the stock goes back;
after shipment the supplier (or an operator) approves or rejects it. Granting moves
the money out of escrow (through payments) and reverses the matching commission.
Nothing is refundable once the order has been settled.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quanzi.catalog import stock
from quanzi.core import clock, events
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from quanzi.core.idempotency import run_once
from quanzi.core.sweeps import sweep
from quanzi.orders import domain, ports, refund_photos, settlement
from quanzi.orders.access import Actor, as_buyer, as_seller, locked_order, visible_order
from quanzi.orders.domain import PAID, LineState
from quanzi.orders.events import OrderRefunded, RefundedLine
from quanzi.orders.lifecycle import move
from quanzi.orders.models import Order, OrderLine, Refund
from quanzi.orders.schemas import RefundCreate, RefundOut
from quanzi.orders.views import refund_out
from quanzi.payments import refunds as payment_refunds


def request_refund(*, actor: Actor, order_id: int, data: RefundCreate,
                   idempotency_key: str) -> RefundOut:
    """The buyer asks for a refund; granted at once if the order has not shipped, else left
    to the seller until ``decide_by`` (now + QUANZI_REFUND_DECISION), after which
    ``approve_overdue`` grants it. ``data.photo_ids`` are attached (``refund_photos``)."""
    body = {"order_id": order_id, **data.model_dump(mode="json")}

    def work(session: Session) -> RefundOut:
        order = locked_order(session, actor, order_id)
        as_buyer(actor, order)
        refund_photos.check_count(data.photo_ids)
        refund = _open_refund(session, order, data)
        refund_photos.attach(session, order_id=order.id, refund_id=refund.id,
                             photo_ids=data.photo_ids)
        session.expire(refund, ["photos"])
        if order.status == PAID and order.shipped_at is None:  # a batch order may have left
            _grant(session, order, refund, note="not shipped yet: refunded at once")
        else:  # left to the seller, who has until then to decide
            refund.decide_by = refund.created_at + get_settings().refund_decision
            session.flush()
        return refund_out(refund)

    result = run_once(f"refund:{actor.id}", idempotency_key, body, work, answer=RefundOut)
    payment_refunds.send_pending()
    return result


def _open_refund(session: Session, order: Order, data: RefundCreate) -> Refund:
    if order.status not in domain.REFUNDABLE:
        raise InvalidTransition("order", order.status, "refund")
    if order.settled_at is not None or not domain.return_window_open(
            order.completed_at, get_settings().return_window, clock.now()):
        raise Conflict("the return window of this order has closed", code="window_closed")
    return _new_refund(session, order, data)


def _new_refund(session: Session, order: Order, data: RefundCreate) -> Refund:
    wanted: dict[int, int] = {}
    for line in data.lines:
        wanted[line.line_id] = wanted.get(line.line_id, 0) + line.quantity
    problems = domain.check_refund(_line_states(session, order), wanted)
    if problems:
        raise InvalidInput("; ".join(problems), code="refund_invalid")
    by_id = {line.id: line for line in order.lines}
    lines = [{"line_id": line_id, "quantity": q,
              "amount_fen": domain.refund_amount(
                  by_id[line_id].amount_fen - by_id[line_id].refunded_fen,
                  by_id[line_id].quantity - by_id[line_id].refunded_quantity, q)}
             for line_id, q in sorted(wanted.items())]
    refund = Refund(order_id=order.id, status="requested", reason=data.reason,
                    reason_code=data.reason_code, lines=lines,
                    amount_fen=sum(line["amount_fen"] for line in lines), created_at=clock.now())
    session.add(refund)
    session.flush()
    return refund


def _line_states(session: Session, order: Order) -> dict[int, LineState]:
    requested: dict[int, int] = {}
    for lines in session.scalars(select(Refund.lines).where(Refund.order_id == order.id,
                                                            Refund.status == "requested")):
        for line in lines:
            requested[line["line_id"]] = requested.get(line["line_id"], 0) + line["quantity"]
    return {line.id: LineState(line.id, line.quantity, line.refunded_quantity,
                               requested.get(line.id, 0)) for line in order.lines}


def decide(*, actor: Actor, refund_id: int, approve: bool, note: str | None) -> RefundOut:
    """The supplier or an operator approves (money goes back) or rejects a request."""
    with transaction() as session:
        refund = session.get(Refund, refund_id)
        if refund is None:
            raise NotFound("no such refund")
        order = locked_order(session, actor, refund.order_id)
        as_seller(actor, order)
        if approve:
            _grant(session, order, refund, note=note)
        else:
            _close(session, refund, "rejected", note)
        result = refund_out(refund)
    payment_refunds.send_pending()
    return result


AUTO_APPROVED = "the seller did not decide in time: approved automatically"


def approve_overdue() -> int:
    """Grant the requests whose seller let ``decide_by`` pass (a worker sweep).

    Each request in its own transaction, under its order's row lock, read afresh after
    the lock: a request decided meanwhile (by the seller, or by another sweep racing this
    one) is left alone, so each is granted once. Returns how many were granted."""
    query = (select(Refund.id).where(Refund.status == "requested",
                                     Refund.decide_by <= clock.now()).order_by(Refund.id))
    granted = sweep(query, _approve_if_overdue)
    if granted:
        payment_refunds.send_pending()
    return granted


def _approve_if_overdue(refund_id: int) -> bool:
    try:
        with transaction() as session:
            order_id = session.scalar(select(Refund.order_id).where(Refund.id == refund_id))
            if order_id is None:
                return False
            order = session.get(Order, order_id, with_for_update=True, populate_existing=True)
            refund = session.get(Refund, refund_id, populate_existing=True)
            if (order is None or refund is None or refund.status != "requested"
                    or refund.decide_by is None or refund.decide_by > clock.now()):
                return False
            _grant(session, order, refund, note=AUTO_APPROVED)
            return True
    except InvalidTransition:
        return False  # decided by someone else between the read and the update


def _close(session: Session, refund: Refund, status: str, note: str | None) -> None:
    changed = changed_rows(
        session,
        update(Refund).where(Refund.id == refund.id, Refund.status == "requested")
        .values(status=status, decision_note=note, decided_at=clock.now())
        .execution_options(synchronize_session=False))
    if not changed:
        raise InvalidTransition("refund", refund.status, status.removesuffix("ed"))
    session.refresh(refund)


def after_sales_refund(*, actor: Actor, order_id: int, data: RefundCreate,
                       idempotency_key: str) -> RefundOut:
    """An operator settles a dispute (售后) by refunding now, even after settlement.

    After settlement the money comes back from where it went: the supplier's payable,
    the platform's fee (pro rata) and the sharers' wallets (clawback; a wallet may go
    negative this way, never by a withdrawal).
    """
    if not actor.is_operator:
        raise Forbidden("only operators can grant after-sales refunds")
    body = {"order_id": order_id, **data.model_dump(mode="json")}

    def work(session: Session) -> RefundOut:
        order = locked_order(session, actor, order_id)
        if order.status not in domain.REFUNDABLE:
            raise InvalidTransition("order", order.status, "refund")
        refund = _new_refund(session, order, data)
        _grant(session, order, refund, note="after-sales refund by an operator")
        return refund_out(refund)

    result = run_once(f"after-sales:{actor.id}", idempotency_key, body, work,
                      answer=RefundOut)
    payment_refunds.send_pending()
    return result


def refund_whole(session: Session, order: Order, *, reason: str) -> Refund | None:
    """Refund everything not yet refunded, now, on the platform's initiative (flushes).

    For rules that undo a sale (a group that failed, a seat paid after it was released).
    None if nothing is left to refund. The provider is asked after commit by the
    refunds sweep (``payments.refunds.send_pending``). Locks the order's row first and
    reads it afresh, so a settlement at the same time is either seen or waits.
    """
    session.refresh(order, with_for_update=True)
    lines = [{"line_id": line.id, "quantity": line.quantity - line.refunded_quantity}
             for line in order.lines if line.quantity > line.refunded_quantity]
    if not lines or order.status not in domain.REFUNDABLE:
        return None
    refund = _new_refund(session, order, RefundCreate.model_validate(
        {"lines": lines, "reason": reason[:255]}))
    _grant(session, order, refund, note=reason)
    return refund


def refund_lines_now(session: Session, order: Order, wanted: dict[int, int], *,
                     reason: str) -> Refund | None:
    """Refund ``wanted`` (line id → quantity, capped at what may still be refunded) now,
    on the platform's initiative (flushes); None when nothing of it is left to refund.

    For a rule that undoes part of a sale (a community batch item below its minimum at a
    pickup point). Locks the order's row first and reads it afresh, like
    :func:`refund_whole`.
    """
    session.refresh(order, with_for_update=True)
    if order.status not in domain.REFUNDABLE:
        return None
    states = _line_states(session, order)
    held = {line_id: state.refundable for line_id, state in states.items()}
    lines = [{"line_id": line_id, "quantity": min(quantity, held.get(line_id, 0))}
             for line_id, quantity in sorted(wanted.items()) if held.get(line_id, 0) > 0]
    if not lines:
        return None
    refund = _new_refund(session, order, RefundCreate.model_validate(
        {"lines": lines, "reason": reason[:255]}))
    _grant(session, order, refund, note=reason)
    return refund


def refund_price_difference(session: Session, order: Order, *, unit_refund_fen: int,
                            reason: str) -> Refund | None:
    """Give back ``unit_refund_fen`` per unit still held on every line (flushes).

    For a price that fell after payment (a tiered deal closing at a lower tier). The
    refund keeps the goods: quantities stay, the lines' value drops, commissions shrink
    in proportion. Before settlement only. None when there is nothing to give back.
    Locks the order's row first and reads it afresh.
    """
    session.refresh(order, with_for_update=True)
    if order.settled_at is not None or order.status not in domain.REFUNDABLE:
        return None
    parts = [(line, (line.quantity - line.refunded_quantity) * unit_refund_fen)
             for line in order.lines]
    parts = [(line, amount) for line, amount in parts if amount > 0]
    if not parts:
        return None
    now = clock.now()
    refund = Refund(order_id=order.id, status="refunded", reason=reason[:255],
                    amount_fen=sum(amount for _, amount in parts), created_at=now,
                    decided_at=now, decision_note="price difference",
                    lines=[{"line_id": line.id, "quantity": 0, "amount_fen": amount}
                           for line, amount in parts])
    session.add(refund)
    session.flush()
    for line, amount in parts:
        held = line.amount_fen - line.refunded_fen
        session.execute(update(OrderLine).where(OrderLine.id == line.id)
                        .values(refunded_fen=OrderLine.refunded_fen + amount))
        ports.commissions().rebase(session, order_id=order.id, line_id=line.id,
                                   old_line_fen=held, new_line_fen=held - amount,
                                   line_qty=line.quantity)
    session.execute(update(Order).where(Order.id == order.id)
                    .values(refunded_fen=Order.refunded_fen + refund.amount_fen))
    payment_refunds.record_refund(session, order_id=order.id, amount_fen=refund.amount_fen,
                                  reason=reason, ref=f"refund:{refund.id}")
    events.emit(session, _refunded(refund, price_difference=True))
    return refund


def _grant(session: Session, order: Order, refund: Refund, *, note: str | None) -> None:
    settled = order.settled_at is not None
    _close(session, refund, "refunded", note)
    by_id = {line.id: line for line in order.lines}
    clawbacks: list[tuple[int, int]] = []
    for part in refund.lines:
        line = by_id[part["line_id"]]
        _refund_line(session, line, part["quantity"], part["amount_fen"])
        if order.shipped_at is None:
            stock.release(session, line.sku_id, part["quantity"])
        if settled:
            clawbacks += ports.commissions().claw_back(
                session, order_id=order.id, line_id=line.id, refunded_qty=part["quantity"],
                line_qty=line.quantity)
        else:
            ports.commissions().reverse(session, order_id=order.id, line_id=line.id,
                                        refunded_qty=part["quantity"], line_qty=line.quantity)
    session.execute(update(Order).where(Order.id == order.id)
                    .values(refunded_fen=Order.refunded_fen + refund.amount_fen))
    session.refresh(order)
    if all(line.refunded_quantity == line.quantity for line in order.lines):
        move(session, order, "refund_all")
    if settled:  # bring the money back into escrow first, from where settlement sent it
        settlement.unsettle(session, order, refund.amount_fen, clawbacks,
                            ref=f"refund:{refund.id}")
    payment_refunds.record_refund(session, order_id=order.id, amount_fen=refund.amount_fen,
                                  reason=refund.reason, ref=f"refund:{refund.id}")
    events.emit(session, _refunded(refund, after_settlement=settled))


def _refunded(refund: Refund, *, price_difference: bool = False,
              after_settlement: bool = False) -> OrderRefunded:
    return OrderRefunded(order_id=refund.order_id, refund_id=refund.id,
                         amount_fen=refund.amount_fen,
                         lines=tuple(RefundedLine.model_validate(line) for line in refund.lines),
                         price_difference=price_difference, after_settlement=after_settlement)


def _refund_line(session: Session, line: OrderLine, quantity: int, amount_fen: int) -> None:
    changed = changed_rows(
        session,
        update(OrderLine)
        .where(OrderLine.id == line.id,
               OrderLine.refunded_quantity + quantity <= OrderLine.quantity)
        .values(refunded_quantity=OrderLine.refunded_quantity + quantity,
                refunded_fen=OrderLine.refunded_fen + amount_fen)
        .execution_options(synchronize_session=False))
    if not changed:
        raise Conflict(f"line {line.id} has already been refunded", code="already_refunded")
    session.refresh(line)


def refunds_of(session: Session, actor: Actor, order_id: int) -> list[RefundOut]:
    visible_order(session, actor, order_id)
    rows = session.scalars(select(Refund).where(Refund.order_id == order_id).order_by(Refund.id))
    return [refund_out(r) for r in rows]
