"""The shop's pages: products, the micro-shop of a share, a pasted share token."""

from fastapi import APIRouter

from quanzi.web.shop import micro_shop, paste, products

router = APIRouter()
for page in (products, micro_shop, paste):
    router.include_router(page.router)
