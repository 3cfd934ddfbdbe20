"""The command centre's pages: the dashboard (/dashboard/), its JSON for the charts and the
map, the boards fragment, and the big screen (/dashboard/screen/) that refreshes itself."""

from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from yimen.cases.page_selectors import region_filter_choices
from yimen.cases.views.common import private
from yimen.core.errors import Invalid
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.emergency import selectors as emergency
from yimen.insight import selectors
from yimen.insight.forms import PeriodForm
from yimen.insight.services.reports import open_actions_overdue
from yimen.insight.topics import selectors as topic_selectors
from yimen.org.models import Membership

SCREEN_REFRESH_SECONDS = 60


def _board(request, form: PeriodForm | None = None, *, member: Membership | None = None) -> selectors.Board:
    """The board the query asks for, as `member` (default: the request's) sees it; an impossible
    period falls back to the default period with the reason on the form (a page never fails over
    a typo in a date)."""
    get, member = request.GET, member or request.member
    try:
        return selectors.kpi_board(
            member=member, region=get.get("region"), since=get.get("since"), until=get.get("until")
        )
    except Invalid as exc:
        if form is None:
            raise
        add_service_errors(form, exc)
        return selectors.kpi_board(member=member, region=get.get("region"))


def _query(board: selectors.Board) -> str:
    return urlencode({"region": board.region.code, "since": board.period.since, "until": board.period.until})


@member_required("dashboard.view")
def dashboard(request):
    member = request.member
    form = PeriodForm(request.GET or None, regions=region_filter_choices(member=member))
    board = _board(request, form)
    if not form.is_bound:  # show what is shown: the default region and period in the fields
        form = PeriodForm(
            regions=form.fields["region"].choices,
            initial={
                "region": board.region.code,
                "since": board.period.since.isoformat(),
                "until": board.period.until.isoformat(),
            },
        )
    query = _query(board)
    context = {
        "form": form,
        "board": board,
        "cards": selectors.kpi_cards(board),
        "boards": selectors.boards(member=member, region=board.region, overdue_total=board.values["overdue"]),
        "drill": selectors.drill_rows(member=member, board=board),
        "empty": not board.values["counts"]["received"] and not board.values["overdue"],
        "data_url": f"{reverse('insight:data')}?{query}",
        "query": query,
        "actions_overdue": open_actions_overdue(member=member),
        "can_export_cases": member.has_perm("case.export"),
        "cases_url": f"{reverse('cases:list')}?{urlencode({'tab': 'all', 'region': board.region.code})}",
        "projects": topic_selectors.followed_projects(member=member) if member.has_perm("topic.view") else None,
        # 快警站's day (issue 17 part 8), for those who may read the station's registers.
        "station_day": emergency.station_day(member, timezone.localdate())
        if member.has_perm("lostfound.view")
        else None,
    }
    status = 422 if form.errors else 200
    return private(TemplateResponse(request, "insight/dashboard.html", context, status=status))


@member_required("dashboard.view")
def data(request):
    """The charts' and the map's data as JSON (see board_data)."""
    return board_data(request, request.member)


def board_data(request, member: Membership) -> JsonResponse:
    """The charts' and the map's data as `member` sees them; an impossible period → 422, a region
    outside the jurisdiction → 404, both in API.md's error shape."""
    try:
        board = _board(request, member=member)
    except Invalid as exc:
        return JsonResponse({"detail": exc.message, "code": exc.code, "errors": exc.errors}, status=422)
    except Http404:
        return JsonResponse({"detail": "未找到，或不在您的管辖范围内。", "code": "not_found", "errors": {}}, status=404)
    body = {
        **selectors.dashboard_data(member=member, board=board),
        "map": selectors.map_layers(member=member, board=board),
        "boards": selectors.board_json(
            selectors.boards(member=member, region=board.region, overdue_total=board.values["overdue"])
        ),
        "now": emergency.screen_now(member),
    }
    return private(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@member_required("dashboard.view")
def screen(request):
    """大屏: 1920×1080, dark; its script fetches the data every SCREEN_REFRESH_SECONDS."""
    return screen_page(request, request.member, data_name="insight:data")


def screen_page(
    request, member: Membership, *, data_name: str, features_name: str = "geo:map_features", display: bool = False
) -> TemplateResponse:
    """The big screen as `member` sees it; `display`: opened with a display grant (no way back
    into the staff pages)."""
    board = _board(request, PeriodForm(regions=[]), member=member)
    context = {
        "board": board,
        # Without the period: each refresh takes the default one again (past midnight too).
        "data_url": f"{reverse(data_name)}?{urlencode({'region': board.region.code})}",
        "refresh": SCREEN_REFRESH_SECONDS,
        "features_url": reverse(features_name),
        "display": display,
    }
    return private(TemplateResponse(request, "insight/screen.html", context))
