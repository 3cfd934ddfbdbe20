"""GeoJSON <-> shapely for region boundaries. Stored as GeoJSON geometry dicts, lon/lat order
(RFC 7946), Polygon or MultiPolygon."""

import json

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

AREAL = ("Polygon", "MultiPolygon")
# 1e-6° is about 0.1 m: finer than any boundary anyone draws, and it keeps the JSON small.
PRECISION = 1e-6


class BadGeometry(ValueError):
    pass


def parse(geometry: dict) -> BaseGeometry:
    """A valid Polygon/MultiPolygon with lon/lat in range, or BadGeometry saying what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") not in AREAL:
        raise BadGeometry("边界须为 GeoJSON 的 Polygon 或 MultiPolygon。")
    try:
        parsed = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, shapely.errors.GEOSException) as exc:
        raise BadGeometry(f"边界坐标无法解析：{exc}") from None
    if parsed.is_empty:
        raise BadGeometry("边界为空。")
    west, south, east, north = parsed.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BadGeometry("坐标超出范围（经度 -180～180，纬度 -90～90，顺序为经度在前）。")
    if not parsed.is_valid:
        raise BadGeometry(f"边界不是有效的多边形：{shapely.is_valid_reason(parsed)}")
    return parsed


def to_geojson(geometry: BaseGeometry) -> dict:
    """Snap to PRECISION (neighbours share snapped vertices, so a partition stays a partition)."""
    return json.loads(shapely.to_geojson(shapely.set_precision(geometry, PRECISION)))


def geometry_fields(geometry: BaseGeometry) -> dict:
    """Region fields for a boundary: the GeoJSON and a representative point that lies inside it."""
    stored = to_geojson(geometry)
    point = shape(stored).representative_point()
    return {"geometry": stored, "lat": point.y, "lng": point.x}
