"""The case page's fieldwork cards: who reported the case from the grid (where, the photos) and
the camera points (雪亮工程) the case cites, with the ones nearby to cite."""

from django.template.loader import render_to_string

from yimen.fieldwork import selectors
from yimen.fieldwork.services.cameras import CITE


def grid_report_panel(request, case) -> str:
    if case.channel != "grid":
        return ""
    reports = selectors.case_reports(member=request.member, case=case)
    if not reports:
        return ""
    return render_to_string("fieldwork/_case_panel.html", {"reports": reports}, request=request)


def camera_panel(request, case) -> str:
    member = request.member
    if not member.has_perm("map.view"):
        return ""
    cited = list(selectors.case_citations(case=case))
    taken = {c.camera_id for c in cited}
    may_cite = member.has_perm(CITE)
    nearby = [c for c in selectors.cameras_near(member=member, case=case) if c.pk not in taken] if may_cite else []
    if not cited and not nearby:
        return ""
    context = {"case": case, "cited": cited, "nearby": nearby, "may_cite": may_cite}
    return render_to_string("fieldwork/_case_cameras.html", context, request=request)
