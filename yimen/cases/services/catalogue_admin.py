"""The dispatch catalogue, deadline policies, risk rules and risk tiers (administrators:
catalogue.manage). A revision makes a new catalogue version and rules are never edited in place,
so cases routed before keep their rows and deadlines; a risk tier is edited in place, as it only
suggests (what was chosen is on each case)."""

import re
from collections.abc import Sequence

from django.db import transaction

from yimen.cases import catalogue
from yimen.cases.models import (
    CatalogueRow,
    DeadlinePolicy,
    DispatchCatalogue,
    HandlingTier,
    Kind,
    Risk,
    RiskRule,
)
from yimen.core.errors import Invalid
from yimen.core.generations import bump
from yimen.core.permissions import require_permission
from yimen.core.text import clean_text
from yimen.org.models import Membership, Unit
from yimen.org.services import audit_as

# ---------------------------------------------------------------------------------------------
# The catalogue, policies and risk rules (administrators: catalogue.manage)

ROW_FIELDS = ("name", "group", "kind", "lead", "supports", "risk")
ROW_POLICIES = ("policy", "intake_policy", "sign_policy", "return_policy")


def _check_unit_ref(ref: str) -> bool:
    return catalogue.UnitRef.parse(ref).kind in Unit.Kind.values


@transaction.atomic
def catalogue_revise(*, actor: Membership, changes: dict[str, dict], note: str) -> DispatchCatalogue:
    """修订派单目录: a new version, the current one's rows with `changes` applied (row code →
    fields; an unknown code adds a row; {"delete": True} drops one). Cases routed before keep
    their rows and deadlines."""
    require_permission(actor, "catalogue.manage")
    note = clean_text(note, "note", "修订说明")[:200]
    current = DispatchCatalogue.objects.select_for_update().get(pk=catalogue.catalogue_current().pk)
    policies = {p.code: p for p in DeadlinePolicy.objects.all()}
    rows = {r.code: r for r in current.rows.all()}
    errors: dict[str, list[str]] = {}
    for code, fields in changes.items():
        if fields.get("delete"):
            if rows.pop(code, None) is None:
                errors.setdefault(code, []).append("目录中没有该条目。")
            continue
        row = rows.get(code) or CatalogueRow(code=code, risk=Risk.BLUE, order=len(rows))
        for name in ROW_FIELDS:
            if name in fields:
                setattr(row, name, fields[name])
        for name in ROW_POLICIES:
            if name in fields:
                value = fields[name]
                if value is None and name == "intake_policy":
                    row.intake_policy = None
                elif value not in policies:
                    errors.setdefault(code, []).append(f"{name}：没有期限规则 {value}。")
                else:
                    setattr(row, name, policies[value])
        if row.kind not in Kind.values or row.risk not in Risk.values:
            errors.setdefault(code, []).append("种类或风险等级不正确。")
        if not row.lead or not _check_unit_ref(row.lead) or not all(_check_unit_ref(s) for s in row.supports or []):
            errors.setdefault(code, []).append("主办或协办单位类型不正确。")
        if not all(getattr(row, f"{name}_id", None) for name in ("policy", "sign_policy", "return_policy")):
            errors.setdefault(code, []).append("须指定办理、签收和退单期限规则。")
        rows[code] = row
    if errors:
        raise Invalid("派单目录修订有误。", errors=errors)
    DispatchCatalogue.objects.filter(pk=current.pk).update(is_current=False)
    revised = DispatchCatalogue.objects.create(
        version=current.version + 1, is_current=True, note=note, created_by=actor.user
    )
    copies = []
    for row in rows.values():
        row.pk = None
        row.catalogue = revised
        copies.append(row)
    CatalogueRow.objects.bulk_create(copies)
    bump(catalogue.RULES_GENERATION)
    audit_as(actor, action="catalogue_revise", target=f"catalogue:{revised.version}", detail={"codes": sorted(changes)})
    return revised


