"""/api/v1 for community buying's people and places: leaders' applications, pickup
points (found with or without a location), the buyer's chosen point."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from quanzi.accounts.identity import Identity
from quanzi.api.deps import CurrentUser, Id, Operator, ReadSession, require
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.community import geo, leaders, queries
from quanzi.community.schemas import (
    ApplicationList,
    ApplicationOut,
    ChosenPointIn,
    ChosenPointOut,
    LeaderApply,
    LeaderReject,
    MyPointOut,
    PointList,
    PointOut,
)
from quanzi.core.errors import InvalidInput

router = APIRouter(tags=["community"], responses=ERROR_RESPONSES)

Leader = Annotated[Identity, Depends(require("leader"))]


@router.post("/leaders/apply", status_code=201, response_model=ApplicationOut)
def apply(data: LeaderApply, user: CurrentUser) -> ApplicationOut:
    """Apply to run a pickup point (团长): free, no purchase; an operator decides."""
    return leaders.apply(user_id=user.id, point=data.point)


@router.get("/leaders/applications", response_model=ApplicationList)
def applications(user: Operator, session: ReadSession,
                 status: Literal["pending", "approved", "rejected"] | None = "pending"
                 ) -> ApplicationList:
    """Operators: applications to review (pending by default), oldest first."""
    return ApplicationList(items=queries.applications(session, status))


@router.post("/leaders/{application_id}/approve", response_model=ApplicationOut)
def approve(application_id: Id, user: Operator) -> ApplicationOut:
    """The applicant gains the ``leader`` role and their point goes live."""
    return leaders.approve(operator_id=user.id, application_id=application_id)


@router.post("/leaders/{application_id}/reject", response_model=ApplicationOut)
def reject(application_id: Id, data: LeaderReject, user: Operator) -> ApplicationOut:
    return leaders.reject(operator_id=user.id, application_id=application_id,
                          reason=data.reason)


@router.get("/me/pickup-points/led", response_model=PointList)
def my_points(user: CurrentUser, session: ReadSession) -> PointList:
    """The points I lead or applied to lead, with their status."""
    return PointList(items=queries.my_points(session, user.id))


@router.post("/leader/points/{point_id}/pause", response_model=PointOut)
def pause(point_id: Id, user: Leader, session: ReadSession) -> PointOut:
    """The leader stops taking orders at their point (live → paused)."""
    leaders.pause(leader_id=user.id, point_id=point_id)
    return _mine(session, user.id, point_id)


@router.post("/leader/points/{point_id}/resume", response_model=PointOut)
def resume(point_id: Id, user: Leader, session: ReadSession) -> PointOut:
    """The leader takes orders again (paused → live)."""
    leaders.resume(leader_id=user.id, point_id=point_id)
    return _mine(session, user.id, point_id)


def _mine(session: ReadSession, user_id: int, point_id: int) -> PointOut:
    session.expire_all()
    return next(point for point in queries.my_points(session, user_id) if point.id == point_id)


@router.get("/pickup-points", response_model=PointList)
def pickup_points(session: ReadSession,
                  lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
                  lng: Annotated[float | None, Query(ge=-180, le=180)] = None,
                  radius_m: Annotated[int, Query(ge=1, le=geo.MAX_RADIUS_M)] = 5000,
                  district: Annotated[str | None, Query(max_length=20)] = None,
                  q: Annotated[str | None, Query(max_length=40)] = None) -> PointList:
    """Live pickup points: nearest first within ``radius_m`` of ``lat``/``lng`` (each with
    ``distance_m``), or, with no location at all, by ``district`` and ``q`` (the
    community or point name, in 汉字 or pinyin initials)."""
    if (lat is None) != (lng is None):
        raise InvalidInput("give both lat and lng, or neither")
    if lat is not None and lng is not None:
        return PointList(items=queries.near(session, lat, lng, radius_m))
    return PointList(items=queries.points_in(session, district=district, q=q))


@router.put("/me/pickup-point", response_model=ChosenPointOut)
def choose(data: ChosenPointIn, user: CurrentUser) -> ChosenPointOut:
    """Keep this point as mine until I choose another."""
    return leaders.choose_point(user_id=user.id, point_id=data.pickup_point_id)


@router.get("/me/pickup-point", response_model=MyPointOut)
def chosen(user: CurrentUser, session: ReadSession) -> MyPointOut:
    """The point I chose (nulls before I choose one)."""
    point = queries.chosen_point(session, user.id)
    return MyPointOut(pickup_point_id=point.id if point else None, point=point)
