"""The read side of community buying: finding points, batches, pick lists, notes."""


from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.accounts.services import user_names, users_by_id
from quanzi.community import domain, geo
from quanzi.community.batches import batch_out
from quanzi.community.models import (
    Arrival,
    Batch,
    BatchOrder,
    ChosenPoint,
    DispatchNoteRow,
    LeaderApplication,
    PickListRow,
    PickupPoint,
)
from quanzi.community.pickups import leader_point
from quanzi.community.schemas import (
    ApplicationRow,
    BatchOut,
    DispatchNote,
    LeaderOrder,
    LeaderOrderLine,
    LeaderOrderList,
    NearPointOut,
    NoteLine,
    PickList,
    PointOut,
    PointPickList,
    SkuQuantity,
)
from quanzi.community.unarrived import arrival_due_by
from quanzi.core.errors import NotFound
from quanzi.orders import pickup_support
from quanzi.orders.schemas import OrderOut

__all__ = ["applications", "batches", "chosen_point", "dispatch_notes", "get_batch",
           "leader_note", "leader_orders", "my_points", "near", "pick_list", "point_out",
           "points_in", "seller_batches", "with_pickup"]

MAX_POINTS = 50


def point_out(point: PickupPoint, leader_name: str, distance_m: int | None = None) -> PointOut:
    """The point as shown (with ``distance_m`` when it was found around the buyer)."""
    out = PointOut(id=point.id, name=point.name, province=point.province, city=point.city,
                   district=point.district, community=point.community, address=point.address,
                   opening_hours=point.opening_hours, leader_name=leader_name,
                   status=point.status)
    if distance_m is None:
        return out
    return NearPointOut.model_validate({**out.model_dump(), "distance_m": distance_m})


def _outs(session: Session, points: list[tuple[PickupPoint, int | None]]) -> list[PointOut]:
    names = user_names(session, [point.leader_id for point, _ in points])
    return [point_out(point, names.get(point.leader_id, ""), distance)
            for point, distance in points]


def near(session: Session, lat: float, lng: float, radius_m: int) -> list[PointOut]:
    """Live points within ``radius_m`` of (lat, lng), nearest first: the candidates come
    from the H3 cells around the buyer (an index lookup), the distance is exact."""
    cells = geo.cells_within(lat, lng, radius_m)
    found = []
    for point in session.scalars(select(PickupPoint).where(
            PickupPoint.status == "live", PickupPoint.h3_cell.in_(cells))):
        if point.lat is not None and point.lng is not None:
            distance = geo.distance_m(lat, lng, point.lat, point.lng)
            if distance <= radius_m:
                found.append((point, distance))
    found.sort(key=lambda pair: (pair[1], pair[0].id))
    return _outs(session, [(p, d) for p, d in found[:MAX_POINTS]])


def points_in(session: Session, *, district: str | None, q: str | None) -> list[PointOut]:
    """Live points of a district (any, without one) whose community or name contains
    ``q`` as typed, or whose pinyin initials contain it (``ygjy`` finds 阳光家园)."""
    query: Select[PickupPoint] = select(PickupPoint).where(PickupPoint.status == "live")
    if district:
        query = query.where(PickupPoint.district == district)
    text = (q or "").strip()
    if text:
        letters = text.lower().replace(" ", "")
        query = query.where(or_(PickupPoint.community.contains(text, autoescape=True),
                                PickupPoint.name.contains(text, autoescape=True),
                                PickupPoint.initials.contains(letters, autoescape=True)))
    rows = session.scalars(query.order_by(PickupPoint.community, PickupPoint.id)
                           .limit(MAX_POINTS))
    return _outs(session, [(point, None) for point in rows])


def chosen_point(session: Session, user_id: int) -> PointOut | None:
    """The point the buyer chose (whatever its status now), or None."""
    point = session.scalar(select(PickupPoint).join(
        ChosenPoint, ChosenPoint.pickup_point_id == PickupPoint.id)
        .where(ChosenPoint.user_id == user_id))
    return _outs(session, [(point, None)])[0] if point else None


