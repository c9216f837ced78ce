"""The buyer's own pages: sign in and register, my orders, my addresses."""

from fastapi import APIRouter

from quanzi.web.account import addresses, auth, orders, refunds

router = APIRouter()
for page in (auth, orders, refunds, addresses):
    router.include_router(page.router)
