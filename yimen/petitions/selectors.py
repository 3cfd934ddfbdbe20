"""Reads of petitions, always through the case engine's scoping (Case.objects.visible_to): a
petition the member may not see — an accusation against their unit or themselves, a confidential
kind outside their seat — is absent from every list, link and count here too."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yimen.cases import selectors as case_selectors
from yimen.cases.models import Assignment, Case
from yimen.core.calendar import day_end, day_start
from yimen.core.figures import rate
from yimen.petitions.models import PetitionRecord
from yimen.petitions.rules import REPEAT_RULE, chain_root, request_until

REPEAT_RATE_DEFINITION = (
    "重复信访率 = 统计期内收到的信访件中被判定为重复信访（已关联前次事项）的件数 ÷ 统计期内收到的信访件总数。"
    + REPEAT_RULE
)


def petition_get_visible(*, member, code: str) -> tuple[Case, PetitionRecord]:
    """The petition case with this code and its record, if the member may see it (else 404)."""
    case = case_selectors.case_get_visible(member=member, code=code)
    record = PetitionRecord.objects.select_related("review_of", "repeat_of").filter(case=case).first()
    if record is None:
        raise Http404("没有这件信访。")
    return case, record


def petition_chain(*, member, case: Case) -> list[tuple[Case, PetitionRecord]]:
    """The 复查/复核 chain the case belongs to, original first, only the cases the member sees."""
    root = chain_root(case)
    found, frontier = [root.pk], [root.pk]
    while frontier:
        frontier = list(PetitionRecord.objects.filter(review_of_id__in=frontier).values_list("case_id", flat=True))
        found += frontier
    visible = Case.objects.visible_to(member).filter(pk__in=found)
    records = PetitionRecord.objects.filter(case__in=visible).select_related("case").order_by("case__received_at")
    return [(r.case, r) for r in records]


def repeat_links(*, member, case: Case, record: PetitionRecord) -> dict:
    """The earlier petition this one repeats and the later ones that repeat it, as far as the
    member may see them."""
    visible = Case.objects.visible_to(member)
    earlier = visible.filter(pk=record.repeat_of_id).first() if record.repeat_of_id else None
    later = list(visible.filter(petition__repeat_of=case).order_by("received_at", "id"))
    return {"earlier": earlier, "later": later, "reason": record.repeat_reason}


def visible_ids(*, member, ids: list[int]) -> set[int]:
    """Which of these case ids the member may see (links to hidden cases are not drawn)."""
    return set(Case.objects.visible_to(member).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


@dataclass
class Deadline:
    label: str
    due: datetime | None
    done: datetime | None = None
    note: str = ""

    @property
    def late(self) -> bool:
        end = self.done or timezone.now()
        return self.due is not None and end > self.due


def petition_deadlines(*, case: Case, record: PetitionRecord) -> list[Deadline]:
    """The statutory clock of the petition: notice 15 days, objection 5 working days, handling
    (60 days + extension ≤ 30, or 30 days for 复查/复核), the next request's 30 days."""
    rows = [Deadline("受理告知（15 日）", case.accept_deadline, record.notice_issued_at)]
    lead = next((a for a in case.assignments.all() if a.role == Assignment.Role.LEAD), None)
    if lead is not None and lead.dispute_deadline:
        note = f"{lead.unit.name}已提出异议：{lead.dispute_reason}" if lead.disputed_at else ""
        rows.append(
            Deadline("非管辖单位异议（5 个工作日）", lead.dispute_deadline, lead.signed_at or lead.disputed_at, note)
        )
    limit = "办理（60 日，可延长 ≤ 30 日）" if record.level == PetitionRecord.Level.ORIGINAL else "答复（30 日）"
    extension = f"已延期 {case.extension_days} 日" if case.extension_days else ""
    if case.extension_days and not record.extension_notified_at:
        extension += "，尚未书面告知信访人"
    rows.append(Deadline(limit, case.deadline, record.opinion_issued_at or case.replied_at, extension))
    until = request_until(record)
    if until is not None:
        label = "申请复查（30 日）" if record.level == PetitionRecord.Level.ORIGINAL else "申请复核（30 日）"
        rows.append(Deadline(label, until, note="信访人可在此前提出"))
    return rows


@dataclass
class RegisterFilters:
    petition_type: str | None = None
    level: str | None = None
    repeat: bool | None = None
    overdue: bool | None = None
    received_since: date | None = None
    received_until: date | None = None
    q: str = ""


def petition_register(*, member, filters: RegisterFilters | None = None) -> QuerySet[PetitionRecord]:
    """信访台账: the member's visible petitions, newest received first, filtered by type, level,
    repeat, overdue and received dates; one query per page (case, region, lead unit joined)."""
    f = filters or RegisterFilters()
    records = PetitionRecord.objects.filter(case__in=Case.objects.visible_to(member))
    if f.petition_type:
        records = records.filter(case__petition_type=f.petition_type)
    if f.level:
        records = records.filter(level=f.level)
    if f.repeat is not None:
        records = records.filter(repeat_of__isnull=not f.repeat)
    if f.overdue is not None:
        late = Exists(Case.unscoped.overdue().filter(pk=OuterRef("case_id")))
        records = records.filter(late) if f.overdue else records.exclude(late)
    if f.received_since:
        records = records.filter(case__received_at__gte=day_start(f.received_since))
    if f.received_until:
        records = records.filter(case__received_at__lt=day_end(f.received_until))
    q = (f.q or "").strip()
    if q:
        records = records.filter(Q(case__code=q) | Q(case__title__contains=q))
    return records.select_related("case", "case__region", "case__lead_unit", "repeat_of", "review_of").order_by(
        "-case__received_at", "-case_id"
    )


def repeat_rate(records: QuerySet[PetitionRecord]) -> dict:
    """{total, repeats, rate}: the share of the listed petitions linked to an earlier one
    (REPEAT_RATE_DEFINITION); rate None when there are none."""
    counts = records.order_by().aggregate(total=Count("pk"), repeats=Count("pk", filter=Q(repeat_of__isnull=False)))
    total = counts["total"]
    return {**counts, "rate": rate(counts["repeats"], total)}