def get_batch(session: Session, batch_id: int) -> BatchOut:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such batch")
    return batch_out(session, batch)


def batches(session: Session, status: str | None, limit: int = 50) -> list[BatchOut]:
    """Batches, soonest cut-off first (of one status, or all)."""
    query = select(Batch).order_by(Batch.cuts_off_at, Batch.id).limit(limit)
    if status:
        query = query.where(Batch.status == status)
    return [batch_out(session, batch) for batch in session.scalars(query)]


def seller_batches(session: Session, supplier_id: int | None,
                   limit: int = 200) -> list[BatchOut]:
    """One supplier's batches (every supplier's for None), as a batch console lists them:
    those not closed first, then newest first."""
    query = select(Batch).order_by(case((Batch.status == domain.CLOSED, 1), else_=0),
                                   Batch.id.desc()).limit(limit)
    if supplier_id is not None:
        query = query.where(Batch.supplier_id == supplier_id)
    return [batch_out(session, batch) for batch in session.scalars(query)]


def pick_list(session: Session, batch: Batch) -> PickList:
    """The frozen picking list: units per SKU, and per point (empty before the cut-off);
    once dispatched, each point says when its goods arrived or by when they must."""
    rows = list(session.scalars(select(PickListRow).where(PickListRow.batch_id == batch.id)
                                .order_by(PickListRow.pickup_point_id, PickListRow.sku_id)))
    names = dict(session.execute(select(PickupPoint.id, PickupPoint.name).where(
        PickupPoint.id.in_({row.pickup_point_id for row in rows}))).all())
    arrived = dict(session.execute(select(Arrival.pickup_point_id, Arrival.arrived_at)
                                   .where(Arrival.batch_id == batch.id)).all())
    due_by = arrival_due_by(batch)
    totals: dict[int, SkuQuantity] = {}
    points: dict[int, PointPickList] = {}
    for row in rows:
        total = totals.setdefault(row.sku_id, SkuQuantity(sku_id=row.sku_id, title=row.title,
                                                          spec=row.spec, quantity=0))
        total.quantity += row.quantity
        points.setdefault(row.pickup_point_id, PointPickList(
            pickup_point_id=row.pickup_point_id, name=names.get(row.pickup_point_id, ""),
            items=[], arrived_at=arrived.get(row.pickup_point_id),
            arrival_due_by=None if row.pickup_point_id in arrived else due_by,
        )).items.append(SkuQuantity(sku_id=row.sku_id, title=row.title,
                                                spec=row.spec, quantity=row.quantity))
    return PickList(batch_id=batch.id, items=[totals[k] for k in sorted(totals)],
                    points=list(points.values()))


def dispatch_notes(session: Session, batch: Batch,
                   point_id: int | None = None) -> list[DispatchNote]:
    """The frozen dispatch notes, one per point (or only ``point_id``'s), in handing-out
    order: by the last 4 digits of the buyer's phone, then order."""
    query = select(DispatchNoteRow).where(DispatchNoteRow.batch_id == batch.id)
    if point_id is not None:
        query = query.where(DispatchNoteRow.pickup_point_id == point_id)
    rows = list(session.scalars(query.order_by(DispatchNoteRow.pickup_point_id,
                                               DispatchNoteRow.position)))
    points = {p.id: p for p in session.scalars(select(PickupPoint).where(
        PickupPoint.id.in_({row.pickup_point_id for row in rows})))}
    notes: dict[int, DispatchNote] = {}
    for row in rows:
        point = points[row.pickup_point_id]
        notes.setdefault(point.id, DispatchNote(
            batch_id=batch.id, pickup_point_id=point.id, name=point.name,
            address=point.address, lines=[])).lines.append(NoteLine(
                position=row.position, order_id=row.order_id, buyer_name=row.buyer_name,
                phone_tail=row.phone_tail, sku_id=row.sku_id, title=row.title,
                spec=row.spec, quantity=row.quantity))
    return list(notes.values())


