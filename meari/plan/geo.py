"""Geography for the drift planner: a local metric frame and GeoJSON in and out.

Why a local azimuthal-equidistant projection: distances and bearings from its
centre (the release point) are true, so "metres east/north of the release point"
means what a planner expects over the few-kilometre scale of a leaflet drop, and
it needs no UTM zone bookkeeping. pyproj runs with its network access switched
off: everything here works offline.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from meari.errors import MeariError
from meari.inputs import read_input

MAX_GEOJSON_BYTES = 20_000_000  # a target area is a few polygons; 20 MB is a mistake
_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_LATLON = re.compile(rf"^\s*({_NUM})\s*,\s*({_NUM})\s*$")


def check_latlon(lat: float, lon: float, where: str) -> None:
    """Raise MeariError unless ``lat`` is in [-90, 90] and ``lon`` in [-180, 180]."""
    if not math.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise MeariError(f"latitude must be -90..90 degrees, got {lat:g}", where)
    if not math.isfinite(lon) or not -180.0 <= lon <= 180.0:
        raise MeariError(f"longitude must be -180..180 degrees, got {lon:g}", where)
    if abs(lat) > 89.0:
        raise MeariError(f"latitude {lat:g} is too close to a pole for a local east/north frame", where)


def parse_latlon(text: str, where: str) -> tuple[float, float]:
    """Parse ``"LAT,LON"`` in decimal degrees (WGS84), naming the bad value."""
    m = _LATLON.match(text or "")
    if not m:
        raise MeariError(f"expected LAT,LON in decimal degrees (e.g. '50.45,30.52'), got {text!r}", where)
    lat, lon = float(m.group(1)), float(m.group(2))
    check_latlon(lat, lon, where)
    return lat, lon


@dataclass(frozen=True)
class LocalFrame:
    """Azimuthal-equidistant frame centred at (lat0, lon0) on WGS84: x metres east, y metres north."""

    lat0: float
    lon0: float

    @cached_property
    def _fwd(self) -> Any:
        import pyproj

        pyproj.network.set_network_enabled(active=False)
        crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={self.lat0!r} +lon_0={self.lon0!r} +x_0=0 +y_0=0 "
                                    "+ellps=WGS84 +units=m +no_defs")
        return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def to_xy(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def to_lonlat(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        from pyproj.enums import TransformDirection

        lon, lat = self._fwd.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                                       direction=TransformDirection.INVERSE)
        return np.asarray(lon), np.asarray(lat)

    def wkt(self) -> str:
        """The frame's CRS as WKT (for a .prj beside a grid file)."""
        return self._fwd.target_crs.to_wkt(version="WKT1_ESRI")

    # -- shapely geometries ------------------------------------------------------------------------------------
    def geom_to_lonlat(self, geom: Any) -> Any:
        """A geometry in this frame as WGS84 lon/lat, split at the antimeridian (RFC 7946 section 3.1.9).

        Longitudes are first unwrapped around the frame's centre (continuous across +-180), so a footprint
        that crosses the antimeridian is one valid polygon; it is then cut at +-180 and each part shifted
        back into [-180, 180], giving a MultiPolygon whose parts meet on the antimeridian.
        """
        import shapely

        def tf(coords: np.ndarray) -> np.ndarray:
            lon, lat = self.to_lonlat(coords[:, 0], coords[:, 1])
            lon = self.lon0 + (np.asarray(lon) - self.lon0 + 180.0) % 360.0 - 180.0
            return np.column_stack([lon, lat])

        return split_antimeridian(shapely.transform(geom, tf))

    def geom_to_xy(self, geom: Any) -> Any:
        import shapely

        def tf(coords: np.ndarray) -> np.ndarray:
            x, y = self.to_xy(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geom, tf)


