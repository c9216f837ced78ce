"""Everything the API offers can be done from the pages, by the roles API.md allows.
docs/pages.md is this table for people.

``OFFERS`` maps each operation of the live OpenAPI spec to the pages offering it: (role,
page, marker) — signed in as ``role``, the page answers 200 and holds ``marker``, the form
action or button that calls the operation's service (None for a page that shows a read).
``NOT_A_PAGE`` names the operations no page offers, with the reason. An API operation in
neither fails the suite: a new endpoint needs its page (or a reason) before it ships.
"""

from quanzi.app import create_app
from tests.web.coverage_world import coverage_world
from tests.web.helpers import sign_in

Offer = tuple[str, str, str | None]  # role, page, marker

NOT_A_PAGE = {
    "POST /api/v1/payments/sandbox/callback":
        "the payment provider's signed server-to-server notification; the sandbox page "
        "(/sandbox/pay/{id}) makes the provider send it",
}

OFFERS: dict[str, list[Offer]] = {
    # accounts
    "POST /api/v1/auth/register": [("visitor", "/register", 'action="/register"')],
    "POST /api/v1/auth/login": [("visitor", "/login", 'action="/login"')],
    "POST /api/v1/auth/logout": [("buyer", "/", 'action="/logout"')],
    "GET /api/v1/me": [("buyer", "/orders", "买家")],
    "GET /api/v1/me/addresses": [("buyer", "/me/addresses", 'data-testid="address-{address}"')],
    "POST /api/v1/me/addresses": [("buyer", "/me/addresses", 'action="/me/addresses"')],
    "POST /api/v1/me/addresses/{address_id}/default":
        [("buyer", "/me/addresses", 'action="/me/addresses/{address}/default"')],
    "DELETE /api/v1/me/addresses/{address_id}":
        [("buyer", "/me/addresses", 'action="/me/addresses/{address}/delete"')],
    # the picker's lists and 智能填写, called by static/address.js on the address forms
    "GET /api/v1/regions": [("buyer", "/me/addresses", 'data-testid="region-picker"'),
                            ("buyer", "/checkout?product={product}&sku={sku}&qty=1",
                             'data-testid="region-picker"')],
    "POST /api/v1/addresses/parse": [("buyer", "/me/addresses", 'data-testid="smart-fill"')],
    # catalog
    "GET /api/v1/products": [("visitor", "/", 'href="/p/{product}"')],
    "GET /api/v1/products/{product_id}": [("visitor", "/p/{product}", 'formaction="/buy"')],
    "GET /api/v1/categories": [("visitor", "/", 'class="categories"')],
    "GET /api/v1/suppliers": [("operator", "/operator/suppliers", "果园")],
    "POST /api/v1/suppliers": [("operator", "/operator/suppliers", 'action="/operator/suppliers"')],
    "PATCH /api/v1/suppliers/{supplier_id}":
        [("operator", "/operator/suppliers", 'action="/operator/suppliers/{supplier}"')],
    "POST /api/v1/products": [("supplier", "/supplier/products", 'action="/supplier/products"'),
                              ("operator", "/supplier/products", 'action="/supplier/products"')],
    "PATCH /api/v1/products/{product_id}":
        [("supplier", "/supplier/products/{sup_product}",
          'action="/supplier/products/{sup_product}"')],
    "POST /api/v1/products/{product_id}/skus":
        [("supplier", "/supplier/products/{sup_product}",
          'action="/supplier/products/{sup_product}/skus"')],
    "PATCH /api/v1/skus/{sku_id}":
        [("supplier", "/supplier/products/{sup_product}", 'action="/supplier/skus/{sup_sku}"')],
    "POST /api/v1/skus/{sku_id}/stock":
        [("supplier", "/supplier", 'action="/supplier/skus/{sup_sku}/stock"')],
    # orders and payments
    "POST /api/v1/orders": [("buyer", "/checkout?product={product}&sku={sku}&qty=1",
                             'action="/checkout"')],
    "GET /api/v1/orders": [("buyer", "/orders", 'href="/orders/{shipped}"'),
                           ("supplier", "/supplier/orders", 'data-testid="order-{shipped}"'),
                           ("operator", "/operator/orders", 'data-testid="order-{shipped}"')],
    "GET /api/v1/orders/{order_id}": [("buyer", "/orders/{shipped}", None),
                                      ("supplier", "/orders/{shipped}", None),
                                      ("operator", "/orders/{shipped}", None)],
    "POST /api/v1/orders/{order_id}/pay":
        [("buyer", "/orders/{unpaid}", 'action="/orders/{unpaid}/pay"')],
    "POST /api/v1/payments/sandbox/{payment_id}/complete":
        [("buyer", "/sandbox/pay/{payment}", 'action="/sandbox/pay/{payment}"')],
    "POST /api/v1/orders/{order_id}/cancel":
        [("buyer", "/orders/{unpaid}", 'action="/orders/{unpaid}/cancel"')],
    "POST /api/v1/orders/{order_id}/ship":
        [("supplier", "/supplier", 'action="/supplier/orders/{paid}/ship"')],
    "POST /api/v1/orders/{order_id}/deliver":
        [("supplier", "/supplier", 'action="/supplier/orders/{shipped}/deliver"')],
    "POST /api/v1/orders/{order_id}/confirm":
        [("buyer", "/orders/{shipped}", 'action="/orders/{shipped}/confirm"')],
    "POST /api/v1/orders/{order_id}/refunds":
        [("buyer", "/orders/{shipped}", 'action="/orders/{shipped}/refunds"')],
    "POST /api/v1/orders/{order_id}/refund-photos":
        [("buyer", "/orders/{shipped}", 'name="photos"')],
    "GET /api/v1/refund-photos/{photo_id}":
        [("supplier", "/supplier", 'src="/refund-photos/{photo}"'),
         ("operator", "/orders/{asked}", 'src="/refund-photos/{photo}"')],
    "GET /api/v1/orders/{order_id}/refunds": [("supplier", "/orders/{asked}", "退款记录"),
                                              ("operator", "/orders/{asked}", "退款记录")],
    "POST /api/v1/refunds/{refund_id}/approve":
        [("supplier", "/supplier", 'formaction="/supplier/refunds/{refund}/approve"'),
         ("operator", "/supplier", 'formaction="/supplier/refunds/{refund}/approve"')],
    "POST /api/v1/refunds/{refund_id}/reject":
        [("supplier", "/supplier", 'formaction="/supplier/refunds/{refund}/reject"')],
    "POST /api/v1/orders/{order_id}/after-sales-refunds":
        [("operator", "/orders/{shipped}", 'action="/orders/{shipped}/after-sales-refunds"')],
    # ledger, payouts, wallets
    "GET /api/v1/ledger/trial-balance":
        [("operator", "/operator/ledger", 'data-testid="balanced"')],
    "GET /api/v1/suppliers/{supplier_id}/balance":
        [("supplier", "/supplier/balance", 'data-testid="supplier-balance"'),
         ("operator", "/supplier/balance?supplier_id={supplier}",
          'data-testid="supplier-balance"')],
    "POST /api/v1/suppliers/{supplier_id}/payouts":
        [("supplier", "/supplier/balance", 'action="/supplier/payouts"')],
    "GET /api/v1/payouts": [("supplier", "/supplier/balance", 'data-testid="payout-{payout}"'),
                            ("operator", "/operator/payouts", "/operator/payouts/{payout}/")],
    "POST /api/v1/payouts/{payout_id}/approve":
        [("operator", "/operator/payouts", 'formaction="/operator/payouts/{payout}/approve"')],
    "POST /api/v1/payouts/{payout_id}/reject":
        [("operator", "/operator/payouts", 'formaction="/operator/payouts/{payout}/reject"')],
    "POST /api/v1/payouts/{payout_id}/paid":
        [("operator", "/operator/payouts?status=approved",
          'formaction="/operator/payouts/{approved_payout}/paid"')],
    "GET /api/v1/me/wallet": [("promoter", "/me/wallet", 'data-testid="wallet"'),
                              ("leader", "/me/wallet", 'data-testid="wallet"')],
    "POST /api/v1/me/withdrawals": [("promoter", "/me/wallet", 'action="/me/withdrawals"'),
                                    ("leader", "/me/wallet", 'action="/me/withdrawals"')],
    "GET /api/v1/me/withdrawals": [("promoter", "/me/wallet", "提现记录"),
                                   ("leader", "/me/wallet", "提现记录")],
    # referral
    "POST /api/v1/promoters/apply": [("buyer", "/promoter", 'action="/promoter/apply"')],
    "GET /api/v1/me/promoter": [("buyer", "/promoter", None), ("promoter", "/promoter", None)],
    "GET /api/v1/promoters":
        [("operator", "/operator/promoters", 'data-testid="promoter-{applicant}"')],
    "POST /api/v1/promoters/{promoter_id}/approve":
        [("operator", "/operator/promoters",
          'formaction="/operator/promoters/{applicant}/approve"')],
    "POST /api/v1/promoters/{promoter_id}/reject":
        [("operator", "/operator/promoters",
          'formaction="/operator/promoters/{applicant}/reject"')],
    "GET /api/v1/me/shop": [("promoter", "/promoter/shop", "小美的果园")],
    "PUT /api/v1/me/shop": [("promoter", "/promoter/shop", 'action="/promoter/shop"')],
    "PUT /api/v1/me/shop/items": [("promoter", "/promoter/shop", 'name="product_ids"')],
    "POST /api/v1/shares": [("promoter", "/p/{product}", 'hx-post="/p/{product}/share"'),
                            ("promoter", "/promoter/shop", 'hx-post="/promoter/shop/share"'),
                            ("promoter", "/flash/{flash}", 'hx-post="/flash/{flash}/share"')],
    "GET /api/v1/shares/{code}/poster.png":
        [("promoter", "/p/{product}", 'hx-post="/p/{product}/share"')],  # in the share sheet
    "POST /api/v1/shares/resolve": [("visitor", "/paste", 'action="/paste"')],
    "GET /api/v1/referral/config": [("operator", "/operator/rules", 'name="level1_pct"')],
    "PUT /api/v1/referral/config": [("operator", "/operator/rules", 'action="/operator/rules"')],
    "GET /api/v1/referral/rates": [("operator", "/operator/rates", "水果")],
    "PUT /api/v1/referral/rates": [("operator", "/operator/rates", 'action="/operator/rates"')],
    "GET /api/v1/me/referral/stats": [("promoter", "/promoter", 'data-testid="stat-clicks"')],
    "GET /api/v1/me/commissions":
        [("promoter", "/promoter/commissions", 'data-testid="status-tabs"'),
         ("promoter", "/promoter", 'href="/promoter/commissions"'),
         ("leader", "/leader", 'data-testid="leader-pending"')],
    # campaigns
    "GET /api/v1/campaigns": [("visitor", "/", 'href="/flash/{flash}"'),
                              ("operator", "/operator/campaigns", None),
                              ("supplier", "/supplier/campaigns", None)],
    **{f"POST /api/v1/{path}": [("operator", "/operator/campaigns",
                                 f'action="/operator/campaigns/{kind}"'),
                                ("supplier", "/supplier/campaigns",
                                 f'action="/supplier/campaigns/{kind}"')]
       for path, kind in (("flash-sales", "flash_sale"), ("group-buys", "group_buy"),
                          ("bargains", "bargain"), ("tiered-deals", "tiered"),
                          ("presales", "presale"))},
    "GET /api/v1/flash-sales/{sale_id}":
        [("visitor", "/flash/{flash}", 'data-testid="stock-left"')],
    "POST /api/v1/flash-sales/{sale_id}/buy":
        [("buyer", "/flash/{flash}", 'action="/flash/{flash}/buy"')],
    "GET /api/v1/group-buys/{group_buy_id}": [("visitor", "/group-buys/{group_buy}", None)],
    "POST /api/v1/group-buys/{group_buy_id}/groups":
        [("buyer", "/group-buys/{group_buy}", 'action="/group-buys/{group_buy}/open"')],
    "GET /api/v1/groups/{group_id}": [("visitor", "/groups/{group}", None)],
    "POST /api/v1/groups/{group_id}/join":
        [("buyer", "/groups/{group}", 'action="/groups/{group}/join"')],
    "POST /api/v1/bargains/{bargain_id}/start":
        [("buyer", "/bargains/{bargain}", 'action="/bargains/{bargain}/start"')],
    "GET /api/v1/bargain-runs/{run_id}": [("visitor", "/bargain-runs/{run}", None)],
    "POST /api/v1/bargain-runs/{run_id}/help":
        [("buyer", "/bargain-runs/{run}", 'action="/bargain-runs/{run}/help"')],
    "POST /api/v1/bargain-runs/{run_id}/buy":
        [("friend", "/bargain-runs/{run}", 'action="/bargain-runs/{run}/buy"')],
    "GET /api/v1/tiered-deals/{deal_id}":
        [("visitor", "/tiered/{tiered}", 'data-testid="participants"')],
    "POST /api/v1/tiered-deals/{deal_id}/join":
        [("buyer", "/tiered/{tiered}", 'action="/tiered/{tiered}/join"')],
    "GET /api/v1/presales/{presale_id}": [("visitor", "/presales/{presale}", None)],
    "POST /api/v1/presales/{presale_id}/orders":
        [("buyer", "/presales/{presale}", 'action="/presales/{presale}/order"')],
    # community buying
    "GET /api/v1/pickup-points": [
        ("visitor", "/community/points", 'data-testid="point-{point}"'),
        ("buyer", "/community/points?lat=30.279&lng=120.129", 'data-testid="distance"')],
    "PUT /api/v1/me/pickup-point":
        [("friend", "/community/points", 'action="/community/points/choose"')],
    "GET /api/v1/me/pickup-point": [("buyer", "/community", 'data-testid="chosen-name"')],
    "GET /api/v1/batches": [("visitor", "/community", 'href="/community/batches/{batch}"')],
    "GET /api/v1/batches/{batch_id}":
        [("visitor", "/community/batches/{batch}", 'data-testid="batch-items"')],
    "POST /api/v1/batches/{batch_id}/orders":
        [("buyer", "/community/batches/{batch}", 'action="/community/batches/{batch}/order"')],
    "GET /api/v1/orders/{order_id}/pickup-qr.png":
        [("buyer", "/orders/{batch_order}", 'src="/community/orders/{batch_order}/qr.png"')],
    "POST /api/v1/leaders/apply": [("friend", "/leader/apply", 'action="/leader/apply"')],
    "GET /api/v1/me/pickup-points/led": [("leader", "/leader", 'data-testid="my-point-{point}"'),
                                         ("friend", "/leader/apply", None)],
    "POST /api/v1/leader/points/{point_id}/pause":
        [("leader", "/leader", 'action="/leader/points/{point}/pause"')],
    "POST /api/v1/leader/points/{point_id}/resume":
        [("leader", "/leader", 'action="/leader/points/{paused_point}/resume"')],
    "GET /api/v1/leaders/applications":
        [("operator", "/operator/leaders", 'data-testid="application-{application}"')],
    "POST /api/v1/leaders/{application_id}/approve":
        [("operator", "/operator/leaders", 'formaction="/operator/leaders/{application}/approve"')],
    "POST /api/v1/leaders/{application_id}/reject":
        [("operator", "/operator/leaders", 'formaction="/operator/leaders/{application}/reject"')],
    "POST /api/v1/batches": [("supplier", "/supplier/batches", 'action="/supplier/batches"'),
                             ("operator", "/operator/batches", 'action="/operator/batches"')],
    "PUT /api/v1/batches/{batch_id}/leader-rate":
        [("supplier", "/supplier/batches", 'action="/supplier/batches/{batch}/leader-rate"'),
         ("operator", "/operator/batches", 'action="/operator/batches/{batch}/leader-rate"')],
    "GET /api/v1/batches/{batch_id}/pick-list":
        [("supplier", "/supplier/batches/{cut_batch}/pick-list", 'data-testid="pick-total"'),
         ("operator", "/operator/batches/{cut_batch}/pick-list", 'data-testid="pick-total"')],
    "GET /api/v1/batches/{batch_id}/dispatch-notes":
        [("supplier", "/supplier/batches/{cut_batch}/pick-list",
          'data-testid="dispatch-note-{point}"')],
    "POST /api/v1/batches/{batch_id}/dispatch":
        [("supplier", "/supplier/batches", 'action="/supplier/batches/{cut_batch}/dispatch"'),
         ("operator", "/operator/batches", 'action="/operator/batches/{cut_batch}/dispatch"')],
    "POST /api/v1/leader/batches/{batch_id}/arrive":
        [("leader", "/leader", 'action="/leader/batches/{sent_batch}/arrive"')],
    "GET /api/v1/leader/batches/{batch_id}/orders":
        [("leader", "/leader/batches/{batch}", 'data-testid="leader-order-{batch_order}"')],
    "GET /api/v1/leader/batches/{batch_id}/dispatch-note":
        [("leader", "/leader/batches/{cut_batch}/note", 'data-testid="dispatch-note-{point}"')],
    "POST /api/v1/leader/pickups": [("leader", "/leader", 'action="/leader/pickups"')],
}


