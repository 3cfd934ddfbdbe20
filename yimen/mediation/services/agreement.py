"""The agreement (调解协议书, 人民调解法 arts. 28–29), its check on performance, and court
confirmation (司法确认, art. 33; SPC rules 2011): applied by the mediating side, then accepted,
extended and decided by the court's own handler — never by the mediating unit."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import Case, CaseDocument
from yimen.cases.services import case_document_issue, case_version_take
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.text import clean_text
from yimen.mediation import policies
from yimen.mediation.models import Agreement, CourtConfirmation, Mediation, Session
from yimen.mediation.paper import agreement_paper
from yimen.mediation.services._base import (
    AFTERWARDS,
    RECORDING,
    aware,
    guard,
    mediating_parties,
    not_future,
    open_mediation,
    still_open,
)
from yimen.org.models import Membership, Unit

# What 人民调解法 art. 29 requires an agreement to state, in its words.
ART_29 = {
    "facts": "纠纷的主要事实",
    "dispute_points": "争议事项",
    "responsibilities": "各方当事人的责任",
    "terms": "协议内容",
    "performance_manner": "履行方式",
}


def _day(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


@transaction.atomic
def mediation_agreement_record(
    *,
    case: Case,
    actor: Membership,
    version: int,
    facts: str,
    dispute_points: str,
    responsibilities: str,
    terms: str,
    performance_manner: str,
    performance_due: date | None,
    oral: bool = False,
    mediator: int | None = None,
    seek_confirmation: bool = False,
    signed_at: datetime | None = None,
) -> tuple[Agreement, list[CaseDocument]]:
    """调解协议: with every content of 人民调解法 art. 29 (missing → 422 naming it), the parties
    named, a mediator of the team. A written agreement is issued as the 人民调解协议书 (DOCX and
    PDF, one copy per party and one for the committee); an oral one (art. 28) is recorded with
    its contents and no document. Ends the mediation: agreement, or partial when the last
    session reached only part."""
    case = guard(actor, case, "mediation_agreement", RECORDING, version)
    mediation = open_mediation(case, actor)
    if Agreement.objects.filter(mediation=mediation).exists():
        raise Conflict("该案件已有调解协议，不能重复登记。", code="agreement_exists")
    still_open(mediation, "mediation_agreement")
    errors: dict[str, list[str]] = {}
    given = {
        "facts": facts,
        "dispute_points": dispute_points,
        "responsibilities": responsibilities,
        "terms": terms,
        "performance_manner": performance_manner,
    }
    values = {
        field: clean_text(
            given[field], field, label, errors=errors, limit=300 if field == "performance_manner" else 5000
        )
        for field, label in ART_29.items()
    }
    signed_at = aware(signed_at) if signed_at else timezone.now()
    if performance_due is None:
        errors["performance_due"] = ["请填写履行期限。"]
    elif performance_due < _day(signed_at):
        errors["performance_due"] = ["履行期限不能早于协议签订日。"]
    parties = mediating_parties(case)
    if len(parties) < 2:
        errors["parties"] = ["调解协议须载明双方当事人的姓名等基本情况，请先在案件中登记双方当事人。"]
    team = list(mediation.team.select_related("mediator").order_by("-is_chief", "id"))
    chosen = next((t.mediator for t in team if t.mediator_id == mediator), None) if mediator else None
    if mediator is not None and chosen is None:
        errors["mediator"] = ["签名的调解员须是本案调解组成员。"]
    chosen = chosen or (team[0].mediator if team else None)
    if chosen is None:
        errors.setdefault("mediator", ["请先组建调解组或记录调解，由调解员在协议上签名。"])
    if errors:
        missing = "、".join(ART_29[f] for f in ART_29 if f in errors)
        head = f"调解协议缺少人民调解法第二十九条规定的内容：{missing}。" if missing else "调解协议有误。"
        raise Invalid(head, errors=errors)
    not_future(signed_at, "signed_at", "签订时间")
    last = mediation.sessions.order_by("-held_at", "-id").values_list("outcome", flat=True).first()
    partial = last == Session.Outcome.PARTIAL
    agreement = Agreement.objects.create(
        mediation=mediation,
        **values,
        performance_due=performance_due,
        oral=bool(oral),
        partial=partial,
        seek_confirmation=bool(seek_confirmation) and not oral,
        mediator=chosen,
        committee=mediation.committee,
        copies=len(parties) + 1,
        signed_at=signed_at,
        confirm_by=policies.due(policies.APPLY, signed_at),
        recorded_by=actor.user,
    )
    result = Mediation.Result.PARTIAL if partial else Mediation.Result.AGREEMENT
    Mediation.objects.filter(pk=mediation.pk).update(result=result, ended_at=signed_at, version=F("version") + 1)
    documents = []
    if not oral:
        paper = agreement_paper(case=case, agreement=agreement, parties=parties)
        documents = case_document_issue(case=case, kind="agreement", paper=paper, actor=actor)
    note = (
        "口头协议（人民调解法第二十八条，已记录协议内容）"
        if oral
        else f"签订人民调解协议书（一式 {agreement.copies} 份）"
    )
    timeline.record(case, "mediation_agreement", actor=actor, note=note, data={"oral": bool(oral), "result": result})
    return agreement, documents


def _agreement(case: Case) -> Agreement:
    found = Agreement.objects.filter(mediation__case=case).select_related("mediation").first()
    if found is None:
        raise Conflict("该案件尚无调解协议。", code="no_agreement")
    return found


@transaction.atomic
def performance_record(
    *, case: Case, actor: Membership, version: int, performance: str, note: str = "", checked_on: date | None = None
) -> Agreement:
    """履行回访: whether the parties performed the agreement (人民调解法 art. 31 ¶2: the committee
    supervises performance)."""
    case = guard(actor, case, "performance_check", AFTERWARDS, version)
    agreement = _agreement(case)
    choices = [c for c in Agreement.Performance.values if c != Agreement.Performance.PENDING]
    if performance not in choices:
        raise Invalid("履行情况有误。", errors={"performance": ["请选择已履行、部分履行或未履行。"]})
    checked_on = checked_on or timezone.localdate()
    not_future(checked_on, "checked_on", "回访日期")
    Agreement.objects.filter(pk=agreement.pk).update(
        performance=performance, performance_note=(note or "").strip()[:300], performance_checked_on=checked_on
    )
    agreement.refresh_from_db()
    timeline.record(
        case,
        "performance_check",
        actor=actor,
        note=f"{agreement.get_performance_display()} {agreement.performance_note}",
    )
    return agreement


def _court(case: Case, code: str | None) -> Unit:
    """The court named, or the people's court (法庭) over the case's region."""
    courts = Unit.objects.filter(kind=Unit.Kind.COURT, is_active=True).select_related("region")
    if code:
        found = courts.filter(code=code).first()
    else:
        found = next((u for u in courts.order_by("-region__depth") if case.region_path.startswith(u.region.path)), None)
    if found is None:
        raise Invalid("法院有误。", errors={"court": ["请选择受理司法确认的人民法院（法庭）。"]})
    return found


@transaction.atomic
def court_confirmation_apply(
    *, case: Case, actor: Membership, version: int, applied_on: date, court: str | None = None
) -> CourtConfirmation:
    """申请司法确认: the parties apply jointly within 30 days of the agreement taking effect
    (人民调解法 art. 33); a written agreement only. The court accepts within 3 days."""
    case = guard(actor, case, "court_confirmation", AFTERWARDS, version)
    agreement = _agreement(case)
    if agreement.oral:
        raise Conflict("口头协议不能申请司法确认，须先签订书面调解协议。", code="oral_agreement")
    if CourtConfirmation.objects.filter(agreement=agreement).exists():
        raise Conflict("该调解协议已申请司法确认。", code="already_applied")
    if applied_on is None:
        raise Invalid("申请日期有误。", errors={"applied_on": ["请填写申请日期。"]})
    not_future(applied_on, "applied_on", "申请日期")
    last = _day(agreement.confirm_by)
    if applied_on < _day(agreement.signed_at) or applied_on > last:
        message = f"须在调解协议生效之日起三十日内（{last:%Y-%m-%d} 前）共同申请（人民调解法第三十三条）。"
        raise Invalid(
            "已超过司法确认申请期限。" if applied_on > last else "申请日期有误。", errors={"applied_on": [message]}
        )
    confirmation = CourtConfirmation.objects.create(
        agreement=agreement,
        court=_court(case, court),
        applied_on=applied_on,
        accept_due=policies.due(policies.ACCEPT, applied_on),
    )
    due = timezone.localtime(confirmation.accept_due).strftime("%Y-%m-%d")
    timeline.record(
        case,
        "court_confirmation",
        actor=actor,
        note=f"向{confirmation.court.name}申请司法确认，法院应于 {due} 前决定是否受理。",
    )
    return confirmation


def _step(case: Case, actor: Membership, action: str, version: int) -> CourtConfirmation:
    """The court's own guard (人民调解法 art. 33: 司法确认 is the court's act, the mediating unit
    only applies): 403 unless the actor is a court's handler and sits in the court the
    confirmation was applied to; then the case version and state (409), as every mediation step."""
    label = timeline.label(action)
    if not actor.has_perm("court.confirm"):
        raise NotAllowed(f"{label}须由受理申请的人民法院（法庭）自行登记，调解一方不能代为办理。", code="court_only")
    confirmation = CourtConfirmation.objects.filter(agreement__mediation__case=case).select_related("court").first()
    if confirmation is None:
        raise Conflict("该案件尚未申请司法确认。", code="not_applied")
    if confirmation.court_id != actor.unit_id:
        raise NotAllowed(f"只有{confirmation.court.name}可以{label}。", code="not_the_court")
    case_version_take(case, action, version=version, states=AFTERWARDS)
    confirmation.refresh_from_db()
    sources, _ = CourtConfirmation.TRANSITIONS[action]
    if confirmation.state not in sources:
        raise Conflict(f"司法确认当前为“{confirmation.get_state_display()}”，不能办理此步骤。", code="wrong_state")
    if action == "court_extend" and confirmation.extended:
        raise Conflict("审查期限已延长过一次（至多延长十日），不能再延长。", code="already_extended")
    return confirmation


def _move(confirmation: CourtConfirmation, **updates) -> CourtConfirmation:
    """The conditional UPDATE: of two concurrent steps only the first moves the record."""
    moved = CourtConfirmation.objects.filter(pk=confirmation.pk, version=confirmation.version).update(
        version=F("version") + 1, **updates
    )
    if moved != 1:
        raise Conflict("司法确认记录已被他人更新，请刷新后重试。", code="stale_version")
    confirmation.refresh_from_db()
    return confirmation


def _court_day(confirmation: CourtConfirmation, value: date | None, field: str, label: str, after: date) -> date:
    if value is None:
        raise Invalid(f"{label}有误。", errors={field: [f"请填写{label}。"]})
    not_future(value, field, label)
    if value < after:
        raise Invalid(f"{label}有误。", errors={field: [f"{label}不能早于 {after:%Y-%m-%d}。"]})
    return value


@transaction.atomic
def court_confirmation_accept(*, case: Case, actor: Membership, version: int, accepted_on: date) -> CourtConfirmation:
    """法院受理: the court decides within 15 days of accepting (SPC rules 2011, art. 6)."""
    confirmation = _step(case, actor, "court_accept", version)
    accepted_on = _court_day(confirmation, accepted_on, "accepted_on", "受理日期", confirmation.applied_on)
    confirmation = _move(
        confirmation,
        state=CourtConfirmation.State.ACCEPTED,
        accepted_on=accepted_on,
        decide_due=policies.due(policies.DECIDE, accepted_on),
    )
    due = timezone.localtime(confirmation.decide_due).strftime("%Y-%m-%d")
    timeline.record(case, "court_accept", actor=actor, note=f"{confirmation.court.name}已受理，应于 {due} 前作出裁定。")
    return confirmation


@transaction.atomic
def court_confirmation_extend(*, case: Case, actor: Membership, version: int, reason: str) -> CourtConfirmation:
    """延长审查期限: the court may extend its 15 days once, by up to 10 (SPC rules 2011, art. 6)."""
    confirmation = _step(case, actor, "court_extend", version)
    errors: dict[str, list[str]] = {}
    reason = clean_text(reason, "reason", "延长理由", errors=errors, limit=300)
    if errors:
        raise Invalid("延长审查期限有误。", errors=errors)
    extra = policies.policy(policies.DECIDE).max_extension_days
    new_due = policies.extended_by(policies.DECIDE, confirmation.accepted_on, extra)
    confirmation = _move(confirmation, extended=True, decide_due=new_due, note=reason)
    timeline.record(
        case,
        "court_extend",
        actor=actor,
        note=f"审查期限延长 {extra} 日至 {timezone.localtime(new_due):%Y-%m-%d}：{reason}",
    )
    return confirmation


@transaction.atomic
def court_confirmation_decide(
    *, case: Case, actor: Membership, version: int, confirmed: bool, decided_on: date, note: str = ""
) -> CourtConfirmation:
    """司法确认裁定: the court confirms the agreement (enforceable, 人民调解法 art. 33 ¶2) or
    rejects it (the parties may then change it or sue)."""
    confirmation = _step(case, actor, "court_decision", version)
    decided_on = _court_day(confirmation, decided_on, "decided_on", "裁定日期", confirmation.accepted_on)
    if not isinstance(confirmed, bool):
        raise Invalid("裁定结果有误。", errors={"confirmed": ["请选择确认有效或驳回申请。"]})
    state = CourtConfirmation.State.CONFIRMED if confirmed else CourtConfirmation.State.REJECTED
    confirmation = _move(confirmation, state=state, decided_on=decided_on, note=(note or "").strip()[:300])
    timeline.record(
        case, "court_decision", actor=actor, note=f"{confirmation.get_state_display()} {confirmation.note}".strip()
    )
    return confirmation
