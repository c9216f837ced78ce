"""Small reads the pages need beside ``queries``: the districts that have live points, a
batch order's pickup (point, batch, arrival, collection), and a leader's batches."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.accounts.services import user_names
from quanzi.community.models import Arrival, Batch, BatchOrder, PickupPoint
from quanzi.community.queries import point_out
from quanzi.community.schemas import PointOut

__all__ = ["Pickup", "districts", "leader_batch_ids", "pickup_of"]


def districts(session: Session) -> list[str]:
    """The districts with at least one live point, in name order (the search's choices)."""
    return list(session.scalars(select(PickupPoint.district)
                                .where(PickupPoint.status == "live")
                                .group_by(PickupPoint.district).order_by(PickupPoint.district)))


@dataclass(frozen=True)
class Pickup:
    """Where and when a batch order is collected, as its order page shows it."""

    point: PointOut
    batch_id: int
    batch_title: str
    pickup_from: datetime
    arrived_at: datetime | None
    picked_up_at: datetime | None


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
                  pickup_from=batch.pickup_from,
                  arrived_at=arrival.arrived_at if arrival else None,
                  picked_up_at=row.picked_up_at)


def leader_batch_ids(session: Session, leader_id: int, statuses: tuple[str, ...]) -> list[int]:
    """Batches in ``statuses`` with orders at a point the user leads, soonest cut-off first."""
    return list(session.scalars(
        select(Batch.id).where(Batch.status.in_(statuses), Batch.id.in_(
            select(BatchOrder.batch_id).join(
                PickupPoint, PickupPoint.id == BatchOrder.pickup_point_id)
            .where(PickupPoint.leader_id == leader_id)))
        .order_by(Batch.cuts_off_at, Batch.id).limit(50)))

