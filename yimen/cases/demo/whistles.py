"""The demo's 吹哨报到 (issue 14 part 5): the uncle–nephew boundary fight flares up again at the
boundary stones; the 政法委员 summons 派出所, 司法所 and 才湾村委会 to the spot. The police came in
time, the judicial office late, the village committee has not reported yet (a 催办 notice);
both arrivals are rated and the whistle stays open ("事不完人不撤").

Every step goes through the services; the clock is then set back so the story reads as it
happened about an hour ago (the services stamp "now")."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import services
from yimen.cases.models import Assignment, Case, TimelineEvent, Whistle, WhistleCall
from yimen.org.models import Membership

TITLE = "唐德明与侄子唐志强界桩纠纷再起冲突"
VILLAGE = "450324106200"  # 才湾村
PLACE = "才湾村唐家冲责任田界桩处"


def _seat(username: str) -> Membership:
    return Membership.objects.select_related("unit", "user", "jurisdiction").get(
        user__username=username, is_active=True
    )


def _flare_up(clerk: Membership, dispatcher: Membership) -> Case:
    registered = services.case_register(
        actor=clerk,
        kind="dispute",
        title=TITLE,
        description="调解后新埋的界桩被人拔起，唐德明与唐志强两家在田边对骂，双方亲属聚集十余人，"
        "有人拿锄头，随时可能再次斗殴。村民来电求助。",
        channel="phone",
        region=VILLAGE,
        category="dispute.land.boundary",
        risk="orange",
        parties=[{"name": "唐德明", "role": "applicant"}, {"name": "唐志强", "role": "respondent"}],
    )
    case = services.case_accept(case=registered.case, actor=clerk, version=registered.case.version)
    town = clerk.unit.code.removesuffix("-centre")
    return services.case_dispatch(
        case=case,
        actor=dispatcher,
        version=case.version,
        lead_unit=f"{town}-judicial",
        support_units=[f"{town}-police", f"{VILLAGE}-village"],
        note="叔侄纠纷反复，司法所牵头，派出所、村委会协办。",
    )


def _earlier(case: Case, minutes: int) -> None:
    """The call came in and went out before the flare-up's whistle: set the case's own steps so
    far `minutes` back, so its history reads register → dispatch → 吹哨 in that order."""
    shift = timedelta(minutes=minutes)
    moments = ("received_at", "accepted_at", "dispatched_at", "created_at", "updated_at")
    Case.unscoped.filter(pk=case.pk).update(**{name: F(name) - shift for name in moments})
    Assignment.objects.filter(case=case).update(dispatched_at=F("dispatched_at") - shift)
    TimelineEvent.objects.filter(case=case).update(at=F("at") - shift)


def _back(whistle: Whistle, minutes: int) -> None:
    """Set the whistle's clock `minutes` back: its time, every unit's due and arrival, its events."""
    shift = timedelta(minutes=minutes)
    Whistle.objects.filter(pk=whistle.pk).update(summoned_at=F("summoned_at") - shift)
    WhistleCall.objects.filter(whistle=whistle).update(due_at=F("due_at") - shift)
    WhistleCall.objects.filter(whistle=whistle).exclude(arrived_at=None).update(arrived_at=F("arrived_at") - shift)
    TimelineEvent.objects.filter(case=whistle.case, data__whistle=whistle.pk).update(at=F("at") - shift)


@transaction.atomic
def build_demo_whistles() -> str:
    """Idempotent: one open whistle on the flare-up, built once."""
    if Whistle.objects.filter(case__title=TITLE).exists():
        return "吹哨报到：已有，未重建。"
    zhengfa, police, judicial = _seat("zhengfa"), _seat("police"), _seat("judicial")
    case = _flare_up(_seat("clerk"), _seat("dispatcher"))
    _earlier(case, 90)  # the whistle below is set 55 minutes back
    town = police.unit.code.removesuffix("-police")
    whistle = services.whistle_blow(
        case=case,
        actor=zhengfa,
        units=[f"{town}-police", f"{town}-judicial", f"{VILLAGE}-village"],
        place=PLACE,
        reason="叔侄两家再起冲突，亲属聚集，有斗殴苗头：派出所到场控制现场，司法所、村委会到场劝解调处。",
        arrive_within_minutes=30,
    )
    _back(whistle, 20)
    services.whistle_arrive(whistle=whistle, actor=police, location={"lat": 25.8612, "lng": 110.9874})  # in time
    _back(whistle, 25)
    services.whistle_arrive(whistle=whistle, actor=judicial, location={"lat": 25.8609, "lng": 110.9871})  # late
    _back(whistle, 10)  # now: summoned 55 minutes ago, due 25 minutes ago
    services.whistle_sweep(now=timezone.now())  # the village committee is still missing: 催办
    services.whistle_rate(whistle=whistle, actor=zhengfa, unit=f"{town}-police", rating=5)
    services.whistle_rate(whistle=whistle, actor=zhengfa, unit=f"{town}-judicial", rating=3)
    return f"吹哨报到：{case.code}「{TITLE}」，召集 3 个单位，2 个已报到（1 个迟到），1 个未到。"
