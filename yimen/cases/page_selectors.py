"""Reads the case pages need beside yimen.cases.selectors: the intake desk's region picker and
hints, the units a dispatcher may pick, and whether a member may attach files. All scoped the
same way (Case.objects.visible_to, Region.objects.visible_to)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from yimen.cases import rules, selectors, tiers
from yimen.cases.forms import OrderAnswerForm, UpwardReportForm
from yimen.cases.models import Case, Party
from yimen.core.crypto import blind_index
from yimen.core.identity import id_number_or_empty, phone_or_empty
from yimen.geo.models import Region
from yimen.geo.selectors import region_ancestors, region_children
from yimen.org.models import Membership, Unit

HINT_DAYS = 180
HINT_LIMIT = 10
# "The same place" is a grid or finer: a whole village or town would hint at everything.
NEAR_LEVELS = frozenset({Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL})


@dataclass
class PickerLevel:
    parent: Region
    options: list[Region]
    selected: str  # the chosen child's code, "" when none is chosen at this level

    @property
    def label(self) -> str:
        regular = [r for r in self.options if r.level != Region.Level.SPECIAL] or self.options
        return regular[0].get_level_display()


@dataclass
class Picker:
    chosen: Region
    chain: list[Region]  # from the member's jurisdiction down to the chosen region
    levels: list[PickerLevel]


def region_picker(*, member: Membership, code: str = "") -> Picker:
    """The chosen region (the member's jurisdiction unless `code` is a visible region inside it)
    and one select per level from the jurisdiction down: village → grid → micro-grid."""
    root = member.jurisdiction
    chosen = (
        Region.objects.visible_to(member).filter(code=code, path__startswith=root.path).first() if code else None
    ) or root
    chain = [r for r in region_ancestors(chosen) if r.depth >= root.depth] + [chosen]
    levels = []
    for i, parent in enumerate(chain):
        options = list(region_children(member=member, region=parent))
        if not options:
            break
        below = chain[i + 1].code if i + 1 < len(chain) else ""
        levels.append(PickerLevel(parent=parent, options=options, selected=below))
    return Picker(chosen=chosen, chain=chain, levels=levels)


def region_filter_choices(*, member: Membership) -> list[tuple[str, str]]:
    """The member's jurisdiction and the two levels below it, for the list filter."""
    root = member.jurisdiction
    below = (
        Region.objects.subtree(root)
        .filter(depth__in=[root.depth + 1, root.depth + 2])
        .exclude(level=Region.Level.SPECIAL)
        .only("code", "name", "depth")  # not the boundary polygons: a town's 120 cost 10 ms to read
        .order_by("path")
    )
    return [(root.code, root.name)] + [
        (region.code, f"{'　' if region.depth > root.depth + 1 else ''}{region.name}") for region in below
    ]


def intake_hints(
    *, member: Membership, region: str = "", person_ids=(), phones=(), id_numbers=()
) -> list[tuple[Case, str]]:
    """Recent visible cases that may be the same matter: of the same registry persons, the same
    phone or ID number (by blind index), or the same grid. Newest first, each with its reason."""
    place = Region.objects.filter(code=region).only("path", "level").first() if region else None
    near = place if place is not None and place.level in NEAR_LEVELS else None
    found = {
        case.pk: case
        for case in selectors.similar_cases(
            member=member, person_ids=list(person_ids), region=near.code if near else None, days=HINT_DAYS
        )
    }
    indexes = [blind_index(p) for p in {phone_or_empty(p) for p in phones} - {""}]
    ids = [blind_index(n) for n in {id_number_or_empty(n) for n in id_numbers} - {""}]
    if indexes or ids:
        same = Party.objects.filter(Q(phone_index__in=indexes) | Q(id_number_index__in=ids), case=OuterRef("pk"))
        since = timezone.now() - timedelta(days=HINT_DAYS)
        contacts = Case.objects.visible_to(member).filter(Exists(same), received_at__gte=since)
        found.update((case.pk, case) for case in contacts.select_related("region")[:HINT_LIMIT])
    ranked = sorted(found.values(), key=lambda c: (c.received_at, c.pk), reverse=True)[:HINT_LIMIT]
    return [(case, "同一地点" if near and case.region_path.startswith(near.path) else "同一当事人") for case in ranked]


REGISTER_MICROGRIDS = 300  # a village's micro-grids fit; a town-level case names its village first


def register_microgrids(*, member: Membership, case: Case) -> list[tuple[str, str]]:
    """The micro-grids a party of the case may be filed under (登记到民情档案): the case's own
    micro-grid, or those under its grid or village, within the member's jurisdiction."""
    if case.region is None or not case.region.path.startswith(member.jurisdiction.path):
        return []
    rows = Region.objects.filter(level=Region.Level.MICROGRID, path__startswith=case.region.path)
    return [(r.code, r.name) for r in rows.order_by("code").only("code", "name")[:REGISTER_MICROGRIDS]]


def dispatch_units(*, case: Case) -> list[Unit]:
    """Active units whose area covers the case's region, nearest first; never an accused unit
    (信访工作条例 art. 46). Reads the prefetched `case.accused_units`."""
    covering = [case.region_path[: i + 1] for i, ch in enumerate(case.region_path) if ch == "/"]
    accused = [unit.pk for unit in case.accused_units.all()]
    units = Unit.objects.filter(is_active=True, region__path__in=covering).exclude(pk__in=accused)
    return list(units.select_related("region").order_by("-region__depth", "kind", "code"))


def may_attach(*, member: Membership, case: Case) -> bool:
    """The first receiver, a jurisdiction over the case or an active assignment (case_attach's
    rule), read off the prefetched assignments."""
    return rules.is_responsible(member, case) or bool(rules.unit_assignments(case, member.unit_id, fresh=False))


def dispatch_suggestion(*, case: Case) -> dict:
    """The lead and support units suggested for the case — the dispatch catalogue's (its
    category, else its kind's default row) with its risk tier's over them (yimen.cases.tiers) —
    as the dispatch form's initial values, and the tier's reason to show beside them."""
    suggested = tiers.suggestion(case=case)
    if suggested.lead is None and not suggested.supports:
        return {}
    return {
        "lead_unit": suggested.lead.code if suggested.lead else "",
        "support_units": [unit.code for unit in suggested.supports],
        "reason": suggested.reason,
    }


def answers_as_support(case: Case, member: Membership | None) -> bool:
    """Whether the member's unit replies on this case as a co-unit (协办意见), read off the
    prefetched assignments."""
    mine = rules.unit_assignments(case, member.unit_id, fresh=False) if member else []
    return bool(mine) and mine[0].role == "support"


def applicant_contacted(case: Case, notes: list) -> bool:
    """Whether any progress note records a contact with an applicant of the case (the 回访 form
    warns before a follow-up with a citizen nobody has spoken to). Reads the prefetched parties
    and the page's own timeline events."""
    applicants = {i for i, party in enumerate(case.parties.all()) if party.role == Party.Role.APPLICANT}
    return any((note.data.get("contact") or {}).get("party") in applicants for note in notes)


def unanswered_supports(case: Case) -> list[Unit]:
    """The co-units whose part review still waits for (neither replied nor released), from the
    prefetched assignments: the review form names them before the dispatcher tries to approve."""
    return [a.unit for a in case.assignments.all() if a.role == "support" and a.state in a.UNANSWERED]


@dataclass
class Failed:
    """A 督办单 answer or upward report just sent and refused: its form keeps what was typed."""

    target: str  # "upward", or the order's id
    form: object
    error: str


def supervision_panel(*, member: Membership, case: Case, failed: Failed | None = None) -> dict:
    """The case page's 督办单 (each with its downloads and, for a seat of the addressed unit that
    handles cases, the answer form while unanswered) and the upward report (with the filing form
    for the dispatcher or leader over the case while it is owed)."""
    orders = []
    for order in selectors.supervision_orders(case=case):
        row = {"order": order, "documents": selectors.order_documents(order), "form": None, "error": ""}
        if order.answered_at is None and order.unit_id == member.unit_id and member.has_perm("case.reply"):
            row["form"] = OrderAnswerForm(auto_id=f"order-{order.pk}-%s")
        if failed and failed.target == str(order.pk):
            row.update(form=failed.form, error=failed.error)
        orders.append(row)
    report = selectors.upward_report(case=case)
    upward = None
    if report is not None:
        upward = {"report": report, "form": None, "error": ""}
        if report.reported_at is None and member.has_perm("case.report_upward") and rules.is_responsible(member, case):
            upward["form"] = UpwardReportForm(auto_id="upward-%s")
        if failed and failed.target == "upward":
            upward.update(form=failed.form, error=failed.error)
    return {"orders": orders, "upward": upward}
