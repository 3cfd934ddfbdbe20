"""Reads of cases, always scoped by Case.objects.visible_to (DESIGN §8). The API and the pages
call these same functions; "not yours" is 404, never a hint that the case exists."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case as Choose
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases import sorting, timeline
from yimen.cases.deadlines import DUE_SOON
from yimen.cases.extensions import case_read
from yimen.cases.models import (
    RISK_ORDER,
    Assignment,
    Case,
    Kind,
    Notification,
    Party,
    Risk,
    SupervisionOrder,
    TimelineEvent,
    UpwardReport,
    Whistle,
    WhistleCall,
    held_reach,
)
from yimen.cases.rules import may_print_receipt
from yimen.cases.search import search
from yimen.core.calendar import day_end, day_start
from yimen.core.documents import DOCX, PDF
from yimen.geo.models import Region
from yimen.org.models import Unit

# Steps the citizen sees on the public lookup: supervision, risk, progress notes (they name the
# parties) and withdrawn co-units stay internal.
PUBLIC_ACTIONS = frozenset(
    {
        "register",
        "accept",
        "decline",
        "dispatch",
        "sign",
        "redispatch",
        "reply",
        "review",
        "extend",
        "close",
        "follow_up",
        "archive",
        "merge",
        "refer",
        "rate",
        "take",  # the unit at whose door it arrived handles it: the citizen's matter is in hand
    }
)


@dataclass
class CaseFilters:
    """The list filters of GET /cases (API.md) and the case list page."""

    state: str | None = None
    kind: str | None = None
    region: str | None = None  # a region code: its whole subtree
    risk: str | None = None
    overdue: bool | None = None
    q: str = ""
    received_since: date | None = None  # inclusive, a day in Beijing time
    received_until: date | None = None  # inclusive
    lead_unit: str | None = None
    sort: str = sorting.NEWEST  # a key of cases.sorting


def case_list(*, member, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The member's visible cases, filtered, in the filters' order (newest received first unless
    another column is chosen); one query for a page of rows (region and lead unit joined)."""
    filters = filters or CaseFilters()
    cases = Case.objects.visible_to(member).select_related("region", "lead_unit")
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.risk:
        cases = cases.filter(risk=filters.risk)
    if filters.region:
        place = Region.objects.filter(code=filters.region).only("path").first()
        if place is None:  # no such region: nothing lies in it
            return Case.objects.none()
        cases = cases.filter(region_path__startswith=place.path)
    if filters.lead_unit:
        cases = cases.filter(lead_unit__code=filters.lead_unit)
    if filters.overdue is not None:
        overdue = Case.unscoped.overdue().filter(pk=OuterRef("pk"))
        cases = cases.filter(Exists(overdue)) if filters.overdue else cases.exclude(Exists(overdue))
    if filters.received_since:
        cases = cases.filter(received_at__gte=day_start(filters.received_since))
    if filters.received_until:
        cases = cases.filter(received_at__lt=day_end(filters.received_until))
    q = (filters.q or "").strip()
    if q:
        cases = cases.filter(search(q))
    if filters.sort == sorting.NEWEST:  # the default, straight down the received index
        return cases.order_by("-received_at", "-id")
    return sorting.order_cases(cases, filters.sort)


def person_cases(*, member, person) -> QuerySet[Case]:
    """The cases of a registry person that the member may see (API.md GET /persons/{id}/cases):
    a party linked to the person, or one whose ID number or phone has the person's blind index
    (a caller registered before the person was, or without picking them). Newest first, one
    query for the rows (region and lead unit joined); the party indexes serve each arm."""
    same = Q(person_id=person.pk)
    if person.id_number_index:
        same |= Q(id_number_index=person.id_number_index)
    if person.phone_index:
        same |= Q(phone_index=person.phone_index)
    theirs = Party.objects.filter(same, case=OuterRef("pk"))
    cases = Case.objects.visible_to(member).filter(Exists(theirs)).select_related("region", "lead_unit")
    return cases.order_by("-received_at", "-id")


