"""Leaders (团长) and their pickup points: apply, approve or reject, pause, and a buyer's
chosen point.

Applying is free and needs no purchase: anyone signed in describes their point and an
operator decides. Approval gives the user the ``leader`` role and puts the point live.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quanzi.accounts.services import grant_role
from quanzi.community import geo
from quanzi.community.models import ChosenPoint, LeaderApplication, PickupPoint
from quanzi.community.schemas import ApplicationOut, ChosenPointOut, PointIn
from quanzi.core import clock
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound

__all__ = ["apply", "approve", "choose_point", "pause", "reject", "resume"]

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
LIVE, PAUSED = "live", "paused"


def apply(*, user_id: int, point: PointIn) -> ApplicationOut:
    """Apply to lead the point described (201 ``pending``); 409 ``already_applied`` while
    an application of the user's is pending."""
    if (point.lat is None) != (point.lng is None):
        raise InvalidInput("give both lat and lng, or neither")
    with transaction() as session:
        if session.scalar(select(LeaderApplication.id).where(
                LeaderApplication.user_id == user_id, LeaderApplication.status == PENDING)):
            raise Conflict("you have an application waiting for a decision",
                           code="already_applied")
        now = clock.now()
        row = PickupPoint(leader_id=user_id, status=PENDING, created_at=now,
                          initials=geo.initials(point.community, point.name)[:130],
                          h3_cell=(geo.cell_of(point.lat, point.lng)
                                   if point.lat is not None and point.lng is not None
                                   else None),
                          **point.model_dump())
        session.add(row)
        session.flush()
        application = LeaderApplication(user_id=user_id, pickup_point_id=row.id,
                                        status=PENDING, created_at=now)
        session.add(application)
        session.flush()
        return ApplicationOut(id=application.id, status=PENDING, pickup_point_id=row.id)


def _decide(session: Session, application_id: int, status: str, action: str, *,
            operator_id: int, reason: str | None = None) -> LeaderApplication:
    application = session.get(LeaderApplication, application_id)
    if application is None:
        raise NotFound("no such application")
    if not changed_rows(session, update(LeaderApplication).where(
            LeaderApplication.id == application_id, LeaderApplication.status == PENDING)
            .values(status=status, reason=reason, decided_by=operator_id,
                    decided_at=clock.now()).execution_options(synchronize_session=False)):
        raise InvalidTransition("leader application", application.status, action)
    session.refresh(application)
    return application


def approve(*, operator_id: int, application_id: int) -> ApplicationOut:
    """Approve: the applicant gains the ``leader`` role, their point goes live; 409 if it
    was decided already."""
    with transaction() as session:
        application = _decide(session, application_id, APPROVED, "approve",
                              operator_id=operator_id)
        session.execute(update(PickupPoint).where(PickupPoint.id == application.pickup_point_id)
                        .values(status=LIVE))
        grant_role(session, application.user_id, "leader")
        return ApplicationOut(id=application.id, status=APPROVED,
                              pickup_point_id=application.pickup_point_id)


def reject(*, operator_id: int, application_id: int, reason: str) -> ApplicationOut:
    """Reject with a reason the applicant sees; 409 if it was decided already."""
    with transaction() as session:
        application = _decide(session, application_id, REJECTED, "reject",
                              operator_id=operator_id, reason=reason)
        session.execute(update(PickupPoint).where(PickupPoint.id == application.pickup_point_id)
                        .values(status=REJECTED))
        return ApplicationOut(id=application.id, status=REJECTED, reason=reason,
                              pickup_point_id=application.pickup_point_id)


def _set_status(*, leader_id: int, point_id: int, old: str, new: str) -> str:
    with transaction() as session:
        point = session.get(PickupPoint, point_id)
        if point is None:
            raise NotFound("no such pickup point")
        if point.leader_id != leader_id:
            raise Forbidden("only the point's leader can do this", code="other_point")
        if not changed_rows(session, update(PickupPoint).where(
                PickupPoint.id == point_id, PickupPoint.status == old).values(status=new)
                .execution_options(synchronize_session=False)):
            raise InvalidTransition("pickup point", point.status,
                                    "pause" if new == PAUSED else "resume")
        return new


def pause(*, leader_id: int, point_id: int) -> str:
    """The leader stops taking orders at their point (live → paused); orders placed stay."""
    return _set_status(leader_id=leader_id, point_id=point_id, old=LIVE, new=PAUSED)


def resume(*, leader_id: int, point_id: int) -> str:
    """The leader takes orders again (paused → live)."""
    return _set_status(leader_id=leader_id, point_id=point_id, old=PAUSED, new=LIVE)


def choose_point(*, user_id: int, point_id: int) -> ChosenPointOut:
    """Keep ``point_id`` as the buyer's pickup point until they choose another (404 unless
    it is live)."""
    with transaction() as session:
        point = session.get(PickupPoint, point_id)
        if point is None or point.status != LIVE:
            raise NotFound("no such pickup point")
        chosen = session.get(ChosenPoint, user_id, with_for_update=True)
        if chosen is None:
            session.add(ChosenPoint(user_id=user_id, pickup_point_id=point_id,
                                    chosen_at=clock.now()))
        else:
            chosen.pickup_point_id, chosen.chosen_at = point_id, clock.now()
        session.flush()
        return ChosenPointOut(pickup_point_id=point_id)
