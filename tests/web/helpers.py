"""Page-test helpers: reading the CSRF token out of a page, signing in through the form."""

import re

from fastapi.testclient import TestClient

from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> None:
    """Sign in through the login form; the client keeps the session cookie."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"login": login, "password": password,
                                           "csrf_token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    assert "qz_session" in client.cookies


def form_post(client: TestClient, page: str, action: str, data: dict[str, object] | None = None,
              **kwargs: object):  # type: ignore[no-untyped-def]
    """POST ``data`` to ``action`` with the CSRF token read from ``page``."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**(data or {}), "csrf_token": token},
                       follow_redirects=False, **kwargs)
