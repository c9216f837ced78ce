"""The promoter's pages: the centre, commissions one by one, the wallet."""

from fastapi import APIRouter

from quanzi.web.promoter import centre, commissions, picker, wallet

router = APIRouter()
for page in (centre, commissions, picker, wallet):
    router.include_router(page.router)
