"""axe-core on a browser page (axe-playwright-python bundles axe.min.js: nothing is fetched).

``assert_readable(page)`` fails with each node that breaks text contrast (4.5:1) or the
minimum target size; the pages of the buyer's path are held to it. The consoles are held
to contrast on the whole page (``assert_contrast``) and to the target size in the parts
they changed (``assert_tappable``)."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

RULES = ("color-contrast", "target-size")
_axe = Axe()


def violations(page: Any, rules: tuple[str, ...] = RULES, within: str | None = None) -> list[str]:
    """Each failing node as ``rule: selector (summary)``, empty when the page passes."""
    results = _axe.run(page, context=within,
                       options={"runOnly": {"type": "rule", "values": list(rules)},
                                "resultTypes": ["violations"]})
    return [f"{v['id']}: {node['target']} ({node.get('failureSummary', '')[:160]})"
            for v in results.response["violations"] for node in v["nodes"]]


def assert_readable(page: Any) -> None:
    found = violations(page)
    assert found == [], f"{page.url}:\n" + "\n".join(found)


def assert_tappable(page: Any, within: str | None = None) -> None:
    found = violations(page, ("target-size",), within)
    assert found == [], f"{page.url}:\n" + "\n".join(found)


def assert_contrast(page: Any) -> None:
    found = violations(page, ("color-contrast",))
    assert found == [], f"{page.url}:\n" + "\n".join(found)