# A list is counted up to this many rows (issue 22): an exact count of a county's million visible
# cases cost more than the page itself on every view, and nobody pages past the 400th page — the
# filters narrow a list. Beyond it a list says "more than" (the page) or count_exact: false (API).
LIST_COUNT_CAP = 10_000


def count_capped(cases: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the rows of `cases` counted up to `cap` (LIST_COUNT_CAP), unordered (the
    count needs no sort); beyond it (cap, False). The cost grows with the cap, not the table."""
    cap = LIST_COUNT_CAP if cap is None else cap
    found = cases.order_by()[: cap + 1].count()
    return (found, True) if found <= cap else (cap, False)


def case_page(
    *, member, filters: CaseFilters | None = None, page: int = 1, page_size: int = 50
) -> tuple[int, bool, list[Case]]:
    """(count, whether the count is exact, rows of that page): the count is capped
    (count_capped), so the first page costs the same at ten thousand cases as at ten million."""
    cases = case_list(member=member, filters=filters)
    start = (page - 1) * page_size
    count, exact = count_capped(cases)
    return count, exact, list(cases[start : start + page_size])


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


def public_case_get(*, token: str) -> Case:
    """A case by its public token, for the citizen's lookup (no login); 404 when unknown."""
    if "\x00" in token:  # PostgreSQL text cannot hold NUL; no token does
        raise Http404
    return get_object_or_404(public_case_base(), public_token=token)


def public_case_base() -> QuerySet[Case]:
    """The columns a public page reads; the citizens' lookup by code starts here too."""
    fields = ("id", "code", "state", "public_rated_at", "kind", "public_token", "accept_deadline", "deadline")
    return Case.unscoped.select_related("policy").only(*fields, "extension_days", "closed_at", "policy__source")


# The steps and states in the citizen's words (issue 21 item 12): no office words like 审核 or
# 签收; the staff timeline keeps timeline.label.
CITIZEN_STEPS = {
    "register": "事项已登记",
    "accept": "综治中心已受理",
    "decline": "不予受理",
    "dispatch": "已交承办单位办理",
    "sign": "承办单位已受理，正在办理",
    "redispatch": "已改由其他单位办理",
    "reply": "承办单位已提出处理结果",
    "review": "综治中心已核实处理结果",
    "extend": "办理时间依规延长",
    "close": "已办结",
    "follow_up": "已回访",
    "archive": "已办结存档",
    "merge": "与同一事项合并办理",
    "refer": "已转交有权处理的部门",
    "rate": "您已评价",
    "take": "首接单位已受理，直接办理",
}
CITIZEN_STATES = {
    "registered": "已登记，等待受理",
    "accepted": "已受理",
    "declined": "不予受理",
    "merged": "已与同一事项合并办理",
    "referred": "已转交有权处理的部门",
    "dispatched": "已交承办单位",
    "disputed": "正在确定承办单位",
    "in_progress": "办理中",
    "replied": "已有处理结果，正在核实",
    "closed": "已办结",
    "followed_up": "已办结",
    "archived": "已办结",
}


def _citizen_step(action: str, data: dict) -> str:
    if action == "review" and not (data or {}).get("approved", True):
        return "处理结果未通过核实，承办单位继续办理"
    return CITIZEN_STEPS.get(action, timeline.label(action))


def public_steps(*, case: Case) -> list[dict]:
    """The steps a citizen sees: when, what (in the citizen's words) and which unit — no
    names, phones, notes or risk."""
    events = case.events.filter(action__in=PUBLIC_ACTIONS).select_related("unit").order_by("at", "id")
    return [
        {
            "at": timezone.localtime(e.at),
            "action": e.action,
            "label": _citizen_step(e.action, e.data),
            "unit": e.unit.name if e.unit else "",
        }
        for e in events
    ]


def public_state_label(case: Case) -> str:
    return CITIZEN_STATES.get(case.state, case.get_state_display())


def public_answer(*, case: Case) -> str:
    """The unit's answer in its own words, shown to the citizen once it is released: the centre
    has checked it and closed the case (review approved)."""
    if case.state not in Case.DONE:
        return ""
    event = case.events.filter(action="reply").order_by("-at", "-id").only("note").first()
    return event.note if event else ""


def _day(at) -> str:
    local = timezone.localtime(at)
    return f"{local.year}年{local.month}月{local.day}日"


def public_clocks(*, case: Case, now=None) -> list[str]:
    """The legal clocks in plain words (issue 19 part 3): by when the centre tells whether it
    takes the matter, by when the unit must finish (and the rule it follows), an extension, a
    passed deadline under supervision, the day it was finished."""
    now = now or timezone.now()
    lines = []
    if case.state == Case.State.REGISTERED and case.accept_deadline:
        lines.append(f"综治中心应在 {_day(case.accept_deadline)} 前告知您是否受理。")
    if case.state in Case.ACTIVE and case.deadline:
        source = case.policy.source if case.policy_id and case.policy.source else ""
        basis = f"（依据{source}）" if source else ""
        lines.append(f"承办单位应在 {_day(case.deadline)} 前办结{basis}。")
        if case.extension_days:
            lines.append(f"办理时间已依规延长 {case.extension_days} 天。")
        if case.deadline < now:
            lines.append("已超过办结期限，综治中心正在督促办理。")
    if case.state in Case.DONE and case.closed_at:
        lines.append(f"已于 {_day(case.closed_at)} 办结。")
    return lines


# ---------------------------------------------------------------------------------------------
# Inboxes and boards

INBOX_BUCKETS = {
    "pending": "待签收",
    "in_progress": "办理中",
    "due_soon": "即将超期",
    "overdue": "已超期",
    "done": "已办结",
}


def _bucket_filters(now: datetime) -> dict[str, Q]:
    working = Q(state=Assignment.State.SIGNED)
    return {
        "pending": Q(state=Assignment.State.PENDING),
        "in_progress": working,
        "due_soon": Q(state__in=(Assignment.State.PENDING, Assignment.State.SIGNED), deadline__gte=now)
        & Q(deadline__lt=now + DUE_SOON),
        "overdue": Q(state__in=(Assignment.State.PENDING, Assignment.State.SIGNED), deadline__lt=now),
        "done": Q(state=Assignment.State.REPLIED),
    }


def _unit_assignments(member) -> QuerySet[Assignment]:
    """The member's unit's assignments on cases the member may see: an assignment makes its case
    visible to the unit within the member's reach (held_reach: their jurisdiction, confidential
    kinds for the acting seats), save the cases hidden from the member (Case.objects.hidden_from)
    — the same cases Case.objects.visible_to gives the member through the unit."""
    if not member.has_perm("case.view"):
        return Assignment.objects.none()
    # Correlated per assignment (three index probes), not "case_id NOT IN (every hidden case)",
    # which would scan the whole case table for a set that is almost always empty. The reach is
    # a condition on the joined case row, which the inbox reads anyway.
    hidden = Case.objects.hidden_from(member).filter(pk=OuterRef("case_id"))
    mine = Assignment.objects.filter(held_reach(member, prefix="case__"), unit_id=member.unit_id)
    return mine.exclude(Exists(hidden))


def unit_inbox(*, member, bucket: str, now: datetime | None = None, sort: str | None = None) -> QuerySet[Assignment]:
    """One bucket of the member's unit's assignments (待签收, 办理中, 即将超期, 已超期, 已办结),
    with the case joined: what is due first, red before blue at the same deadline (issue 21:
    a 24-hour domestic-violence case never sinks under routine matters), or the chosen column;
    已办结 newest reply first. Accusations against the unit never appear."""
    now = now or timezone.now()
    rows = _unit_assignments(member).filter(_bucket_filters(now)[bucket]).select_related("case", "case__region", "unit")
    if sort is None and bucket == "done":
        return rows.order_by("-replied_at", "-id")
    return sorting.order_cases(rows, sort or sorting.DUE_FIRST, prefix="case__")


# A busy unit finishes thousands of assignments a year: the 已办结 tab counts up to this many
# and shows "999+" beyond, so the inbox costs the same in its tenth year as in its first.
DONE_COUNT_CAP = 999


def unit_inbox_counts(*, member, now: datetime | None = None) -> dict[str, int]:
    """The five bucket sizes: the four open buckets in one query over the unit's open
    assignments (the index on unit, state, deadline), and 已办结 up to DONE_COUNT_CAP + 1."""
    now = now or timezone.now()
    rows = _unit_assignments(member)
    buckets = _bucket_filters(now)
    done = buckets.pop("done")
    open_rows = rows.filter(state__in=(Assignment.State.PENDING, Assignment.State.SIGNED))
    counts = open_rows.aggregate(**{name: Count("pk", filter=q) for name, q in buckets.items()})
    counts["done"] = rows.filter(done).order_by()[: DONE_COUNT_CAP + 1].count()
    return counts


CENTRE_BUCKETS = {
    "registered": "待受理",
    "accepted": "待派单",
    "disputed": "退单待处理",
    "replied": "待审核",
    "closed": "待回访",
}


def centre_worklist_counts(*, member) -> dict[str, int]:
    """The first receiver's and the dispatcher's queues, each counted up to DONE_COUNT_CAP + 1:
    a county's years of closed cases awaiting follow-up need no exact count on every view."""
    cases = Case.objects.visible_to(member).order_by()
    return {state: cases.filter(state=state)[: DONE_COUNT_CAP + 1].count() for state in CENTRE_BUCKETS}


def supervision_board(*, member, now: datetime | None = None) -> QuerySet[Case]:
    """督办看板: open red and orange cases, and open cases that are late or under supervision,
    red first, then by deadline."""
    now = now or timezone.now()
    cases = Case.objects.visible_to(member).active()
    late = Q(deadline__lt=now) | Q(state=Case.State.REGISTERED, accept_deadline__lt=now)
    hot = Q(risk__in=(Risk.RED, Risk.ORANGE)) | Q(supervision_level__gt=0) | late
    rank = Choose(*(When(risk=risk, then=Value(n)) for risk, n in RISK_ORDER.items()), output_field=IntegerField())
    return (
        cases.filter(hot)
        .annotate(risk_rank=rank)
        .select_related("region", "lead_unit", "first_unit")
        .order_by("-risk_rank", "deadline", "id")
    )


def supervision_orders(*, case: Case) -> QuerySet[SupervisionOrder]:
    """A case's 督办单, first issued first, with the unit each is addressed to (the case has
    been found visible already)."""
    return case.supervision_orders.select_related("unit").order_by("issued_at", "id")


def supervision_order_get(*, case: Case, order_id: int) -> SupervisionOrder:
    """One of the case's 督办单; another case's, or none → 404."""
    return get_object_or_404(supervision_orders(case=case).select_related("case"), pk=order_id)


def supervision_orders_open(*, member) -> QuerySet[SupervisionOrder]:
    """督办看板: the unanswered 督办单 on cases the member sees, the earliest correction deadline
    first (so the overdue ones lead)."""
    visible = Case.objects.visible_to(member)
    return (
        SupervisionOrder.objects.filter(answered_at=None, case__in=visible)
        .select_related("case", "unit")
        .order_by("correct_by", "id")
    )


def upward_report(*, case: Case) -> UpwardReport | None:
    """The report to the county the (visible) case owes or filed, if its risk tier asked one."""
    return UpwardReport.objects.filter(case=case).first()


def upward_reports_owed(*, member) -> QuerySet[UpwardReport]:
    """督办看板: the reports to the county still owed on cases the member sees, earliest due
    first (so the overdue ones lead)."""
    visible = Case.objects.visible_to(member)
    return (
        UpwardReport.objects.filter(reported_at=None, case__in=visible).select_related("case").order_by("due_at", "id")
    )


def order_documents(order: SupervisionOrder) -> list[dict]:
    """The DOCX and PDF download links of one 督办单 (stored under its own document kind)."""
    code, kind = order.case.code, order.document_kind
    return [
        {
            "kind": kind,
            "title": f"{order.number}（{fmt.upper()}）",
            "url": f"/api/v1/cases/{code}/documents/{kind}?format={fmt}",
            "content_type": content_type,
        }
        for fmt, content_type in (("docx", DOCX), ("pdf", PDF))
    ]


def notifications_for(*, member, unread_only: bool = False) -> QuerySet[Notification]:
    """The member's own notices and their unit's, newest first, about cases they may see (a
    notice never tells an accused person of the accusation)."""
    notices = Notification.objects.filter(Q(member=member) | Q(unit_id=member.unit_id, member=None))
    notices = notices.filter(case__in=Case.objects.visible_to(member))
    if unread_only:
        notices = notices.filter(read_at=None)
    return notices.select_related("case").order_by("-created_at", "-id")


def similar_cases(*, member, person_ids=(), region: str | None = None, exclude: str | None = None, days: int = 180):
    """Hints for the intake desk: recent visible cases of the same registry persons or the same
    place (the region's subtree), newest first."""
    since = timezone.now() - timedelta(days=days)
    match = Q()
    if person_ids:
        match |= Exists(Party.objects.filter(case=OuterRef("pk"), person_id__in=list(person_ids)))
    if region:
        place = Region.objects.filter(code=region).only("path").first()
        if place is not None:
            match |= Q(region_path__startswith=place.path)
    if not match:
        return Case.objects.none()
    cases = Case.objects.visible_to(member).filter(match, received_at__gte=since)
    if exclude:
        cases = cases.exclude(code=exclude)
    return cases.select_related("region").order_by("-received_at", "-id")[:10]


# ---------------------------------------------------------------------------------------------
# 吹哨报到: a case's whistles, and the open ones summoning a member's unit


def _calls() -> Prefetch:
    return Prefetch("calls", queryset=WhistleCall.objects.select_related("unit").order_by("id"))


def case_whistles(*, case: Case) -> list[Whistle]:
    """The case's whistles, open ones first, newest first within each (two queries whatever
    their number)."""
    rows = case.whistles.select_related("summoned_by_user", "summoned_by_unit").prefetch_related(_calls())
    return list(rows.order_by(F("released_at").desc(nulls_first=True), "-summoned_at", "-id"))


def whistle_get(*, case: Case, whistle_id: int) -> Whistle:
    """One whistle of this (already visible) case, else 404."""
    rows = Whistle.objects.select_related("case", "case__region").prefetch_related(_calls())
    return get_object_or_404(rows, case=case, pk=whistle_id)


def whistles_open_for(*, member) -> list[Whistle]:
    """The open whistles summoning the member's unit, on cases the member may see, soonest due
    first (the home page and the phone app)."""
    if not member.has_perm("case.view"):
        return []
    calls = WhistleCall.objects.filter(unit_id=member.unit_id, whistle__released_at=None)
    rows = (
        Whistle.objects.filter(Exists(calls.filter(whistle=OuterRef("pk"))), case__in=Case.objects.visible_to(member))
        .select_related("case", "case__region", "summoned_by_unit")
        .prefetch_related(_calls())
        .order_by("summoned_at", "id")
    )
    return [_with_mine(whistle, member.unit_id) for whistle in rows]


def whistles_open_in(*, member) -> list[Whistle]:
    """The open whistles on the cases in the member's jurisdiction, for the summoner's side
    (政法委员, dispatcher: `case.whistle`): "事不完人不撤" — each stays on their day until
    released. Oldest first: the longest open comes first."""
    if not member.has_perm("case.whistle"):
        return []
    rows = (
        Whistle.objects.filter(released_at=None, case__in=Case.objects.visible_to(member))
        .select_related("case", "case__region", "summoned_by_unit")
        .prefetch_related(_calls())
        .order_by("summoned_at", "id")
    )
    return list(rows)


def _with_mine(whistle: Whistle, unit_id: int) -> Whistle:
    whistle.mine = next(call for call in whistle.calls.all() if call.unit_id == unit_id)
    return whistle
