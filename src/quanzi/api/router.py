"""All API routers, each included by the app under /api/v1 (``API_ROUTERS``).

They are included one by one rather than through one router of routers: FastAPI matches
a request again at each level of inclusion, so one level less is a shorter path for
every API request. The order is the matching order.
"""

from fastapi import APIRouter

from quanzi.api import (
                        accounts,
                        addresses,
                        batches,
                        campaign_buys,
                        community,
                        ledger,
                        orders,
                        payments,
)
from quanzi.api import campaigns as campaigns_api
from quanzi.api import catalog as catalog_api
from quanzi.api import referral as referral_api

API_PREFIX = "/api/v1"
API_ROUTERS: list[APIRouter] = [
    accounts.router, addresses.router, catalog_api.router, orders.router, payments.router,
    ledger.router, campaigns_api.router, referral_api.router, campaign_buys.router,
    community.router, batches.router]
