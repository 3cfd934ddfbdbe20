"""A year of mediation on the demo disputes that a mediating unit signed for."""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from yimen.cases.models import Assignment, Case, TimelineEvent
from yimen.geo.models import Region
from yimen.mediation import policies
from yimen.mediation.demo.common import MEDIATING, MINUTES_END, PLACES, RESULTS, UNCLE, _event, _issue, _pick
from yimen.mediation.models import Agreement, Consent, Mediation, Mediator, Session, TeamMember
from yimen.mediation.services._base import MEDIATING_ROLES, committee_of, level_of
from yimen.org.models import Unit


def _year(town: Region, roster: dict, rng: random.Random) -> int:
    """One mediation per dispute a mediating unit signed for; those still open are pending."""
    units = [roster["units"][s] for s in MEDIATING]
    cases = (
        Case.unscoped.filter(kind="dispute", region_path__startswith=town.path)
        .filter(Q(lead_unit__in=units) | Q(lead_unit__kind=Unit.Kind.VILLAGE))
        .exclude(title=UNCLE)
        .select_related("lead_unit", "lead_unit__region", "region", "category")
        .prefetch_related("parties", "assignments__unit__region")
        .order_by("received_at")
    )
    events, made = [], 0
    for case in cases:
        lead = next((a for a in case.assignments.all() if a.role == "lead" and a.signed_at), None)
        if lead is None:
            continue
        made += 1
        events += _one(case, lead, roster, rng)
    TimelineEvent.objects.bulk_create(events, batch_size=500)
    return made


def _one(case: Case, lead: Assignment, roster: dict, rng: random.Random) -> list[TimelineEvent]:
    unit = lead.unit
    village_unit = next((a.unit for a in case.assignments.all() if a.unit.kind == Unit.Kind.VILLAGE), None)
    if unit.kind == Unit.Kind.VILLAGE or (village_unit and unit.code.endswith("-mediation") and rng.random() < 0.5):
        unit = village_unit or unit  # the village committee mediated (小事不出村)
    started = lead.signed_at
    mediation = Mediation.objects.create(
        case=case,
        unit=unit,
        committee=committee_of(unit),
        level=level_of(unit),
        started_at=started,
        due=policies.due(policies.MONTH, started),
    )
    team = _team(case, unit, roster, rng)
    TeamMember.objects.bulk_create(
        TeamMember(mediation=mediation, mediator=m, role=TeamMember.DEFAULT_ROLE[m.kind], is_chief=i == 0)
        for i, m in enumerate(team)
    )
    final = case.replied_at or case.closed_at
    result = _pick(rng, RESULTS) if final else "pending"
    events = []
    sessions = 1 if result == "declined" else rng.choice([1, 1, 2, 3])
    end = final or timezone.now()
    span = max((end - started).total_seconds(), 3600)
    for n in range(sessions if result != "declined" or final is None else 0):
        held = started + timedelta(seconds=span * (n + 1) / (sessions + 1))
        last = n == sessions - 1 and final
        outcome = {"agreement": "agreement", "partial": "partial", "failed": "failed"}.get(result, "continue")
        outcome = outcome if last else "continue"
        session = Session.objects.create(
            mediation=mediation,
            held_at=held,
            place=PLACES.get(mediation.level, "综治中心调解室"),
            attendees=[p.name for p in case.parties.all()],
            outcome=outcome,
            minutes="听取双方陈述，核实事实，释法析理，" + MINUTES_END[outcome],
        )
        session.mediators.set(team)
        events.append(
            _event(case, "mediation_session", held, lead.unit, f"{session.place}：{session.get_outcome_display()}")
        )
    if result == "pending":
        return events
    ended = started + timedelta(seconds=span * sessions / (sessions + 1)) if result != "declined" else started
    if result == "declined":
        party = next((p for p in case.parties.all() if p.role in MEDIATING_ROLES), None)
        if party:
            Consent.objects.create(mediation=mediation, party=party, consented=False, manner="oral", at=started)
        Mediation.objects.filter(pk=mediation.pk).update(
            result="declined",
            ended_at=started,
            next_channel="litigation",
            end_note="当事人不同意调解，已告知可向法庭起诉。",
        )
        return [*events, _event(case, "mediation_end", started, lead.unit, "当事人不同意调解 → 引导诉讼")]
    if result == "failed":
        channel = rng.choice(["litigation", "litigation", "arbitration", "petition"])
        Mediation.objects.filter(pk=mediation.pk).update(result="failed", ended_at=ended, next_channel=channel)
        return events
    parties = [p for p in case.parties.all() if p.role in MEDIATING_ROLES]
    oral = len(parties) < 2 or (mediation.level == "village" and rng.random() < 0.4)
    agreement = Agreement.objects.create(
        mediation=mediation,
        facts=case.description or case.title,
        dispute_points=case.title,
        responsibilities="双方各自承担相应责任，互谅互让。",
        terms=f"双方自愿和解，{case.category.name if case.category else '纠纷'}按调解意见处理，今后互不追究。",
        performance_manner="当面履行",
        performance_due=timezone.localtime(ended).date() + timedelta(days=15),
        oral=oral,
        partial=result == "partial",
        mediator=team[0],
        committee=mediation.committee,
        copies=len(parties) + 1,
        signed_at=ended,
        confirm_by=policies.due(policies.APPLY, ended),
        performance="performed" if rng.random() < 0.85 else "partly",
        performance_checked_on=timezone.localtime(ended).date() + timedelta(days=20),
    )
    Mediation.objects.filter(pk=mediation.pk).update(result=result, ended_at=ended)
    if not oral:
        _issue(case, agreement, parties, ended)
    return [
        *events,
        _event(case, "mediation_agreement", ended, lead.unit, "口头协议" if oral else "签订人民调解协议书"),
    ]


def _team(case: Case, unit: Unit, roster: dict, rng: random.Random) -> list[Mediator]:
    village = case.region_path.split("/")[4] if case.region_path.count("/") > 4 else ""
    local = roster["village"].get(village)
    kind = unit.code.rsplit("-", 1)[-1]
    if unit.kind == Unit.Kind.VILLAGE:
        first = local or rng.choice(roster["town"])
    else:
        first = {
            "court": rng.choice(roster["judge"]),
            "police": rng.choice(roster["police"]),
            "judicial": rng.choice(roster["judicial"]),
        }.get(kind) or rng.choice(roster["town"])
    team = [first]
    if local and local is not first and rng.random() < 0.5:
        team.append(local)
    if rng.random() < 0.3:
        team.append(rng.choice(roster["qunying"]))
    return team
