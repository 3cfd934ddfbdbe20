"""The mediation itself: the team (三调联动 · 群英), the parties' consent, sessions, extensions
of the one-month norm with both parties' consent, and ending a mediation that failed or that a
party refused."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import Case
from yimen.core.deadlines import deadline_natural_days
from yimen.core.errors import Conflict, Invalid
from yimen.core.text import clean_text
from yimen.mediation import policies
from yimen.mediation.models import Consent, Extension, Mediation, Mediator, Session, TeamMember
from yimen.mediation.services._base import (
    RECORDING,
    aware,
    guard,
    mediating_parties,
    not_future,
    open_mediation,
    still_open,
)
from yimen.org.models import Membership


def _mediators(ids: Sequence[int], field: str) -> list[Mediator]:
    wanted = {i for i in ids if isinstance(i, int)}
    found = list(Mediator.objects.filter(pk__in=wanted, is_active=True).order_by("pk"))
    if not wanted or len(found) != len(wanted) or len(wanted) != len(ids):
        raise Invalid("调解员有误。", errors={field: ["请选择在册的调解员（不重复）。"]})
    return found


def _latest_consents(mediation: Mediation) -> dict[int, Consent]:
    latest: dict[int, Consent] = {}
    for consent in mediation.consents.select_related("party").order_by("at", "id"):
        latest[consent.party_id] = consent
    return latest


def _refusals(mediation: Mediation) -> list[str]:
    """The parties whose latest answer is a refusal."""
    return [c.party.name for c in _latest_consents(mediation).values() if not c.consented]


def _not_yet_consented(mediation: Mediation, case: Case) -> list[str]:
    """The mediating parties with no recorded consent yet."""
    latest = _latest_consents(mediation)
    return [p.name for p in mediating_parties(case) if p.pk not in latest]


@transaction.atomic
def mediation_team_assemble(
    *,
    case: Case,
    actor: Membership,
    version: int,
    members: Sequence[int],
    roles: dict[int, str] | None = None,
    chief: int | None = None,
    without_consent_reason: str = "",
) -> list[TeamMember]:
    """组建调解组: the lead unit names the team — for joint mediation (三调联动) one each from
    people's, administrative and judicial mediation, plus 群英 as fits. Each mediator brings
    the role of their kind unless `roles` says otherwise; `chief` presides.

    Mediation rests on the parties' free will (人民调解法 arts. 3, 17): a team is formed once
    every party's consent is recorded, or with the reason it comes first — the committee may
    mediate on its own initiative (art. 17) and a team may go to ask the parties — written into
    the timeline (issue 21 item 8). A party's refusal stops it (409), as it stops a session."""
    case = guard(actor, case, "mediation_team", RECORDING, version)
    mediation = open_mediation(case, actor)
    still_open(mediation, "mediation_team")
    refused = _refusals(mediation)
    if refused:
        raise Conflict(f"当事人{'、'.join(refused)}已明确拒绝调解，不得调解（人民调解法第十七条）。", code="refused")
    missing = _not_yet_consented(mediation, case)
    reason = (without_consent_reason or "").strip()
    if missing and not reason:
        message = (
            f"尚未记录当事人{'、'.join(missing)}同意调解。调解须当事人自愿（人民调解法第三条、第十七条）："
            "请先记录当事人意愿，或写明先组建调解组的理由（如人民调解委员会主动调解、上门征询意愿）。"
        )
        raise Invalid(message, errors={"without_consent_reason": [message]})
    reason = clean_text(reason, "without_consent_reason", "理由", limit=300) if missing else ""
    chosen = _mediators(members, "members")
    roles = roles or {}
    if any(r not in TeamMember.Role.values for r in roles.values()):
        raise Invalid("调解组角色有误。", errors={"roles": [f"可选：{'、'.join(TeamMember.Role.labels)}。"]})
    if chief is not None and chief not in {m.pk for m in chosen}:
        raise Invalid("主持人有误。", errors={"chief": ["主持调解的须是调解组成员。"]})
    chief = chief if chief is not None else chosen[0].pk
    mediation.team.all().delete()
    team = TeamMember.objects.bulk_create(
        TeamMember(
            mediation=mediation,
            mediator=m,
            role=roles.get(m.pk) or TeamMember.DEFAULT_ROLE[m.kind],
            is_chief=m.pk == chief,
        )
        for m in chosen
    )
    names = "、".join(f"{t.mediator.name}（{t.get_role_display()}）" for t in team)
    note = f"调解组：{names}" + (f"；未先征得{'、'.join(missing)}同意，理由：{reason}" if reason else "")
    data = {"members": [m.pk for m in chosen], **({"without_consent_reason": reason} if reason else {})}
    timeline.record(case, "mediation_team", actor=actor, note=note, data=data)
    return team


