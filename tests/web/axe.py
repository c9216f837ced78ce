"""axe-core on a browser page (axe-playwright-python bundles axe.min.js: nothing is fetched).

``assert_readable(page)`` fails with each node that breaks text contrast (4.5:1) or the
minimum target size; the pages of the buyer's path are held to it."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

RULES = ("color-contrast", "target-size")
_axe = Axe()


def violations(page: Any, rules: tuple[str, ...] = RULES) -> list[str]:
    """Each failing node as ``rule: selector (summary)``, empty when the page passes."""
    results = _axe.run(page, options={"runOnly": {"type": "rule", "values": list(rules)},
                                      "resultTypes": ["violations"]})
    return [f"{v['id']}: {node['target']} ({node.get('failureSummary', '')[:160]})"
            for v in results.response["violations"] for node in v["nodes"]]


def assert_readable(page: Any) -> None:
    found = violations(page)
    assert found == [], f"{page.url}:\n" + "\n".join(found)


@pytest.fixture
def axe_check() -> Any:
    """The check as a fixture: ``axe_check(page)``."""
    return assert_readable
