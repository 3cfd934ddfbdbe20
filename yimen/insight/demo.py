"""The command centre's demo: rollups built for the demo year, the last few half-monthly
joint meetings of 才湾镇 with their decisions and actions (some done, some overdue), a special
meeting (minuted) with an item for the police, a 会商 open on a red case and one on a key person,
and the next half-monthly meeting scheduled with a red case on its agenda and more to draw from."""

from datetime import timedelta

from django.db.models import Min
from django.utils import timezone

from yimen.cases.models import ACTIVE_STATES, Case, Risk
from yimen.core.calendar import SHANGHAI
from yimen.insight import selectors, services
from yimen.insight.kpis.period import half_month_of, previous_half_month
from yimen.insight.models import DailyRollup, JointMeeting
from yimen.insight.rollups import store
from yimen.insight.topics import demo as topics_demo
from yimen.org.models import Membership, Unit
from yimen.people.models import Person

TOWN_CODE = "450324106"
CAIWAN_VILLAGE_UNIT = "450324106200-village"  # 才湾村委会, the demo account `village`
ATTENDEES = (
    "才湾镇党委 分管政法副书记（主持）\n才湾镇综治中心 主任\n才湾派出所 所长\n才湾人民法庭 庭长\n"
    "才湾司法所 所长\n才湾镇信访办 主任\n才湾镇网格化服务管理中心 主任\n各村（社区）党组织书记"
)
DECISIONS = [
    "红色风险案件逐件落实一案一方案，包案领导每周听取进展",
    "超期事项由综治中心发督办单，三日内书面反馈",
    "汛期前完成地质灾害隐患点再排查",
    "矛盾纠纷多元化解：能在村里解决的不出村",
]
TASKS = [
    ("police", "对红色风险纠纷当事人开展稳控和回访"),
    ("judicial", "组织三调联动调解，力争签订调解协议"),
    ("petition", "重复信访件逐件复核并书面答复"),
    ("grid", "网格员对隐患点入户排查并上报照片"),
    ("court", "对已达成协议的纠纷指导申请司法确认"),
]


def _rollups() -> int:
    first = Case.unscoped.aggregate(first=Min("received_at"))["first"]
    if first is None:
        return 0
    today = timezone.localdate()
    return store.rebuild(first.astimezone(SHANGHAI).date(), today + timedelta(days=30))


def _meetings(leader: Membership) -> tuple[int, int]:
    town = leader.jurisdiction
    units = {u.code.removeprefix(f"{TOWN_CODE}-"): u for u in Unit.objects.filter(code__startswith=f"{TOWN_CODE}-")}
    red = list(
        Case.unscoped.filter(
            region_path__startswith=town.path, risk__in=(Risk.RED, Risk.ORANGE), state__in=ACTIVE_STATES
        )
        .order_by("-risk", "received_at")
        .values_list("code", flat=True)[:8]
    )
    periods, period = [], half_month_of(timezone.localdate())
    for _ in range(4):
        period = previous_half_month(period)
        periods.append(period)
    made = 0
    for round_, held in enumerate(reversed(periods)):  # the last four half-months, oldest first
        day = held.until - timedelta(days=1)
        half = "上" if day.day <= 15 else "下"
        meeting = services.meeting_create(
            actor=leader,
            region=town,
            held_on=day,
            title=f"{day:%Y年%m月}{half}半月联席会议",
            place="才湾镇综治中心会议室",
            attendees=ATTENDEES,
            decisions="\n".join(DECISIONS[: 2 + round_ % 3]),
        )
        for n, (suffix, task) in enumerate(TASKS[: 3 + round_ % 3]):
            owner = units.get(suffix)
            if owner is None:
                continue
            case = red[(round_ + n) % len(red)] if red and n < 2 else ""
            action = services.meeting_action_add(
                actor=leader,
                meeting=meeting,
                task=task,
                owner=owner.code,
                due_on=day + timedelta(days=7 + n * 3),
                case=case,
            )
            # Older meetings are mostly done; the latest leaves work open, some of it overdue.
            if round_ < 3 and (n + round_) % 3 != 2:
                services.meeting_action_update(
                    actor=leader,
                    action=action,
                    version=action.version,
                    status="done",
                    progress="已按期落实，书面反馈已存档。",
                )
        made += 1
    return made, _special_and_consultation(leader, units, red)


