"""All page routers, mounted by ``quanzi.app.create_app`` as ``web_router``."""

from fastapi import APIRouter

from quanzi.web import account, auth, operator, promoter, referral_pages, shop, supplier
from quanzi.web.shop import not_found

__all__ = ["not_found", "router"]

router = APIRouter(include_in_schema=False)
for module in (auth, shop, account, promoter, supplier, operator, referral_pages):
    router.include_router(module.router)
