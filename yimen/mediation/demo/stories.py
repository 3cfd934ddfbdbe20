"""The two seed stories on the cases demo's story cases (found by title)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from yimen.cases.models import Case, TimelineEvent
from yimen.mediation import policies
from yimen.mediation.demo.common import CONSULT, UNCLE, _event, _issue
from yimen.mediation.models import Agreement, Consent, CourtConfirmation, Mediation, Session, TeamMember
from yimen.mediation.services._base import MEDIATING_ROLES, committee_of, level_of
from yimen.org.models import Membership

STORY_SESSIONS = [
    (
        2,
        "综治中心调解室",
        "continue",
        "双方情绪激动，分别做思想工作；民警通报打架行为的法律后果，法官释明相邻关系和侵权责任。约定实地踏勘。",
    ),
    (
        5,
        "才湾村争议地块现场",
        "agreement",
        "在才湾村组长及族中长辈见证下实地踏勘，对照1995年土地承包合同附图确认界址；唐志强当场道歉，双方达成协议。",
    ),
]


def _on(start: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    """Office hours `days` after `start` (sessions are held by day, whenever the case came in)."""
    day = timezone.localtime(start).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _story_case(title: str) -> Case | None:
    return Case.unscoped.filter(title=title).select_related("lead_unit", "lead_unit__region").first()


def _uncle_and_nephew(roster: dict) -> None:
    """Joint mediation at the centre (三调联动): the town committee's mediator presides, with a
    police officer (administrative), a judge (judicial) and a 群英 elder of 才湾村; both consent;
    two sessions; the agreement signed and issued; court confirmation applied for and granted."""
    case = _story_case(UNCLE)
    if case is None:
        return
    lead = case.assignments.filter(role="lead").exclude(signed_at=None).select_related("unit").first()
    actor = Membership.objects.filter(user__username="judicial").select_related("user", "unit").first()
    start = lead.signed_at
    elder = next((q for q in roster["qunying"] if case.region_path.startswith(q.region.path)), roster["qunying"][0])
    team = [roster["town"][0], roster["police"][0], roster["judge"][0], elder]
    mediation = Mediation.objects.create(
        case=case,
        unit=lead.unit,
        committee=committee_of(lead.unit),
        level="town",
        started_at=start,
        due=policies.due(policies.MONTH, start),
    )
    TeamMember.objects.bulk_create(
        TeamMember(mediation=mediation, mediator=m, role=TeamMember.DEFAULT_ROLE[m.kind], is_chief=i == 0)
        for i, m in enumerate(team)
    )
    parties = list(case.parties.filter(role__in=MEDIATING_ROLES).order_by("id"))
    events = [
        _event(
            case,
            "mediation_team",
            _on(start, 1, 11),
            lead.unit,
            "三调联动调解组：" + "、".join(m.name for m in team),
            actor,
        )
    ]
    for party in parties:
        Consent.objects.create(mediation=mediation, party=party, consented=True, manner="written", at=_on(start, 1, 10))
        events.append(
            _event(
                case,
                "mediation_consent",
                _on(start, 1, 10),
                lead.unit,
                f"{party.name}：同意调解（书面）",
                actor,
            )
        )
    for days, place, outcome, minutes in STORY_SESSIONS:
        session = Session.objects.create(
            mediation=mediation,
            held_at=_on(start, days, 9, 30),
            place=place,
            attendees=[p.name for p in parties] + ["才湾村村民小组长"],
            minutes=minutes,
            outcome=outcome,
            recorded_by=actor.user if actor else None,
        )
        session.mediators.set(team)
        events.append(
            _event(
                case,
                "mediation_session",
                session.held_at,
                lead.unit,
                f"{session.place}：{session.get_outcome_display()}",
                actor,
            )
        )
    signed = _on(start, 5, 11, 30)
    agreement = Agreement.objects.create(
        mediation=mediation,
        facts="唐德明与其侄唐志强的责任田与自留山相邻，因交界处界桩移位发生争执，双方扭打，唐德明轻微受伤，花去医药费800元。",
        dispute_points="一、两家责任田与自留山的界址；二、唐德明医药费的负担。",
        responsibilities="唐志强先动手致唐德明受伤，应承担赔偿责任并赔礼道歉；唐德明移动界桩前未与对方商量，亦有过错。",
        terms="一、双方按1995年土地承包合同附图确认界址，于协议签订后七日内在村委会见证下共同埋设水泥界桩；"
        "二、唐志强赔偿唐德明医药费800元，并当面赔礼道歉；三、双方今后和睦相处，不再就本纠纷发生争执。",
        performance_manner="医药费现金当面支付，界桩由双方共同埋设",
        performance_due=timezone.localtime(signed).date() + timedelta(days=7),
        seek_confirmation=True,
        mediator=team[0],
        committee=mediation.committee,
        copies=len(parties) + 1,
        signed_at=signed,
        confirm_by=policies.due(policies.APPLY, signed),
        performance="performed",
        performance_note="界桩已共同埋设，医药费已付清",
        performance_checked_on=timezone.localtime(signed).date() + timedelta(days=10),
        recorded_by=actor.user if actor else None,
    )
    Mediation.objects.filter(pk=mediation.pk).update(result="agreement", ended_at=signed)
    _issue(case, agreement, parties, signed)
    events.append(
        _event(
            case, "mediation_agreement", signed, lead.unit, f"签订人民调解协议书（一式 {agreement.copies} 份）", actor
        )
    )
    applied: date = timezone.localtime(signed).date() + timedelta(days=3)
    accepted, decided = applied + timedelta(days=1), applied + timedelta(days=8)
    court = roster["units"]["court"]
    CourtConfirmation.objects.create(
        agreement=agreement,
        court=court,
        state="confirmed",
        applied_on=applied,
        accept_due=policies.due(policies.ACCEPT, applied),
        accepted_on=accepted,
        decide_due=policies.due(policies.DECIDE, accepted),
        decided_on=decided,
        note="裁定调解协议有效",
    )
    noon = timezone.get_current_timezone()
    # The judicial office applies; the court's own handler records its acceptance and ruling.
    judge = Membership.objects.filter(user__username="court", unit=court).select_related("user").first()
    for day, action, note, unit, by in (
        (applied, "court_confirmation", f"双方共同向{court.name}申请司法确认", lead.unit, actor),
        (accepted, "court_accept", f"{court.name}已受理", court, judge),
        (decided, "court_decision", "裁定确认调解协议有效", court, judge),
    ):
        at = datetime.combine(day, datetime.min.time().replace(hour=10), tzinfo=noon)
        events.append(_event(case, action, at, unit, note, by))
    TimelineEvent.objects.bulk_create(events)


def _consultation() -> None:
    """The woman would not mediate with a husband who beats her (mediation must be voluntary,
    人民调解法 art. 3; nor is reconciliation the answer to violence): her refusal is recorded,
    and the mediation ends as declined, guided to a protection order at the court (反家庭暴力法
    art. 28: 72 hours, 24 if urgent). The consultation itself and the follow-up visit are the
    case's own reply and 回访, already in the cases demo."""
    case = _story_case(CONSULT)
    if case is None or case.lead_unit is None:
        return
    lead = case.assignments.filter(role="lead").exclude(signed_at=None).first()
    if lead is None:
        return
    at = lead.signed_at + timedelta(hours=1)
    mediation = Mediation.objects.create(
        case=case,
        unit=case.lead_unit,
        committee=committee_of(case.lead_unit),
        level=level_of(case.lead_unit),
        started_at=lead.signed_at,
        due=policies.due(policies.MONTH, lead.signed_at),
        result="declined",
        ended_at=at,
        next_channel="protection_order",
        end_note="当事人明确表示不愿与施暴的丈夫调解。家庭暴力不宜以调解和好了结：已告知可向才湾法庭申请人身安全保护令"
        "（法院受理后72小时内作出裁定，情况紧急的24小时内），协助准备就医记录、报警回执等证据，转介法律援助（离婚诉讼），"
        "妇联跟进心理疏导和回访。",
    )
    party = case.parties.filter(role__in=MEDIATING_ROLES).first()
    actor = Membership.objects.filter(user__username="judicial").select_related("user").first()
    if party:
        Consent.objects.create(
            mediation=mediation, party=party, consented=False, manner="oral", at=at, note="要求离婚并申请人身安全保护令"
        )
    who = party.name if party else "当事人"
    TimelineEvent.objects.bulk_create(
        [
            _event(case, "mediation_consent", at, case.lead_unit, f"{who}：不同意调解（口头）", actor),
            _event(case, "mediation_end", at + timedelta(minutes=5), case.lead_unit, "→ 申请人身安全保护令", actor),
        ]
    )