@transaction.atomic
def mediation_consent_record(
    *,
    case: Case,
    actor: Membership,
    version: int,
    party: int,
    consented: bool,
    manner: str,
    at: datetime | None = None,
    note: str = "",
) -> Consent:
    """当事人意愿: mediation needs the parties' consent and stops when one refuses (人民调解法
    arts. 17, 23). Recorded per party; the latest answer counts."""
    case = guard(actor, case, "mediation_consent", RECORDING, version)
    mediation = open_mediation(case, actor)
    still_open(mediation, "mediation_consent")
    errors: dict[str, list[str]] = {}
    found = next((p for p in mediating_parties(case) if p.pk == party), None)
    if found is None:
        errors["party"] = ["请选择本案的当事人（申请人、被申请人或第三人）。"]
    if manner not in Consent.Manner.values:
        errors["manner"] = [f"可选：{'、'.join(Consent.Manner.labels)}。"]
    if not isinstance(consented, bool):
        errors["consented"] = ["请选择同意或不同意。"]
    if errors:
        raise Invalid("当事人意愿有误。", errors=errors)
    at = aware(at) if at else timezone.now()
    not_future(at, "at", "表态时间")
    consent = Consent.objects.create(
        mediation=mediation,
        party=found,
        consented=consented,
        manner=manner,
        at=at,
        note=(note or "").strip()[:300],
        recorded_by=actor.user,
    )
    answer = "同意调解" if consented else "不同意调解"
    timeline.record(
        case, "mediation_consent", actor=actor, note=f"{found.name}：{answer}（{consent.get_manner_display()}）"
    )
    return consent


@transaction.atomic
def mediation_session_record(
    *,
    case: Case,
    actor: Membership,
    version: int,
    held_at: datetime,
    place: str,
    mediators: Sequence[int],
    attendees: Sequence[str],
    minutes: str,
    outcome: str,
    next_channel: str = "",
) -> Session:
    """调解记录: a session as held. Not while a party refuses mediation (人民调解法 art. 17); its
    mediators join the team; a failed session ends the mediation (→ the next channel, such as
    litigation guidance or a petition)."""
    case = guard(actor, case, "mediation_session", RECORDING, version)
    mediation = open_mediation(case, actor)
    still_open(mediation, "mediation_session")
    refused = _refusals(mediation)
    if refused:
        raise Conflict(f"当事人{'、'.join(refused)}已明确拒绝调解，不得调解（人民调解法第十七条）。", code="refused")
    errors: dict[str, list[str]] = {}
    place = clean_text(place, "place", "调解地点", errors=errors, limit=100)
    minutes = clean_text(minutes, "minutes", "调解记录", limit=5000, errors=errors)
    if outcome not in Session.Outcome.values:
        errors["outcome"] = [f"可选：{'、'.join(Session.Outcome.labels)}。"]
    if next_channel and (outcome != Session.Outcome.FAILED or next_channel not in Mediation.Channel.values):
        errors["next_channel"] = ["后续途径仅在调解不成时填写，且须为可选项之一。"]
    names = [str(n).strip()[:50] for n in attendees if str(n).strip()]
    if not names:
        errors["attendees"] = ["请填写参加人员。"]
    if errors:
        raise Invalid("调解记录有误，请检查标出的字段。", errors=errors)
    chosen = _mediators(mediators, "mediators")
    held_at = aware(held_at)
    not_future(held_at, "held_at", "调解时间")
    if held_at < case.received_at:
        raise Invalid("调解时间有误。", errors={"held_at": ["调解时间不能早于收到案件的时间。"]})
    session = Session.objects.create(
        mediation=mediation,
        held_at=held_at,
        place=place,
        attendees=names,
        minutes=minutes,
        outcome=outcome,
        recorded_by=actor.user,
    )
    session.mediators.set(chosen)
    on_team = set(mediation.team.values_list("mediator_id", flat=True))
    joining = [m for m in chosen if m.pk not in on_team]
    TeamMember.objects.bulk_create(
        TeamMember(
            mediation=mediation, mediator=m, role=TeamMember.DEFAULT_ROLE[m.kind], is_chief=not on_team and i == 0
        )
        for i, m in enumerate(joining)
    )
    if outcome == Session.Outcome.FAILED:
        Mediation.objects.filter(pk=mediation.pk).update(
            result=Mediation.Result.FAILED, ended_at=held_at, next_channel=next_channel, version=F("version") + 1
        )
    label = session.get_outcome_display()
    timeline.record(
        case,
        "mediation_session",
        actor=actor,
        note=f"{place}：{label}",
        data={"session": session.pk, "outcome": outcome, "next_channel": next_channel},
    )
    return session