@transaction.atomic
def deadline_policy_create(
    *, actor: Membership, code: str, name: str, unit: str, amount: int, max_extension_days: int = 0, source: str = ""
) -> DeadlinePolicy:
    """A new deadline rule (rules are never edited in place; a catalogue revision adopts it)."""
    require_permission(actor, "catalogue.manage")
    errors = {}
    if DeadlinePolicy.objects.filter(code=code).exists() or not code:
        errors["code"] = ["代码为空或已存在。"]
    if unit not in DeadlinePolicy.Measure.values:
        errors["unit"] = ["计算单位不正确。"]
    if not isinstance(amount, int) or amount < 1:
        errors["amount"] = ["时长须为正整数。"]
    if errors:
        raise Invalid("期限规则有误。", errors=errors)
    policy = DeadlinePolicy.objects.create(
        code=code, name=name, unit=unit, amount=amount, max_extension_days=max_extension_days, source=source
    )
    bump(catalogue.RULES_GENERATION)
    audit_as(actor, action="deadline_policy_create", target=f"policy:{code}")
    return policy


@transaction.atomic
def risk_rule_create(
    *,
    actor: Membership,
    name: str,
    risk: str,
    pattern: str = "",
    kinds: Sequence[str] = (),
    min_group_size: int | None = None,
    min_repeat: int | None = None,
) -> RiskRule:
    """A new risk rule, applied to every later intake."""
    require_permission(actor, "catalogue.manage")
    errors = {}
    try:
        re.compile(pattern)
    except re.error:
        errors["pattern"] = ["正则表达式不正确。"]
    if risk not in Risk.values:
        errors["risk"] = ["风险等级不正确。"]
    if any(k not in Kind.values for k in kinds):
        errors["kinds"] = ["种类不正确。"]
    if not (pattern or min_group_size or min_repeat):
        errors["pattern"] = ["至少须有关键词、人数或重复信访次数中的一项条件。"]
    if errors:
        raise Invalid("风险规则有误。", errors=errors)
    rule = RiskRule.objects.create(
        name=clean_text(name, "name", "名称"),
        risk=risk,
        pattern=pattern,
        kinds=list(kinds),
        min_group_size=min_group_size,
        min_repeat=min_repeat,
        order=RiskRule.objects.count(),
    )
    bump(catalogue.RULES_GENERATION)
    audit_as(actor, action="risk_rule_create", target=f"risk_rule:{rule.pk}")
    return rule


@transaction.atomic
def handling_tier_update(
    *,
    actor: Membership,
    risk: str,
    lead: str,
    supports: Sequence[str],
    reason: str,
    joint_plan_required: bool,
    meeting_slot_required: bool,
    report_required: bool,
    report_to: str = "",
    report_policy: str = "",
) -> HandlingTier:
    """修改分级处置规则 (洞井): the units a risk colour's cases are suggested to (catalogue unit
    references; a blank lead keeps the catalogue row's) and what it owes — a joint plan, a
    joint-meeting slot, a report upward to `report_to` due by the policy `report_policy`."""
    require_permission(actor, "catalogue.manage")
    tier = HandlingTier.objects.filter(risk=risk).first()
    if tier is None:
        raise Invalid("风险等级不正确。", errors={"risk": ["风险等级不正确。"]})
    errors: dict[str, list[str]] = {}
    if lead and not _check_unit_ref(lead):
        errors["lead"] = [f"没有“{lead}”这类单位。"]
    if any(not _check_unit_ref(ref) for ref in supports):
        errors["supports"] = ["协办单位类型不正确。"]
    reason = clean_text(reason, "reason", "处置路径说明", limit=200, errors=errors)
    policy = DeadlinePolicy.objects.filter(code=report_policy).first() if report_policy else None
    if report_required and (policy is None or not report_to.strip()):
        errors["report_policy"] = ["须向上报告时，请填写报告对象和报告期限。"]
    if errors:
        raise Invalid("分级处置规则有误。", errors=errors)
    HandlingTier.objects.filter(pk=tier.pk).update(
        lead=lead,
        supports=list(supports),
        reason=reason,
        joint_plan_required=joint_plan_required,
        meeting_slot_required=meeting_slot_required,
        report_required=report_required,
        report_to=report_to.strip() if report_required else "",
        report_policy=policy if report_required else None,
    )
    bump(catalogue.RULES_GENERATION)
    audit_as(actor, action="handling_tier_update", target=f"tier:{risk}")
    tier.refresh_from_db()
    return tier
