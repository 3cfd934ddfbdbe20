"""The case page's 应急事件 card: the incident declared from the case, and the incident whose
leftover matter the case is (registered on cases' panel hook; cases never import this app)."""

from django.template.loader import render_to_string

from yimen.emergency import selectors


def incident_case_panel(request, case) -> str:
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("incident.view"):
        return ""
    rows = selectors.case_incidents(member, case)
    if not rows:
        return ""
    return render_to_string("emergency/_case_panel.html", {"rows": rows}, request=request)
