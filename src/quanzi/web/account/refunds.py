"""The buyer's refund request from the order page (reason from a list, the buyer's words,
up to 3 photos), and the photos themselves for those who may see them.

A refused request shows the order page again (422) with the form open, what was typed
kept and each reason under its field; photos cannot be kept by a browser, so the photo
field asks for them again. Nothing is asked of the services until the form reads right.
"""

import hashlib
import secrets
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData, UploadFile

from quanzi.accounts.identity import Identity
from quanzi.core.db import read_session
from quanzi.core.errors import QuanziError
from quanzi.core.images import MAX_BYTES
from quanzi.orders import refund_photos, refunds
from quanzi.orders.domain import MAX_REFUND_PHOTOS, REFUND_REASONS
from quanzi.orders.schemas import RefundCreate
from quanzi.web.account.orders import RefundForm, order_id_in_range, show_order
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit import session as web_session
from quanzi.web.kit.form_errors import FieldErrors
from quanzi.web.kit.pages import PageRoute, SignedIn, number, redirect, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
MAX_ORDER_ID = 2_147_483_647
PICK_LINES = "请选择要退款的商品和数量。"
PICK_REASON = "请选择退款原因。"
TOO_MANY = "最多上传 3 张照片"
PHOTOS_AGAIN = "提交未成功，照片需要重新选择。"
# what the request did not say about which field it concerned: shown under that field
FIELD_OF_CODE = {"refund_invalid": "lines", "already_refunded": "lines",
                 "photo_too_large": "photos", "not_an_image": "photos",
                 "too_many_photos": "photos", "unknown_photo": "photos"}


async def upload_form(request: Request) -> AsyncIterator[FormData]:
    """The submitted multipart form (photos included), once its CSRF token is checked;
    its spooled files are closed after the route."""
    form = await request.form(max_fields=200, max_files=MAX_REFUND_PHOTOS + 7)
    try:
        value = form.get(web_session.CSRF_FIELD)
        web_session.check_csrf(request, value if isinstance(value, str) else None)
        yield form
    finally:
        await form.close()


UploadForm = Annotated[FormData, Depends(upload_form)]


@router.post("/orders/{order_id}/refunds")
def request_refund(request: Request, order_id: int, user: SignedIn,
                   form: UploadForm) -> Response:
    """Ask for a refund of the chosen quantities (``qty_<line id>``) for a reason from the
    list (``reason_code``) in the buyer's words (``reason``), with photos (``photos``)."""
    order_id = order_id_in_range(order_id)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    lang = i18n.negotiate(request)
    errors = _check(form)
    photos = [f for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    if len(photos) > MAX_REFUND_PHOTOS:
        errors["photos"] = TOO_MANY
    if not errors:
        try:
            ids = [_upload(user, order_id, photo, text(form, "key", 64)) for photo in photos]
            _ask(user, order_id, form, ids)
            return redirect(request, f"/orders/{order_id}")
        except QuanziError as exc:
            errors[FIELD_OF_CODE.get(exc.code, "")] = refusals.say(exc, lang)
    if photos and "photos" not in errors:
        errors["photos"] = PHOTOS_AGAIN
    return show_order(request, user, order_id, refund_form=RefundForm(errors, values),
                      status_code=422)


def _check(form: FormData) -> FieldErrors:
    errors: FieldErrors = {}
    if not _lines(form):
        errors["lines"] = PICK_LINES
    if text(form, "reason_code", 20) not in REFUND_REASONS:
        errors["reason_code"] = PICK_REASON
    return errors


def _lines(form: FormData) -> list[dict[str, int]]:
    return [{"line_id": int(name[4:]), "quantity": number(form, name)}
            for name in form if name.startswith("qty_") and name[4:].isdecimal()
            and len(name) < 16 and number(form, name) > 0]


def _upload(user: Identity, order_id: int, photo: UploadFile, key: str) -> int:
    data = photo.file.read(MAX_BYTES + 1)
    digest = hashlib.sha256(data).hexdigest()[:16]
    return refund_photos.upload(actor=user, order_id=order_id, data=data,
                                idempotency_key=f"{key or secrets.token_urlsafe(8)}-{digest}").id


def _ask(user: Identity, order_id: int, form: FormData, photo_ids: list[int]) -> None:
    code = text(form, "reason_code", 20)
    words = text(form, "reason", 200)
    data = RefundCreate.model_validate({
        "lines": _lines(form), "reason_code": code, "photo_ids": photo_ids,
        "reason": f"{REFUND_REASONS[code]}：{words}" if words else REFUND_REASONS[code]})
    refunds.request_refund(actor=user, order_id=order_id, data=data,
                           idempotency_key=text(form, "key", 64) or secrets.token_urlsafe(16))


@router.get("/refund-photos/{photo_id}")
def refund_photo(photo_id: int, user: SignedIn) -> Response:
    """A refund request's photo: to the order's buyer, its supplier and operators only."""
    with read_session() as session:
        media_type, content = refund_photos.read(session, user, order_id_in_range(photo_id))
    return Response(content, media_type=media_type,
                    headers={"cache-control": "private, max-age=86400",
                             "x-content-type-options": "nosniff"})

