"""The campaigns' use cases, one module per kind; this module is their public surface.

Configuration use cases own their transaction (``create_*``, ``start_bargain``,
``help_bargain``, the expiry jobs); the pieces the orders side calls inside its own
transaction take a ``session`` and only flush (``open_group``, ``reserve_seat``,
``record_reservation``, ``claim_run_for_purchase`` ...). The flash-sale stock counter is
``quanzi.campaigns.flash.stock``.
"""

from quanzi.campaigns.bargain.runs import (
                                       claim_run_for_purchase,
                                       create_bargain,
                                       expire_runs,
                                       get_run,
                                       help_bargain,
                                       start_bargain,
)
from quanzi.campaigns.flash.sales import (
                                       check_buyable,
                                       create_flash_sale,
                                       get_flash_sale,
                                       mark_reservation_paid,
                                       record_reservation,
                                       release_expired_reservations,
                                       release_order_reservations,
                                       release_reservation,
)
from quanzi.campaigns.group_buy.groups import (
                                       attach_order,
                                       create_group_buy,
                                       get_group,
                                       get_group_buy,
                                       mark_seat_paid,
                                       open_group,
                                       release_seat,
                                       reserve_seat,
)
from quanzi.campaigns.presale.terms import create_presale, get_presale
from quanzi.campaigns.tiered.deals import create_tiered_deal, get_tiered_deal

__all__ = [
    "attach_order", "check_buyable", "claim_run_for_purchase", "create_bargain",
    "create_flash_sale", "create_group_buy", "create_presale", "create_tiered_deal",
    "expire_runs", "get_flash_sale", "get_group", "get_group_buy", "get_presale", "get_run",
    "get_tiered_deal", "help_bargain", "mark_reservation_paid", "mark_seat_paid",
    "open_group", "record_reservation", "release_expired_reservations",
    "release_order_reservations", "release_reservation", "release_seat", "reserve_seat",
    "start_bargain",
]
