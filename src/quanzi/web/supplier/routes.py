"""The supplier console: orders and refunds, products and SKUs, money."""

from fastapi import APIRouter

from quanzi.web.supplier import console, money, products

router = APIRouter()
for page in (console, products, money):
    router.include_router(page.router)