def with_pickup(session: Session, viewer_id: int, order: OrderOut) -> OrderOut:
    """A batch order with its ``pickup_point_id`` (and ``batch_id``); and, shown to its
    buyer once it is paid, its ``pickup_code``. Any other order as it is."""
    row = session.get(BatchOrder, order.id)
    if row is None:
        return order
    code = row.pickup_code if viewer_id == order.buyer_id and order.paid_at else None
    return order.model_copy(update={"pickup_point_id": row.pickup_point_id,
                                    "pickup_code": code})


def leader_note(session: Session, leader: Identity, batch_id: int) -> DispatchNote:
    """The dispatch note of the leader's point (without lines before the cut-off makes
    it)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such batch")
    point = leader_point(session, leader, batch_id)
    notes = dispatch_notes(session, batch, point.id)
    return notes[0] if notes else DispatchNote(batch_id=batch_id, pickup_point_id=point.id,
                                               name=point.name, address=point.address,
                                               lines=[])


def leader_orders(session: Session, leader: Identity, batch_id: int) -> LeaderOrderList:
    """The paid orders of the leader's point in the batch (collected ones too), with each
    buyer's masked name and the last 4 digits of their phone."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such batch")
    point = leader_point(session, leader, batch_id)
    buyers = dict(session.execute(select(BatchOrder.order_id, BatchOrder.buyer_id).where(
        BatchOrder.batch_id == batch_id, BatchOrder.pickup_point_id == point.id)
        .order_by(BatchOrder.order_id)).all())
    collected = set(session.scalars(select(BatchOrder.order_id).where(
        BatchOrder.batch_id == batch_id, BatchOrder.pickup_point_id == point.id,
        BatchOrder.picked_up_at.is_not(None))))
    people = users_by_id(session, list(buyers.values()))
    lines: dict[int, list[LeaderOrderLine]] = {}
    for order_id, _, sku_id, held, title, spec in pickup_support.paid_lines(
            session, buyers, collected_too=True):
        lines.setdefault(order_id, []).append(
            LeaderOrderLine(sku_id=sku_id, title=title, spec=spec, quantity=held))
    arrived = session.get(Arrival, (batch_id, point.id)) is not None
    return LeaderOrderList(
        batch_id=batch_id, pickup_point_id=point.id, arrived=arrived,
        arrival_due_by=None if arrived else arrival_due_by(batch), items=[
        LeaderOrder(order_id=order_id, buyer_name=domain.mask_name(people[buyers[order_id]].name),
                    phone_tail=domain.phone_tail(people[buyers[order_id]].phone),
                    lines=order_lines, picked_up=order_id in collected,
                    refund_pending=pickup_support.refund_pending(session, order_id))
        for order_id, order_lines in lines.items()])


def applications(session: Session, status: str | None) -> list[ApplicationRow]:
    """Leaders' applications, oldest first, with the point each describes."""
    query = select(LeaderApplication, PickupPoint).join(
        PickupPoint, PickupPoint.id == LeaderApplication.pickup_point_id)
    if status:
        query = query.where(LeaderApplication.status == status)
    rows = session.execute(query.order_by(LeaderApplication.id).limit(200)).all()
    names = user_names(session, [application.user_id for application, _ in rows])
    return [ApplicationRow(id=application.id, status=application.status,
                           reason=application.reason, pickup_point_id=point.id,
                           user_id=application.user_id,
                           user_name=names.get(application.user_id, ""),
                           created_at=application.created_at,
                           point=point_out(point, names.get(point.leader_id, "")))
            for application, point in rows]


def my_points(session: Session, user_id: int) -> list[PointOut]:
    """The points the user leads or applied to lead, newest first."""
    rows = session.scalars(select(PickupPoint).where(PickupPoint.leader_id == user_id)
                           .order_by(PickupPoint.id.desc()))
    return _outs(session, [(point, None) for point in rows])
