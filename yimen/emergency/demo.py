"""The demo's emergency command and 快警站 (DESIGN §9, 才湾镇): the station's call list, last
summer's flood response stood down with its report, the week's duty roster, a missing villager
being searched for now (commanded by the shift on duty),
and a few lost-and-found entries at 才湾圩."""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yimen.emergency import selectors, services
from yimen.emergency.models import CallListEntry, Incident
from yimen.org.models import Membership

TOWN = "450324106"
CALL_LIST = ["唐志强", "蒋春花", "王德贵", "唐秀英", "刘建军", "蒋小燕", "邓国平", "唐桂芳", "李永福", "黄美玲"]
# 应急资源 of the town: the 308-person joint-defence and patrol force (DESIGN §9), the emergency
# team, vehicles and flood supplies, with where they stand.
RESOURCES = [
    ("team", "才湾镇联防巡逻队", 308, "镇综治中心"),
    ("team", "才湾镇应急工作队", 40, "镇应急管理办公室"),
    ("vehicle", "应急指挥车", 1, "镇政府车库"),
    ("vehicle", "皮卡运输车", 2, "镇政府车库"),
    ("supply", "冲锋舟", 2, "才湾河码头仓库"),
    ("supply", "救生衣", 120, "才湾河码头仓库"),
]
LOST = [
    ("lost", "黑色皮钱包，内有身份证和银行卡", "才湾圩农贸市场"),
    ("found", "黑色钱包一个，有身份证", "才湾圩公交站"),
    ("found", "蓝色折叠雨伞", "才湾镇卫生院门口"),
    ("lost", "老人手机（红色按键机）", "才湾圩"),
]


def build_demo() -> str:
    if CallListEntry.objects.exists():
        return "应急指挥与快警站：已有，未重建。"
    started = time.monotonic()
    duty = Membership.objects.select_related("unit", "jurisdiction").get(user__username="emergency")
    station = Membership.objects.select_related("unit", "jurisdiction").get(user__username="kuaijing")
    now = timezone.now()
    with transaction.atomic():
        for n, name in enumerate(CALL_LIST):
            services.call_list_add(actor=station, name=name, phone=f"1397736{n:04d}")
        team, *_ = [
            services.resource_register(actor=duty, kind=kind, name=name, quantity=quantity, place=place)
            for kind, name, quantity, place in RESOURCES
        ]
        flood = services.incident_declare(
            actor=duty, title="才湾河汛期洪水转移群众", kind="flood", level=3, region=TOWN, units=[station.unit.code]
        )
        services.incident_task_create(
            actor=duty, incident=flood, unit=station.unit.code, title="沿河低洼户转移并设卡", due_at=now
        )
        task = flood.tasks.get()
        services.incident_task_done(actor=station, task=task, note="转移 46 户 132 人，无人员伤亡")
        services.incident_report(actor=station, incident=flood, text="河水已回落至警戒线以下。")
        services.incident_stand_down(
            actor=duty, incident=flood, summary="预警及时、转移有序，无人员伤亡；下一步修复河堤缺口。"
        )
        # 值班表 for the week: the leader by day, the 政法委员 by night, with the duty officer and
        # the dispatcher; the live search below takes its commander from it.
        seats = {
            m.user.username: m
            for m in Membership.objects.filter(user__username__in=["leader", "zhengfa", "dispatcher"], is_active=True)
        }
        if len(seats) == 3:
            today, _ = selectors.shift_at(now)  # in the small hours, yesterday's night is on duty
            for n in range(7):
                for shift, head in (("day", "leader"), ("night", "zhengfa")):
                    if services.shift_ends(today + timedelta(days=n), shift) <= now:
                        continue  # this evening the day shift is over: a record, not to set
                    services.duty_shift_set(
                        actor=duty,
                        on=today + timedelta(days=n),
                        shift=shift,
                        commander=seats[head].pk,
                        members=[duty.pk, seats["dispatcher"].pk],
                    )
        person = services.missing_person_report(
            actor=station,
            name="唐阿婆",
            description="78岁，灰色上衣，拄拐杖",
            last_seen_at=now - timedelta(hours=2),
            place="才湾村口",
        )
        missing = services.incident_declare(
            actor=duty,
            title=f"寻找走失老人{person.name}",
            kind="missing",
            level=4,
            region=TOWN,
            units=[station.unit.code],
        )
        services.incident_task_create(
            actor=duty,
            incident=missing,
            unit=station.unit.code,
            title="调取圩上监控、沿河搜寻",
            due_at=now + timedelta(hours=1),
        )
        services.incident_resource_allocate(actor=duty, incident=missing, resource=team)
        for kind in ("directions", "directions", "first_aid", "dispute"):
            services.tourist_help_record(actor=station, kind=kind)
        for kind, description, place in LOST:
            services.lost_item_record(
                actor=station, kind=kind, description=description, place=place, at=now - timedelta(days=1)
            )
    active = Incident.objects.filter(state=Incident.State.ACTIVE).count()
    seconds = time.monotonic() - started
    return (
        f"应急指挥与快警站：事件 2 起（响应中 {active} 起），应急资源 {len(RESOURCES)} 项，"
        f"通知名单 {len(CALL_LIST)} 人，失物招领 {len(LOST)} 件，用时 {seconds:.1f} 秒。"
    )
