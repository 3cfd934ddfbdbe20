"""Reads of mediation, always scoped: mediators by the viewer's jurisdiction (and the town's
mediators who serve it), mediations through the cases the viewer may see."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case as Choose
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404

from yimen.cases.models import Case
from yimen.cases.selectors import village_resolution
from yimen.core.figures import percent, rate
from yimen.geo.models import Region
from yimen.mediation.models import Consent, CourtConfirmation, Mediation, Mediator, Session, TeamMember
from yimen.org.models import Membership

DECIDED = (Mediation.Result.AGREEMENT, Mediation.Result.PARTIAL, Mediation.Result.FAILED)


def one_or_none(obj, name: str):
    """A one-to-one that may be absent (a mediation's agreement, an agreement's confirmation)."""
    try:
        return getattr(obj, name) if obj is not None else None
    except ObjectDoesNotExist:
        return None


def success_rate(agreement: int, decided: int) -> float | None:
    """化解成功率 = agreements / (agreements + partial + failed); None with nothing decided.
    The dashboard's KPI uses the same fraction; refusals (declined) and open ones stay out."""
    return rate(agreement, decided)


def mediators_visible(member: Membership) -> QuerySet[Mediator]:
    """The viewer's jurisdiction's mediators, and those of the regions above it (the town's
    committee and staff serve its villages)."""
    jurisdiction = member.jurisdiction
    return Mediator.objects.filter(
        Q(region_path__startswith=jurisdiction.path) | Q(region__code__in=jurisdiction.ancestor_codes)
    )


def region_visible(member: Membership, code: str) -> Region:
    """A region the member may see, else 404."""
    found = Region.objects.visible_to(member).filter(code=code).first() if "\x00" not in code else None
    if found is None:
        raise Http404
    return found


def mediators_in(member: Membership, region: Region | None = None) -> QuerySet[Mediator]:
    """GET /mediators?region=: those living in the region's subtree or serving a village in it."""
    rows = mediators_visible(member).filter(is_active=True)
    if region is not None:
        serves = Mediator.villages.through.objects.filter(
            mediator_id=OuterRef("pk"), region__path__startswith=region.path
        )
        rows = rows.filter(Q(region_path__startswith=region.path) | Exists(serves))
    return rows.select_related("region").order_by("region_path", "kind", "name", "id")


@dataclass
class RosterFilters:
    q: str = ""
    kind: str = ""
    village: str = ""
    skill: str = ""
    active: bool = True


def roster(member: Membership, filters: RosterFilters) -> QuerySet[Mediator]:
    """The roster with each mediator's workload (open mediations) and results (decided ones,
    agreements among them)."""
    rows = mediators_visible(member).filter(is_active=filters.active)
    if filters.q:
        rows = rows.filter(Q(name__contains=filters.q) | Q(title__contains=filters.q))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.village:
        rows = rows.filter(Q(region__code=filters.village) | Q(villages__code=filters.village)).distinct()
    pending = Q(teams__mediation__result=Mediation.Result.PENDING)
    rows = rows.annotate(
        open_count=Count("teams", filter=pending, distinct=True),
        agreed=Count("teams", filter=Q(teams__mediation__result=Mediation.Result.AGREEMENT), distinct=True),
        decided=Count("teams", filter=Q(teams__mediation__result__in=DECIDED), distinct=True),
    )
    rows = rows.select_related("region", "unit").prefetch_related(
        Prefetch("villages", queryset=Region.objects.only("id", "name", "code"))
    )
    skill = filters.skill
    result = list(rows.order_by("region_path", "kind", "name", "id"))
    # skills is a JSON list; contains-lookups on JSON differ between SQLite and PostgreSQL.
    return [m for m in result if skill in m.skills] if skill else result


def mediator_for_edit(member: Membership, mediator_id: int) -> Mediator:
    found = mediators_visible(member).filter(pk=mediator_id).first()
    if found is None:
        raise Http404
    return found


def mediations_visible(member: Membership) -> QuerySet[Mediation]:
    return Mediation.objects.filter(case__in=Case.objects.visible_to(member).values("pk"))


@dataclass
class Tally:
    label: str
    agreement: int = 0
    partial: int = 0
    failed: int = 0
    declined: int = 0
    pending: int = 0

    def add(self, result: str) -> None:
        setattr(self, result, getattr(self, result) + 1)

    @property
    def decided(self) -> int:
        return self.agreement + self.partial + self.failed

    @property
    def total(self) -> int:
        return self.decided + self.declined + self.pending

    @property
    def rate(self) -> float | None:
        return success_rate(self.agreement, self.decided)

    @property
    def percent(self) -> str:
        return percent(self.rate)


