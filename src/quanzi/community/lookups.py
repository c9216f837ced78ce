"""Small reads the pages need beside ``queries``: the districts that have live points, a
batch order's pickup (point, batch, cut-off, arrival, collection) and how far a page of
orders got, and a leader's batches."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from quanzi.accounts.services import user_names
from quanzi.community.models import Arrival, Batch, BatchOrder, PickupPoint
from quanzi.community.queries import point_out
from quanzi.community.schemas import PointOut

__all__ = ["Pickup", "districts", "leader_batch_ids", "pickup_of", "pickup_progress"]


def districts(session: Session) -> list[str]:
    """The districts with at least one live point, in name order (the search's choices)."""
    return list(session.scalars(select(PickupPoint.district)
                                .where(PickupPoint.status == "live")
                                .group_by(PickupPoint.district).order_by(PickupPoint.district)))


@dataclass(frozen=True)
class Pickup:
    """Where and when a batch order is collected, as its order page shows it;
    ``cut_off_at`` is when the batch's cut-off was made (None before)."""

    point: PointOut
    batch_id: int
    batch_title: str
    pickup_from: datetime
    cut_off_at: datetime | None
    arrived_at: datetime | None
    picked_up_at: datetime | None

    @property
    def progress(self) -> str:
        """``waiting`` for the goods, ``arrived`` at the point, or ``collected``."""
        return _progress(self.picked_up_at, self.arrived_at)


def pickup_of(session: Session, order_id: int) -> Pickup | None:
    """The pickup of a batch order; None for any other order."""
    row = session.get(BatchOrder, order_id)
    if row is None:
        return None
    point = session.get_one(PickupPoint, row.pickup_point_id)
    batch = session.get_one(Batch, row.batch_id)
    arrival = session.get(Arrival, (row.batch_id, row.pickup_point_id))
    leader = user_names(session, [point.leader_id]).get(point.leader_id, "")
    return Pickup(point=point_out(point, leader), batch_id=batch.id, batch_title=batch.title,
                  pickup_from=batch.pickup_from, cut_off_at=batch.cut_off_at,
                  arrived_at=arrival.arrived_at if arrival else None,
                  picked_up_at=row.picked_up_at)


def pickup_progress(session: Session, order_ids: list[int]) -> dict[int, str]:
    """Of these orders, each batch order's ``progress`` (as :attr:`Pickup.progress`)."""
    if not order_ids:
        return {}
    rows = session.execute(select(BatchOrder.order_id, BatchOrder.picked_up_at,
                                  Arrival.arrived_at).outerjoin(Arrival, and_(
        Arrival.batch_id == BatchOrder.batch_id,
        Arrival.pickup_point_id == BatchOrder.pickup_point_id))
        .where(BatchOrder.order_id.in_(order_ids)))
    return {order_id: _progress(picked_up_at, arrived_at)
            for order_id, picked_up_at, arrived_at in rows}


def _progress(picked_up_at: datetime | None, arrived_at: datetime | None) -> str:
    if picked_up_at is not None:
        return "collected"
    return "arrived" if arrived_at is not None else "waiting"


def leader_batch_ids(session: Session, leader_id: int, statuses: tuple[str, ...]) -> list[int]:
    """Batches in ``statuses`` with orders at a point the user leads, soonest cut-off first."""
    return list(session.scalars(
        select(Batch.id).where(Batch.status.in_(statuses), Batch.id.in_(
            select(BatchOrder.batch_id).join(
                PickupPoint, PickupPoint.id == BatchOrder.pickup_point_id)
            .where(PickupPoint.leader_id == leader_id)))
        .order_by(Batch.cuts_off_at, Batch.id).limit(50)))

