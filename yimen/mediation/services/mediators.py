"""The mediator roster (调解员名册), kept by the centre's dispatcher and the judicial office
(司法所指导人民调解, 人民调解法 art. 5). Each change is audited."""

import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F

from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.permissions import require_permission
from yimen.geo.models import Region
from yimen.mediation.models import Mediator
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as

MAX_SKILLS = 8
SKILL = re.compile(r"^[\w\u4e00-\u9fff]{1,10}$")
HOME_LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE)


def _in_jurisdiction(actor: Membership, codes: Sequence[str], field: str, levels) -> list[Region]:
    """The regions named, each a town or village of the keeper's jurisdiction; one that is not is
    as good as absent (404, with the field named)."""
    found = list(Region.objects.filter(code__in=set(codes), level__in=levels, path__startswith=actor.jurisdiction.path))
    if len(found) != len(set(codes)):
        names = "、".join(Region.Level(level).label for level in levels)
        message = f"请选择您管辖范围内的{names}。"
        raise NotFound(f"未找到该区划，或不在您的管辖范围内：{message}", errors={field: [message]})
    return found


def _stale(mediator: Mediator) -> Conflict:
    current = Mediator.objects.filter(pk=mediator.pk).values_list("version", flat=True).first()
    return Conflict(f"调解员信息已被他人修改（当前版本 {current}），请刷新后重试。", code="stale_version")


@transaction.atomic
def mediator_save(
    *,
    actor: Membership,
    mediator: Mediator | None = None,
    version: int | None = None,
    name: str,
    kind: str,
    region: str,
    villages: Sequence[str] = (),
    skills: Sequence[str] = (),
    title: str = "",
    availability: str = "",
    unit: str = "",
    is_active: bool = True,
) -> Mediator:
    """Add a mediator to the roster or change one (version-checked: a stale form → 409). The
    home region is a village or the town within the keeper's jurisdiction; the villages served
    lie there too (any other region or unit → 404); skills are short tags (邻里, 土地 …)."""
    require_permission(actor, "mediator.manage")
    if mediator is not None and mediator.version != version:
        raise _stale(mediator)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name or len(name) > 50:
        errors["name"] = ["请填写姓名（最多 50 个字）。"]
    if kind not in Mediator.Kind.values:
        errors["kind"] = [f"可选：{'、'.join(Mediator.Kind.labels)}。"]
    homes = _in_jurisdiction(actor, [region], "region", HOME_LEVELS)
    served = _in_jurisdiction(actor, list(villages), "villages", (Region.Level.VILLAGE,))
    tags = list(dict.fromkeys(s.strip() for s in skills if s.strip()))
    if len(tags) > MAX_SKILLS or any(not SKILL.match(tag) for tag in tags):
        errors["skills"] = [f"擅长领域为短标签（每个至多 10 个字，最多 {MAX_SKILLS} 个），如 邻里、土地、婚姻家庭。"]
    found_unit = Unit.objects.filter(code=unit, is_active=True).first() if unit else None
    if unit and found_unit is None:
        raise NotFound("未找到所属单位。", errors={"unit": ["所属单位不存在。"]})
    if errors:
        raise Invalid("调解员信息有误，请检查标出的字段。", errors=errors)
    home = homes[0]
    fields = {
        "name": name,
        "kind": kind,
        "region": home,
        "region_path": home.path,
        "title": (title or "").strip()[:50],
        "availability": (availability or "").strip()[:100],
        "skills": tags,
        "unit": found_unit,
        "is_active": bool(is_active),
    }
    created = mediator is None
    if created:
        mediator = Mediator.objects.create(**fields)
    else:
        moved = Mediator.objects.filter(pk=mediator.pk, version=version).update(**fields, version=F("version") + 1)
        if moved != 1:
            raise _stale(mediator)
        mediator.refresh_from_db()
    mediator.villages.set(served)
    audit_as(actor, action="mediator_create" if created else "mediator_update", target=f"mediator:{mediator.pk}")
    return mediator
