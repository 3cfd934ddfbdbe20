"""Camera points (雪亮工程, issue 15 part 4): set one up, correct it under its version, record its
maintenance (each entry may change its status), retire it with a reason; and let a case (a
hazard among them) cite the cameras near it. Every verb is audited; the log is the camera's
own history."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases.models import Case
from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.fieldwork import selectors
from yimen.fieldwork.models import Camera, CameraCitation, CameraLog
from yimen.fieldwork.services._base import OUTSIDE, in_area
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as

MANAGE = "camera.manage"
CITE = "camera.cite"
STALE = "该监控点已被他人修改，请刷新后重试。"
REASON_MAX = 200
CAMERA_LEVELS = (Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL)


def _check_place(actor: Membership, region: Region | None, lat: float, lng: float, errors: dict) -> None:
    if not in_area(actor, region):
        errors["region"] = [f"所选网格{OUTSIDE}"]
    elif region.level not in CAMERA_LEVELS:
        errors["region"] = ["请选择村（社区）、网格、微网格或专属网格。"]
    if not (-90 <= lat <= 90):
        errors["lat"] = ["纬度须在 -90～90 之间。"]
    if not (-180 <= lng <= 180):
        errors["lng"] = ["经度须在 -180～180 之间。"]


def _owner(unit: Unit | None, owner: str, errors: dict) -> str:
    """The owner's name: the unit's when one is chosen, else the name typed (a school, a shop)."""
    if unit is not None:
        return unit.name
    return clean_text(owner, "unit", "权属单位", limit=100, errors=errors)


def _covers(actor: Membership, covers: Sequence[Region], errors: dict) -> None:
    if any(not in_area(actor, grid) for grid in covers):
        errors["covers"] = [f"覆盖网格{OUTSIDE}"]


@transaction.atomic
def camera_create(
    *,
    actor: Membership,
    code: str,
    name: str,
    lat: float,
    lng: float,
    region: Region | None,
    unit: Unit | None = None,
    owner: str = "",
    covers: Sequence[Region] = (),
) -> Camera:
    """新增监控点: a place (point) inside the actor's area, a grid, the owning unit, the grids it
    covers (its own grid when none is named). A code already used → 409. A new point is
    online; its first log entry says who set it up."""
    require_permission(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    code = clean_text(code, "code", "编号", limit=30, errors=errors)
    name = clean_text(name, "name", "名称", limit=100, errors=errors)
    _check_place(actor, region, lat, lng, errors)
    owner = _owner(unit, owner, errors)
    _covers(actor, covers, errors)
    if errors:
        raise Invalid("监控点信息有误，请检查标出的字段。", errors=errors)
    if Camera.objects.filter(code=code).exists():
        raise Conflict("该编号已登记。", code="duplicate_code", errors={"code": ["该编号已登记。"]})
    camera = Camera.objects.create(
        code=code, name=name, lat=lat, lng=lng, region=region, region_path=region.path, unit=unit, owner=owner
    )
    camera.covers.set(covers or [region])
    _log(actor, camera, Camera.Status.ONLINE, Camera.Status.ONLINE, "新建监控点")
    audit_as(actor, action="camera_create", target=f"camera:{camera.pk}")
    return camera


def _locked(actor: Membership, camera: Camera, version: int) -> Camera:
    current = Camera.objects.select_for_update().select_related("region").get(pk=camera.pk)
    if not in_area(actor, current.region):
        raise Conflict(OUTSIDE, code="outside_jurisdiction")
    if current.retired_at is not None:
        raise Conflict("该监控点已撤除，不能再修改。", code="retired")
    if current.version != version:
        raise Conflict(STALE, code="stale_version")
    return current


@transaction.atomic
def camera_update(
    *,
    actor: Membership,
    camera: Camera,
    version: int,
    name: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    region: Region | None = None,
    unit: Unit | None = None,
    owner: str | None = None,
    covers: Sequence[Region] | None = None,
) -> Camera:
    """修改监控点 under its version (stale → 409; a retired point → 409): what is not given stays.
    The status changes only through a maintenance entry (camera_log_record)."""
    require_permission(actor, MANAGE)
    current = _locked(actor, camera, version)
    errors: dict[str, list[str]] = {}
    name = current.name if name is None else clean_text(name, "name", "名称", limit=100, errors=errors)
    region = region or current.region
    lat = current.lat if lat is None else lat
    lng = current.lng if lng is None else lng
    _check_place(actor, region, lat, lng, errors)
    if unit is not None or owner is not None:
        owner = _owner(unit, owner or "", errors)
    else:
        unit, owner = current.unit, current.owner
    if covers is not None:
        _covers(actor, covers, errors)
    if errors:
        raise Invalid("监控点信息有误，请检查标出的字段。", errors=errors)
    Camera.objects.filter(pk=current.pk).update(
        name=name,
        lat=lat,
        lng=lng,
        region=region,
        region_path=region.path,
        unit=unit,
        owner=owner,
        version=F("version") + 1,
    )
    if covers is not None:
        current.covers.set(covers or [region])
    audit_as(actor, action="camera_update", target=f"camera:{current.pk}")
    current.refresh_from_db()
    return current


def _log(actor: Membership, camera: Camera, before: str, after: str, note: str) -> CameraLog:
    return CameraLog.objects.create(
        camera=camera,
        at=timezone.now(),
        by=actor.user,
        by_name=actor.user.name or actor.user.username,
        unit_name=actor.unit.name,
        from_status=before,
        to_status=after,
        note=note,
    )


@transaction.atomic
def camera_log_record(*, actor: Membership, camera: Camera, version: int, status: str, note: str = "") -> CameraLog:
    """维护记录: a visit or a report on a camera with its status after it (online, offline,
    broken). An entry that changes nothing needs a note saying what was done; a status change
    moves the camera's version (stale → 409)."""
    require_permission(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    if status not in Camera.Status.values:
        errors["status"] = [f"可选：{'、'.join(Camera.Status.labels)}。"]
    current = _locked(actor, camera, version)
    note = clean_text(note, "note", "维护说明", limit=500, errors=errors, required=status == current.status)
    if errors:
        raise Invalid("维护记录有误，请检查标出的字段。", errors=errors)
    before = current.status
    Camera.objects.filter(pk=current.pk).update(status=status, version=F("version") + 1)
    entry = _log(actor, current, before, status, note)
    audit_as(actor, action="camera_log", target=f"camera:{current.pk}", detail={"from": before, "to": status})
    return entry


@transaction.atomic
def camera_retire(*, actor: Membership, camera: Camera, version: int, reason: str) -> Camera:
    """撤除监控点 with a reason (a grave step): kept for the cases that cite it, off the map and
    out of the counts; stale version or already retired → 409."""
    require_permission(actor, MANAGE)
    reason = clean_text(reason, "reason", "撤除原因", limit=REASON_MAX)
    current = _locked(actor, camera, version)
    Camera.objects.filter(pk=current.pk).update(
        retired_at=timezone.now(), retired_reason=reason, version=F("version") + 1
    )
    audit_as(actor, action="camera_retire", target=f"camera:{current.pk}", purpose=reason)
    current.refresh_from_db()
    return current


@transaction.atomic
def camera_cite(*, actor: Membership, case: Case, camera: Camera, note: str = "") -> tuple[CameraCitation, bool]:
    """A case cites a camera near it (same grid, or within selectors.NEAR_METRES of the case's
    place) so its footage can be asked for; citing it again returns the first citation. The
    caller found the case within the actor's view (404 otherwise); a retired camera → 409."""
    require_permission(actor, CITE)
    note = clean_text(note, "note", "说明", limit=200, required=False)
    if camera.retired_at is not None:
        raise Conflict("该监控点已撤除，不能引用。", code="retired")
    if camera.pk not in {c.pk for c in selectors.cameras_near(member=actor, case=case)}:
        raise Invalid("该监控点不在案发地附近。", errors={"camera": ["请选择同一网格或附近的监控点。"]})
    citation, created = CameraCitation.objects.get_or_create(
        case=case,
        camera=camera,
        defaults={"cited_by": actor.user, "cited_by_name": actor.user.name or actor.user.username, "note": note},
    )
    if created:
        audit_as(actor, action="camera_cite", target=f"case:{case.code}", detail={"camera": camera.code})
    return citation, created


@transaction.atomic
def camera_uncite(*, actor: Membership, case: Case, camera: Camera) -> None:
    """Withdraw a camera a case cites (a wrong pick); a camera it does not cite → 404."""
    require_permission(actor, CITE)
    removed, _ = CameraCitation.objects.filter(case=case, camera=camera).delete()
    if not removed:
        raise NotFound("该案件未引用此监控点。")
    audit_as(actor, action="camera_uncite", target=f"case:{case.code}", detail={"camera": camera.code})
