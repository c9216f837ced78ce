"""My orders: the list, one order with its status timeline, and the buyer's actions
(pay, cancel, confirm receipt, request a refund)."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.schemas import GroupRead
from quanzi.community import lookups
from quanzi.community.lookups import Pickup
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.orders import lifecycle, paying, queries, refunds
from quanzi.orders.domain import DEPOSIT_PAID, REFUNDABLE
from quanzi.orders.schemas import OrderOut, RefundOut
from quanzi.web.campaigns.kit import campaign_url
from quanzi.web.community.pickup import pickup_for
from quanzi.web.kit.form_errors import FieldErrors
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    SignedIn,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute)
MAX_ORDER_ID = 2_147_483_647


@dataclass(frozen=True)
class Step:
    """One point of the status timeline: what happened and when (None: not yet)."""

    label: str
    at: datetime | None


def timeline(order: OrderOut, order_refunds: list[RefundOut], *,
             for_buyer: bool = False, pickup: Pickup | None = None) -> list[Step]:
    """The order's timeline from its timestamps; steps that cannot happen any more are left
    out. The buyer sees the steps that mean something to them: not 结算 (the money moving
    to the supplier and promoters), which only the staff looking at the order see. A batch
    order (``pickup`` given) is collected, not shipped: 截单 → 到货自提点 → 已取货."""
    refunded_at = max((r.decided_at for r in order_refunds
                       if r.status == "refunded" and r.decided_at), default=None)
    steps = [Step("下单", order.created_at), Step("付款", order.paid_at)]
    if order.cancelled_at:
        return [*steps[:1 + bool(order.paid_at)], Step("已取消", order.cancelled_at)]
    steps += _handing_over(order, pickup)
    if refunded_at or order.status == "refunded":
        steps.append(Step("退款", refunded_at))
    if not for_buyer:
        steps.append(Step("结算", order.settled_at))
    return steps


def _handing_over(order: OrderOut, pickup: Pickup | None) -> list[Step]:
    """The steps between payment and completion: shipped and delivered, or for a batch
    order cut off, arrived at its point and collected there."""
    if pickup is None:
        return [Step("发货", order.shipped_at), Step("送达", order.delivered_at),
                Step("确认收货", order.completed_at)]
    steps = [Step("截单", pickup.cut_off_at), Step("到货自提点", pickup.arrived_at)]
    if order.completed_at and not pickup.picked_up_at:  # its pickup window ended
        steps.append(Step("超时自动完成", order.completed_at))
    return [*steps, Step("已取货", pickup.picked_up_at)]


def badge_state(order: OrderOut, progress: str | None) -> str:
    """The state the order's badge names (``label(state, order.kind)`` words it): its
    status; for a batch order (``progress`` as ``lookups.Pickup.progress``) ``arrived``
    when paid with its goods at the point, ``uncollected`` when it completed at the end
    of its pickup window without being collected."""
    if order.status == "paid" and progress == "arrived":
        return "arrived"
    if order.status == "completed" and progress in ("waiting", "arrived"):
        return "uncollected"
    return order.status


def balance_state(order: OrderOut, now: datetime) -> str | None:
    """A presale order's balance: ``waiting`` for its window, ``open``, or ``over``."""
    if order.status != DEPOSIT_PAID:
        return None
    if order.balance_from is not None and now < order.balance_from:
        return "waiting"
    return "open" if now < order.pay_deadline else "over"


def forming_groups(session: Session, orders: list[OrderOut]) -> dict[int, GroupRead]:
    """Order id → its 拼团 while the order waits for the group to form (held and paid):
    such an order reads 拼团中·还差N人, not 待发货."""
    waiting = {}
    for order in orders:
        head, _, group_id = (order.campaign_ref or "").partition(":")
        if order.hold and order.status == "paid" and head == "group" and group_id.isdigit():
            waiting[order.id] = campaigns.get_group(session, int(group_id))
    return waiting


@router.get("/orders")
def my_orders(request: Request, user: SignedIn, cursor: str = "") -> Response:
    with read_session() as session:
        page = queries.list_orders(session, user, scope="mine",
                                   cursor=cursor[:40] or None, limit=20)
        groups = forming_groups(session, page.items)
        ids = [order.id for order in page.items]
        waiting = queries.refunds_waiting(session, ids)
        progress = lookups.pickup_progress(session, ids)
    return render(request, "orders/list.html", {
        "page": page, "groups": groups, "refund_waiting": waiting,
        "states": {order.id: badge_state(order, progress.get(order.id))
                   for order in page.items}})


def order_id_in_range(order_id: int) -> int:
    if not 1 <= order_id <= MAX_ORDER_ID:
        raise NotFound("没有这个订单。")
    return order_id


