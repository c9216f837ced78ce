"""Many orders brought by a promoter's share, paid, shipped and confirmed through the
services: the starting point of the races between refunds and settlement."""

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.orders import lifecycle, paying
from quanzi.orders.access import Actor
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate, ShipIn
from quanzi.payments import services as payments
from quanzi.referral import services as referral
from quanzi.referral import shares
from tests.factories import ADDRESS, make_product, make_supplier, make_user

OPERATOR = Actor(0, ("operator",))


def promoter_share(sku_id: int) -> tuple[int, str]:
    """A new approved promoter and their share code of the SKU's product: (user id, code)."""
    user = make_user()
    applied = referral.apply(user_id=user.id, invite_code=None)
    referral.approve(operator_id=0, promoter_id=applied.id)
    with read_session() as session:
        product_id = session.get_one(Sku, sku_id).product_id
    return user.id, shares.create_share(promoter_user_id=user.id, product_id=product_id).code


def paid_order(buyer_id: int, sku_id: int, quantity: int, code: str | None, key: str) -> int:
    """A paid order of ``quantity`` units (through the sandbox); its id."""
    order = place_order(buyer_id=buyer_id, idempotency_key=key, data=OrderCreate.model_validate(
        {"items": [{"sku_id": sku_id, "quantity": quantity}], "address": ADDRESS,
         "share_code": code}))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key=f"p{key}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)
    return int(order.id)


def completed_orders(count: int, *, price_fen: int, quantity: int) -> list[tuple[int, int]]:
    """``count`` completed orders of one SKU, each attributed to one promoter:
    [(order id, line id)]."""
    (sku_id,) = make_product(make_supplier(fee_bp=500),
                             [("1盒", price_fen, count * quantity)])
    _, code = promoter_share(sku_id)
    buyers = [make_user().id for _ in range(5)]
    done = []
    for n in range(count):
        buyer = buyers[n % len(buyers)]
        order_id = paid_order(buyer, sku_id, quantity, code, f"race{n}")
        lifecycle.ship(actor=OPERATOR, order_id=order_id,
                       data=ShipIn(carrier="顺丰", tracking_no=f"SF{n:06d}"))
        order = lifecycle.confirm(actor=Actor(buyer), order_id=order_id)
        done.append((order_id, order.lines[0].id))
    return done