@dataclass
class Stats:
    overall: Tally
    by_mediator: list[Tally] = field(default_factory=list)
    by_village: list[Tally] = field(default_factory=list)
    by_category: list[Tally] = field(default_factory=list)
    # Where the villages' mediations were settled, by the mediation's level
    village_settled: int = 0
    town_settled: int = 0
    county_settled: int = 0
    unsettled: int = 0
    # 小事不出村: the cases app's one definition (yimen.cases.selectors.village_resolution), the
    # dashboard's KPI: of the closed disputes, those a village committee led
    village_resolved: int = 0
    disputes_closed: int = 0

    @property
    def village_share(self) -> float | None:
        return rate(self.village_resolved, self.disputes_closed)

    @property
    def village_percent(self) -> str:
        return percent(self.village_share)


def _tallies(rows, key, label) -> list[Tally]:
    tallies: dict = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        tallies.setdefault(k, Tally(label(row))).add(row["result"])
    return sorted(tallies.values(), key=lambda t: (-t.total, t.label))


def mediation_stats(member: Membership) -> Stats:
    """Success by mediator, village and category, and at which level the villages' mediations
    were settled, over the mediations of the cases the member may see; and 小事不出村 over those
    cases by the dashboard's definition. Four queries."""
    scoped = mediations_visible(member)
    rows = list(scoped.values("id", "result", "level", "case__region_path", "case__category__group"))
    overall = Tally("合计")
    for row in rows:
        overall.add(row["result"])
    prefixes = {
        "/".join(parts[: i + 1]) + "/"
        for row in rows
        for parts in [row["case__region_path"].split("/")]
        for i in range(len(parts) - 1)
    }
    villages = dict(Region.objects.filter(level=Region.Level.VILLAGE, path__in=prefixes).values_list("path", "name"))

    def village_of(row) -> str | None:
        path = row["case__region_path"]
        return next((prefix for prefix in villages if path.startswith(prefix)), None)

    def group_of(row) -> str:
        return row["case__category__group"] or "未分类"

    stats = Stats(overall=overall)
    stats.by_village = _tallies(rows, village_of, lambda row: villages[village_of(row)])
    stats.by_category = _tallies(rows, group_of, group_of)
    team = TeamMember.objects.filter(mediation__in=scoped).values("mediator_id", "mediator__name", "mediation__result")
    stats.by_mediator = _tallies(
        [{"result": t["mediation__result"], **t} for t in team],
        lambda t: t["mediator_id"],
        lambda t: t["mediator__name"],
    )
    for row in rows:
        if village_of(row) is None:
            continue
        if row["result"] in (Mediation.Result.AGREEMENT, Mediation.Result.PARTIAL):
            attr = {"village": "village_settled", "town": "town_settled"}.get(row["level"], "county_settled")
            setattr(stats, attr, getattr(stats, attr) + 1)
        elif row["result"] == Mediation.Result.FAILED:
            stats.unsettled += 1
    stats.village_resolved, stats.disputes_closed = village_resolution(Case.objects.visible_to(member))
    return stats


def mediation_for_panel(case: Case) -> Mediation | None:
    """The case's mediation with everything the case page shows, in a fixed number of queries."""
    return (
        Mediation.objects.filter(case=case)
        .select_related("unit", "agreement", "agreement__mediator", "agreement__confirmation__court")
        .prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("mediator")),
            Prefetch("consents", queryset=Consent.objects.select_related("party")),
            Prefetch("sessions", queryset=Session.objects.prefetch_related("mediators")),
            "extensions",
        )
        .first()
    )


def held_by_court(member: Membership) -> Exists | None:
    """The cases whose agreement was sent to the member's court for 司法确认: the court must read
    the agreement and the case to accept and decide (registered with cases.extensions as a reach;
    None for every seat that may not record a court's steps, so their scope costs nothing more)."""
    if not member.has_perm("court.confirm"):
        return None
    sent = CourtConfirmation.objects.filter(agreement__mediation__case=OuterRef("pk"), court_id=member.unit_id)
    return Exists(sent)


def confirmations_awaiting_court(*, member: Membership) -> QuerySet[CourtConfirmation]:
    """The confirmations applied to the member's court that wait on it (to accept, or accepted and
    to decide), the nearest due first; none for a seat that may not record a court's steps."""
    if not member.has_perm("court.confirm"):
        return CourtConfirmation.objects.none()
    applied = CourtConfirmation.State.APPLIED
    due = Choose(When(state=applied, then=F("accept_due")), default=F("decide_due"))
    waiting = CourtConfirmation.objects.filter(
        court_id=member.unit_id,
        state__in=(applied, CourtConfirmation.State.ACCEPTED),
        agreement__mediation__case__in=Case.objects.visible_to(member),
    )
    return waiting.annotate(due=due).select_related("agreement__mediation__case").order_by("due", "id")
