"""What the product page leads with while a campaign is live on one of its SKUs.

A shopper on /p/{id} during a 秒杀 must see and pay the campaign price, not the list price
with a small chip beside it (issue #14): the page opens with the campaign's price band and
countdown, its main button names the gameplay at the campaign price and leads into that
campaign's buy flow, and 单独购买 at the list price stands beside it.

``lead_of(campaigns, sold_out)`` picks the campaign: a flash sale before a group buy
before a bargain before a tiered deal before a presale, and within a kind the one ending
soonest (the order ``campaigns.listing`` gives); a flash sale already sold out does not
lead, since its button could only say 已抢光.
"""

from dataclasses import dataclass
from datetime import datetime

from quanzi.campaigns.schemas import CampaignItem

# kind → (the main button's words, where its buy form is on the campaign's page)
BUTTONS = {"flash_sale": "立即抢购", "group_buy": "发起拼团", "bargain": "我要砍价",
           "tiered": "参团", "presale": "付定金"}
PAGES = {"flash_sale": "/flash/{}", "group_buy": "/group-buys/{}", "bargain": "/bargains/{}",
         "tiered": "/tiered/{}", "presale": "/presales/{}"}
RANK = tuple(BUTTONS)


@dataclass(frozen=True)
class Lead:
    """The campaign a product page leads with, as the page shows it."""

    campaign: CampaignItem
    button: str  # message id of the main button: 立即抢购, 发起拼团, 我要砍价 …
    url: str  # the campaign's page, at its buy form
    button_price_fen: int  # what the main button says it costs (a presale: the deposit)
    seconds_left: int | None  # for the countdown; None when the campaign runs until stopped


def lead_of(campaigns: list[CampaignItem], sold_out: frozenset[int],
            now: datetime) -> Lead | None:
    """The live campaign to lead with (see the module's doc), or None.

    ``sold_out``: ids of the flash sales among ``campaigns`` that have no unit left.
    """
    live = [c for c in campaigns if c.status == "live" and c.kind in BUTTONS
            and not (c.kind == "flash_sale" and c.id in sold_out)]
    if not live:
        return None
    first = min(live, key=lambda c: RANK.index(c.kind))  # stable: soonest ending first
    seconds = (max(0, int((first.ends_at - now).total_seconds()))
               if first.ends_at is not None else None)
    price = first.deposit_fen if first.kind == "presale" and first.deposit_fen else first.price_fen
    return Lead(first, BUTTONS[first.kind], PAGES[first.kind].format(first.id) + "#buy",
                price, seconds)
