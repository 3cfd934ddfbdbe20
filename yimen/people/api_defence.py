"""API: 十户联防 groups (issue 15 part 4). A group outside the caller's jurisdiction is 404; field
errors 422; a stale version, a name taken in the grid or a retired group 409."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Path, Query, Router, Schema, Status

from yimen.core.errors import Invalid
from yimen.core.permissions import require_permission
from yimen.core.schemas import ERRORS, ID_MAX, Id, refuse_unknown_query
from yimen.geo.api import RegionRef
from yimen.geo.selectors import region_get_visible
from yimen.people import defence, selectors
from yimen.people.api import NO_NUL, Text, _region
from yimen.people.models import DefenceGroup, Household, Person
from yimen.people.rules import OUTSIDE

router = Router(tags=["十户联防"])
GroupId = Annotated[int, Path(ge=1, le=ID_MAX, description="联防组编号")]
MAX_IDS = 50  # a group has at most 15 households; a longer list is bad input, not a query


class GroupQuery(Schema):
    region: Text = Field("", max_length=24, pattern=NO_NUL, description="区划/网格代码，限定在其范围内")
    retired: bool = Field(False, description="true 时列出已撤销的组")


class HouseholdItem(Schema):
    id: int
    address: str


class CallItem(Schema):
    position: int
    person: int
    name: str


class GroupOut(Schema):
    id: int
    name: str
    region: RegionRef
    lead: int | None = Field(description="中心户的户编号")
    households: list[HouseholdItem]
    calls: list[CallItem]
    version: int
    retired_at: datetime | None
    retired_reason: str


class GroupIn(Schema):
    name: Text = Field(..., max_length=50, pattern=NO_NUL)
    region: Text = Field(..., max_length=24, pattern=NO_NUL, description="网格或微网格代码")
    households: list[Id] = Field(..., max_length=MAX_IDS, description="成员户编号（10–15 户）")
    lead: Id = Field(..., description="中心户编号，须为成员户之一")
    calls: list[Id] = Field([], max_length=MAX_IDS, description="报警呼叫顺序（人员编号，依次呼叫）")


class GroupPatch(Schema):
    version: Id
    name: Text | None = Field(None, max_length=50, pattern=NO_NUL)
    households: list[Id] | None = Field(None, max_length=MAX_IDS)
    lead: Id | None = None
    calls: list[Id] | None = Field(None, max_length=MAX_IDS)


class DefenceRetireIn(Schema):
    version: Id
    # Optional in the schema so that a role that may not retire hears 403, not 422.
    reason: Text = Field("", max_length=defence.REASON_MAX, pattern=NO_NUL, description="撤销原因，必填")


def _out(group: DefenceGroup) -> dict:
    return {
        "id": group.pk,
        "name": group.name,
        "region": group.region,
        "lead": group.lead_id,
        "households": sorted(group.households.all(), key=lambda h: h.pk),
        "calls": [{"position": c.position, "person": c.person_id, "name": c.person.name} for c in group.calls.all()],
        "version": group.version,
        "retired_at": group.retired_at,
        "retired_reason": group.retired_reason,
    }


def _households(member, ids: list[int] | None) -> list[Household] | None:
    if ids is None:
        return None
    found = list(Household.objects.visible_to(member).filter(pk__in=set(ids)).select_related("region"))
    if len(found) != len(set(ids)):
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={"households": [f"所选户{OUTSIDE}"]})
    return found


def _persons(member, ids: list[int] | None) -> list[Person] | None:
    if ids is None:
        return None
    by_pk = {p.pk: p for p in Person.objects.visible_to(member).filter(pk__in=set(ids))}
    if len(by_pk) != len(set(ids)):
        raise Invalid("提交的内容有误，请检查标出的字段。", errors={"calls": [f"所选人员{OUTSIDE}"]})
    return [by_pk[pk] for pk in ids]  # in calling order; a repeated person is the service's refusal


def _lead(households: list[Household] | None, member, lead: int | None) -> Household | None:
    if lead is None:
        return None
    for household in households or []:
        if household.pk == lead:
            return household
    return Household.objects.visible_to(member).filter(pk=lead).first()


def _visible(member, group_id: int) -> DefenceGroup:
    return selectors.defence_group_get_visible(member=member, group_id=group_id)


def _fresh(member, group_id: int) -> dict:
    return _out(selectors.defence_groups(member=member, retired=None).get(pk=group_id))


@router.get("/joint-defence-groups", response={200: list[GroupOut], **ERRORS}, summary="十户联防组（本辖区）")
def group_list(request, filters: Query[GroupQuery]):
    member = request.member
    require_permission(member, "person.view")
    refuse_unknown_query(request, GroupQuery.model_fields)
    region = region_get_visible(member=member, code=filters.region) if filters.region else None
    return [_out(g) for g in selectors.defence_groups(member=member, region=region, retired=filters.retired)]


@router.get("/joint-defence-groups/{group_id}", response={200: GroupOut, **ERRORS}, summary="一个十户联防组")
def group_detail(request, group_id: GroupId):
    member = request.member
    require_permission(member, "person.view")
    _visible(member, group_id)
    return _fresh(member, group_id)


@router.post("/joint-defence-groups", response={201: GroupOut, **ERRORS}, summary="组建十户联防组")
def group_create(request, payload: GroupIn):
    member = request.member
    require_permission(member, defence.MANAGE)
    households = _households(member, payload.households)
    group = defence.defence_group_create(
        actor=member,
        region=_region(member, payload.region),
        name=payload.name,
        households=households,
        lead=_lead(households, member, payload.lead),
        calls=_persons(member, payload.calls),
    )
    return Status(201, _fresh(member, group.pk))


@router.patch(
    "/joint-defence-groups/{group_id}", response={200: GroupOut, **ERRORS}, summary="调整十户联防组（带 version）"
)
def group_update(request, group_id: GroupId, payload: GroupPatch):
    member = request.member
    require_permission(member, defence.MANAGE)
    group = _visible(member, group_id)
    households = _households(member, payload.households)
    defence.defence_group_update(
        actor=member,
        group=group,
        version=payload.version,
        name=payload.name,
        households=households,
        lead=_lead(households, member, payload.lead),
        calls=_persons(member, payload.calls),
    )
    return _fresh(member, group_id)


@router.post("/joint-defence-groups/{group_id}/retire", response={200: GroupOut, **ERRORS}, summary="撤销十户联防组")
def group_retire(request, group_id: GroupId, payload: DefenceRetireIn):
    member = request.member
    require_permission(member, defence.MANAGE)
    group = _visible(member, group_id)
    defence.defence_group_retire(actor=member, group=group, version=payload.version, reason=payload.reason)
    return _fresh(member, group_id)
