"""Browser fixtures: Debian's Chromium driven by Playwright (sync API) against a live
uvicorn server running this process's app in a thread.

The server shares the process with the tests, so it sees the database the autouse ``db``
fixture sets for each test (``quanzi.core.db.set_db``) and the moved ``clock``.
"""

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import backends

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 812}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app served by uvicorn on a free port, for the whole session; its base URL."""
    import uvicorn

    from quanzi.app import create_app
    from quanzi.core.config import get_settings

    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    settings = get_settings()
    base_url, settings.base_url = settings.base_url, f"http://127.0.0.1:{port}"
    yield settings.base_url
    settings.base_url = base_url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (skipped, or failed under CI, when missing)."""
    if not os.path.exists(CHROMIUM):
        backends.unavailable("Chromium", f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visitor:
    """One person's browser context at phone size, collecting console errors."""

    def __init__(self, browser: object, base_url: str, **options: object) -> None:
        self.context = browser.new_context(base_url=base_url, viewport=PHONE,  # type: ignore[attr-defined]
                                           **{"locale": "zh-CN", **options})
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"{self.page.url}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))

    def sign_in(self, login: str, password: str) -> None:
        self.page.goto("/login")
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.click("form[action='/login'] button[type=submit]")

    def scroll_width(self) -> int:
        return int(self.page.evaluate("document.documentElement.scrollWidth"))

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def visitor(browser: object, live_server: str) -> Iterator[Callable[..., Visitor]]:
    """Make browser contexts (closed after the test)."""
    made: list[Visitor] = []

    def make(**options: object) -> Visitor:
        made.append(Visitor(browser, live_server, **options))
        return made[-1]

    yield make
    for one in made:
        one.context.close()
