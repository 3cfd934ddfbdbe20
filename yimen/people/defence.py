"""十户联防 groups kept by hand (issue 15 part 4): form a group, change its name, households, lead
(中心户) and call list under its version, and retire it with a reason. The import's
services.defence_group_upsert shares the checks and the writing below.

A group is 10–15 neighbouring households of one grid or micro-grid around a lead household
(十户联防 as the town's 群防群治 practice describes it); a household belongs to one group at a
time, so joining a group moves it out of its old one."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.core.errors import Conflict, Invalid
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people import rules
from yimen.people.models import DefenceCall, DefenceGroup, Household, Person

MANAGE = "defence.manage"
STALE = "该联防组已被他人修改，请刷新后重试。"
REASON_MAX = 200


def check_group(
    actor: Membership,
    *,
    region: Region | None,
    name: str,
    households: Sequence[Household],
    lead: Household | None,
    calls: Sequence[Person],
) -> tuple[str, set[int]]:
    """The group's trimmed name and household ids, or Invalid naming each wrong field."""
    errors: dict[str, list[str]] = {}
    rules.check_region(actor, region, [Region.Level.GRID, Region.Level.MICROGRID], errors, "region")
    name = clean_text(name, "name", "组名", limit=50, errors=errors)
    ids = {household.pk for household in households}
    low, high = DefenceGroup.MIN_HOUSEHOLDS, DefenceGroup.MAX_HOUSEHOLDS
    if not low <= len(ids) <= high:
        errors["households"] = [f"十户联防组须有 {low}–{high} 户，现为 {len(ids)} 户。"]
    if region and any(not household.region.path.startswith(region.path) for household in households):
        errors.setdefault("households", []).append("各户须在本组所在网格之内。")
    if lead is None or lead.pk not in ids:
        errors["lead"] = ["中心户须是本组的一户。"]
    if len({person.pk for person in calls}) != len(calls) or any(p.household_id not in ids for p in calls):
        errors["calls"] = ["呼叫顺序中的联系人须是本组各户的成员，且不重复。"]
    if errors:
        raise Invalid("十户联防组有误，请检查标出的字段。", errors=errors)
    return name, ids


def place_households(group: DefenceGroup, ids: set[int], calls: Sequence[Person]) -> None:
    """The group holds exactly these households (moved from any other group) and this call list."""
    Household.objects.filter(defence_group=group).exclude(pk__in=ids).update(defence_group=None)
    Household.objects.filter(pk__in=ids).update(defence_group=group)
    group.calls.all().delete()
    DefenceCall.objects.bulk_create(
        [DefenceCall(group=group, position=i, person=person) for i, person in enumerate(calls, start=1)]
    )


def _name_taken(region: Region, name: str, other_than: int | None = None) -> None:
    taken = DefenceGroup.objects.filter(region=region, name=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        message = "本网格已有同名联防组。"
        raise Conflict(message, code="duplicate_name", errors={"name": [message]})


@transaction.atomic
def defence_group_create(
    *,
    actor: Membership,
    region: Region | None,
    name: str,
    households: Sequence[Household],
    lead: Household | None,
    calls: Sequence[Person] = (),
) -> DefenceGroup:
    """组建十户联防组: 10–15 households of one grid or micro-grid within the actor's
    jurisdiction, one of them the lead, and a call list of their members (issue 15 part 4). A
    name already used in that grid → 409."""
    require_permission(actor, MANAGE)
    name, ids = check_group(actor, region=region, name=name, households=households, lead=lead, calls=calls)
    _name_taken(region, name)
    group = DefenceGroup.objects.create(region=region, name=name, lead=lead)
    place_households(group, ids, calls)
    detail = {"households": sorted(ids), "lead": lead.pk, "calls": [person.pk for person in calls]}
    audit_as(actor, action="defence_group_create", target=f"defence_group:{group.pk}", detail=detail)
    return group


def _locked(actor: Membership, group: DefenceGroup, version: int) -> DefenceGroup:
    current = DefenceGroup.objects.select_for_update().select_related("region").get(pk=group.pk)
    if not rules.in_scope(actor, current.region):
        raise Conflict(rules.OUTSIDE, code="outside_jurisdiction")
    if current.retired_at is not None:
        raise Conflict("该联防组已撤销，不能再修改。", code="retired")
    if current.version != version:
        raise Conflict(STALE, code="stale_version")
    return current


@transaction.atomic
def defence_group_update(
    *,
    actor: Membership,
    group: DefenceGroup,
    version: int,
    name: str | None = None,
    households: Sequence[Household] | None = None,
    lead: Household | None = None,
    calls: Sequence[Person] | None = None,
) -> DefenceGroup:
    """调整十户联防组 under its version (stale → 409; a retired group → 409): what is not given
    stays; without a new call list, the callers whose household stays in the group keep their
    order. The same checks as forming it."""
    require_permission(actor, MANAGE)
    current = _locked(actor, group, version)
    if households is None:
        households = list(Household.objects.filter(defence_group=current).select_related("region"))
    keep = {household.pk for household in households}
    lead = lead or (current.lead if current.lead_id in keep else None)
    if calls is None:
        calls = [c.person for c in current.calls.select_related("person") if c.person.household_id in keep]
    name, ids = check_group(
        actor,
        region=current.region,
        name=current.name if name is None else name,
        households=households,
        lead=lead,
        calls=calls,
    )
    _name_taken(current.region, name, other_than=current.pk)
    DefenceGroup.objects.filter(pk=current.pk).update(name=name, lead=lead, version=F("version") + 1)
    place_households(current, ids, calls)
    detail = {"households": sorted(ids), "lead": lead.pk, "calls": [person.pk for person in calls]}
    audit_as(actor, action="defence_group_update", target=f"defence_group:{current.pk}", detail=detail)
    current.refresh_from_db()
    return current


@transaction.atomic
def defence_group_retire(*, actor: Membership, group: DefenceGroup, version: int, reason: str) -> DefenceGroup:
    """撤销十户联防组 with a reason (a grave step: the households lose their alarm circle). The
    group is kept with its alerts and call list for the record; its households are free to join
    another group. Stale version or already retired → 409."""
    require_permission(actor, MANAGE)
    reason = clean_text(reason, "reason", "撤销原因", limit=REASON_MAX)
    current = _locked(actor, group, version)
    released = Household.objects.filter(defence_group=current).update(defence_group=None)
    now = timezone.now()
    DefenceGroup.objects.filter(pk=current.pk).update(retired_at=now, retired_reason=reason, version=F("version") + 1)
    audit_as(
        actor,
        action="defence_group_retire",
        target=f"defence_group:{current.pk}",
        purpose=reason,
        detail={"households": released},
    )
    current.refresh_from_db()
    return current
