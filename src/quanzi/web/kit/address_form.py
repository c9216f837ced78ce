"""The new-address fields every buy form and the address book share
(``partials/address_fields.html``): what was typed, the region written from a picked
code, and keeping a typed address in the buyer's book once the order is placed."""

from starlette.datastructures import FormData

from quanzi.accounts import regions
from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn
from quanzi.core.errors import NotFound
from quanzi.web.kit.pages import text

FIELDS = ("name", "phone", "region", "detail")  # an order's address
LIMITS = {"name": 64, "phone": 20, "region": 128, "region_code": 6, "detail": 255}


def typed(form: FormData) -> dict[str, str]:
    """The typed address; a known ``region_code`` (the picker's) writes ``region``, an
    unknown one is dropped and the typed region stands."""
    values = {f: text(form, f, limit) for f, limit in LIMITS.items()}
    try:
        values["region"] = regions.place(values["region_code"]).text
    except NotFound:
        values["region_code"] = ""
    return values


def for_order(values: dict[str, str]) -> dict[str, str]:
    """The fields an order's address snapshot holds."""
    return {f: values.get(f, "") for f in FIELDS}


def remember(user_id: int, values: dict[str, str]) -> None:
    """Keep an address the order took in the buyer's book (once; the first one is the
    default). The order has validated it already."""
    accounts.remember_address(user_id, AddressIn.model_validate(
        {**for_order(values), "region_code": values.get("region_code") or None}))
