"""Presales (预售): configuration and reads. Deposit and balance payments are wired on
the orders side (two payments of one order) with ``domain.balance_due`` and the windows.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from quanzi.campaigns import domain
from quanzi.campaigns.common import Staff, authorise_sku
from quanzi.campaigns.models import Presale
from quanzi.campaigns.schemas import PresaleCreate, PresaleRead
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.core.errors import NotFound

RULE_TEXT = {
    "forfeit_deposit": "尾款未在规定时间内支付，定金不退",
    "refund_deposit": "尾款未在规定时间内支付，定金原路退回",
}


def windows_of(presale: Presale) -> domain.PresaleWindows:
    return domain.PresaleWindows(presale.deposit_starts_at, presale.deposit_ends_at,
                                 presale.balance_starts_at, presale.balance_ends_at)


def create_presale(*, by: Staff, data: PresaleCreate) -> PresaleRead:
    """Create a presale; 422 unless 0 < deposit <= worth <= price and the windows follow."""
    windows = domain.PresaleWindows(data.deposit_starts_at, data.deposit_ends_at,
                                    data.balance_starts_at, data.balance_ends_at)
    domain.check_presale(data.price_fen, data.deposit_fen, data.deposit_worth_fen, windows,
                         data.unpaid_balance_rule)
    domain.check_amounts(get_settings().max_order_fen, price_fen=data.price_fen,
                         deposit_fen=data.deposit_fen)
    now = clock.now()
    with transaction() as session:
        authorise_sku(session, by, data.sku_id, top_price_fen=data.price_fen)
        presale = Presale(sku_id=data.sku_id, price_fen=data.price_fen,
                          deposit_fen=data.deposit_fen,
                          deposit_worth_fen=data.deposit_worth_fen,
                          deposit_starts_at=data.deposit_starts_at,
                          deposit_ends_at=data.deposit_ends_at,
                          balance_starts_at=data.balance_starts_at,
                          balance_ends_at=data.balance_ends_at,
                          unpaid_balance_rule=data.unpaid_balance_rule, created_by=by.id,
                          created_at=now)
        session.add(presale)
        session.flush()
        return presale_read(presale, now)


def get_presale(session: Session, presale_id: int) -> PresaleRead:
    presale = session.get(Presale, presale_id)
    if presale is None:
        raise NotFound("no such presale")
    return presale_read(presale, clock.now())


def presale_read(presale: Presale, now: datetime) -> PresaleRead:
    windows = windows_of(presale)
    return PresaleRead(
        id=presale.id, sku_id=presale.sku_id, price_fen=presale.price_fen,
        deposit_fen=presale.deposit_fen, deposit_worth_fen=presale.deposit_worth_fen,
        balance_fen=domain.balance_due(presale.price_fen, presale.deposit_worth_fen),
        deposit_starts_at=presale.deposit_starts_at, deposit_ends_at=presale.deposit_ends_at,
        balance_starts_at=presale.balance_starts_at, balance_ends_at=presale.balance_ends_at,
        unpaid_balance_rule=presale.unpaid_balance_rule,  # type: ignore[arg-type]
        unpaid_balance_rule_text=RULE_TEXT[presale.unpaid_balance_rule],
        phase=domain.presale_phase(windows, now))
