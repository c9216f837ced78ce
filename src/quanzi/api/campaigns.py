"""/api/v1 campaign configuration and reads: flash sales, group buys, bargains, tiered
deals, presales. The buying endpoints are wired with orders (see campaigns.services)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from quanzi.api.deps import CurrentUser, Id, ReadSession, SupplierOrOperator
from quanzi.api.errors import ERROR_RESPONSES, LIMITED_RESPONSES
from quanzi.campaigns import listing, services
from quanzi.campaigns.schemas import (
    BargainCreate,
    BargainRead,
    BargainRunRead,
    BargainStarted,
    CampaignKind,
    CampaignList,
    CampaignStatus,
    FlashSaleCreate,
    FlashSaleRead,
    GroupBuyCreate,
    GroupBuyRead,
    GroupRead,
    HelpResult,
    PresaleCreate,
    PresaleRead,
    TieredDealCreate,
    TieredDealRead,
)
from quanzi.core import clock
from quanzi.referral.domain import is_wechat

router = APIRouter(tags=["campaigns"], responses=ERROR_RESPONSES)


@router.get("/campaigns", response_model=CampaignList)
def list_campaigns(
    session: ReadSession,
    kind: CampaignKind | None = None,
    product_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    status: CampaignStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=listing.MAX_LIMIT)] = 20,
) -> CampaignList:
    """Campaigns of every kind on products on the shelf, priced at most at the list price:
    live first (ending soonest), then upcoming, then ended; ``status=live`` for what one
    can take part in now."""
    filters = listing.CampaignFilter(kind=kind, status=status, product_id=product_id,
                                     on_shelf_only=True, deals_only=True)
    return CampaignList(items=listing.list_campaigns(session, filters, now=clock.now(),
                                                     limit=limit))


@router.post("/flash-sales", status_code=201, response_model=FlashSaleRead)
def create_flash_sale(data: FlashSaleCreate, user: SupplierOrOperator) -> FlashSaleRead:
    return services.create_flash_sale(by=user, data=data)


@router.get("/flash-sales/{sale_id}", response_model=FlashSaleRead)
def get_flash_sale(sale_id: Id, session: ReadSession) -> FlashSaleRead:
    return services.get_flash_sale(session, sale_id)


@router.post("/group-buys", status_code=201, response_model=GroupBuyRead)
def create_group_buy(data: GroupBuyCreate, user: SupplierOrOperator) -> GroupBuyRead:
    return services.create_group_buy(by=user, data=data)


@router.get("/group-buys/{group_buy_id}", response_model=GroupBuyRead)
def get_group_buy(group_buy_id: Id, session: ReadSession) -> GroupBuyRead:
    return services.get_group_buy(session, group_buy_id)


@router.get("/groups/{group_id}", response_model=GroupRead)
def get_group(group_id: Id, session: ReadSession) -> GroupRead:
    return services.get_group(session, group_id)


@router.post("/bargains", status_code=201, response_model=BargainRead)
def create_bargain(data: BargainCreate, user: SupplierOrOperator) -> BargainRead:
    return services.create_bargain(by=user, data=data)


@router.post("/bargains/{bargain_id}/start", status_code=201, response_model=BargainStarted)
def start_bargain(bargain_id: Id, user: CurrentUser) -> BargainStarted:
    return services.start_bargain(bargain_id=bargain_id, user_id=user.id)


@router.post("/bargain-runs/{run_id}/help", response_model=HelpResult,
             responses=LIMITED_RESPONSES)
def help_bargain(run_id: Id, user: CurrentUser, request: Request) -> HelpResult:
    in_wechat = is_wechat(request.headers.get("user-agent", ""))
    return services.help_bargain(run_id=run_id, helper_id=user.id, in_wechat=in_wechat)


@router.get("/bargain-runs/{run_id}", response_model=BargainRunRead,
            response_model_exclude_none=True)
def get_bargain_run(run_id: Id, session: ReadSession) -> BargainRunRead:
    return services.get_run(session, run_id)


@router.post("/tiered-deals", status_code=201, response_model=TieredDealRead)
def create_tiered_deal(data: TieredDealCreate, user: SupplierOrOperator) -> TieredDealRead:
    return services.create_tiered_deal(by=user, data=data)


@router.get("/tiered-deals/{deal_id}", response_model=TieredDealRead)
def get_tiered_deal(deal_id: Id, session: ReadSession) -> TieredDealRead:
    return services.get_tiered_deal(session, deal_id)


@router.post("/presales", status_code=201, response_model=PresaleRead)
def create_presale(data: PresaleCreate, user: SupplierOrOperator) -> PresaleRead:
    return services.create_presale(by=user, data=data)


@router.get("/presales/{presale_id}", response_model=PresaleRead)
def get_presale(presale_id: Id, session: ReadSession) -> PresaleRead:
    return services.get_presale(session, presale_id)
