"""Writing the demo year: case codes in order of receipt, cases, parties, assignments and
timelines in bulk, the code counters; then this morning's walk-ins through the services."""

from collections import Counter

from yimen.cases import services
from yimen.cases.demo.world import _World
from yimen.cases.models import (
    Assignment,
    Case,
    CaseCounter,
    Party,
    TimelineEvent,
)
from yimen.core.calendar import SHANGHAI
from yimen.org.models import Membership

# --------------------------------------------------------------------------------------------
# Writing


def _save(world: _World) -> int:
    drafts = sorted(world.drafts, key=lambda d: d.case.received_at)
    numbers: Counter = Counter()
    for draft in drafts:
        case = draft.case
        key = (case.region.code[:9], case.received_at.astimezone(SHANGHAI).year)
        numbers[key] += 1
        case.code = f"{key[0]}-{key[1]}-{numbers[key]:06d}"
    merged = [(d, d.case.merged_into) for d in drafts if d.case.merged_into is not None]
    for draft, _ in merged:
        draft.case.merged_into = None
    Case.objects.bulk_create([d.case for d in drafts], batch_size=500)
    for draft, target in merged:
        draft.case.merged_into = target
        draft.events[-1].data = {"into": target.code}
    Case.objects.bulk_update([d.case for d, _ in merged], ["merged_into"], batch_size=500)
    for prefix_year, last in numbers.items():
        counter, _ = CaseCounter.objects.get_or_create(prefix=prefix_year[0], year=prefix_year[1])
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])
    parties, assignments, events = [], [], []
    for draft in drafts:
        for party in draft.parties:
            party.case = draft.case
            parties.append(party)
        for assignment in draft.assignments:
            assignment.case = draft.case
            assignments.append(assignment)
        for event in draft.events:
            event.case = draft.case
            events.append(event)
    Party.objects.bulk_create(parties, batch_size=1000)
    _one_active(assignments)
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    TimelineEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def _one_active(assignments: list[Assignment]) -> None:
    """The constraint's invariant (one active lead, one active row per unit) for simulated rows."""
    seen: set = set()
    for assignment in reversed(assignments):
        key = (id(assignment.case), assignment.unit_id)
        lead = (id(assignment.case), "lead")
        if assignment.state in Assignment.ACTIVE:
            if key in seen or (assignment.role == "lead" and lead in seen):
                assignment.state = "withdrawn"
                continue
            seen.add(key)
            if assignment.role == "lead":
                seen.add(lead)


def _walk_ins_today(world: _World) -> int:
    """This morning's walk-ins and reports go through the services themselves."""
    clerk = world.clerk
    if clerk is None:
        return 0
    gridworker = (
        Membership.objects.filter(user__username="gridworker", is_active=True)
        .select_related("unit", "jurisdiction", "user")
        .first()
    )
    count = 0
    registered = services.case_register(
        actor=clerk,
        kind="dispute",
        channel="visit",
        region="450324106200",
        title="唐桂英反映邻居养狗夜间吠叫扰民",
        description="邻居家养的两条狗夜间吠叫，多次沟通无果。",
        category="dispute.neighbour.noise",
        parties=[
            {"name": "唐桂英", "role": "applicant", "phone": "19900009001"},
            {"name": "李春生", "role": "respondent"},
        ],
    ).case
    services.case_accept(case=registered, actor=clerk, version=registered.version)
    count += 2
    services.case_register(
        actor=clerk,
        kind="legal_service",
        channel="phone",
        region="450324106200",
        title="蒋明华电话咨询工伤认定程序",
        parties=[{"name": "蒋明华", "role": "applicant", "phone": "19900009002"}],
    )
    count += 1
    if gridworker is not None:
        services.case_register(
            actor=gridworker,
            kind="hazard",
            channel="grid",
            region=gridworker.jurisdiction.code,
            category="hazard.road.damage",
            title="网格员上报：村道涵洞塌陷，过往车辆有侧翻风险",
            location={"lat": gridworker.jurisdiction.lat, "lng": gridworker.jurisdiction.lng}
            if gridworker.jurisdiction.lat
            else None,
        )
        count += 1
    return count
