"""Photos a buyer attaches to a refund request (凭证图片).

A photo is uploaded for an order first (``upload``: re-encoded by ``core.images``, so no
EXIF and no more than 1600 px a side), then attached to the request that names its id
(``attach``, inside the request's transaction). At most ``MAX_REFUND_PHOTOS`` go with one
request, and at most ``MAX_WAITING`` wait unattached per order, so an upload loop cannot
fill the database. Only the order's buyer uploads; the buyer, the order's supplier and
operators may see a photo (``read``); anyone else gets a 404, as for the order itself.
"""

import hashlib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quanzi.core import clock, images
from quanzi.core.db import changed_rows
from quanzi.core.errors import Conflict, InvalidInput, NotFound
from quanzi.core.idempotency import run_once
from quanzi.orders.access import Actor, as_buyer, visible_order
from quanzi.orders.domain import MAX_REFUND_PHOTOS
from quanzi.orders.models import RefundPhoto
from quanzi.orders.schemas import RefundPhotoOut
from quanzi.orders.views import photo_out

MAX_WAITING = 3 * MAX_REFUND_PHOTOS


def upload(*, actor: Actor, order_id: int, data: bytes,
           idempotency_key: str) -> RefundPhotoOut:
    """Keep ``data`` (re-encoded) as a photo for a refund of the buyer's order; a replay of
    ``idempotency_key``, or the same picture while it still waits for a request, answers
    the photo kept before.

    Raises TooLarge ``photo_too_large`` (413), InvalidInput ``not_an_image`` (422),
    Conflict ``too_many_photos`` (409) when ``MAX_WAITING`` already wait, NotFound for
    an order the actor cannot see, Forbidden for one they did not buy."""
    photo = images.reencode(data)  # before the transaction: it takes CPU, not the database
    body = {"order_id": order_id, "sha256": hashlib.sha256(data).hexdigest()}

    def work(session: Session) -> RefundPhotoOut:
        order = visible_order(session, actor, order_id)
        as_buyer(actor, order)
        waiting_now = (RefundPhoto.order_id == order.id, RefundPhoto.refund_id.is_(None))
        same = session.scalar(select(RefundPhoto).where(
            *waiting_now, RefundPhoto.content == photo.content).limit(1))
        if same is not None:  # sent again after a refused request: the one kept already
            return photo_out(same)
        waiting = session.scalar(select(func.count()).select_from(RefundPhoto).where(
            *waiting_now))
        if (waiting or 0) >= MAX_WAITING:
            raise Conflict("too many photos are waiting for a refund request of this order",
                           code="too_many_photos")
        row = RefundPhoto(order_id=order.id, media_type=photo.media_type, width=photo.width,
                          height=photo.height, content=photo.content, created_at=clock.now())
        session.add(row)
        session.flush()
        return photo_out(row)

    return run_once(f"refund-photo:{actor.id}", idempotency_key, body, work,
                    answer=RefundPhotoOut)


def check_count(photo_ids: list[int]) -> None:
    """InvalidInput ``too_many_photos`` when a request names more than it may carry."""
    if len(set(photo_ids)) > MAX_REFUND_PHOTOS:
        raise InvalidInput(f"at most {MAX_REFUND_PHOTOS} photos go with a refund request",
                           code="too_many_photos")


def attach(session: Session, *, order_id: int, refund_id: int, photo_ids: list[int]) -> None:
    """Attach the named photos of ``order_id`` to the request (flushes); each must be this
    order's and not yet attached, else InvalidInput ``unknown_photo``."""
    wanted = sorted(set(photo_ids))
    check_count(wanted)
    if not wanted:
        return
    changed = changed_rows(session, update(RefundPhoto).where(
        RefundPhoto.id.in_(wanted), RefundPhoto.order_id == order_id,
        RefundPhoto.refund_id.is_(None)).values(refund_id=refund_id)
        .execution_options(synchronize_session=False))
    if changed != len(wanted):
        raise InvalidInput("a photo named is not one uploaded for this order, or is already"
                           " attached", code="unknown_photo")


def read(session: Session, actor: Actor, photo_id: int) -> tuple[str, bytes]:
    """(media type, bytes) of a photo the actor may see; NotFound otherwise."""
    photo = session.get(RefundPhoto, photo_id)
    if photo is None:
        raise NotFound("no such photo")
    visible_order(session, actor, photo.order_id)
    return photo.media_type, photo.content
