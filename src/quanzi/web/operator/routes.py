"""The operator console: dashboard and approvals, suppliers, the ledger, orders,
after-sales refunds, commission rates."""

from fastapi import APIRouter

from quanzi.web.operator import after_sales, console, ledger, order_lists, rates, suppliers

router = APIRouter()
for page in (console, suppliers, ledger, order_lists, after_sales, rates):
    router.include_router(page.router)
