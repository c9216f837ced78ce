"""The analytics package's shape: every metric has its field in the read model, and the
package sits on top of the domains (it reads them; only delivery and the entry points
read it)."""

import ast
from pathlib import Path

import pytest

import quanzi
from quanzi.analytics.metrics import METRICS
from quanzi.analytics.queries import METRIC_FIELDS
from quanzi.analytics.sql import day_of

SOURCE = Path(quanzi.__file__).parent
ENTRY_POINTS = {"quanzi.cli", "quanzi.worker", "quanzi.demo", "quanzi.tables", "quanzi.wiring"}
DELIVERY = ("quanzi.api", "quanzi.web")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


def _module(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_every_metric_has_a_field_in_the_figures_of_a_day():
    assert tuple(METRICS) == METRIC_FIELDS


def test_only_delivery_and_the_entry_points_import_analytics():
    importers = {_module(path) for path in SOURCE.rglob("*.py")
                 if any(_within(name, "quanzi.analytics") for name in _imports(path))}
    allowed = {m for m in importers if m in ENTRY_POINTS or _within(m, "quanzi.analytics")
               or m.startswith(DELIVERY)}
    assert importers - allowed == set()


def test_analytics_imports_no_delivery_layer_and_no_entry_point():
    for path in (SOURCE / "analytics").rglob("*.py"):
        wrong = {name for name in _imports(path) if name.startswith(DELIVERY)
                 or name in ENTRY_POINTS}
        assert wrong == set(), path.name


def test_a_dialect_without_a_shanghai_day_is_refused_by_name():
    with pytest.raises(ValueError, match="mysql"):
        day_of("mysql")
