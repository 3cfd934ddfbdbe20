"""One case as its page and the API read it: the case the member may see (else 404), its
timeline, contacts, attachments and documents."""

from datetime import datetime

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from yimen.cases.extensions import case_read
from yimen.cases.models import (
    Assignment,
    Case,
    Kind,
    TimelineEvent,
)
from yimen.cases.rules import may_print_receipt
from yimen.core.documents import DOCX, PDF
from yimen.org.models import Unit


def _detail_prefetch() -> tuple:
    return (
        "parties",
        "accused_units",
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role", "id")),
    )


def _detail(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.select_related(
        "region", "first_unit", "lead_unit", "category", "policy", "merged_into", "registered_by"
    ).prefetch_related(*_detail_prefetch())


def case_as_registered(*, member, case: Case) -> Case:
    """The case `member` has just registered, as case_get_visible would answer it, without
    reading it again (issue 22: the re-read cost more than the registration): the visibility
    rule checked by one existence query (404 as there), the parties, accused units and
    assignments fetched onto the instance, which already holds its other relations."""
    if not Case.objects.visible_to(member).filter(pk=case.pk).exists():
        raise Http404
    prefetch_related_objects([case], *_detail_prefetch())
    return case


def case_get_visible(*, member, code: str) -> Case:
    """The case with this code if the member may see it, else 404 (Http404); the read hooks
    (extensions.register_case_read) hear of it."""
    if "\x00" in code:
        raise Http404
    case = get_object_or_404(_detail(Case.objects.visible_to(member)), code=code)
    case_read(member, case)
    return case


def case_timeline(*, case: Case) -> QuerySet[TimelineEvent]:
    """The case's events, oldest first (the first is `register`)."""
    return case.events.select_related("unit").order_by("at", "id")


def case_contacts(case: Case) -> QuerySet[TimelineEvent]:
    """The case's contacts with its parties (issue 14 part 3): its `note` events that carry a
    contact record (data.contact: party index, name, channel, result), oldest first."""
    return case_timeline(case=case).filter(action="note", data__has_key="contact")


def village_resolution(cases: QuerySet[Case], *, window: tuple[datetime, datetime] | None = None) -> tuple[int, int]:
    """小事不出村, the one definition the dashboard and the mediation statistics share (issue 14
    part 2): of the disputes among `cases` closed (in `window`, [start, end), by closing time),
    how many had a village committee as lead unit when they closed — dispatched to it, or taken
    by it itself (自办). Returns (by the village, closed); a case reopened after closing counts
    again only once it closes again (closed_at is cleared on reopening)."""
    closed = cases.filter(kind=Kind.DISPUTE, closed_at__isnull=False)
    if window is not None:
        closed = closed.filter(closed_at__gte=window[0], closed_at__lt=window[1])
    got = closed.order_by().aggregate(
        village=Count("pk", filter=Q(lead_unit__kind=Unit.Kind.VILLAGE)), closed=Count("pk")
    )
    return got["village"], got["closed"]


def case_attachments(*, case: Case):
    return case.attachments.order_by("uploaded_at", "id")


def case_documents(*, case: Case, member) -> list[dict]:
    """The documents a case has: the receipt (回执) for those who may print it
    (rules.may_print_receipt: it carries the citizen's lookup token), then the latest issue of
    each kind and format the later apps stored (agreement, acceptance notice, handling opinion …).
    `kind` and `format` address the download URL."""
    items = []
    if may_print_receipt(member, case):
        items.append(
            {
                "kind": "receipt",
                "title": f"受理回执（{case.code}）",
                "url": f"/api/v1/cases/{case.code}/documents/receipt",
                "content_type": PDF,
            }
        )
    latest: dict[tuple[str, str], str] = {}
    for kind, fmt, title in case.documents.order_by("issued_at", "id").values_list("kind", "format", "title"):
        latest[(kind, fmt)] = title
    for (kind, fmt), title in latest.items():
        items.append(
            {
                "kind": kind,
                "title": f"{title}（{fmt.upper()}）",
                "url": f"/api/v1/cases/{case.code}/documents/{kind}?format={fmt}",
                "content_type": DOCX if fmt == "docx" else PDF,
            }
        )
    return items
