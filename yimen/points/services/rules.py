"""The 《积分制管理细则》 as versioned data: the town publishes a default set, a village adopts
it (and may adjust it by publishing its own next version)."""

from django.db import transaction
from django.db.models import Max

from yimen.core.errors import Invalid
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.points.models import Category, Rule, RuleSet
from yimen.points.services._base import log


@transaction.atomic
def ruleset_publish(
    *, actor: Membership, region: Region, rules: list[tuple], appeal_days: int = 7, adopted_from: RuleSet | None = None
) -> RuleSet:
    """Publish the next version of a region's 细则 (issue 16 part 1). Earlier versions stay as
    they were: ledger entries copied their points, so a change never rewrites the past."""
    if region.level not in (Region.Level.TOWN, Region.Level.VILLAGE):
        raise Invalid("积分细则只能由镇或村发布。", errors={"region": ["须为镇或村。"]})
    codes = [row[0] for row in rules]
    if len(set(codes)) != len(codes) or any(row[1] not in Category.values for row in rules):
        raise Invalid("赋分事项代码重复或类别不正确。", errors={"rules": ["代码须唯一，类别须为五类之一。"]})
    last = RuleSet.objects.filter(region=region).aggregate(v=Max("version"))["v"] or 0
    ruleset = RuleSet.objects.create(
        region=region, version=last + 1, appeal_days=appeal_days, adopted_from=adopted_from
    )
    Rule.objects.bulk_create(
        Rule(ruleset=ruleset, code=c, category=cat, name=n, points=p, evidence_required=e, cap_per_month=cap)
        for c, cat, n, p, e, cap in rules
    )
    log(actor, "points.rules", f"region:{region.code}", version=ruleset.version, rules=len(rules))
    return ruleset


def ruleset_adopt(*, actor: Membership, village: Region, source: RuleSet) -> RuleSet:
    """A village adopts the town's default set as its own next version (issue 16 part 1)."""
    rows = [(r.code, r.category, r.name, r.points, r.evidence_required, r.cap_per_month) for r in source.rules.all()]
    return ruleset_publish(actor=actor, region=village, rules=rows, appeal_days=source.appeal_days, adopted_from=source)
