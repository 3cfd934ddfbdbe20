"""API: the town's public-security assets (issue 15 part 4): camera points (雪亮工程) with their
maintenance log, the cameras a case cites, and patrol teams with their duty roster. Outside the
caller's area → 404; field errors 422; stale version, taken code or name, retired record → 409."""

from datetime import timedelta
from typing import Annotated

from django.utils import timezone
from ninja import Path, Query, Router, Status
from ninja.security import django_auth

from yimen.cases.selectors import case_get_visible
from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ID_MAX, refuse_unknown_query
from yimen.fieldwork import selectors, services
from yimen.fieldwork.models import Camera, PatrolDuty
from yimen.fieldwork.schemas import (
    AssetRetireIn,
    CameraIn,
    CameraLogIn,
    CameraLogOut,
    CameraOut,
    CameraPatch,
    CameraQuery,
    CaseCamerasOut,
    CiteIn,
    PatrolTeamIn,
    PatrolTeamOut,
    PatrolTeamPatch,
    ShiftIn,
    ShiftOut,
    ShiftQuery,
)
from yimen.fieldwork.services._base import OUTSIDE
from yimen.geo.models import Region
from yimen.geo.selectors import region_get_visible
from yimen.org.auth import BearerAuth
from yimen.org.models import Unit
from yimen.people.models import PatrolMember, PatrolTeam

router = Router(tags=["雪亮工程与巡防"], auth=[BearerAuth(), django_auth])
ROSTER_DAYS = 14
BAD = "提交的内容有误，请检查标出的字段。"
CameraId = Annotated[int, Path(ge=1, le=ID_MAX, description="监控点编号")]
TeamId = Annotated[int, Path(ge=1, le=ID_MAX, description="巡防队编号")]


def camera_out(camera: Camera) -> dict:
    return {
        "id": camera.pk,
        "code": camera.code,
        "name": camera.name,
        "lat": camera.lat,
        "lng": camera.lng,
        "region": {"code": camera.region.code, "name": camera.region.name},
        "unit": camera.unit.code if camera.unit else None,
        "owner": camera.owner,
        "status": camera.status,
        "covers": [g.code for g in camera.covers.all()],
        "version": camera.version,
        "retired_at": camera.retired_at,
        "retired_reason": camera.retired_reason,
        "metres": getattr(camera, "metres", None),
    }


def _area(member, code: str | None, field: str = "region") -> Region | None:
    # Unknown and outside one's area read the same: a field error, never a hint which it was.
    if code is None:
        return None
    region = Region.objects.filter(code=code, path__startswith=member.jurisdiction.path).first()
    if region is None:
        raise Invalid(BAD, errors={field: [f"所选区域{OUTSIDE}"]})
    return region


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Invalid(BAD, errors={"unit": ["没有这个单位。"]})
    return unit


def _grids(member, codes: list[str] | None) -> list[Region] | None:
    return None if codes is None else [_area(member, code, "covers") for code in codes]


def _camera(request, camera_id: int) -> Camera:
    return selectors.camera_get(member=request.member, camera_id=camera_id)


@router.get("/cameras", response={200: list[CameraOut], **ERRORS}, summary="视频监控点（地图图层）")
def camera_list(request, filters: Query[CameraQuery]):
    require_permission(request.member, "map.view")
    refuse_unknown_query(request, CameraQuery.model_fields)
    region = region_get_visible(member=request.member, code=filters.region) if filters.region else None
    if region is not None and not region.is_within(request.member.jurisdiction):
        region = request.member.jurisdiction  # an ancestor of one's area: show one's own area
    return [camera_out(c) for c in selectors.cameras(member=request.member, region=region)]


@router.post("/cameras", response={201: CameraOut, **ERRORS}, summary="新增监控点")
def camera_create(request, payload: CameraIn):
    member = request.member
    require_permission(member, services.cameras.MANAGE)
    camera = services.camera_create(
        actor=member,
        code=payload.code,
        name=payload.name,
        lat=payload.lat,
        lng=payload.lng,
        region=_area(member, payload.region),
        unit=_unit(payload.unit),
        owner=payload.owner,
        covers=_grids(member, payload.covers) or (),
    )
    return Status(201, camera_out(_camera(request, camera.pk)))


