"""Public legal services for the demo town (DESIGN §9): a legal adviser for every village and
community (一村一法律顾问; 才湾村's is the `adviser` account), a legal-aid file for every legal-aid
case the cases demo made (decided and assigned on plausible dates), and the seed story — 蒋秀兰,
who asked about divorce and domestic violence at the judicial office, applies for legal aid as a
victim of domestic violence (art. 32 (四), no means test), is granted aid with its 决定书, and a
lawyer is assigned."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.documents import document_rows
from yimen.cases.models import Case, CaseDocument, Kind
from yimen.core.demo_names import person_name
from yimen.geo.models import Region
from yimen.legal import papers, services
from yimen.legal.models import Adviser, Exemption, KeyGroup, LegalAidFile, OutreachEvent, OutreachOrder, TrainingSession
from yimen.org.models import Membership

TOWN = "450324106"
ADVISER_VILLAGE = "450324106200"  # 才湾村: the `adviser` account's village
STORY_TITLE = "蒋秀兰申请法律援助（家暴受害人离婚诉讼）"
FIRMS = ["广西桂全律师事务所", "广西湘源律师事务所", "全州县才湾法律服务所", "广西华全律师事务所"]
DUTY_DAYS = ["每周二上午", "每周四下午", "每月 5 日、20 日", "每月逢 10 日"]
LAWYERS = ["莫志远（广西桂全律师事务所）", "蒋丽华（广西湘源律师事务所）", "唐国斌（全州县法律援助中心）"]
DONE = (Case.State.CLOSED, Case.State.FOLLOWED_UP, Case.State.ARCHIVED)


def _seat(username: str) -> Membership | None:
    return Membership.objects.filter(user__username=username, is_active=True).select_related("unit", "user").first()


def _advisers(rng: random.Random, account: Membership | None) -> int:
    villages = Region.objects.filter(level=Region.Level.VILLAGE, path__contains=f"/{TOWN}/").order_by("code")
    made = 0
    for i, village in enumerate(villages):
        mine = account if village.code == ADVISER_VILLAGE else None
        name = (mine.user.name if mine and mine.user.name else "") or person_name(rng)
        adviser = Adviser.objects.create(
            name=name,
            kind=Adviser.Kind.LAWYER if i % 3 else Adviser.Kind.LEGAL_WORKER,
            firm=FIRMS[i % len(FIRMS)],
            duty=f"{DUTY_DAYS[i % len(DUTY_DAYS)]}在村委会坐班，其余时间经综治中心预约",
            member=mine,
        )
        adviser.villages.add(village)
        made += 1
    return made


def _history(case: Case, rng: random.Random) -> LegalAidFile:
    """A file as the judicial office kept it: checked the next day, decided within the 7 days,
    a lawyer within the 3; the closed cases' aid ended with the reply."""
    received = case.received_at
    aid = LegalAidFile(case=case, matter=case.title, decide_due=services.due(services.DECIDE_POLICY, received))
    if case.state in (Case.State.REGISTERED, Case.State.DECLINED, Case.State.MERGED, Case.State.REFERRED):
        aid.save()
        return aid
    aid.key_groups = [rng.choice(KeyGroup.values)]
    if KeyGroup.MIGRANT_WAGES in aid.key_groups:
        aid.exemption = Exemption.MIGRANT_WORKER
    else:
        aid.monthly_income, aid.assets, aid.income_standard = rng.randint(200, 440), rng.randint(0, 20000), 450
        aid.means_checked_at, aid.means_eligible = received + timedelta(days=1), True
    decided = received + timedelta(days=rng.randint(2, 6))
    if decided < timezone.now() and case.state != Case.State.ACCEPTED:
        aid.granted, aid.decided_at, aid.decision_reason = True, decided, "申请人符合法律援助条件。"
        aid.assign_due = services.due(services.ASSIGN_POLICY, decided)
        aid.lawyer, aid.assigned_at = rng.choice(LAWYERS), decided + timedelta(days=1)
        if case.state in DONE:
            aid.result, aid.closed_at = "援助事项已办结，受援人权益得到维护。", case.closed_at
    aid.save()
    return aid


def _story(judicial: Membership) -> str:
    """蒋秀兰's application: the DV exemption, the grant with its 决定书, the lawyer assigned."""
    case = Case.unscoped.filter(title=STORY_TITLE, kind=Kind.LEGAL_AID).first()
    if case is None:
        return ""
    decided = case.received_at + timedelta(days=2)
    assigned = decided + timedelta(days=1)
    reason = "申请人系家庭暴力受害人，为起诉离婚并主张损害赔偿申请法律援助，依法不受经济困难条件的限制。"
    LegalAidFile.objects.filter(case=case).delete()
    aid = LegalAidFile.objects.create(
        case=case,
        matter="离婚诉讼（家庭暴力受害人主张相关权益）",
        key_groups=[KeyGroup.WOMAN, KeyGroup.DV_VICTIM],
        exemption=Exemption.ABUSE_VICTIM,
        decide_due=services.due(services.DECIDE_POLICY, case.received_at),
        granted=True,
        decision_reason=reason,
        decided_at=decided,
        assign_due=services.due(services.ASSIGN_POLICY, decided),
        lawyer=LAWYERS[1],
        assigned_at=assigned,
    )
    CaseDocument.objects.filter(case=case, kind__in=[papers.GRANT_KIND, papers.REFUSAL_KIND]).delete()
    paper = papers.decision_paper(case=case, aid=aid, issuer=judicial.unit.name)
    CaseDocument.objects.bulk_create(document_rows(case, papers.GRANT_KIND, paper, issued_at=decided, by=judicial.user))
    state = case.state
    timeline.record(
        case,
        "legal_aid_decision",
        actor=judicial,
        from_state=state,
        to_state=state,
        at=decided,
        note=f"给予法律援助：{reason}",
        data={"granted": True, "exemption": Exemption.ABUSE_VICTIM, "late": False},
    )
    timeline.record(
        case, "legal_aid_assign", actor=judicial, from_state=state, to_state=state, at=assigned, note=aid.lawyer
    )
    return case.code


