"""Petition records for the demo year (DESIGN §9): every petition case the cases demo made gets
its PetitionRecord (form, group visit, level, written notices and opinions on plausible dates);
the 复查/复核 requests of the catalogue are linked to the petitions they review; a few
petitioners come back on the same matter through the intake itself (repeat petitions linked by
the rule); and the seed story — the group petition over land compensation — is handled,
answered with a handling opinion, and its 复查 requested and answered."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from yimen.cases import services as case_services
from yimen.cases import timeline
from yimen.cases.models import Assignment, Case, Kind
from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import DomainError
from yimen.org.models import Membership
from yimen.petitions import papers, services
from yimen.petitions.models import PetitionRecord
from yimen.petitions.rules import FORM_OF_CHANNEL, MAX_REPRESENTATIVES

TOWN = "450324106"
STORY_TITLE = "小塘村23户村民集体反映征地补偿款未足额到位"
JOINT_PLAN = "信访办牵头，镇自然资源所复核补偿标准，村委会做好群众工作，一案一方案。"
DONE = (Case.State.CLOSED, Case.State.FOLLOWED_UP, Case.State.ARCHIVED)
Level = PetitionRecord.Level


def _seat(username: str) -> Membership | None:
    return Membership.objects.filter(user__username=username, is_active=True).select_related("unit", "user").first()


def _records(cases: list[Case]) -> int:
    """One record per petition: notices a day after acceptance, opinions on closing; the
    catalogue's 复查/复核 requests linked to the latest earlier petition answered in time."""
    answered: dict[str, list[Case]] = {Level.ORIGINAL: [], Level.REVIEW: []}
    made = 0
    for case in sorted(cases, key=lambda c: (c.received_at, c.pk)):
        code = case.category.code if case.category else ""
        level = {"petition.review": Level.REVIEW, "petition.rereview": Level.REREVIEW}.get(code, Level.ORIGINAL)
        reviewed = None
        if level != Level.ORIGINAL:
            below = Level.ORIGINAL if level == Level.REVIEW else Level.REVIEW
            reviewed = next((c for c in reversed(answered[below]) if c.received_at < case.received_at), None)
            if reviewed is None:
                level = Level.ORIGINAL
            else:
                answered[below].remove(reviewed)
                PetitionRecord.objects.filter(case=reviewed).update(
                    opinion_issued_at=case.received_at - timedelta(days=6)
                )
        opinion_at = case.closed_at if case.state in DONE and level != Level.REREVIEW else None
        PetitionRecord.objects.create(
            case=case,
            form=FORM_OF_CHANNEL.get(case.channel, PetitionRecord.Form.VISIT),
            is_group=case.group_size >= MAX_REPRESENTATIVES,
            level=level,
            review_of=reviewed,
            notice_issued_at=case.accepted_at + timedelta(days=1) if case.accepted_at else None,
            notice_accepted=True if case.accepted_at else None,
            opinion_issued_at=opinion_at,
        )
        if opinion_at and level in answered:
            answered[level].append(case)
        made += 1
    return made


def _repeats(cases: list[Case], petition: Membership) -> int:
    """A few petitioners come back on the same matter: registered through the intake, whose
    rule links them (repeat_of)."""
    now = timezone.now()
    earlier = [
        c
        for c in cases
        if now - timedelta(days=300) < c.received_at < now - timedelta(days=20)
        and c.parties.filter(role="applicant").exclude(phone_index="").exists()
    ][:4]
    made = 0
    for i, case in enumerate(earlier):
        applicant = case.parties.filter(role="applicant").exclude(phone_index="").first()
        parties = [{"name": applicant.name, "role": "applicant", "phone": sm4_decrypt(applicant.phone_cipher)}]
        try:
            case_services.case_register(
                actor=petition,
                kind=Kind.PETITION,
                title=f"再次反映：{case.title}"[:200],
                channel="visit",
                region=case.region.code,
                category=case.category.code if case.category else None,
                received_at=now - timedelta(days=2 + i),
                parties=parties,
                description="信访人称前次反映的问题至今未解决，再次来访。",
            )
        except DomainError:  # the matter was answered on 复核: not accepted again
            continue
        made += 1
    return made


