"""Patrol teams (群防群治巡逻队, issue 15 part 4): set one up for the town, a village or a grid,
rename or move it under its version, retire it with a reason. Its members are the registry's
(people.services.patrol_member_upsert); its duty roster is rounds.patrol_duty_set."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.fieldwork.services._base import OUTSIDE, in_area
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.models import PatrolTeam

MANAGE = "fieldwork.manage"
STALE = "该巡防队已被他人修改，请刷新后重试。"
TEAM_LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE, Region.Level.GRID)


def _check(actor: Membership, region: Region | None, name: str, errors: dict, other_than: int | None = None) -> str:
    if not in_area(actor, region):
        errors["region"] = [f"所选区域{OUTSIDE}"]
    elif region.level not in TEAM_LEVELS:
        errors["region"] = ["请选择镇、村（社区）或网格。"]
    name = clean_text(name, "name", "队名", limit=50, errors=errors)
    if not errors:
        taken = PatrolTeam.objects.filter(region=region, name=name).exclude(pk=other_than)
        if taken.exists():
            raise Conflict("本区域已有同名巡防队。", code="duplicate_name", errors={"name": ["本区域已有同名巡防队。"]})
    return name


@transaction.atomic
def patrol_team_create(*, actor: Membership, region: Region | None, name: str) -> PatrolTeam:
    """组建巡防队 in the actor's area (the town, a village or a grid); a name already used
    there → 409."""
    require_permission(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    name = _check(actor, region, name, errors)
    if errors:
        raise Invalid("巡防队信息有误，请检查标出的字段。", errors=errors)
    team = PatrolTeam.objects.create(region=region, name=name)
    audit_as(actor, action="patrol_team_create", target=f"patrol_team:{team.pk}")
    return team


def _locked(actor: Membership, team: PatrolTeam, version: int) -> PatrolTeam:
    current = PatrolTeam.objects.select_for_update().select_related("region").get(pk=team.pk)
    if not in_area(actor, current.region):
        # The town's team is visible to a village's chief (it patrols there) but is the town's to keep.
        raise NotAllowed("该巡防队由上级维护，您只能为其排班。", code="forbidden")
    if current.retired_at is not None:
        raise Conflict("该巡防队已撤销，不能再修改。", code="retired")
    if current.version != version:
        raise Conflict(STALE, code="stale_version")
    return current


@transaction.atomic
def patrol_team_update(
    *, actor: Membership, team: PatrolTeam, version: int, name: str | None = None, region: Region | None = None
) -> PatrolTeam:
    """修改巡防队 under its version (stale → 409; retired → 409); what is not given stays."""
    require_permission(actor, MANAGE)
    current = _locked(actor, team, version)
    errors: dict[str, list[str]] = {}
    region = region or current.region
    name = _check(actor, region, current.name if name is None else name, errors, other_than=current.pk)
    if errors:
        raise Invalid("巡防队信息有误，请检查标出的字段。", errors=errors)
    PatrolTeam.objects.filter(pk=current.pk).update(name=name, region=region, version=F("version") + 1)
    audit_as(actor, action="patrol_team_update", target=f"patrol_team:{current.pk}")
    current.refresh_from_db()
    return current


@transaction.atomic
def patrol_team_retire(*, actor: Membership, team: PatrolTeam, version: int, reason: str) -> PatrolTeam:
    """撤销巡防队 with a reason (a grave step): kept with its logs and rosters; its members stand
    down and no new shift can be set. Stale version or already retired → 409."""
    require_permission(actor, MANAGE)
    reason = clean_text(reason, "reason", "撤销原因", limit=200)
    current = _locked(actor, team, version)
    stood_down = current.members.filter(is_active=True).update(is_active=False)
    PatrolTeam.objects.filter(pk=current.pk).update(
        retired_at=timezone.now(), retired_reason=reason, version=F("version") + 1
    )
    audit_as(
        actor,
        action="patrol_team_retire",
        target=f"patrol_team:{current.pk}",
        purpose=reason,
        detail={"members": stood_down},
    )
    current.refresh_from_db()
    return current