@router.get("/cameras/{camera_id}", response={200: CameraOut, **ERRORS}, summary="一个监控点")
def camera_detail(request, camera_id: CameraId):
    require_permission(request.member, "map.view")
    return camera_out(_camera(request, camera_id))


@router.patch("/cameras/{camera_id}", response={200: CameraOut, **ERRORS}, summary="修改监控点（带 version）")
def camera_update(request, camera_id: CameraId, payload: CameraPatch):
    member = request.member
    require_permission(member, services.cameras.MANAGE)
    camera = _camera(request, camera_id)
    services.camera_update(
        actor=member,
        camera=camera,
        version=payload.version,
        name=payload.name,
        lat=payload.lat,
        lng=payload.lng,
        region=_area(member, payload.region),
        unit=_unit(payload.unit),
        owner=payload.owner,
        covers=_grids(member, payload.covers),
    )
    return camera_out(_camera(request, camera_id))


@router.post("/cameras/{camera_id}/retire", response={200: CameraOut, **ERRORS}, summary="撤除监控点（须说明原因）")
def camera_retire(request, camera_id: CameraId, payload: AssetRetireIn):
    member = request.member
    require_permission(member, services.cameras.MANAGE)
    camera = _camera(request, camera_id)
    services.camera_retire(actor=member, camera=camera, version=payload.version, reason=payload.reason)
    return camera_out(_camera(request, camera_id))


@router.get("/cameras/{camera_id}/log", response={200: list[CameraLogOut], **ERRORS}, summary="监控点维护记录")
def camera_log(request, camera_id: CameraId):
    require_permission(request.member, "map.view")
    return list(selectors.camera_log(camera=_camera(request, camera_id)))


@router.post("/cameras/{camera_id}/log", response={201: CameraLogOut, **ERRORS}, summary="记录维护（可改状态）")
def camera_log_add(request, camera_id: CameraId, payload: CameraLogIn):
    member = request.member
    require_permission(member, services.cameras.MANAGE)
    camera = _camera(request, camera_id)
    entry = services.camera_log_record(
        actor=member, camera=camera, version=payload.version, status=payload.status, note=payload.note
    )
    return Status(201, entry)


def case_cameras_out(member, case) -> dict:
    cited = list(selectors.case_citations(case=case))
    taken = {c.camera_id for c in cited}
    near = [c for c in selectors.cameras_near(member=member, case=case) if c.pk not in taken]
    return {
        "cited": [
            {"camera": camera_out(c.camera), "cited_by": c.cited_by_name, "cited_at": c.cited_at, "note": c.note}
            for c in cited
        ],
        "nearby": [camera_out(c) for c in near],
    }


@router.get("/cases/{code}/cameras", response={200: CaseCamerasOut, **ERRORS}, summary="案件引用及附近的监控点")
def case_cameras(request, code: str):
    member = request.member
    require_permission(member, "case.view")
    return case_cameras_out(member, case_get_visible(member=member, code=code))


@router.post(
    "/cases/{code}/cameras", response={201: CaseCamerasOut, 200: CaseCamerasOut, **ERRORS}, summary="引用监控点"
)
def case_camera_cite(request, code: str, payload: CiteIn):
    member = request.member
    require_permission(member, services.cameras.CITE)
    case = case_get_visible(member=member, code=code)
    camera = _camera(request, payload.camera)
    _, created = services.camera_cite(actor=member, case=case, camera=camera, note=payload.note)
    return Status(201 if created else 200, case_cameras_out(member, case))


@router.delete("/cases/{code}/cameras/{camera_id}", response={200: CaseCamerasOut, **ERRORS}, summary="取消引用")
def case_camera_uncite(request, code: str, camera_id: CameraId):
    member = request.member
    require_permission(member, services.cameras.CITE)
    case = case_get_visible(member=member, code=code)
    services.camera_uncite(actor=member, case=case, camera=_camera(request, camera_id))
    return case_cameras_out(member, case)


