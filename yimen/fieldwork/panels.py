"""The case page's 网格上报 card: who reported the case from the grid, where, and the photos."""

from django.template.loader import render_to_string

from yimen.fieldwork import selectors


def grid_report_panel(request, case) -> str:
    if case.channel != "grid":
        return ""
    reports = selectors.case_reports(member=request.member, case=case)
    if not reports:
        return ""
    return render_to_string("fieldwork/_case_panel.html", {"reports": reports}, request=request)
