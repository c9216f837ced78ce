"""Community buying's pages: the buyer's points and batches, the order's pickup code, the
leader's centre, the suppliers' and operators' batch console."""

from fastapi import APIRouter

from quanzi.web.community import buyer, console, leader, pickup

router = APIRouter()
for page in (buyer, pickup, leader, console):
    router.include_router(page.router)
