"""Where pickup points are: H3 cells for the distance search, pinyin initials for the
search without a location.

A point with coordinates stores its H3 cell at resolution 8 (an edge of about 0.53 km);
a search around a buyer takes the cells within ``k`` rings of the buyer's cell, enough to
cover the radius (``h3.grid_disk``), reads only the points in those cells through the
cell index, then keeps those whose great-circle distance (haversine) is within the
radius, nearest first.
"""

import math

import h3
from pypinyin import Style, lazy_pinyin

RESOLUTION = 8
EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
MAX_RADIUS_M = 20_000


def cell_of(lat: float, lng: float) -> str:
    """The point's H3 cell at :data:`RESOLUTION`."""
    return str(h3.latlng_to_cell(lat, lng, RESOLUTION))


def cells_within(lat: float, lng: float, radius_m: int) -> list[str]:
    """The cells whose points may lie within ``radius_m`` of (lat, lng): enough rings
    around its cell that their inner radius covers the distance."""
    edge_m = h3.average_hexagon_edge_length(RESOLUTION, unit="m")
    rings = math.ceil(radius_m / (edge_m * math.sqrt(3))) + 1
    return sorted(str(cell) for cell in h3.grid_disk(cell_of(lat, lng), rings))


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> int:
    """The great-circle distance in whole metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))


def initials(*texts: str) -> str:
    """Pinyin initials of each text, space separated, lower case; letters and digits
    are kept as typed: ``initials("阳光家园", "1号楼")`` is ``"ygjy 1hl"``."""
    return " ".join("".join(part.strip()[:1] for part in lazy_pinyin(text, style=Style.FIRST_LETTER)
                            if part.strip()).lower() for text in texts)
