"""The phone app (/m/, API.md pages): server-rendered pages the service worker keeps for offline
use; every form is sent by m.js through the outbox to the JSON API (docs/notes-fieldwork.md)."""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from yimen.cases import catalogue
from yimen.cases.models import Case
from yimen.cases.selectors import public_steps, whistles_open_for
from yimen.core.permissions import member_required, public
from yimen.fieldwork import selectors
from yimen.fieldwork.models import Report, ReportPhoto
from yimen.org.home import phone_panels
from yimen.people import selectors as people

USE = "fieldwork.use"
# The shell the service worker precaches; the pages themselves are cached as they are visited.
SHELL = [
    "fieldwork/m.css",
    "fieldwork/m-fields.js",
    "fieldwork/m.js",
    "yimen/prefs.js",
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/dexie/dexie.min.js",
    "fieldwork/icon-192.png",
    "fieldwork/icon-512.png",
]
WORKBOX = {name: f"vendor/{name}/{name}.prod.js" for name in settings.FIELDWORK_WORKBOX if name != "workbox-sw"}


@member_required(USE)
def home(request):
    member = request.member
    context = {
        "areas": list(selectors.areas(member=member)),
        "tasks": selectors.tasks(member=member),
        "reports": list(selectors.my_reports(member=member)[:10]),
        "grid_cases": list(selectors.grid_cases(member=member).select_related("region")[:10]),
        "whistles": whistles_open_for(member=member),
        "panels": phone_panels(request),
    }
    return render(request, "fieldwork/m/home.html", context)


@member_required(USE)
def households(request):
    member = request.member
    code = request.GET.get("region", "")
    region = selectors.area_get(member=member, code=code) if code else None
    q = request.GET.get("q", "").strip()
    page = selectors.household_page(member=member, region=region, q=q, page=request.GET.get("page"))
    context = {
        "page": page,
        "groups": people.grouped_by_region(list(page)),
        "region": region,
        "q": q,
        "areas": selectors.areas(member=member),
    }
    return render(request, "fieldwork/m/households.html", context)


@member_required(USE)
def household(request, household_id: int):
    member = request.member
    found = selectors.household_get(member=member, household_id=household_id)
    members = people.household_members(member=member, household=found)
    context = {
        "household": found,
        "members": members,
        "notes": list(people.notes_for_household(household=found, members=members)[:10]),
        "today": timezone.localdate(),
        "alerts": list(selectors.alerts(member=member).filter(household=found)[:3]),
    }
    return render(request, "fieldwork/m/household.html", context)


@member_required(USE)
def report_new(request):
    rows = catalogue.catalogue_rows().filter(kind__in=Report.CASE_KIND.values()).order_by("kind", "code")
    context = {
        "kinds": Report.Kind.choices,
        "case_kinds": Report.CASE_KIND,
        "rows": rows,
        "areas": [a for a in selectors.areas(member=request.member) if a.level != "village"],
    }
    return render(request, "fieldwork/m/report_new.html", context)


@member_required(USE)
def report(request, report_id: int):
    found = selectors.report_get(member=request.member, report_id=report_id)
    steps = public_steps(case=found.case) if found.case else []
    can_register = found.state == Report.State.PENDING and request.member.has_perm("case.register")
    # A hazard's page names the cameras its case cites, so the worker knows whose footage there is.
    cameras = list(selectors.case_citations(case=found.case)) if found.case else []
    context = {"report": found, "steps": steps, "can_register": can_register, "cameras": cameras}
    return render(request, "fieldwork/m/report.html", context)


@member_required(USE)
def check(request, place_id: int):
    place = selectors.place_get(member=request.member, place_id=place_id)
    checklist = selectors.checklist_for(place)
    last = place.records.order_by("-checked_on", "-id").first()
    context = {"place": place, "checklist": checklist, "last": last, "today": timezone.localdate()}
    return render(request, "fieldwork/m/check.html", context)


@member_required(USE)
def patrol(request):
    context = {
        "teams": selectors.teams(member=request.member),
        "logs": list(selectors.patrol_logs(member=request.member)[:10]),
    }
    return render(request, "fieldwork/m/patrol.html", context)


@never_cache
@member_required(USE)
def token(request):
    """A fresh CSRF token for the outbox: a page kept offline may hold one from an earlier login."""
    return JsonResponse({"csrf": get_token(request)})


@member_required(None)
def photo(request, photo_id: int):
    """A report's photo, to whoever may see the report (its area, or the case it became)."""
    found = get_object_or_404(ReportPhoto.objects.select_related("report__case"), pk=photo_id)
    member = request.member
    visible = member.has_perm(USE) and selectors.reports_visible(member=member).filter(pk=found.report_id).exists()
    if not visible and found.report.case_id and member.has_perm("case.view"):
        visible = Case.objects.visible_to(member).filter(pk=found.report.case_id).exists()
    if not visible:
        raise Http404
    return FileResponse(found.file.open("rb"), content_type=found.content_type)


@cache
def _revision(path: str) -> str:
    found = finders.find(path)
    if not found:
        return "0"
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


@public
def service_worker(request):
    """The service worker, from /m/ so that its scope covers the app. Workbox comes from our own
    static files (modulePathCb), never a CDN."""
    config = {
        "modules": {name: static(path) for name, path in WORKBOX.items()},
        "precache": [{"url": static(path), "revision": _revision(path)} for path in SHELL],
        "pages": [reverse("fieldwork:m_home"), reverse("fieldwork:report_new"), reverse("fieldwork:households")],
        "home": reverse("fieldwork:m_home"),
        "static": settings.STATIC_URL,
    }
    body = render(
        request,
        "fieldwork/sw.js",
        {"workbox_sw": json.dumps(static("vendor/workbox-sw/workbox-sw.js")), "config": json.dumps(config)},
    ).content
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("fieldwork:m_home")
    return response


@public
def manifest(request):
    """The web app manifest: installable to the home screen, starting at /m/."""
    data = {
        "name": "一门 · 网格工作",
        "short_name": "网格工作",
        "lang": "zh-CN",
        "start_url": reverse("fieldwork:m_home"),
        "scope": reverse("fieldwork:m_home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("fieldwork/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("fieldwork/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