def _story(petition: Membership, dispatcher: Membership) -> str:
    """The group petition over land compensation: replied and closed a fortnight ago with a
    handling opinion; the representatives asked for 复查 within 30 days; answered today."""
    case = Case.unscoped.filter(title=STORY_TITLE, kind=Kind.PETITION).first()
    if case is None or case.state != Case.State.IN_PROGRESS:
        return ""
    record = PetitionRecord.objects.get(case=case)
    now = timezone.now()
    replied, closed = now - timedelta(days=15), now - timedelta(days=14)
    reply = "经会同县自然资源局核对补偿台账，施工方已补足青苗及地上附着物补偿款 38.6 万元，村委会张榜公示分配方案。"
    timeline.record(
        case,
        "reply",
        actor=petition,
        from_state="in_progress",
        to_state="replied",
        note=reply,
        at=replied,
        data={"unit": petition.unit.code, "role": "lead"},
    )
    Assignment.objects.filter(case=case, state__in=Assignment.ACTIVE).update(
        state=Assignment.State.REPLIED, replied_at=replied, reply=reply
    )
    timeline.record(
        case, "review", actor=dispatcher, from_state="replied", to_state="closed", at=closed, data={"approved": True}
    )
    Case.unscoped.filter(pk=case.pk).update(
        state=Case.State.CLOSED, replied_at=replied, closed_at=closed, updated_at=closed, version=case.version + 2
    )
    case.refresh_from_db()
    notice_at = case.accepted_at + timedelta(days=1)
    PetitionRecord.objects.filter(pk=record.pk).update(
        notice_issued_at=notice_at, notice_accepted=True, opinion_issued_at=closed, opinion_text=reply
    )
    record.refresh_from_db()
    notice = papers.Notice(accepted=True, reason="", handling_unit=petition.unit.name)
    case_services.case_document_issue(
        case=case,
        kind="acceptance_notice",
        paper=papers.acceptance_notice(case, record, notice, at=notice_at),
        actor=petition,
    )
    timeline.record(
        case,
        "petition_notice",
        actor=petition,
        from_state="accepted",
        to_state="accepted",
        at=notice_at,
        note="受理告知书",
        data={"accepted": True},
    )
    opinion = papers.Opinion(
        facts="县道改扩建工程征用小塘村集体土地 42 亩，应付青苗及地上附着物补偿款 126.4 万元，已付 87.8 万元。",
        basis="《中华人民共和国土地管理法》第四十八条；广西壮族自治区征地补偿标准。",
        opinion=reply,
        next_body=papers.county_government(case),
    )
    paper = papers.opinion_paper(case, record, opinion, issuer=petition.unit.name, at=closed)
    case_services.case_document_issue(case=case, kind="handling_opinion", paper=paper, actor=petition)
    _extension_notice(case, record, petition)
    timeline.record(
        case,
        "petition_opinion",
        actor=petition,
        from_state="closed",
        to_state="closed",
        at=closed,
        note=reply,
        data={"kind": "handling_opinion"},
    )
    representatives = [
        {"name": p.name, "role": "representative", "person_id": p.person_id}
        for p in case.parties.filter(role="representative")
    ]
    review = case_services.case_register(
        actor=petition,
        kind=Kind.PETITION,
        title="小塘村村民代表对征地补偿处理意见申请复查",
        channel="letter",
        region=case.region.code,
        received_at=now - timedelta(days=6),
        review_of=case.code,
        group_size=23,
        description="代表认为地上附着物补偿标准偏低，请求复查。",
        parties=representatives,
    ).case
    review = case_services.case_accept(case=review, actor=dispatcher, version=review.version)
    services.petition_notice_issue(case=review, actor=petition, version=review.petition.version)
    # 23 households: red by the group-size rule, so it goes out with its joint handling plan.
    review = case_services.case_dispatch(
        case=review, actor=dispatcher, version=review.version, lead_unit=petition.unit.code, plan=JOINT_PLAN
    )
    review = case_services.case_sign(case=review, actor=petition, version=review.version)
    review = case_services.case_reply(
        case=review, actor=petition, version=review.version, text="复查认为原处理意见认定事实清楚，补偿标准符合规定。"
    )
    services.petition_review_answer(
        case=review,
        actor=petition,
        version=PetitionRecord.objects.get(case=review).version,
        facts="复查核实：地上附着物按自治区 2024 年标准计算，与县自然资源局台账一致。",
        basis="信访工作条例第三十五条；广西壮族自治区征地补偿标准。",
        opinion="维持原处理意见。",
    )
    return review.code


def _extension_notice(case: Case, record: PetitionRecord, petition: Membership) -> None:
    """The story's extension (by the cases demo) told to the representatives the next day."""
    extension = case.events.filter(action="extend").order_by("-at").first()
    if extension is None:
        return
    at = extension.at + timedelta(days=1)
    PetitionRecord.objects.filter(pk=record.pk).update(extension_notified_at=at)
    days = extension.data.get("days", case.extension_days)
    paper = papers.extension_notice(case, record, days=days, reason=extension.note, at=at)
    case_services.case_document_issue(case=case, kind="extension_notice", paper=paper, actor=petition)
    timeline.record(
        case,
        "extension_notice",
        actor=petition,
        from_state="in_progress",
        to_state="in_progress",
        at=at,
        note=extension.note,
        data={"days": days},
    )


def build_demo() -> str:
    """Petition records for the demo town's petitions, repeats and the seed story (idempotent)."""
    town_cases = Case.unscoped.filter(kind=Kind.PETITION, region_path__contains=f"/{TOWN}/")
    if PetitionRecord.objects.filter(case__in=town_cases).exists():
        return "信访：已有信访记录，跳过。"
    petition, dispatcher = _seat("petition"), _seat("dispatcher")
    if None in (petition, dispatcher):
        return "信访：缺少演示账号（petition、dispatcher），跳过。"
    with transaction.atomic():
        cases = list(town_cases.select_related("category", "region").order_by("received_at", "id"))
        made = _records(cases)
        review = _story(petition, dispatcher)
        repeats = _repeats([c for c in cases if c.title != STORY_TITLE], petition)
    counts = PetitionRecord.objects.filter(case__in=town_cases).aggregate(
        chains=Count("pk", filter=~Q(level=Level.ORIGINAL)), repeats=Count("pk", filter=Q(repeat_of__isnull=False))
    )
    story = f"，征地补偿集体访已答复并复查（{review}）" if review else ""
    return (
        f"信访：{made + repeats + bool(review)} 件信访记录（复查/复核 {counts['chains']} 件，"
        f"重复信访 {counts['repeats']} 件）{story}。"
    )
