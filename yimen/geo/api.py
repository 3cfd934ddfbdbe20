"""API: regions and locate (API.md "Regions"). Visible regions only; the rest is 404."""

import math
from typing import Annotated

from ninja import Router, Schema
from pydantic import WithJsonSchema

from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.core.schemas import ErrorOut
from yimen.geo import selectors

router = Router(tags=["区划与网格"])

FAILURES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
# The ranges are in the schema, but checked in the handler so the 422 speaks Chinese.
Latitude = Annotated[
    float, WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90, "description": "纬度（WGS-84）"})
]
Longitude = Annotated[
    float, WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180, "description": "经度（WGS-84）"})
]


class RegionRef(Schema):
    code: str
    name: str


class ChildOut(Schema):
    code: str
    name: str
    level: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: RegionRef | None
    children: list[ChildOut]


class SummaryOut(Schema):
    code: str
    name: str
    villages: int
    grids: int
    microgrids: int
    special_grids: int
    households: int
    persons: int
    staff: int


class LocateOut(Schema):
    town: RegionRef | None
    village: RegionRef | None
    grid: RegionRef | None
    microgrid: RegionRef | None
    special: RegionRef | None = None


@router.get("/regions/{code}", response={200: RegionOut, **FAILURES}, summary="区划/网格详情")
def region_detail(request, code: str):
    require_permission(request.member, "region.view")
    region = selectors.region_get_visible(member=request.member, code=code)
    parent = region.parent
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": {"code": parent.code, "name": parent.name} if parent else None,
        "children": list(selectors.region_children(member=request.member, region=region)),
    }


@router.get("/regions/{code}/summary", response={200: SummaryOut, **FAILURES}, summary="辖区统计")
def region_summary(request, code: str):
    require_permission(request.member, "region.view")
    region = selectors.region_get_visible(member=request.member, code=code)
    return selectors.region_summary(member=request.member, region=region)


@router.get("/locate", response={200: LocateOut, **FAILURES, 422: ErrorOut}, summary="坐标定位到镇/村/网格/微网格")
def locate(request, lat: Latitude, lng: Longitude):
    require_permission(request.member, "region.view")
    errors = {}
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        errors["lat"] = ["纬度须在 -90 到 90 之间。"]
    if not (math.isfinite(lng) and -180 <= lng <= 180):
        errors["lng"] = ["经度须在 -180 到 180 之间。"]
    if errors:
        raise Invalid("坐标超出范围。", errors=errors)
    return selectors.region_locate_visible(member=request.member, lat=lat, lng=lng)
