"""The grid worker's roster, police-contact coverage (警民联系) and 十户联防 group pages."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from yimen.core.permissions import member_required
from yimen.geo.models import Region
from yimen.geo.selectors import region_ancestors, region_get_visible
from yimen.people import selectors
from yimen.people.forms import region_choices
from yimen.people.views.registry import private

ROSTER_PAGE = 50
# Below these levels the coverage page lists the households still missing.
MISSING_LISTED_AT = {Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID}


def region_asked(request):
    """The region asked for (?region=), else the member's own jurisdiction; 404 outside it."""
    member = request.member
    code = request.GET.get("region") or member.jurisdiction.code
    region = region_get_visible(member=member, code=code)
    # An ancestor of the jurisdiction is visible for breadcrumbs, but its figures are the
    # jurisdiction's: show the jurisdiction itself.
    return region if region.is_within(member.jurisdiction) else member.jurisdiction


@member_required("person.view")
def roster(request):
    """花名册: the households of the member's grid (or a chosen part of their jurisdiction)."""
    member = request.member
    region = region_asked(request)
    page_obj = Paginator(selectors.roster(member=member, region=region), ROSTER_PAGE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "choices": region_choices(member),
        "page_obj": page_obj,
        "sections": selectors.grouped_by_region(list(page_obj)),
    }
    return private(TemplateResponse(request, "people/roster.html", context))


@member_required("person.view")
def coverage(request):
    """警民联系覆盖率 by households and residents, town → village → grid → micro-grid (组), with the
    missing households listed from the village down and, in a micro-grid, the residents no officer
    has contacted yet (masked phones)."""
    member = request.member
    region = region_asked(request)
    top = selectors.coverage(member=member, region=region)
    page_obj, persons = None, None
    if region.level in MISSING_LISTED_AT:
        missing = selectors.coverage_missing(member=member, region=region)
        page_obj = Paginator(missing, ROSTER_PAGE).get_page(request.GET.get("page"))
    if region.level == Region.Level.MICROGRID:  # 户不漏人: who in the micro-grid is still missing
        persons = Paginator(selectors.persons_uncontacted(member=member, region=region), ROSTER_PAGE).get_page(1)
    ancestors = [a for a in region_ancestors(region) if a.is_within(member.jurisdiction)]
    context = {
        "top": top,
        "region": region,
        "ancestors": ancestors,
        "page_obj": page_obj,
        "persons": persons,
        "may_work": member.has_perm("police.contact"),
        "cached": region.level in selectors.COVERAGE_CACHED_AT,
    }
    return private(TemplateResponse(request, "people/coverage.html", context))


@member_required("person.view")
def defence_group_detail(request, group_id: int):
    member = request.member
    group = selectors.defence_group_get_visible(member=member, group_id=group_id)
    card = selectors.defence_group_card(member=member, group=group)
    context = {"card": card, "may_manage": member.has_perm("defence.manage") and group.retired_at is None}
    return private(TemplateResponse(request, "people/defence_group.html", context))
