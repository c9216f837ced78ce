"""China's administrative divisions (行政区划) with their GB/T 2260 codes: the 省/市/区
picker's tree and the names a region code stands for.

The data is the division list bundled with the pinned ``jionlp`` package (it follows the
Ministry of Civil Affairs' list; a new package version brings new data), loaded once per
process on first use — about a second, the import included — and never changed at run
time, so nothing needs telling when another process loads it. Three levels: province,
city, district. A 直辖市 (北京市 …) has one city of its own name, coded as GB/T 2260
codes its 市辖区 (``110100``); a city without districts (东莞市) is a leaf itself.

Example::

    children(None)[0]          # Region(code="110000", name="北京市", leaf=False)
    children("110100")         # the districts of Beijing: 东城区 110101 …
    place("110105").text       # "北京市 朝阳区"
    children("999999")         # NotFound
"""

import contextlib
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from quanzi.core.errors import NotFound

__all__ = ["Place", "Region", "children", "find", "place"]

# city-level groupings that are no place of their own and are left out of a region's text
_GROUPINGS = ("省直辖县级行政区划", "省直辖行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True)
class Region:
    """One entry of a picker list: ``leaf`` when nothing lies below it."""

    code: str
    name: str
    leaf: bool


@dataclass(frozen=True)
class Place:
    """A code's place in the tree: the regions from the province down to it."""

    path: tuple[Region, ...]

    @property
    def code(self) -> str:
        return self.path[-1].code

    @property
    def text(self) -> str:
        """The region as people write it: ``"广东省 深圳市 南山区"``, ``"北京市 朝阳区"``."""
        names: list[str] = []
        for region in self.path:
            if region.name not in _GROUPINGS and region.name not in names:
                names.append(region.name)
        return " ".join(names)


@dataclass(frozen=True)
class _Tree:
    lists: dict[str | None, list[Region]]  # parent code (None: the top) → its children
    places: dict[str, Place]


def children(parent: str | None) -> list[Region]:
    """The provinces (``parent`` None) or the regions directly under ``parent``, in code
    order; NotFound for a code that is not in the tree or has nothing below it."""
    found = _tree().lists.get(parent)
    if not found:
        raise NotFound("no such region")
    return found


def place(code: str) -> Place:
    """Where ``code`` lies; NotFound for an unknown code."""
    found = _tree().places.get(code)
    if found is None:
        raise NotFound("no such region")
    return found


def find(province: str, city: str = "", district: str = "") -> Place | None:
    """The deepest place named by these full names (as the address parser gives them),
    each looked for under the one before (a city under a province's 省直辖 grouping too);
    None when even the province is unknown."""
    found: Place | None = None
    parent: str | None = None
    for name in filter(None, (province, city, district)):  # a county-level city has no city
        match = _named(parent, name)
        if match is None:
            break
        found, parent = _tree().places[match.code], match.code
    return found


def _named(parent: str | None, name: str) -> Region | None:
    lists = _tree().lists
    for region in lists.get(parent, []):
        if region.name == name:
            return region
        if region.name in _GROUPINGS:
            inner = next((r for r in lists.get(region.code, []) if r.name == name), None)
            if inner is not None:
                return inner
    return None


@cache
def _tree() -> _Tree:
    lists: dict[str | None, list[Region]] = {}
    places: dict[str, Place] = {}

    def add(parent: Place | None, name: str, code: str, below: dict[str, Any]) -> None:
        if code in places:  # the list names one code twice (410471): the first stays
            return
        depth = len(parent.path) + 1 if parent else 1
        kids = [(k, _kid_code(code, depth, v)) for k, v in below.items() if not k.startswith("_")]
        kept = [(k, c) for k, c in kids if c is not None]
        here = Place((*(parent.path if parent else ()), Region(code, name, leaf=not kept)))
        lists.setdefault(parent.code if parent else None, []).append(here.path[-1])
        places[code] = here
        for kid_name, kid_code in kept:
            add(here, kid_name, kid_code, below[kid_name] if depth == 1 else {})

    for name, province in _load().items():
        add(None, name, str(province["_admin_code"]), province)
    for items in lists.values():
        items.sort(key=lambda r: r.code)
    return _Tree(lists, places)


def _kid_code(code: str, depth: int, kid: dict[str, Any]) -> str | None:
    """The code of a child of ``code`` (at ``depth``: 1 province, 2 city), or None for
    the list's slips: a child whose code does not lie under its parent's."""
    kid_code = str(kid["_admin_code"])
    if kid_code == code and depth == 1:  # a 直辖市's own city: GB/T 2260's 市辖区 code
        kid_code = code[:2] + "0100"
    inside = kid_code.startswith(code[:2 * depth]) and kid_code != code
    return kid_code if inside and len(kid_code) == 6 and kid_code.isdigit() else None


def _load() -> dict[str, Any]:
    with contextlib.redirect_stdout(io.StringIO()):  # it greets on import
        import jionlp
    return jionlp.china_location_loader(detail=False)
