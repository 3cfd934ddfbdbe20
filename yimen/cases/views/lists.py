"""The inbox (/cases/): the member's unit's work in five buckets (待签收, 办理中, 即将超期, 已超期,
已办结), every visible case with the list filters, and the unit's unread notices; and the
supervision board (/cases/supervision/)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from yimen.cases import page_selectors, rules, search, selectors, services, sorting, timeline
from yimen.cases.forms import CaseFilterForm
from yimen.cases.models import Assignment, Case, Risk, SupervisionLevel
from yimen.core.calendar import day_end
from yimen.core.errors import Invalid
from yimen.core.forms import add_service_errors
from yimen.core.identity import mask_phone
from yimen.core.permissions import member_required
from yimen.core.schemas import parse_id

from .common import htmx_fragment, private

PAGE_SIZE = 20
TABS = {**selectors.INBOX_BUCKETS, "all": "全部可见"}
NOTICES_SHOWN = 8  # cases with unread notices listed above the queue
NOTICES_READ = 100  # of the newest unread notices, grouped by case
BOARD_LIMIT = 500
SECTION_LIMIT = 20  # rows drawn per section; the list page filters the rest
SUPERVISION_ACTIONS = ("urge", "supervise", "censure")
FILTERS_BEYOND_Q = ("state", "kind", "risk", "region", "overdue", "received_since", "received_until")


class CappedPaginator(Paginator):
    """Counts a list up to `cap` rows: counting a county's million visible cases on every view
    costs more than the page itself, and nobody pages past the five-hundredth page (the filters
    narrow a list; GET /cases caps its count alike, selectors.count_capped). An inbox tab passes the count its bucket
    already has (`known`, itself counted up to `cap` + 1)."""

    def __init__(self, object_list, per_page, *, cap: int = selectors.LIST_COUNT_CAP, known: int | None = None):
        super().__init__(object_list, per_page)
        self.cap, self.known = cap, known

    @cached_property
    def count(self) -> int:
        return self.known if self.known is not None else self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


@dataclass
class Row:
    """One line of a list: the case, the unit's assignment on it (bucket tabs) and its due time.
    Each value is worked out once: the row's template reads most of them twice."""

    case: Case
    assignment: Assignment | None = None
    matched: str = ""  # where the search box's words were found

    @cached_property
    def href(self) -> str:
        return reverse("cases:detail", args=[self.case.code])

    @cached_property
    def deadline(self) -> datetime | None:
        return self.assignment.deadline if self.assignment else self.case.deadline

    @cached_property
    def open(self) -> bool:
        if self.assignment is None:
            return self.case.state in Case.ACTIVE
        return self.assignment.state in (Assignment.State.PENDING, Assignment.State.SIGNED)

    @cached_property
    def overdue(self) -> bool:
        if self.assignment is None:
            return self.case.is_overdue
        return self.open and self.deadline is not None and self.deadline < timezone.now()

    @cached_property
    def due_today(self) -> bool:
        """Open work due before this day ends in Beijing, not yet late: 今日到期."""
        if not self.open or self.deadline is None or self.overdue:
            return False
        return self.deadline < day_end(timezone.localdate())


def _shown(count: int | None) -> int | str | None:
    return f"{selectors.DONE_COUNT_CAP}+" if count is not None and count > selectors.DONE_COUNT_CAP else count


def _default_tab(member) -> str:
    """Handling units start at what waits for their signature; the centre at every case."""
    return "pending" if member.has_perm("case.sign") else "all"


def _all_cases(member, form: CaseFilterForm, sort: str) -> QuerySet[Case]:
    if not form.is_valid():
        return Case.objects.none()
    # The row's columns alone; what the search box's match line reads too when the box was used.
    fields = (*selectors.ROW_FIELDS, *(selectors.SEARCHED_FIELDS if form.cleaned_data["q"] else ()))
    try:
        cases = selectors.case_list(member=member, filters=selectors.CaseFilters(**form.cleaned_data, sort=sort))
    except Invalid as exc:
        add_service_errors(form, exc)
        return Case.objects.none()
    return cases.only(*fields)


def _forget_phone(form: CaseFilterForm) -> str:
    """A search by phone is never echoed: the box is emptied (its page links too) and the page
    names the number masked, as the registry search does. Returns that line, or ""."""
    phone = search.searched_phone(form.data.get("q", ""))
    if not phone:
        return ""
    form.data = form.data.copy()
    form.data["q"] = ""
    return f"按手机号 {mask_phone(phone)} 查询"


