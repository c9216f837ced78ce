"""Flash sales (秒杀): configuration, reads, and the reservation records a buy keeps.

The buy itself (order + payment) is wired by the orders side::

    outcome = flash_stock.reserve(sale.id, user_id, quantity, sale.per_user_limit)
    if outcome is not Outcome.OK: raise refuse(outcome.value)
    try:
        with transaction() as session:
            order = ...create the order...
            record_reservation(session, sale_id=..., user_id=..., quantity=...,
                               order_id=order.id, now=now)
    except Exception:
        flash_stock.release(sale.id, user_id, quantity); raise
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quanzi.campaigns import domain
from quanzi.campaigns.common import Staff, authorise_sku, refuse
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.models import FlashReservation, FlashSale
from quanzi.campaigns.schemas import FlashSaleCreate, FlashSaleRead
from quanzi.catalog import stock
from quanzi.core import broadcast, clock
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, on_database_switch, read_session, transaction
from quanzi.core.errors import Conflict, NotFound
from quanzi.core.sweeps import sweep

PAY_WITHIN = timedelta(minutes=5)  # an unpaid flash reservation is released after this


def create_flash_sale(*, by: Staff, data: FlashSaleCreate) -> FlashSaleRead:
    """Create a flash sale on a SKU ``by`` may sell (422 unknown SKU or bad window, 403).

    The allotment leaves the SKU's stock now (409 ``out_of_stock`` if there is not that
    much), so flash buys never touch the SKU's row; what is unsold goes back when the
    sale ends (``end_sales``).
    """
    domain.check_window(data.starts_at, data.ends_at)
    domain.check_amounts(get_settings().max_order_fen, price_fen=data.price_fen)
    with transaction() as session:
        authorise_sku(session, by, data.sku_id, top_price_fen=data.price_fen)
        if not stock.reserve(session, data.sku_id, data.stock):
            raise Conflict("the SKU does not have that much stock for the sale",
                           code="out_of_stock")
        sale = FlashSale(sku_id=data.sku_id, price_fen=data.price_fen, stock=data.stock,
                         sold=0, per_user_limit=data.per_user_limit,
                         starts_at=data.starts_at, ends_at=data.ends_at, created_by=by.id,
                         created_at=clock.now())
        session.add(sale)
        session.flush()
        return _read(sale, left=sale.stock, now=clock.now())


def get_flash_sale(session: Session, sale_id: int) -> FlashSaleRead:
    """The sale with its live stock (from Redis when Redis keeps the counter)."""
    sale = session.get(FlashSale, sale_id)
    if sale is None:
        raise NotFound("no such flash sale")
    return _read(sale, left=flash_stock.stock_left(sale_id), now=clock.now())


def _read(sale: FlashSale, *, left: int, now: datetime) -> FlashSaleRead:
    status = domain.flash_status(sale.starts_at, sale.ends_at, left, now, sale.ended_at)
    return FlashSaleRead(id=sale.id, sku_id=sale.sku_id, price_fen=sale.price_fen,
                         stock=sale.stock, stock_left=max(0, left),
                         per_user_limit=sale.per_user_limit, starts_at=sale.starts_at,
                         ends_at=sale.ends_at, status=status)


@dataclass(frozen=True)
class SaleTerms:
    """What a buy needs to know of a sale; fixed once the sale exists (but ``ended_at``)."""

    sku_id: int
    price_fen: int
    per_user_limit: int
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None

    def refusal(self, now: datetime) -> str | None:
        refusal = domain.window_refusal(self.starts_at, self.ends_at, now)
        return refusal or ("ended" if self.ended_at is not None else None)


TERMS_TTL = 2.0  # seconds; a change announced on TOPIC (core.broadcast) drops them at once
TOPIC = "flash-sales"  # {"sale_id": id}: the sale's terms changed (it ended)
_terms: dict[int, tuple[float, SaleTerms]] = {}


def cached_terms(sale_id: int) -> SaleTerms | None:
    """The sale's terms if the cache has them fresh (no database access)."""
    hit = _terms.get(sale_id)
    if hit is not None and time.monotonic() - hit[0] < TERMS_TTL:
        return hit[1]
    return None


def sale_terms(sale_id: int) -> SaleTerms:
    """The sale's terms, from a short-lived in-process cache (404 if no such sale)."""
    cached = cached_terms(sale_id)
    if cached is not None:
        return cached
    now = time.monotonic()
    with read_session() as session:
        sale = session.get(FlashSale, sale_id)
        if sale is None:
            raise NotFound("no such flash sale")
        terms = SaleTerms(sale.sku_id, sale.price_fen, sale.per_user_limit, sale.starts_at,
                          sale.ends_at, sale.ended_at)
    if len(_terms) > 10_000:
        _terms.clear()
    _terms[sale_id] = (now, terms)
    return terms


def forget_terms() -> None:
    _terms.clear()


def _changed(data: broadcast.Data) -> None:
    _terms.pop(int(data.get("sale_id", 0)), None)