def split_antimeridian(geom: Any) -> Any:
    """Cut a lon/lat geometry whose longitudes run past +-180 into parts inside [-180, 180]."""
    import shapely
    import shapely.affinity

    minx, _, maxx, _ = geom.bounds
    if geom.is_empty or (minx >= -180.0 and maxx <= 180.0):
        return geom
    parts = []
    for shift in (-360.0, 0.0, 360.0):  # the window [-180 - shift, 180 - shift] moved back by shift
        win = shapely.box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        piece = shapely.intersection(geom, win)
        if not piece.is_empty and piece.area > 0:
            parts.append(shapely.affinity.translate(piece, xoff=shift))
    polys = []
    for part in parts:
        polys.extend(getattr(part, "geoms", [part]))
    polys = [q for q in polys if q.geom_type == "Polygon" and q.area > 0]
    return shapely.MultiPolygon(polys) if len(polys) != 1 else polys[0]


def geometry_geojson(geom: Any, ndigits: int = 7) -> dict:
    """A shapely geometry as a GeoJSON geometry dict, coordinates rounded (7 decimals of a degree ~ 1 cm)."""
    import shapely

    d = json.loads(shapely.to_geojson(shapely.set_precision(geom, 10.0 ** -ndigits)))
    return d


def load_target(path: str | Path) -> Any:
    """Read a GeoJSON file (WGS84 lon/lat) and return the union of its polygons as a shapely geometry.

    Accepts a FeatureCollection, a Feature or a bare geometry; every geometry must be a
    Polygon or MultiPolygon (a leaflet target is an area: points and lines are refused).
    """
    import shapely
    from shapely.geometry import shape

    p = Path(path)
    where = str(p)
    raw = read_input(p, "GeoJSON file", MAX_GEOJSON_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise MeariError(f"invalid UTF-8 at byte {e.start}", where) from None
    except json.JSONDecodeError as e:
        raise MeariError(f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", where) from None
    if not isinstance(data, dict) or "type" not in data:
        raise MeariError("not a GeoJSON object (no 'type')", where)

    kind = data["type"]
    if kind == "FeatureCollection":
        feats = data.get("features")
        if not isinstance(feats, list) or not feats:
            raise MeariError("FeatureCollection has no features", where)
        geoms = [f.get("geometry") if isinstance(f, dict) else None for f in feats]
    elif kind == "Feature":
        geoms = [data.get("geometry")]
    else:
        geoms = [data]

    polys = []
    for i, g in enumerate(geoms):
        at = f"{where}: feature {i}" if kind == "FeatureCollection" else where
        if not isinstance(g, dict) or "type" not in g:
            raise MeariError("feature has no geometry", at)
        if g["type"] not in ("Polygon", "MultiPolygon"):
            raise MeariError(f"target must be a Polygon or MultiPolygon, got {g['type']}", at)
        try:
            geom = shape(g)
        except Exception as e:  # shapely raises several types for malformed coordinates
            raise MeariError(f"malformed {g['type']} coordinates: {e}", at) from None
        if geom.is_empty:
            raise MeariError(f"empty {g['type']}", at)
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
            raise MeariError(f"coordinates out of range for WGS84 lon/lat (bounds {minx:g},{miny:g},{maxx:g},"
                             f"{maxy:g}); GeoJSON order is [longitude, latitude]", at)
        if not geom.is_valid:
            raise MeariError(f"invalid polygon: {shapely.is_valid_reason(geom)}", at)
        polys.append(geom)
    return shapely.union_all(polys)


def area_centroid(geom_lonlat: Any) -> tuple[float, float]:
    """Area centroid (lat, lon) of a lon/lat polygon, computed in a local metric frame, not in degrees."""
    minx, miny, maxx, maxy = geom_lonlat.bounds
    lon_c = (minx + maxx) / 2
    if maxx - minx > 180.0:  # parts on both sides of the antimeridian: centre on 180, not on 0
        lons = [x for q in getattr(geom_lonlat, "geoms", [geom_lonlat]) for x in q.exterior.xy[0]]
        lon_c = ((np.mean([x % 360.0 for x in lons]) + 180.0) % 360.0) - 180.0
    frame = LocalFrame((miny + maxy) / 2, float(lon_c))
    c = frame.geom_to_xy(geom_lonlat).centroid
    lon, lat = frame.to_lonlat(c.x, c.y)
    return float(lat), float(lon)
