"""The operator console: dashboard and approvals, suppliers, the ledger, orders,
after-sales refunds, commission rates."""

from fastapi import APIRouter

from quanzi.web.operator import (
    after_sales,
    console,
    ledger,
    order_export,
    order_lists,
    rates,
    supplier_staff,
    suppliers,
)

router = APIRouter()
for page in (console, suppliers, ledger, order_lists, order_export, after_sales, rates,
             supplier_staff):
    router.include_router(page.router)