@transaction.atomic
def mediation_extend(
    *, case: Case, actor: Membership, version: int, days: int, reason: str, consented_parties: Sequence[int]
) -> Mediation:
    """延长调解期限: mediation is normally done within a month; longer only with both (every)
    party's consent (人民调解工作若干规定 art. 36), within the policy's maximum."""
    case = guard(actor, case, "mediation_extend", RECORDING, version)
    mediation = open_mediation(case, actor)
    still_open(mediation, "mediation_extend")
    errors: dict[str, list[str]] = {}
    reason = clean_text(reason, "reason", "延长理由", errors=errors, limit=300)
    parties = mediating_parties(case)
    missing = [p.name for p in parties if p.pk not in set(consented_parties)]
    if missing or not parties:
        waiting = "、".join(missing) or "无当事人"
        errors["consented_parties"] = [
            f"延长调解期限须经双方当事人同意（人民调解工作若干规定第三十六条），尚未同意：{waiting}。"
        ]
    allowed = policies.policy(policies.MONTH).max_extension_days
    if not isinstance(days, int) or days < 1 or mediation.extension_days + days > allowed:
        left = max(allowed - mediation.extension_days, 0)
        errors["days"] = [
            f"调解期限最多延长 {allowed} 日，已延长 {mediation.extension_days} 日，至多还可延长 {left} 日。"
        ]
    if errors:
        raise Invalid("延长调解期限有误。", errors=errors)
    new_due = deadline_natural_days(mediation.due, days)
    Mediation.objects.filter(pk=mediation.pk).update(
        due=new_due, extension_days=F("extension_days") + days, version=F("version") + 1
    )
    Extension.objects.create(
        mediation=mediation,
        days=days,
        reason=reason,
        consented_by=[p.name for p in parties],
        due=new_due,
        recorded_by=actor.user,
    )
    when = timezone.localtime(new_due).strftime("%Y-%m-%d")
    timeline.record(
        case, "mediation_extend", actor=actor, note=f"延长 {days} 日至 {when}：{reason}", data={"days": days}
    )
    mediation.refresh_from_db()
    return mediation


@transaction.atomic
def mediation_end(
    *, case: Case, actor: Membership, version: int, result: str, next_channel: str, note: str
) -> Mediation:
    """终止调解: the mediators end a mediation that cannot succeed (调解不成) or that a party
    refused (人民调解法 arts. 23, 26: tell the parties of their remedies — arbitration,
    administrative, litigation), naming the channel the matter goes on to."""
    case = guard(actor, case, "mediation_end", RECORDING, version)
    mediation = open_mediation(case, actor)
    still_open(mediation, "mediation_end")
    errors: dict[str, list[str]] = {}
    if result not in (Mediation.Result.FAILED, Mediation.Result.DECLINED):
        errors["result"] = ["请选择“调解不成”或“当事人不同意调解”。"]
    if next_channel not in Mediation.Channel.values:
        errors["next_channel"] = [f"请选择后续途径：{'、'.join(Mediation.Channel.labels)}。"]
    note = clean_text(note, "note", "终止说明", errors=errors, limit=2000)
    if result == Mediation.Result.DECLINED and not _refusals(mediation):
        errors["result"] = ["尚无当事人明确拒绝调解的记录，请先记录当事人意愿。"]
    if errors:
        raise Invalid("终止调解有误。", errors=errors)
    Mediation.objects.filter(pk=mediation.pk).update(
        result=result, ended_at=timezone.now(), next_channel=next_channel, end_note=note, version=F("version") + 1
    )
    mediation.refresh_from_db()
    label = f"{mediation.get_result_display()} → {mediation.get_next_channel_display()}"
    timeline.record(
        case,
        "mediation_end",
        actor=actor,
        note=f"{label}：{note}",
        data={"result": result, "next_channel": next_channel},
    )
    return mediation
