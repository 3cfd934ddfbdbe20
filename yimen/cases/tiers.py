"""分级处置 (洞井): the risk colour chooses the handling path, as data (HandlingTier rows, seeded
here and edited in the admin). Blue and yellow go to the village committee with the community
police on the spot first (小事不出村); orange to the police station with the village as support;
red keeps the catalogue's units but owes a joint handling plan, a slot on the next joint meeting
and a report to the county, due by the tier's deadline policy.

`suggestion` is what the dispatch form starts from — the tier's units over the catalogue row's,
with the reason shown — and only suggests: the dispatcher chooses. `open_upward_report` is
called by the steps that make a case red (intake, raise_risk), in their transaction."""

from dataclasses import dataclass, field
from datetime import datetime

from yimen.cases import catalogue
from yimen.cases.catalogue_data import POLICE, VILLAGE
from yimen.cases.deadlines import policy_deadline
from yimen.cases.models import Case, DeadlinePolicy, HandlingTier, UpwardReport
from yimen.core.generations import bump
from yimen.org.models import Unit

COUNTY_CENTRE = "全州县综治中心"
REPORT_POLICY = ("report.red", "红色风险报县综治中心 24 小时", "hours", 24, 0, "洞井分级处置：红色风险上报县级")
# (risk, lead, supports, reason, joint plan, meeting slot, upward report)
TIERS = [
    ("blue", VILLAGE, [POLICE], "蓝色风险：村委会就地化解，社区民警协助", False, False, False),
    ("yellow", VILLAGE, [POLICE], "黄色风险：村委会主办，社区民警先期处置", False, False, False),
    ("orange", POLICE, [VILLAGE], "橙色风险：派出所主办，村委会协办", False, False, False),
    ("red", "", [POLICE, VILLAGE], "红色风险：联合处置，须制定处置方案、上联席会议并报县综治中心", True, True, True),
]


def seed(*, policy_model, tier_model) -> int:
    """Load the default tiers and the upward-report policy when absent (idempotent); takes the
    model classes so the data migration can pass its historical models."""
    code, name, unit, amount, max_ext, source = REPORT_POLICY
    policy, _ = policy_model.objects.get_or_create(
        code=code,
        defaults={"name": name, "unit": unit, "amount": amount, "max_extension_days": max_ext, "source": source},
    )
    made = 0
    for risk, lead, supports, reason, plan, slot, report in TIERS:
        _, created = tier_model.objects.get_or_create(
            risk=risk,
            defaults={
                "lead": lead,
                "supports": supports,
                "reason": reason,
                "joint_plan_required": plan,
                "meeting_slot_required": slot,
                "report_required": report,
                "report_to": COUNTY_CENTRE if report else "",
                "report_policy": policy if report else None,
            },
        )
        made += created
    return made


def tier_for(risk: str) -> HandlingTier | None:
    """The risk's tier (seeding the defaults on a flushed database, as catalogue_current does)."""
    tier = catalogue.intake_rules().tiers.get(risk)
    if tier is None and not HandlingTier.objects.exists():
        seed(policy_model=DeadlinePolicy, tier_model=HandlingTier)
        bump(catalogue.RULES_GENERATION)
        tier = catalogue.intake_rules().tiers.get(risk)
    return tier


def plan_required(risk: str) -> bool:
    """Whether the risk's tier needs a joint handling plan (一案一方案) before dispatch."""
    tier = tier_for(risk)
    return tier is not None and tier.joint_plan_required


@dataclass
class Suggestion:
    lead: Unit | None = None
    supports: list[Unit] = field(default_factory=list)
    reason: str = ""


def suggestion(*, case: Case) -> Suggestion:
    """The units the dispatch form suggests: the catalogue row's (the case's category, else its
    kind's default row), with the risk tier's lead and supports over them where the tier names
    them and a unit of that kind covers the case's place. The reason says where each came from —
    the catalogue row by name, then the tier — so a ticked box never looks like a decision
    already taken (issue 21 item 13)."""
    row = case.category or catalogue.catalogue_rows(kind=case.kind).filter(is_default=True).first()
    lead, supports = catalogue.suggest_units(row, region_path=case.region_path) if row else (None, [])
    named = row is not None and bool(lead or supports)
    tier = tier_for(case.risk)
    if tier is None:
        return Suggestion(lead, supports, f"依据派单目录“{row.name}”建议（仅供参考，请核对后选择）" if named else "")
    tier_lead = catalogue.units_for(tier.lead, region_path=case.region_path).first() if tier.lead else None
    lead = tier_lead or lead
    for ref in tier.supports:
        unit = catalogue.units_for(ref, region_path=case.region_path).first()
        if unit is not None and unit not in supports:
            supports.append(unit)
    reason = f"{tier.reason}；其余依据派单目录“{row.name}”" if named else tier.reason
    return Suggestion(lead, [u for u in supports if u != lead], reason)


def open_upward_report(case: Case, *, now: datetime) -> UpwardReport | None:
    """The upward report a case owes now that it is red, when its tier requires one: due by the
    tier's policy from `now`; at most one per case (a red case stays red)."""
    tier = tier_for(case.risk)
    if tier is None or not tier.report_required or UpwardReport.objects.filter(case=case).exists():
        return None
    due = policy_deadline(tier.report_policy, now)
    return UpwardReport.objects.create(case=case, to=tier.report_to, due_at=due, created_at=now)
