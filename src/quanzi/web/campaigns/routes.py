"""The buyer's campaign pages: flash sales and group buys, bargains, tiered deals and presales."""

from fastapi import APIRouter

from quanzi.web.campaigns import bargains, buyer, deals

router = APIRouter()
for page in (buyer, bargains, deals):
    router.include_router(page.router)
