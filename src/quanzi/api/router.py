"""All API routers under /api/v1."""

from fastapi import APIRouter

from quanzi.api import accounts, addresses, campaign_buys, ledger, orders, payments
from quanzi.api import campaigns as campaigns_api
from quanzi.api import catalog as catalog_api
from quanzi.api import referral as referral_api

api_router = APIRouter()
api_router.include_router(accounts.router)
api_router.include_router(addresses.router)
api_router.include_router(catalog_api.router)
api_router.include_router(orders.router)
api_router.include_router(payments.router)
api_router.include_router(ledger.router)
api_router.include_router(campaigns_api.router)
api_router.include_router(referral_api.router)
api_router.include_router(campaign_buys.router)
