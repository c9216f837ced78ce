"""An order after the cut-off is a 409 ``cut_off`` whose body names the next batch taking
orders as a field, ``next_batch_id`` (null when there is none), beside the code and the
message every error has; other errors keep exactly those two."""

from datetime import timedelta

from sqlalchemy import func, select

from quanzi.api.errors import domain_error
from quanzi.community.domain import CutOff
from quanzi.community.models import BatchOrder
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from tests.campaigns.helpers import signed_in
from tests.community.helpers import leader_point, open_batch, supplier_skus

API = "/api/v1"


def _late_order(client, batch_id: int, sku: int, point_id: int,  # type: ignore[no-untyped-def]
                headers: dict[str, str], key: str):
    return client.post(f"{API}/batches/{batch_id}/orders",
                       json={"items": [{"sku_id": sku, "quantity": 1}],
                             "pickup_point_id": point_id},
                       headers={**headers, "Idempotency-Key": key})


def _batch_orders() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(BatchOrder)) or 0)


def test_a_late_order_names_the_next_open_batch_as_a_field(client):
    _, (sku,) = supplier_skus(1200)
    _, _, point_id = leader_point()
    late = open_batch([sku], hours=1)
    following = open_batch([sku], hours=30)
    _, buyer = signed_in()
    clock.advance(timedelta(hours=1, seconds=1))
    refused = _late_order(client, late, sku, point_id, buyer, "late-1")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert set(error) == {"code", "message", "next_batch_id"}
    assert error["code"] == "cut_off" and error["next_batch_id"] == following
    assert _batch_orders() == 0


def test_next_batch_id_is_null_when_no_batch_takes_orders(client):
    _, (sku,) = supplier_skus(1200)
    _, _, point_id = leader_point()
    late = open_batch([sku], hours=1)
    _, buyer = signed_in()
    clock.advance(timedelta(hours=1, seconds=1))
    refused = _late_order(client, late, sku, point_id, buyer, "late-2")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "cut_off"
    assert refused.json()["error"]["next_batch_id"] is None
    assert _batch_orders() == 0


def test_the_field_is_documented_and_other_errors_keep_their_shape(client):
    schema = client.get("/openapi.json").json()
    answers = schema["paths"][f"{API}/batches/{{batch_id}}/orders"]["post"]["responses"]
    ref = answers["409"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][ref]["properties"]["error"]["$ref"]
    assert "next_batch_id" in schema["components"]["schemas"][body.rsplit("/", 1)[1]][
        "properties"]
    plain = client.get(f"{API}/batches/999999")
    assert plain.status_code == 404 and set(plain.json()["error"]) == {"code", "message"}


def test_an_error_body_keeps_code_and_message_whatever_the_fields_say():
    class Clashing(Conflict):
        def fields(self) -> dict[str, int | str | bool | None]:
            return {"code": "other", "message": "other", "extra": 1}

    assert domain_error(Clashing("late", code="cut_off")).body == \
        b'{"error":{"code":"cut_off","message":"late","extra":1}}'
    assert domain_error(CutOff("late")).body == \
        b'{"error":{"code":"cut_off","message":"late","next_batch_id":null}}'
