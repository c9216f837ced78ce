"""/api/v1/regions (the 省/市/区 picker's lists) and /api/v1/addresses/parse (智能填写)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from quanzi.accounts import address_parsing, regions
from quanzi.accounts.schemas import AddressGuess, AddressText, RegionList, RegionOut
from quanzi.api.deps import CurrentUser
from quanzi.api.errors import ERROR_RESPONSES

router = APIRouter(tags=["accounts"], responses=ERROR_RESPONSES)
# the lists change only with the pinned package's data: a day in any cache is fine
REGIONS_CACHE = "public, max-age=86400"


@router.get("/regions", response_model=RegionList)
def region_list(response: Response,
                parent: Annotated[str | None, Query(max_length=12)] = None) -> RegionList:
    """The provinces, or the cities or districts directly under ``parent`` (a GB/T 2260
    code from an earlier answer); 404 ``not_found`` for a code with nothing below it."""
    items = [RegionOut(code=r.code, name=r.name, leaf=r.leaf)
             for r in regions.children(parent)]
    response.headers["cache-control"] = REGIONS_CACHE
    return RegionList(items=items)


@router.post("/addresses/parse", response_model=AddressGuess)
def parse_address(data: AddressText, _: CurrentUser) -> AddressGuess:
    """智能填写: the name, phone, region (with its code) and detail found in a pasted
    address; a field not found is empty. Nothing is saved."""
    return address_parsing.guess(data.text)
