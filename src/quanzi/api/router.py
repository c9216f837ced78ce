"""All API routers under /api/v1."""

from fastapi import APIRouter

from quanzi.api import accounts

api_router = APIRouter()
api_router.include_router(accounts.router)