def plug() -> None:
    """Forget cached terms when a sale changes in any process, when news of that may have
    been missed (``core.broadcast``) and on a switch to another database
    (``quanzi.wiring.wire``)."""
    on_database_switch(forget_terms)
    broadcast.listen(TOPIC, _changed)
    broadcast.on_gap(forget_terms)


def check_buyable(session: Session, sale_id: int, now: datetime) -> FlashSale:
    """The sale if its window is open now; 404 if unknown, 409 ``not_started``/``ended``."""
    sale = session.get(FlashSale, sale_id)
    if sale is None:
        raise NotFound("no such flash sale")
    refusal = domain.window_refusal(sale.starts_at, sale.ends_at, now)
    if refusal is None and sale.ended_at is not None:
        refusal = "ended"
    if refusal:
        raise refuse(refusal)
    return sale


def record_reservation(session: Session, *, sale_id: int, user_id: int, quantity: int,
                       order_id: int | None, now: datetime,
                       pay_within: timedelta = PAY_WITHIN) -> FlashReservation:
    """Record units already taken with ``flash_stock.reserve`` (flushes)."""
    reservation = FlashReservation(sale_id=sale_id, user_id=user_id, quantity=quantity,
                                   order_id=order_id, status="reserved", created_at=now,
                                   expires_at=now + pay_within)
    session.add(reservation)
    session.flush()
    return reservation


def mark_reservation_paid(session: Session, order_id: int) -> bool:
    """``reserved`` → ``paid`` for the order's reservation; False if none was reserved."""
    return changed_rows(
        session,
        update(FlashReservation)
        .where(FlashReservation.order_id == order_id, FlashReservation.status == "reserved")
        .values(status="paid").execution_options(synchronize_session=False)
    ) > 0


END_GRACE = timedelta(minutes=1)  # buys that passed the window check are done by then


def end_sales(now: datetime | None = None) -> int:
    """End sales past their window: the unsold allotment goes back to the SKU's stock.

    Claimed by a conditional update, so two sweeps return the units once. A reservation
    released after the end gives its units to the SKU too (``release_reservation``).
    """
    now = now or clock.now()
    return sweep(select(FlashSale.id).where(FlashSale.ended_at.is_(None),
                                            FlashSale.ends_at <= now - END_GRACE)
                 .order_by(FlashSale.id), lambda sale_id: _end(sale_id, now))


def _end(sale_id: int, now: datetime) -> bool:
    ended = _end_in_transaction(sale_id, now)
    if ended:
        broadcast.announce(TOPIC, {"sale_id": sale_id})
    return ended


def _end_in_transaction(sale_id: int, now: datetime) -> bool:
    with transaction() as session:
        if not changed_rows(session, update(FlashSale)
                                     .where(FlashSale.id == sale_id, FlashSale.ended_at.is_(None))
                                     .values(ended_at=now)):
            return False
        sale = session.get_one(FlashSale, sale_id)
        held = session.scalar(select(func.coalesce(func.sum(FlashReservation.quantity), 0))
                              .where(FlashReservation.sale_id == sale_id,
                                     FlashReservation.status.in_(("reserved", "paid"))))
        unsold = sale.stock - int(held or 0)
        if unsold > 0:
            stock.release(session, sale.sku_id, unsold)
        return True


def release_reservation(session: Session, reservation_id: int) -> bool:
    """``reserved`` → ``released`` and its units back on sale, exactly once (flushes).

    Returns False (and changes nothing) if it was not ``reserved`` any more.
    """
    reservation = session.get(FlashReservation, reservation_id)
    if reservation is None:
        raise NotFound("no such flash reservation")
    changed = changed_rows(
        session,
        update(FlashReservation)
        .where(FlashReservation.id == reservation_id, FlashReservation.status == "reserved")
        .values(status="released").execution_options(synchronize_session=False)
    )
    if changed != 1:
        return False
    flash_stock.release_reservation_units(session, reservation.sale_id, reservation.user_id,
                                          reservation.quantity)
    sale = session.get_one(FlashSale, reservation.sale_id)
    if sale.ended_at is not None:  # the sale is over: the units go back to the SKU
        stock.release(session, sale.sku_id, reservation.quantity)
    return True


def release_order_reservations(session: Session, order_id: int) -> int:
    """Release every ``reserved`` reservation of an order (cancelled, unpaid); returns count."""
    ids = session.scalars(select(FlashReservation.id).where(
        FlashReservation.order_id == order_id, FlashReservation.status == "reserved")).all()
    return sum(release_reservation(session, reservation_id) for reservation_id in ids)


def release_expired_reservations(*, now: datetime | None = None, limit: int = 500) -> int:
    """Release reservations unpaid past their ``expires_at`` (a job; safe to run twice)."""
    now = now or clock.now()
    with transaction() as session:
        ids = session.scalars(
            select(FlashReservation.id)
            .where(FlashReservation.status == "reserved", FlashReservation.expires_at <= now)
            .order_by(FlashReservation.id).limit(limit)
        ).all()
        return sum(release_reservation(session, reservation_id) for reservation_id in ids)