def _outreach(judicial: Membership, gridchief: Membership | None) -> int:
    """Last month's 送法 talks with their attendance, and 才湾村's open order (点餐)."""
    now = timezone.now()
    talks = [
        ("防范电信网络诈骗与养老诈骗", "才湾村文化室", now - timedelta(days=26), ["韦志坚", "才湾派出所民警"], 58),
        ("农村土地承包经营权与宅基地权益", "小塘村委会", now - timedelta(days=12), ["司法所所长"], 41),
    ]
    for (topic, place, at, speakers, count), code in zip(talks, [ADVISER_VILLAGE, "450324106201"], strict=True):
        OutreachEvent.objects.create(
            topic=topic,
            place=place,
            at=at,
            speakers=speakers,
            village=Region.objects.filter(code=code).first(),
            recorded_by=judicial,
            attendance=count,
            feedback="群众反映案例贴近生活，希望多来。",
            rating=Decimal("4.6"),
        )
    if gridchief is not None:
        village = Region.objects.filter(code=ADVISER_VILLAGE).first()
        if village is not None:
            OutreachOrder.objects.create(
                village=village,
                topic="农民工工资支付与工伤维权",
                wanted_by=timezone.localdate() + timedelta(days=20),
                ordered_by=gridchief,
                schedule_due=now + timedelta(days=services.SCHEDULE_PROMISE_DAYS),
            )
    return len(talks)


def _training(judicial: Membership) -> int:
    """A cadre training and a case talk (典型案例宣讲) given by 才湾村's adviser, the talk on two
    closed disputes the judicial office can see; the service stores them anonymised."""
    adviser = Adviser.objects.filter(villages__code=ADVISER_VILLAGE).first()
    if adviser is None:
        return 0
    cadres = Membership.objects.filter(
        is_active=True, unit__region__code__in=[ADVISER_VILLAGE, "450324106201"]
    ).values_list("pk", flat=True)[:6]
    closed = Case.objects.visible_to(judicial).filter(
        kind__in=[Kind.DISPUTE, Kind.LEGAL_SERVICE], state__in=Case.DONE, region_path__contains=f"/{TOWN}/"
    )
    codes = list(closed.order_by("-received_at").values_list("code", flat=True)[:2])
    afternoon = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    talks = [
        (TrainingSession.Kind.TRAINING, "村干部依法办事：村务公开与集体资金管理", afternoon - timedelta(days=40), []),
        (TrainingSession.Kind.CASE_TALK, "以案释法：本镇近期办结的典型案例", afternoon - timedelta(days=15), codes),
    ]
    made = 0
    for kind, topic, at, cases in talks:
        if kind == TrainingSession.Kind.CASE_TALK and not cases:
            continue
        services.training_session_record(
            actor=judicial,
            kind=kind,
            topic=topic,
            held_at=at,
            place="才湾村文化室",
            speaker=adviser.pk,
            villages=[ADVISER_VILLAGE, "450324106201"],
            attendance=max(len(cadres), 1) + 18,
            attendees=list(cadres),
            cases=cases,
        )
        made += 1
    return made


def build_demo() -> str:
    """Advisers, legal-aid files and the seed story (idempotent)."""
    if Adviser.objects.filter(villages__path__contains=f"/{TOWN}/").exists():
        return "公共法律服务：已有村法律顾问，跳过。"
    judicial = _seat("judicial")
    if judicial is None:
        return "公共法律服务：缺少演示账号（judicial），跳过。"
    rng = random.Random(18)
    with transaction.atomic():
        advisers = _advisers(rng, _seat("adviser"))
        cases = Case.unscoped.filter(kind=Kind.LEGAL_AID, region_path__contains=f"/{TOWN}/", legal_aid__isnull=True)
        files = [_history(case, rng) for case in cases.order_by("received_at", "id")]
        story = _story(judicial)
        talks = _outreach(judicial, _seat("gridchief"))
        trainings = _training(judicial)
    told = f"，蒋秀兰家暴受害人法律援助已决定并指派律师（{story}）" if story else ""
    done = f"法律援助档案 {len(files)} 件，送法活动 {talks} 场，干部培训与案例宣讲 {trainings} 场"
    return f"公共法律服务：村法律顾问 {advisers} 名，{done}{told}。"