def _special_and_consultation(leader: Membership, units: dict, red: list[str]) -> int:
    """A special meeting called this morning with an item for the police (answered on the
    police's own page), and a 会商 on the first red case that lets the judicial office and the
    court read its file for the next three days (each read lands in the audit log)."""
    now = timezone.now()
    invited = [units[s].code for s in ("police", "judicial", "court") if s in units]
    if not invited:
        return 0
    special = services.meeting_schedule(
        actor=leader,
        held_at=now - timedelta(hours=2),
        kind="special",
        topic="敏感时期矛盾纠纷专题会商部署会",
        units=invited,
        place="才湾镇综治中心会议室",
    )
    if "police" in units:
        services.meeting_action_add(
            actor=leader,
            meeting=special,
            task="节前对重点纠纷当事人逐户回访，三日内书面报告",
            owner=units["police"].code,
            due_on=timezone.localdate() + timedelta(days=3),
        )
    services.meeting_minutes_record(
        actor=leader,
        meeting=special,
        version=special.version,
        attendees=ATTENDEES,
        decisions="节前重点纠纷逐户回访，派出所牵头\n敏感时期信息日报，零报告",
    )
    made = 1
    if red:
        services.meeting_schedule(
            actor=leader,
            held_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=2),
            kind="consultation",
            topic="红色风险纠纷联合会商",
            units=invited[1:] or invited,
            case=red[0],
        )
        made += 1
    return made + _key_person_and_next(leader, invited)


def _key_person_and_next(leader: Membership, invited: list[str]) -> int:
    """重点人员管控: a 会商 on a key person living outside 才湾村 whose dispute reaches it, so the
    police, the judicial office and 才湾村委会 (the `village` account, which reads its own village
    only) read the card for a day — the village's reads land in the audit log as the session's;
    and the next half-monthly meeting, three days on, with the longest-waiting red case on its
    agenda and the rest (and the summoned cases, last month's topics) proposed on its page."""
    made = 0
    village = Unit.objects.filter(code=CAIWAN_VILLAGE_UNIT, is_active=True).select_related("region").first()
    keys = Person.objects.visible_to(leader).filter(tags__sensitive=True).order_by("id")
    if village is not None:
        keys = keys.exclude(region__path__startswith=village.region.path)
    key = keys.first()
    if key is not None:
        services.meeting_schedule(
            actor=leader,
            held_at=timezone.now() - timedelta(minutes=30),
            ends_at=timezone.now() + timedelta(days=1),
            kind="consultation",
            topic="重点人员稳控会商",
            units=invited[:2] + ([village.code] if village else []),
            person=key.pk,
        )
        made += 1
    held_at = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=3)
    following = services.meeting_schedule(
        actor=leader, held_at=held_at, kind="regular", topic="半月联席会议", units=invited, place="才湾镇综治中心会议室"
    )
    waiting = selectors.awaiting_meeting(member=leader).first()
    if waiting is not None:
        services.meeting_agenda_add(actor=leader, case=waiting.code, note="久拖未决，包案领导汇报", meeting=following)
    return made + 1


def build_demo() -> str:
    """Idempotent: skipped once the demo town has joint meetings."""
    leader = Membership.objects.filter(user__username="leader", is_active=True).select_related("jurisdiction").first()
    if leader is None:
        return "指挥中心：未找到演示账号 leader，跳过。"
    if JointMeeting.objects.filter(region=leader.jurisdiction).exists() and DailyRollup.objects.exists():
        return "指挥中心：汇总表与联席会议（已有，未重建）。" + topics_demo.build_demo(leader)
    rows = _rollups()
    regular, other = (0, 0) if JointMeeting.objects.filter(region=leader.jurisdiction).exists() else _meetings(leader)
    return (
        f"指挥中心：案件汇总日表 {rows:,} 行；半月联席会议 {regular} 次（含督办事项，部分已落实、部分逾期），"
        f"专题会议与会商 {other} 次。" + topics_demo.build_demo(leader)
    )
