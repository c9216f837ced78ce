"""All page routers, mounted by ``quanzi.app.create_app`` as ``web_router``."""

from fastapi import APIRouter

from quanzi.web import account, auth, operator, promoter, referral_pages, shop, supplier
from quanzi.web import campaigns, campaigns_bargains, campaigns_deals
from quanzi.web import addresses, operator_ledger, operator_suppliers, supplier_money
from quanzi.web import after_sales, order_lists, supplier_products
from quanzi.web import paste, rates
from quanzi.web import commissions, wallet
from quanzi.web.shop import not_found

__all__ = ["not_found", "router"]

router = APIRouter(include_in_schema=False)
for module in (auth, shop, account, promoter, supplier, operator, referral_pages, campaigns,
               campaigns_bargains, campaigns_deals, addresses, supplier_products,
               supplier_money, operator_suppliers, operator_ledger, order_lists, after_sales):
    router.include_router(module.router)
for module in (rates, paste, wallet, commissions):
    router.include_router(module.router)
