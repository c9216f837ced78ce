"""All page routers, mounted by ``quanzi.app.create_app`` as ``web_router``: one per room."""

from fastapi import APIRouter

from quanzi.web.account import routes as account
from quanzi.web.campaigns import routes as campaigns
from quanzi.web.community import routes as community
from quanzi.web.operator import routes as operator
from quanzi.web.promoter import routes as promoter
from quanzi.web.shop import routes as shop
from quanzi.web.shop.products import not_found
from quanzi.web.supplier import routes as supplier

__all__ = ["not_found", "router"]

router = APIRouter(include_in_schema=False)
for room in (account, shop, promoter, supplier, operator, campaigns, community):
    router.include_router(room.router)