def team_out(team: PatrolTeam) -> dict:
    return {
        "id": team.pk,
        "name": team.name,
        "region": {"code": team.region.code, "name": team.region.name},
        "members": sum(1 for m in team.members.all() if m.is_active),
        "version": team.version,
        "retired_at": team.retired_at,
        "retired_reason": team.retired_reason,
    }


def _team(request, team_id: int) -> PatrolTeam:
    return selectors.team_get(member=request.member, team_id=team_id)


@router.get("/patrol-teams", response={200: list[PatrolTeamOut], **ERRORS}, summary="巡防队（本辖区）")
def team_list(request):
    require_permission(request.member, "fieldwork.manage")
    refuse_unknown_query(request, ())
    return [team_out(t) for t in selectors.teams(member=request.member).prefetch_related("members")]


@router.post("/patrol-teams", response={201: PatrolTeamOut, **ERRORS}, summary="组建巡防队")
def team_create(request, payload: PatrolTeamIn):
    member = request.member
    require_permission(member, services.teams.MANAGE)
    team = services.patrol_team_create(actor=member, region=_area(member, payload.region), name=payload.name)
    return Status(201, team_out(_team(request, team.pk)))


@router.get("/patrol-teams/{team_id}", response={200: PatrolTeamOut, **ERRORS}, summary="一支巡防队")
def team_detail(request, team_id: TeamId):
    require_permission(request.member, "fieldwork.manage")
    return team_out(_team(request, team_id))


@router.patch("/patrol-teams/{team_id}", response={200: PatrolTeamOut, **ERRORS}, summary="修改巡防队（带 version）")
def team_update(request, team_id: TeamId, payload: PatrolTeamPatch):
    member = request.member
    require_permission(member, services.teams.MANAGE)
    team = _team(request, team_id)
    services.patrol_team_update(
        actor=member, team=team, version=payload.version, name=payload.name, region=_area(member, payload.region)
    )
    return team_out(_team(request, team_id))


@router.post("/patrol-teams/{team_id}/retire", response={200: PatrolTeamOut, **ERRORS}, summary="撤销巡防队")
def team_retire(request, team_id: TeamId, payload: AssetRetireIn):
    member = request.member
    require_permission(member, services.teams.MANAGE)
    team = _team(request, team_id)
    services.patrol_team_retire(actor=member, team=team, version=payload.version, reason=payload.reason)
    return team_out(_team(request, team_id))


def shift_out(duty: PatrolDuty) -> dict:
    return {
        "on": duty.on,
        "shift": duty.shift,
        "members": [{"id": m.pk, "name": m.name, "duty": m.duty} for m in duty.members.all()],
    }


@router.get("/patrol-teams/{team_id}/shifts", response={200: list[ShiftOut], **ERRORS}, summary="巡防队排班")
def shift_list(request, team_id: TeamId, filters: Query[ShiftQuery]):
    require_permission(request.member, "fieldwork.manage")
    refuse_unknown_query(request, ShiftQuery.model_fields)
    team = _team(request, team_id)
    since = filters.since or timezone.localdate()
    duties = team.duties.filter(on__gte=since, on__lt=since + timedelta(days=ROSTER_DAYS))
    return [shift_out(d) for d in duties.prefetch_related("members").order_by("on", "shift")]


@router.post(
    "/patrol-teams/{team_id}/shifts", response={201: ShiftOut, **ERRORS}, summary="排班（同一班次再次提交即替换）"
)
def shift_set(request, team_id: TeamId, payload: ShiftIn):
    member = request.member
    require_permission(member, services.teams.MANAGE)
    team = _team(request, team_id)
    found = list(PatrolMember.objects.filter(team=team, pk__in=set(payload.members)))
    if len(found) != len(set(payload.members)):
        raise Invalid(BAD, errors={"members": ["请选择本队在岗队员。"]})
    duty = services.patrol_duty_set(actor=member, team=team, on=payload.on, shift=payload.shift, members=found)
    return Status(201, shift_out(duty))
