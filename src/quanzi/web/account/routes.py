"""The buyer's own pages: sign in and register, my orders, my addresses."""

from fastapi import APIRouter

from quanzi.web.account import addresses, auth, orders

router = APIRouter()
for page in (auth, orders, addresses):
    router.include_router(page.router)