def spec_operations() -> set[str]:
    paths = create_app().openapi()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


def test_every_api_operation_has_a_page_or_a_reason():
    spec = spec_operations()
    assert sorted(spec - OFFERS.keys() - NOT_A_PAGE.keys()) == []
    assert sorted((OFFERS.keys() | NOT_A_PAGE.keys()) - spec) == []  # no stale rows
    assert OFFERS.keys().isdisjoint(NOT_A_PAGE.keys())


def test_every_listed_page_offers_its_operations_to_its_role(client):
    given = coverage_world()
    by_role: dict[str, list[tuple[str, str, str | None]]] = {}
    for operation, offers in OFFERS.items():
        for role, page, marker in offers:
            by_role.setdefault(role, []).append((operation, page, marker))
    failures = []
    for role, rows in by_role.items():
        client.cookies.clear()
        if given.logins[role]:
            sign_in(client, given.logins[role] or "")
        pages: dict[str, tuple[int, str]] = {}
        for operation, page, marker in rows:
            path = page.format(**given.ids)
            if path not in pages:
                response = client.get(path, follow_redirects=False)
                pages[path] = (response.status_code, response.text)
            status, html = pages[path]
            if status != 200 or (marker and marker.format(**given.ids) not in html):
                failures.append((operation, role, path, status, marker))
    assert failures == []