@member_required("case.view")
@vary_on_headers("HX-Request")
def case_inbox(request: HttpRequest) -> HttpResponse:
    member = request.member
    tab = request.GET.get("tab") or _default_tab(member)
    tab = tab if tab in TABS else _default_tab(member)
    form = CaseFilterForm(request.GET, regions=page_selectors.region_filter_choices(member=member))
    fragment = htmx_fragment(request)
    counts = None if tab == "all" and fragment else selectors.unit_inbox_counts(member=member)
    chosen = request.GET.get("sort")
    if tab == "all":
        sort = sorting.parse_sort(chosen, sorting.NEWEST)
        page_obj = CappedPaginator(_all_cases(member, form, sort), PAGE_SIZE).get_page(request.GET.get("page"))
        cases = list(page_obj)
        places = search.match_places(cases, form.data.get("q", "")) if form.is_valid() else {}
        items = [Row(case, matched=places.get(case.pk, "")) for case in cases]
    else:
        sort = chosen if chosen in sorting.SORT_KEYS else None
        rows = selectors.unit_inbox(member=member, bucket=tab, sort=sort)
        paginator = CappedPaginator(rows, PAGE_SIZE, cap=selectors.DONE_COUNT_CAP, known=counts[tab])
        page_obj = paginator.get_page(request.GET.get("page"))
        items = [Row(assignment.case, assignment) for assignment in page_obj]
    searched = _forget_phone(form) if tab == "all" else ""
    query = form.data.copy()
    query.pop("page", None)
    query["tab"] = tab
    headers = _sort_headers(query, sort or ("-received" if tab == "done" else sorting.DUE_FIRST), tab)
    context = {"tab": tab, "form": form, "page_obj": page_obj, "items": items, "query": query.urlencode()}
    context |= {"headers": headers, "sort": sort or ""}
    context["filtered"] = any(request.GET.get(name) for name in FILTERS_BEYOND_Q)
    context["searched"] = searched
    if fragment:
        response = private(TemplateResponse(request, "cases/_rows.html", context))
        if searched:  # the form's GET would put the number into the address bar and history
            response["HX-Push-Url"] = "false"
        return response
    notices = selectors.notifications_for(member=member, unread_only=True)
    newest = list(notices.only("level", "text", "created_at", "case__code")[:NOTICES_READ])
    context |= {
        "tabs": [(key, label, _shown(counts.get(key))) for key, label in TABS.items()],
        "worklist": _worklist(member),
        "notices": _one_per_case(newest),
        # fewer than were asked for are all there are: no second query to count them
        "notice_count": len(newest) if len(newest) < NOTICES_READ else notices.count(),
        "can_register": member.has_perm("case.register"),
    }
    return private(TemplateResponse(request, "cases/list.html", context))


def _sort_headers(query, sort: str, tab: str) -> list[dict]:
    """The list's column headers as sort links: a click sorts by that column, a second click
    reverses it; `aria-sort` tells a screen reader which column orders the rows. The links keep
    the filters and drop the page (a new order starts at its first page)."""
    headers = []
    for key, (_, _, label) in sorting.COLUMNS.items():
        if key == "received":
            continue  # no column of its own: the default order of every visible case
        if key == "unit" and tab != "all":
            label = "本单位"
        current = sort.lstrip("-") == key
        link = query.copy()
        link["sort"] = f"-{key}" if sort == key else key
        descending = sorting.COLUMNS[key][1] != sort.startswith("-")
        aria = ("descending" if descending else "ascending") if current else None
        headers.append({"key": key, "label": label, "href": f"?{link.urlencode()}", "aria": aria})
    return headers


def _one_per_case(notices) -> list:
    """One line per case (issue 21 item 5: six 催办 on one case pushed the queue below the fold):
    its newest unread notice, with `also` the number of older ones it stands for."""
    lines: dict[int, object] = {}
    for notice in notices:
        if notice.case_id in lines:
            lines[notice.case_id].also += 1
        elif len(lines) < NOTICES_SHOWN:
            notice.also = 0
            lines[notice.case_id] = notice
    return list(lines.values())


def _worklist(member) -> list[tuple[str, str, int]]:
    """The centre's own queues (待受理, 待派单, 退单待处理, 待审核, 待回访) as quick filters."""
    if not member.has_perm("case.accept"):
        return []
    counts = selectors.centre_worklist_counts(member=member)
    return [(state, label, _shown(counts[state])) for state, label in selectors.CENTRE_BUCKETS.items()]


@member_required("case.view")
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice read, or all unread ones ("all")."""
    member = request.member
    unread = selectors.notifications_for(member=member, unread_only=True)
    if request.POST.get("all"):
        chosen = list(unread[:BOARD_LIMIT])
    else:  # a line stands for its case's notices: all of them are read together
        picked = unread.filter(pk=parse_id(request.POST.get("notification"), field="notification")).first()
        chosen = list(unread.filter(case_id=picked.case_id)[:BOARD_LIMIT]) if picked else []
    for notice in chosen:
        services.notification_read(member=member, notification=notice)
    messages.success(request, f"已将 {len(chosen)} 条通知标为已读。")
    return redirect(f"{reverse('cases:list')}?tab={request.POST.get('tab', '')}")


@member_required("case.view")
def supervision_board(request: HttpRequest) -> HttpResponse:
    """督办看板: late work by level (通报, 督办, 催办) and the red and orange cases with their
    joint-handling plans; the supervisor's urge / supervise / censure buttons beside each; the
    open 督办单 with the answers due and the reports owed to the county (earliest due first)."""
    member = request.member
    cases = list(selectors.supervision_board(member=member).prefetch_related("assignments")[:BOARD_LIMIT])
    levels = {level: [] for level in (SupervisionLevel.CENSURE, SupervisionLevel.SUPERVISE, SupervisionLevel.URGE)}
    risky = []
    for case in cases:
        allowed = rules.allowed_actions(case=case, member=member)
        level = SupervisionLevel(case.overdue_level)
        row = {
            "case": case,
            "level": level,
            "actions": [
                (action, timeline.label(action), reverse(f"cases:action_{action}", args=[case.code]))
                for action in SUPERVISION_ACTIONS
                if action in allowed
            ],
        }
        if row["level"] in levels:
            levels[row["level"]].append(row)
        if case.risk in (Risk.RED, Risk.ORANGE):
            risky.append(row)
    context = {
        "sections": [(SupervisionLevel(level), rows[:SECTION_LIMIT], len(rows)) for level, rows in levels.items()],
        "risky": risky[:SECTION_LIMIT],
        "risky_count": len(risky),
        "section_limit": SECTION_LIMIT,
        "shown": len(cases),
        "limit": BOARD_LIMIT,
        "orders": list(selectors.supervision_orders_open(member=member)[:SECTION_LIMIT]),
        "reports": list(selectors.upward_reports_owed(member=member)[:SECTION_LIMIT]),
    }
    return private(TemplateResponse(request, "cases/supervision.html", context))
