"""The operator's after-sales refund (售后退款) from the order page: the page form of
``POST /api/v1/orders/{id}/after-sales-refunds``, calling the same service.

The form carries an idempotency key made when the order page was rendered, so a
double submit refunds once (the second gets the first answer). A refusal shows the
order page again with the reason and the values sent, status 4xx, nothing changed.
"""

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from quanzi.accounts.identity import Identity
from quanzi.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from quanzi.orders import refunds
from quanzi.orders.schemas import RefundCreate
from quanzi.web.account.orders import MAX_ORDER_ID, AfterSalesForm, show_order
from quanzi.web.kit.form_errors import Problem, problems
from quanzi.web.kit.pages import CheckedForm, OperatorUser, PageRoute, redirect, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LABELS = {"lines": "退款数量", "quantity": "退款数量", "reason": "退款原因", "key": "表单"}
REFUSALS = {
    "refund_invalid": "商品不在这个订单里，或数量超出可退数量（含买家待处理的退款申请）",
    "already_refunded": "这件商品已经退过款了",
    "idempotency_key_reused": "这个表单已经提交过，请刷新页面后重新填写",
}
MAX_FIELD = 16  # "qty_" and an order line id


@router.post("/orders/{order_id}/after-sales-refunds")
def after_sales_refund(request: Request, order_id: int, user: OperatorUser,
                       form: CheckedForm) -> Response:
    """Refund the chosen quantities (fields ``qty_<line id>``) with a reason, now."""
    if not 1 <= order_id <= MAX_ORDER_ID:
        raise NotFound("没有这个订单。")
    values = {name: text(form, name, 12) for name in form
              if name.startswith("qty_") and len(name) <= MAX_FIELD}
    values["reason"] = text(form, "reason", 255)
    key = text(form, "key", 64)
    found, lines = _lines(form)
    if found:
        return _refused(request, user, order_id, values, found, 422)
    if not key:
        return _refused(request, user, order_id, values, [("表单", "页面已过期，请刷新后重试")],
                        422)
    try:
        data = RefundCreate.model_validate({"lines": lines, "reason": values["reason"]})
        refunds.after_sales_refund(actor=user, order_id=order_id, data=data,
                                   idempotency_key=key)
    except ValidationError as exc:
        return _refused(request, user, order_id, values, problems(exc, LABELS), 422)
    except InvalidTransition as exc:
        return _refused(request, user, order_id, values,
                        [("售后退款", "这个订单当前的状态不能退款")], exc.status)
    except (InvalidInput, Conflict) as exc:
        if exc.code not in REFUSALS:
            raise
        return _refused(request, user, order_id, values, [("售后退款", REFUSALS[exc.code])],
                        exc.status)
    return redirect(request, f"/orders/{order_id}")


def _lines(form: FormData) -> tuple[list[Problem], list[dict[str, int]]]:
    """The lines to refund (quantity above 0), or why the quantities cannot be read."""
    lines = []
    for name in form:
        if not name.startswith("qty_") or len(name) > MAX_FIELD or not name[4:].isdecimal():
            continue
        value = text(form, name, 12) or "0"
        if not value.isdecimal():
            return [(LABELS["quantity"], "须为不小于 0 的整数")], []
        if int(value) > 0:
            lines.append({"line_id": int(name[4:]), "quantity": int(value)})
    if not lines:
        return [(LABELS["quantity"], "请至少选择一件要退款的商品")], []
    return [], lines


def _refused(request: Request, user: Identity, order_id: int, values: dict[str, str],
             found: list[Problem], status_code: int) -> Response:
    return show_order(request, user, order_id, status_code=status_code,
                      after_sales=AfterSalesForm(errors=tuple(found), values=values))
