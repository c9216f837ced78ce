"""axe-core (bundled by ``axe-playwright-python``, no network) on a page in the browser tests.

``assert_tappable`` asserts axe's ``target-size`` rule (no tap target below 24 × 24 CSS px).
Contrast (``color-contrast``) is reported, not asserted, by ``contrast_report``: the site-wide
palette (white on #e4393c, #888 on white) fails it on every page and is changed elsewhere."""

import json
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def violations(page: Any, rules: list[str], within: str | None = None) -> list[tuple[str, list]]:
    """(rule, targets) of each violated rule among ``rules`` on ``page``."""
    results = _axe.run(page, context=within, options={"runOnly": rules})
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]


def assert_tappable(page: Any, within: str | None = None) -> None:
    found = violations(page, ["target-size"], within)
    assert found == [], found


def contrast_report(page: Any, path: Path) -> None:
    """Write the page's ``color-contrast`` violations to ``path`` (JSON) for the test report."""
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(violations(page, ["color-contrast"]), ensure_ascii=False, indent=1))