@dataclass(frozen=True)
class RefundForm:
    """The buyer's refund form shown again (``web/account/refunds.py``): the reason of each
    refused field (``lines``, ``reason_code``, ``photos``; ``""`` the form) and the values
    sent (``qty_<line id>``, ``reason_code``, ``reason``)."""

    errors: FieldErrors = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AfterSalesForm:
    """What the operator's after-sales refund form showed again: the reasons it was
    refused and the values sent (``qty_<line id>``, ``reason``)."""

    errors: tuple[tuple[str, str], ...] = ()
    values: dict[str, str] = field(default_factory=dict)

    def under(self, place: str) -> list[tuple[str, str]]:
        """The (label, reason) pairs shown under ``place``: ``lines`` (the quantities),
        ``reason``, or ``""`` (the form as a whole)."""
        places = {"退款数量": "lines", "退款原因": "reason"}
        return [(label, why) for label, why in self.errors if places.get(label, "") == place]


def after_sales_open(user: Identity, order: OrderOut) -> bool:
    """Operators may refund after sales (售后) while the order is refundable and a unit is left,
    also after settlement (``orders.refunds.after_sales_refund``)."""
    return user.is_operator and order.status in REFUNDABLE and any(
        line.quantity > line.refunded_quantity for line in order.lines)


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int, user: SignedIn) -> Response:
    return show_order(request, user, order_id)


@dataclass(frozen=True)
class RefundBand:
    """What the order page says of its latest refund request, at the top: ``waiting``
    (退款中·等待商家处理, with the seconds the seller has left to decide), ``refunded``
    (退款成功) or ``rejected`` (商家拒绝退款, with the seller's reason)."""

    state: str
    refund: RefundOut
    seconds_left: int = 0


def refund_band(order_refunds: list[RefundOut], now: datetime) -> RefundBand | None:
    """The band for the request waiting for the seller, else for the latest one decided;
    None when the buyer never asked (a price difference given back is not a request)."""
    asked = [r for r in order_refunds if r.decision_note != "price difference"]
    waiting = [r for r in asked if r.status == "requested"]
    if waiting:
        deadline = waiting[0].decide_by
        left = int((deadline - now).total_seconds()) if deadline else 0
        return RefundBand("waiting", waiting[0], max(0, left))
    if asked and asked[-1].status in ("refunded", "rejected"):
        return RefundBand(asked[-1].status, asked[-1])
    return None


def show_order(request: Request, user: Identity, order_id: int, *,
               after_sales: AfterSalesForm | None = None, refund_form: RefundForm | None = None,
               status_code: int = 200) -> Response:
    """The order page; ``after_sales`` refills the operator's refund form with its refusal,
    ``refund_form`` the buyer's."""
    with read_session() as session:
        order = queries.get_order(session, user, order_id_in_range(order_id))
        order_refunds = refunds.refunds_of(session, user, order.id)
        group = forming_groups(session, [order]).get(order.id)
        pickup = pickup_for(session, user, order)
    return render(request, "orders/detail.html", {
        "group": group, "invite_url": f"/groups/{group.id}#share" if group else None,
        "pickup": pickup,
        "order": order, "refunds": order_refunds,
        "steps": timeline(order, order_refunds, for_buyer=order.buyer_id == user.id,
                          pickup=pickup.where if pickup else None),
        "state": badge_state(order, pickup.where.progress if pickup else None),
        "is_buyer": order.buyer_id == user.id,
        "campaign_url": campaign_url(order.campaign_ref),
        "balance": balance_state(order, clock.now()),
        "key": secrets.token_urlsafe(16),
        "after_sales": after_sales or AfterSalesForm(),
        "band": refund_band(order_refunds, clock.now()),
        "refund_form": refund_form or RefundForm(),
        "after_sales_open": after_sales_open(user, order)}, status_code=status_code)


@router.post("/orders/{order_id}/pay")
def pay(request: Request, order_id: int, user: SignedIn, form: CheckedForm) -> Response:
    """Pay what is due: the order (or a presale's deposit), or a presale's balance."""
    with read_session() as session:
        order = queries.get_order(session, user, order_id_in_range(order_id))
    stage = "-balance" if order.status == DEPOSIT_PAID else ""
    intent = paying.start_payment(order_id=order.id, payer_id=user.id,
                                  provider_name="sandbox",
                                  idempotency_key=f"web-pay-{order_id}{stage}")
    return redirect(request, intent.pay_url or f"/orders/{order_id}")


@router.post("/orders/{order_id}/cancel")
def cancel(request: Request, order_id: int, user: SignedIn, _: CheckedForm) -> Response:
    lifecycle.cancel(actor=user, order_id=order_id_in_range(order_id))
    return redirect(request, f"/orders/{order_id}")


@router.post("/orders/{order_id}/confirm")
def confirm(request: Request, order_id: int, user: SignedIn, _: CheckedForm) -> Response:
    lifecycle.confirm(actor=user, order_id=order_id_in_range(order_id))
    return redirect(request, f"/orders/{order_id}")
