"""每月一题's demo: the demo town's topics of the last six months, and the largest topic of three
months ago taken up as a governance project by the leader (so its page shows the months after)."""

from yimen.insight.topics import services
from yimen.insight.topics.models import Topic
from yimen.insight.topics.selectors import add_months, month_parse
from yimen.org.models import Membership, Unit

MONTHS = 6


def build_demo(leader: Membership) -> str:
    """Idempotent: topics_build replaces a month's topics and keeps the one with a project."""
    town, last = leader.jurisdiction, month_parse(None)
    made = sum(len(services.topics_build(region=town, month=add_months(last, -n))) for n in range(MONTHS))
    chosen = Topic.objects.filter(region=town, month=add_months(last, -2)).order_by("-size", "id").first()
    owner = Unit.objects.filter(code=f"{town.code}-judicial").first() or leader.unit
    if chosen is not None and not Topic.objects.filter(region=town, project__isnull=False).exists():
        services.governance_project_create(
            actor=leader,
            topic=chosen,
            owner=owner.code,
            goal=f"三个月内把“{chosen.label}”一类案件减少一半，能在村里解决的不出村",
            milestones=(
                f"{add_months(chosen.month, 1):%Y-%m}-10 逐户排查，建立问题清单\n"
                f"{add_months(chosen.month, 2):%Y-%m}-15 召开村民议事会，议定解决办法\n"
                f"{add_months(chosen.month, 3):%Y-%m}-28 回访评估，复盘是否下降"
            ),
            prevents=f"{chosen.label}一类的来访、来电和网格上报",
        )
    projects = Topic.objects.filter(region=town, project__isnull=False).count()
    return f"每月一题：近 {MONTHS} 个月生成题目 {made} 个，立项治理 {projects} 个。"
