"""Probe: every route with an int-ish path param, with huge/negative ids."""
import re

from tests.factories import auth, make_user
from tests.web.helpers import *  # noqa


def test_probe(client, app):
    headers = auth(make_user("operator"))
    bad = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if "{" not in path:
            continue
        methods = getattr(route, "methods", None) or {"GET"}
        for method in methods:
            if method == "HEAD":
                continue
            for value in (2**63, -1, 10**30):
                url = re.sub(r"\{[^}]*(id)\}", str(value), path)
                url = re.sub(r"\{[^}]*\}", "x", url)
                if url == path.replace("{", "").replace("}", ""):
                    continue
                r = client.request(method, url, headers={**headers, "Idempotency-Key": "k"},
                                   json={}, follow_redirects=False)
                if r.status_code >= 500 or r.status_code < 400:
                    bad.append((method, path, value, r.status_code))
    print("\n".join(map(str, bad)))
    assert not bad
