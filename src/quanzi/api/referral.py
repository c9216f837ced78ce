"""/api/v1 promoters, shops, shares, posters, referral rules and the promoter dashboard."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from quanzi.accounts.identity import Identity
from quanzi.api.deps import CurrentUser, Id, Operator, ReadSession, ShareCookies, require
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.referral import poster, queries, services, shares, shops
from quanzi.referral.schemas import (
    ApplyIn,
    CommissionPage,
    ConfigIn,
    ConfigOut,
    PromoterOut,
    RatesIn,
    RatesOut,
    RejectIn,
    ResolveIn,
    ResolveOut,
    ShareIn,
    ShareOut,
    ShopIn,
    ShopItemsIn,
    ShopOut,
    StatsOut,
)

router = APIRouter(tags=["referral"], responses=ERROR_RESPONSES)

PromoterUser = Annotated[Identity, Depends(require("promoter"))]
Earner = Annotated[Identity, Depends(require("promoter", "leader"))]
Code = Annotated[str, Path(min_length=1, max_length=32)]


class PromoterList(BaseModel):
    items: list[PromoterOut]


@router.post("/promoters/apply", status_code=201, response_model=PromoterOut)
def apply(data: ApplyIn, user: CurrentUser) -> PromoterOut:
    return services.apply(user_id=user.id, invite_code=data.invite_code)


@router.post("/promoters/{promoter_id}/approve", response_model=PromoterOut)
def approve(promoter_id: Id, operator: Operator) -> PromoterOut:
    return services.approve(operator_id=operator.id, promoter_id=promoter_id)


@router.post("/promoters/{promoter_id}/reject", response_model=PromoterOut)
def reject(promoter_id: Id, data: RejectIn, operator: Operator) -> PromoterOut:
    return services.reject(operator_id=operator.id, promoter_id=promoter_id, reason=data.reason)


@router.get("/promoters", response_model=PromoterList)
def list_promoters(_: Operator, session: ReadSession,
                   status: Literal["applied", "approved", "rejected"] | None = None
                   ) -> PromoterList:
    return PromoterList(items=queries.list_promoters(session, status))


@router.get("/me/promoter", response_model=PromoterOut)
def my_promoter(user: CurrentUser, session: ReadSession) -> PromoterOut:
    return queries.my_promoter(session, user.id)


@router.get("/me/shop", response_model=ShopOut)
def my_shop(user: PromoterUser, session: ReadSession) -> ShopOut:
    return shops.my_shop(session, user.id)


@router.put("/me/shop", response_model=ShopOut)
def save_shop(data: ShopIn, user: PromoterUser) -> ShopOut:
    return shops.save_shop(promoter_user_id=user.id, data=data)


@router.put("/me/shop/items", response_model=ShopOut)
def set_shop_items(data: ShopItemsIn, user: PromoterUser) -> ShopOut:
    return shops.set_items(promoter_user_id=user.id, product_ids=data.product_ids)


@router.post("/shares", status_code=201, response_model=ShareOut)
def create_share(data: ShareIn, user: PromoterUser) -> ShareOut:
    return shares.create_share(promoter_user_id=user.id, product_id=data.product_id,
                               shop=data.shop, campaign_kind=data.campaign_kind,
                               campaign_id=data.campaign_id)


@router.post("/shares/resolve", response_model=ResolveOut)
def resolve(data: ResolveIn, request: Request, cookies: ShareCookies) -> ResolveOut:
    return shares.resolve(text=data.text, visitor_id=cookies.visitor_id,
                          user_agent=request.headers.get("user-agent", ""),
                          referrer=request.headers.get("referer"),
                          ip=request.client.host if request.client else None)


@router.get("/shares/{code}/poster.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}, 304: {"description": "unchanged"}})
def share_poster(code: Code, request: Request) -> Response:
    """The poster, with an ETag of what it shows: browsers ask again each time (a price
    may have moved) and get 304 while it has not."""
    drawn = poster.poster_png(code)
    headers = {"cache-control": "no-cache", "etag": f'"{drawn.etag}"'}
    if request.headers.get("if-none-match") == headers["etag"]:
        return Response(status_code=304, headers=headers)
    return Response(drawn.png, media_type="image/png", headers=headers)


@router.get("/referral/config", response_model=ConfigOut)
def get_config(_: Operator, session: ReadSession) -> ConfigOut:
    return services.config_out(services.load_rules(session))


@router.put("/referral/config", response_model=ConfigOut)
def put_config(data: ConfigIn, _: Operator) -> ConfigOut:
    return services.save_config(data)


@router.get("/referral/rates", response_model=RatesOut)
def get_rates(_: Operator, session: ReadSession) -> RatesOut:
    return services.rates_out(session)


@router.put("/referral/rates", response_model=RatesOut)
def put_rates(data: RatesIn, _: Operator) -> RatesOut:
    return services.save_rates(data)


@router.get("/me/referral/stats", response_model=StatsOut)
def my_stats(user: PromoterUser, session: ReadSession) -> StatsOut:
    return queries.stats(session, user.id)


@router.get("/me/commissions", response_model=CommissionPage)
def my_commissions(user: Earner, session: ReadSession,
                   status: Literal["pending", "settled", "reversed", "clawed_back"] | None = None,
                   kind: Literal["promoter", "leader"] | None = None,
                   cursor: Annotated[str | None, Query(max_length=12, pattern=r"^\d+$")] = None,
                   limit: Annotated[int, Query(ge=1, le=100)] = 50) -> CommissionPage:
    """My commissions (佣金): a promoter's level 1 (I shared) or 2 (someone I invited
    shared), and a leader's on the orders of their pickup point (``kind: "leader"``)."""
    return queries.my_commissions(session, user.id, status=status, kind=kind,
                                  before_id=int(cursor) if cursor else None, limit=limit)
